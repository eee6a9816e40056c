package dates

import (
	"strings"
	"testing"
	"time"
)

// checkValid fails when t is not a plausible instant from the parser.
func checkValid(t *testing.T, what string, got time.Time) {
	t.Helper()
	if got.Location() != time.UTC {
		t.Fatalf("%s: location %v, want UTC", what, got.Location())
	}
	if y := got.In(Oslo()).Year(); y < minYear-1 || y > maxYear+1 {
		t.Fatalf("%s: year %d out of range", what, y)
	}
}

// checkLongRoundTrip asserts that the Norwegian long form of got's day
// parses back to midnight of that day in Oslo.
func checkLongRoundTrip(t *testing.T, got time.Time) {
	t.Helper()
	local := got.In(Oslo())
	if local.Year() < minYear || local.Year() > maxYear {
		return // an offset moved the instant outside the years Parse reads
	}
	want := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, Oslo())
	long := Long(got, nil)
	back, err := Parse(long, Options{})
	if err != nil || !back.Equal(want) {
		t.Fatalf("Parse(Long(%v)) = Parse(%q) = %v, %v; want %v", got, long, back, err, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s, Options{})
		if err != nil {
			return
		}
		checkValid(t, "Parse("+s+")", got)
		checkLongRoundTrip(t, got)
		// Find reads the same string with the stricter prose rules; what it
		// finds must be just as valid.
		if found, ok := Find(s, Options{}); ok {
			checkValid(t, "Find("+s+")", found)
		}
	})
}

func FuzzParseDeadline(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, int64(0))
		f.Add("Høringsfrist: "+s, int64(1700000000))
	}
	f.Fuzz(func(t *testing.T, text string, pubSec int64) {
		var pub time.Time
		if pubSec != 0 {
			pub = time.Unix(pubSec%(200*365*86400), 0)
		}
		got, ok := ParseDeadline(text, pub, Options{})
		if !ok {
			if got != (time.Time{}) {
				t.Fatalf("failed ParseDeadline returned %v", got)
			}
			return
		}
		checkValid(t, "ParseDeadline("+text+")", got)
		checkLongRoundTrip(t, got)
		if pub.IsZero() && !strings.ContainsAny(text, "0123456789") {
			t.Fatalf("ParseDeadline(%q) = %v without any digits", text, got)
		}
	})
}

func FuzzFromURL(f *testing.F) {
	for _, s := range []string{
		"https://cbss.org/2023/07/01/finland-takes-over-the-presidency-of-the-cbss/",
		"https://www.unodc.org/unodc/en/press/releases/2023/July/x.html",
		"/unodc/en/frontpage/2023/Jul/x.html",
		"https://icat.un.org/events/10-2023/slug",
		"/news/2023-07-01-slug",
		"/2023/",
		"/2024/02/29/leap",
		"https://www.regjeringen.no/no/dokumenter/x/id3167072/?ch=2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, u string) {
		got, prec, ok := FromURL(u)
		if ok != (prec != PrecisionNone) {
			t.Fatalf("FromURL(%q): ok %v with precision %v", u, ok, prec)
		}
		if !ok {
			return
		}
		checkValid(t, "FromURL("+u+")", got)
		local := got.In(Oslo())
		if local.Hour() != 0 || local.Minute() != 0 || local.Year() < 1990 || local.Year() > 2100 {
			t.Fatalf("FromURL(%q) = %v, want midnight in 1990–2100", u, local)
		}
		if (prec <= PrecisionMonth && local.Day() != 1) || (prec == PrecisionYear && local.Month() != time.January) {
			t.Fatalf("FromURL(%q) = %v with precision %v", u, local, prec)
		}
	})
}

var fuzzSeeds = []string{
	"2006-01-02",
	"2006-01-02T15:04:05Z",
	"2026-07-03T10:00:00+02:00",
	"Thu, 17 Sep 2026 11:00:00 +0200",
	"Mon, 02 Jan 2006 15:04:05 GMT",
	"02.01.2006",
	"2.1.2006",
	"02.01.06",
	"Dato: 03.07.2026",
	"7. august 2026",
	"fredag 14. august 2026",
	"laurdag 15. august 2026",
	"25. mars 2020 kl. 14",
	"25. mars 2020 kl 14.00",
	"16 mars 2023",
	"Publiceringsdatum: 16 mars 2023",
	"24 July 2023",
	"29 APRIL 2024",
	"July 24, 2023",
	"Jul 24, 2023",
	"06. Mar 2014",
	"04. nov 2018",
	"3. okt. 2023",
	"Sept. 5, 2023",
	"30.09.09",
	"24.06.15 | News",
	"Vienna (Austria), 24 July 2023 –",
	"On 3 October 2023, the meeting",
	"Høringsfristen er fredag 7. september 2012.",
	"Fristen for å gi innspill er 7. august 2026",
	"Høringsfrist var 25. september",
	"deadline for comments: 25 September 2023",
	"submit contributions by 25 September 2023",
	"31.02.2024",
	"01/02/2006",
}
