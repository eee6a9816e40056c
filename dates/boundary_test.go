package dates

import (
	"testing"
	"time"
)

// The edges below are those of 2026 in Oslo: summer time from 29 March
// (02:00 CET → 03:00 CEST) to 25 October (03:00 CEST → 02:00 CET).

// TestQuarterBoundsAt2026Edges checks that the bounds of each quarter are
// midnight in Oslo, whatever the offset on that day, and that the
// instants just inside and just outside fall on the right side.
func TestQuarterBoundsAt2026Edges(t *testing.T) {
	tests := map[string]struct {
		q              string
		inside, before time.Time // the first instant in, and the last before
		last, after    time.Time // the last instant in, and the first after
	}{
		"Q1 from new year": {q: "2026Q1",
			inside: utc(2025, 12, 31, 23, 0, 0), before: utc(2025, 12, 31, 22, 59, 59),
			last: utc(2026, 3, 31, 21, 59, 59), after: utc(2026, 3, 31, 22, 0, 0)},
		"Q3 ends at Oslo midnight, in summer time": {q: "2026Q3",
			inside: utc(2026, 6, 30, 22, 0, 0), before: utc(2026, 6, 30, 21, 59, 59),
			last: utc(2026, 9, 30, 21, 30, 0), after: utc(2026, 9, 30, 22, 30, 0)},
		"Q4 over the autumn change to the new year": {q: "2026Q4",
			inside: utc(2026, 9, 30, 22, 30, 0), before: utc(2026, 9, 30, 21, 30, 0),
			last: utc(2026, 12, 31, 22, 30, 0), after: utc(2026, 12, 31, 23, 30, 0)},
		"Q1 2027 over the spring change": {q: "2027-Q1",
			inside: utc(2026, 12, 31, 23, 30, 0), before: utc(2026, 12, 31, 22, 30, 0),
			last: utc(2027, 3, 31, 21, 30, 0), after: utc(2027, 3, 31, 22, 0, 0)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			from, to, err := Quarter(tc.q, nil)
			if err != nil {
				t.Fatal(err)
			}
			in := func(x time.Time) bool { return !x.Before(from) && x.Before(to) }
			for _, c := range []struct {
				at   time.Time
				want bool
			}{{tc.inside, true}, {tc.before, false}, {tc.last, true}, {tc.after, false}} {
				if got := in(c.at); got != c.want {
					t.Errorf("%s (%s in Oslo) in [%s, %s) = %t, want %t", c.at.Format(time.RFC3339),
						c.at.In(Oslo()).Format("2006-01-02 15:04 MST"), from.Format(time.RFC3339), to.Format(time.RFC3339), got, c.want)
				}
			}
			if got := Period(from, to, nil); got != map[string]string{
				"2026Q1": "januar–mars 2026", "2026Q3": "juli–september 2026",
				"2026Q4": "oktober–desember 2026", "2027-Q1": "januar–mars 2027",
			}[tc.q] {
				t.Errorf("Period(Quarter(%q)) = %q", tc.q, got)
			}
		})
	}
}

// TestPeriodText checks the documented forms: an en dash between months,
// the year once within a year, on both sides across a year, and a period
// inside one month as that month.
func TestPeriodText(t *testing.T) {
	tests := map[string]struct {
		from, to time.Time
		want     string
	}{
		"inside one month":                 {from: osloT(2026, 10, 5, 0, 0), to: osloT(2026, 10, 20, 0, 0), want: "oktober 2026"},
		"one month, exclusive end":         {from: osloT(2026, 10, 1, 0, 0), to: osloT(2026, 11, 1, 0, 0), want: "oktober 2026"},
		"across the year, exclusive end":   {from: osloT(2026, 12, 1, 0, 0), to: osloT(2027, 2, 1, 0, 0), want: "desember 2026–januar 2027"},
		"across the year, inclusive end":   {from: osloT(2026, 12, 1, 0, 0), to: osloT(2027, 1, 31, 0, 0), want: "desember 2026–januar 2027"},
		"december alone, exclusive end":    {from: osloT(2026, 12, 1, 0, 0), to: osloT(2027, 1, 1, 0, 0), want: "desember 2026"},
		"a UTC midnight is not an end":     {from: osloT(2026, 7, 1, 0, 0), to: utc(2026, 10, 1, 0, 0, 0), want: "juli–oktober 2026"},
		"the last hour of a month in Oslo": {from: osloT(2026, 7, 1, 0, 0), to: osloT(2026, 9, 30, 23, 30), want: "juli–september 2026"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Period(tc.from, tc.to, nil); got != tc.want {
				t.Errorf("Period(%s, %s) = %q, want %q", tc.from, tc.to, got, tc.want)
			}
		})
	}
}

// TestLongAtEdges checks that a date is written as its day in Oslo: late
// evenings in UTC are the next day, in summer and in winter time.
func TestLongAtEdges(t *testing.T) {
	tests := map[string]struct {
		at   time.Time
		want string
	}{
		"last evening of Q3":                {at: utc(2026, 9, 30, 21, 30, 0), want: "30. september 2026"},
		"first half hour of Q4":             {at: utc(2026, 9, 30, 22, 30, 0), want: "1. oktober 2026"},
		"new year's eve, late":              {at: utc(2026, 12, 31, 22, 59, 0), want: "31. desember 2026"},
		"new year in Oslo, not in UTC":      {at: utc(2026, 12, 31, 23, 0, 0), want: "1. januar 2027"},
		"before the spring change":          {at: utc(2026, 3, 29, 0, 59, 0), want: "29. mars 2026"},
		"midnight after the spring change":  {at: utc(2026, 3, 29, 22, 0, 0), want: "30. mars 2026"},
		"midnight before the autumn change": {at: utc(2026, 10, 24, 22, 0, 0), want: "25. oktober 2026"},
		"midnight after the autumn change":  {at: utc(2026, 10, 25, 23, 0, 0), want: "26. oktober 2026"},
		"the repeated hour":                 {at: utc(2026, 10, 25, 1, 30, 0), want: "25. oktober 2026"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Long(tc.at, nil); got != tc.want {
				t.Errorf("Long(%s) = %q, want %q", tc.at.Format(time.RFC3339), got, tc.want)
			}
		})
	}
}

// TestDateOnlyIsTheSameDayInOslo checks that a date read without a time
// ("07.08.2026" in a listing) is stored as midnight in Oslo and written
// back as the same day, in summer and in winter time and on the days the
// clocks change; and that a deadline label reads the same.
func TestDateOnlyIsTheSameDayInOslo(t *testing.T) {
	tests := map[string]struct {
		in   string
		want time.Time // midnight in Oslo, in UTC
		long string
	}{
		"summer":                {in: "07.08.2026", want: utc(2026, 8, 6, 22, 0, 0), long: "7. august 2026"},
		"winter":                {in: "07.12.2026", want: utc(2026, 12, 6, 23, 0, 0), long: "7. desember 2026"},
		"spring change day":     {in: "29.03.2026", want: utc(2026, 3, 28, 23, 0, 0), long: "29. mars 2026"},
		"day after spring":      {in: "30.03.2026", want: utc(2026, 3, 29, 22, 0, 0), long: "30. mars 2026"},
		"autumn change day":     {in: "25.10.2026", want: utc(2026, 10, 24, 22, 0, 0), long: "25. oktober 2026"},
		"day after autumn":      {in: "26.10.2026", want: utc(2026, 10, 25, 23, 0, 0), long: "26. oktober 2026"},
		"last day of Q3":        {in: "30.09.2026", want: utc(2026, 9, 29, 22, 0, 0), long: "30. september 2026"},
		"first day of the year": {in: "01.01.2027", want: utc(2026, 12, 31, 23, 0, 0), long: "1. januar 2027"},
		"iso date":              {in: "2026-08-07", want: utc(2026, 8, 6, 22, 0, 0), long: "7. august 2026"},
		"long date":             {in: "7. august 2026", want: utc(2026, 8, 6, 22, 0, 0), long: "7. august 2026"},
		"with a weekday":        {in: "fredag 7. august 2026", want: utc(2026, 8, 6, 22, 0, 0), long: "7. august 2026"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(tc.in, Options{})
			if err != nil || !got.Equal(tc.want) {
				t.Fatalf("Parse(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			if l := Long(got, nil); l != tc.long {
				t.Errorf("Long(Parse(%q)) = %q, want %q", tc.in, l, tc.long)
			}
			d, ok := ParseDeadline("Høringsfrist: "+tc.in, time.Time{}, Options{})
			if !ok || !d.Equal(tc.want) {
				t.Errorf("ParseDeadline(Høringsfrist: %s) = %v, %t; want %v", tc.in, d, ok, tc.want)
			}
		})
	}
}

// TestYearlessDeadlineAtNewYear checks that a year-less deadline takes its
// year from the publication's day in Oslo, not in UTC.
func TestYearlessDeadlineAtNewYear(t *testing.T) {
	tests := map[string]struct {
		text      string
		published time.Time
		want      time.Time
	}{
		// 00:30 on 1 January in Oslo is still 31 December in UTC: the
		// hearing was published in 2027, so 31 December is next year's.
		"published after midnight in Oslo": {text: "Høringsfrist: 31. desember", published: osloT(2027, 1, 1, 0, 30), want: osloT(2027, 12, 31, 0, 0)},
		"published before midnight":        {text: "Høringsfrist: 31. desember", published: osloT(2026, 12, 31, 23, 30), want: osloT(2026, 12, 31, 0, 0)},
		"the next day, the next year":      {text: "Høringsfrist: 1. januar", published: osloT(2026, 12, 31, 23, 30), want: osloT(2027, 1, 1, 0, 0)},
		"past deadline, published 1 Jan":   {text: "Høringsfristen var 31. desember", published: osloT(2027, 1, 1, 0, 30), want: osloT(2026, 12, 31, 0, 0)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := ParseDeadline(tc.text, tc.published, Options{})
			if !ok || !got.Equal(tc.want) {
				t.Errorf("ParseDeadline(%q, %s) = %v, %t; want %v", tc.text, tc.published, got, ok, tc.want)
			}
		})
	}
}

// TestDaysUntilAtEdges counts days to a deadline the day after the autumn
// change (26 October 2026) and over the spring change, for a deadline
// stored at midnight in Oslo, at the end of its day, and at midnight UTC.
func TestDaysUntilAtEdges(t *testing.T) {
	midnight := osloT(2026, 10, 26, 0, 0)
	endOfDay := osloT(2026, 10, 26, 23, 59)
	utcMidnight := utc(2026, 10, 26, 0, 0, 0)
	tests := map[string]struct {
		now, deadline time.Time
		want          int
		text          string
	}{
		"24 Oct 23:30, before the change":  {now: osloT(2026, 10, 24, 23, 30), deadline: midnight, want: 2, text: "om 2 dager"},
		"end of day deadline":              {now: osloT(2026, 10, 24, 23, 30), deadline: endOfDay, want: 2, text: "om 2 dager"},
		"utc midnight deadline":            {now: osloT(2026, 10, 24, 23, 30), deadline: utcMidnight, want: 2, text: "om 2 dager"},
		"25 Oct 00:30, still summer time":  {now: osloT(2026, 10, 25, 0, 30), deadline: midnight, want: 1, text: "i morgen"},
		"25 Oct 23:30, winter time":        {now: osloT(2026, 10, 25, 23, 30), deadline: midnight, want: 1, text: "i morgen"},
		"deadline day, 00:30":              {now: osloT(2026, 10, 26, 0, 30), deadline: midnight, want: 0, text: "i dag"},
		"deadline day, 23:59":              {now: osloT(2026, 10, 26, 23, 59), deadline: midnight, want: 0, text: "i dag"},
		"end-of-day deadline, its evening": {now: osloT(2026, 10, 26, 23, 30), deadline: endOfDay, want: 0, text: "i dag"},
		"the day after, 00:30":             {now: osloT(2026, 10, 27, 0, 30), deadline: endOfDay, want: -1, text: "i går"},
		"14 days over the change":          {now: osloT(2026, 10, 12, 0, 30), deadline: midnight, want: 14, text: "om 14 dager"},
		"7 days over the change":           {now: osloT(2026, 10, 19, 23, 30), deadline: midnight, want: 7, text: "om 7 dager"},
		"2 days over the spring change":    {now: osloT(2026, 3, 28, 23, 30), deadline: osloT(2026, 3, 30, 0, 0), want: 2, text: "om 2 dager"},
		"14 days over the spring change":   {now: osloT(2026, 3, 16, 23, 30), deadline: osloT(2026, 3, 30, 0, 0), want: 14, text: "om 14 dager"},
		"a year of changes":                {now: osloT(2026, 1, 1, 0, 30), deadline: osloT(2027, 1, 1, 0, 0), want: 365, text: "om 365 dager"},
		"across new year":                  {now: osloT(2026, 12, 31, 23, 30), deadline: osloT(2027, 1, 1, 0, 0), want: 1, text: "i morgen"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := DaysUntil(tc.now, tc.deadline, nil)
			if got != tc.want || Countdown(got) != tc.text {
				t.Errorf("DaysUntil(%s, %s) = %d (%q), want %d (%q)", tc.now, tc.deadline, got, Countdown(got), tc.want, tc.text)
			}
		})
	}
}

// TestFromURLMonthStartsInOslo checks that a month read from a URL starts
// at midnight in Oslo, so that October's first items are Q4's.
func TestFromURLMonthStartsInOslo(t *testing.T) {
	got, p, ok := FromURL("https://example.org/news/2026/10/")
	if !ok || p != PrecisionMonth || !got.Equal(utc(2026, 9, 30, 22, 0, 0)) {
		t.Errorf("FromURL(…/2026/10/) = %v, %v, %t; want 2026-09-30T22:00Z, month", got, p, ok)
	}
	got, p, ok = FromURL("https://example.org/2027/01/01/nyttar")
	if !ok || p != PrecisionDay || !got.Equal(utc(2026, 12, 31, 23, 0, 0)) {
		t.Errorf("FromURL(…/2027/01/01/) = %v, %v, %t; want 2026-12-31T23:00Z, day", got, p, ok)
	}
}
