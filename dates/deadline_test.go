package dates

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestParseDeadline(t *testing.T) {
	pub2026 := osloT(2026, 7, 3, 9, 0)
	pub2023 := osloT(2023, 11, 20, 12, 0)
	tests := map[string]struct {
		in        string
		published time.Time
		want      time.Time
		ok        bool
	}{
		// Structured labels.
		"listing nb":          {in: "Høringsfrist: 07.08.2026", want: osloT(2026, 8, 7, 0, 0), ok: true},
		"listing nn":          {in: "Høyringsfrist: 14.08.2026", want: osloT(2026, 8, 14, 0, 0), ok: true},
		"frist label":         {in: "Frist: 1. mars 2024", want: osloT(2024, 3, 1, 0, 0), ok: true},
		"upper case label":    {in: "HØRINGSFRIST: 07.08.2026", want: osloT(2026, 8, 7, 0, 0), ok: true},
		"label no space":      {in: "Høringsfrist:07.08.2026", want: osloT(2026, 8, 7, 0, 0), ok: true},
		"status then label":   {in: "Status: På høring Høringsfrist: 07.08.2026", want: osloT(2026, 8, 7, 0, 0), ok: true},
		"innspillsfrist":      {in: "Innspillsfrist: 12.01.2024 kl. 12:00", want: osloT(2024, 1, 12, 12, 0), ok: true},
		"year-less label":     {in: "Høringsfrist: 6. januar", published: pub2023, want: osloT(2024, 1, 6, 0, 0), ok: true},
		"year-less same year": {in: "Høringsfrist: 6. desember", published: pub2023, want: osloT(2023, 12, 6, 0, 0), ok: true},
		"year-less on pub":    {in: "Frist: 20. november", published: pub2023, want: osloT(2023, 11, 20, 0, 0), ok: true},
		"year-less no pub":    {in: "Høringsfrist: 6. januar", ok: false},
		"year-less 29 feb":    {in: "Frist: 29. februar", published: pub2023, want: osloT(2024, 2, 29, 0, 0), ok: true},
		// Bokmål prose.
		"nb prose weekday":  {in: "Høringsfristen er fredag 7. september 2012.", want: osloT(2012, 9, 7, 0, 0), ok: true},
		"nb innspill":       {in: "Fristen for å gi innspill er 7. august 2026", want: osloT(2026, 8, 7, 0, 0), ok: true},
		"nb year-less":      {in: "Høringsfristen er 6. november.", published: osloT(2023, 9, 1, 0, 0), want: osloT(2023, 11, 6, 0, 0), ok: true},
		"nb past tense":     {in: "Høringsfrist var 25. september, og nå behandles svarene.", published: osloT(2023, 10, 5, 0, 0), want: osloT(2023, 9, 25, 0, 0), ok: true},
		"nb past new year":  {in: "Høringsfristen var 15. desember.", published: osloT(2024, 1, 10, 0, 0), want: osloT(2023, 12, 15, 0, 0), ok: true},
		"nb with clock":     {in: "Høringsfristen er 25. mars 2020 kl. 14.", want: osloT(2020, 3, 25, 14, 0), ok: true},
		"nb innen":          {in: "Høringssvar sendes innen 1. mars 2024 til postmottak.", want: osloT(2024, 3, 1, 0, 0), ok: true},
		"nb senest":         {in: "Svar må være kommet frem senest 15.10.2026.", want: osloT(2026, 10, 15, 0, 0), ok: true},
		"nb fristende skip": {in: "Det er fristende å vente. Publisert 1. mars 2024.", ok: false},
		"nb frist sentence": {in: "Vi har satt en kort høringsfrist. Ved tekniske problemer kan innspill sendes. Fristen for å gi innspill er 7. august 2026.", want: osloT(2026, 8, 7, 0, 0), ok: true},
		// Nynorsk prose.
		"nn prose":      {in: "Høyringsfristen er fredag 14. august 2026.", want: osloT(2026, 8, 14, 0, 0), ok: true},
		"nn weekday":    {in: "Høyringsfristen er tysdag 1. september 2026", want: osloT(2026, 9, 1, 0, 0), ok: true},
		"nn innan":      {in: "Send innspel innan 1. oktober 2026.", want: osloT(2026, 10, 1, 0, 0), ok: true},
		"nn fristen er": {in: "Fristen for å gje innspel er 14.08.2026", want: osloT(2026, 8, 14, 0, 0), ok: true},
		"nn year-less":  {in: "Høyringsfristen er laurdag 5. september.", published: pub2026, want: osloT(2026, 9, 5, 0, 0), ok: true},
		"nn seinast":    {in: "Svar må sendast seinast 24.09.2026.", want: osloT(2026, 9, 24, 0, 0), ok: true},
		"nn gjekk past": {in: "Høyringsfristen gjekk ut 1. juni.", published: osloT(2026, 7, 3, 0, 0), want: osloT(2026, 6, 1, 0, 0), ok: true},
		// English prose.
		"en comments":     {in: "The deadline for comments: 25 September 2023.", want: osloT(2023, 9, 25, 0, 0), ok: true},
		"en submissions":  {in: "Deadline for submissions: September 25, 2023", want: osloT(2023, 9, 25, 0, 0), ok: true},
		"en submit by":    {in: "Stakeholders are invited to submit written contributions by 25 September 2023.", want: osloT(2023, 9, 25, 0, 0), ok: true},
		"en no later":     {in: "Comments should be sent no later than 1 October 2023.", want: osloT(2023, 10, 1, 0, 0), ok: true},
		"en year-less":    {in: "The deadline is 6 January.", published: pub2023, want: osloT(2024, 1, 6, 0, 0), ok: true},
		"en was past":     {in: "The deadline was 25 September.", published: osloT(2023, 10, 5, 0, 0), want: osloT(2023, 9, 25, 0, 0), ok: true},
		"en mdy yearless": {in: "Deadline: November 6", published: pub2023, want: osloT(2024, 11, 6, 0, 0), ok: true},
		// Choices.
		"label before prose":    {in: "Høringsfrist: 07.08.2026. Publisert 03.07.2026.", want: osloT(2026, 8, 7, 0, 0), ok: true},
		"date before trigger":   {in: "Publisert 03.07.2026. Høringsfrist: 07.08.2026", want: osloT(2026, 8, 7, 0, 0), ok: true},
		"strong beats weak":     {in: "Send innen 1. mars 2024. Høringsfrist: 15. mars 2024", want: osloT(2024, 3, 15, 0, 0), ok: true},
		"extended range":        {in: "Høringsfristen er forlenget fra 1. mars til 15. mars 2024.", published: osloT(2024, 1, 10, 0, 0), want: osloT(2024, 3, 15, 0, 0), ok: true},
		"extended no pub":       {in: "Høringsfristen er forlenget fra 1. mars til 15. mars 2024.", want: osloT(2024, 3, 15, 0, 0), ok: true},
		"en extended":           {in: "The deadline has been extended from 1 March 2024 to 15 March 2024.", want: osloT(2024, 3, 15, 0, 0), ok: true},
		"til clock":             {in: "Frist 1. mars 2024 til kl. 12", want: osloT(2024, 3, 1, 12, 0), ok: true},
		"innen clock":           {in: "Svar sendes innen 1. mars 2024 innen kl. 23.59.", want: osloT(2024, 3, 1, 23, 59), ok: true},
		"sist endret is no cue": {in: "Sist endret 03.07.2026. Status: På høring.", ok: false},
		"until is no cue":       {in: "The exhibition runs until 5 May 2024.", ok: false},
		"dash range":            {in: "Høringsfrist: 1. januar–31. mars 2024", published: osloT(2024, 5, 1, 0, 0), want: osloT(2024, 3, 31, 0, 0), ok: true},
		"ansic deadline":        {in: "Deadline: Mon Jan 2 15:04:05 2006", published: osloT(2005, 5, 1, 0, 0), want: time.Date(2006, 1, 2, 15, 4, 5, 0, Oslo()).UTC(), ok: true},
		"numeric range":         {in: "Frist: 01.01.2024-31.03.2024", want: osloT(2024, 3, 31, 0, 0), ok: true},
		"no trigger":            {in: "Publisert 03.07.2026", ok: false},
		"trigger without date":  {in: "Høringsfristen er kort.", ok: false},
		"invalid date":          {in: "Høringsfrist: 31.02.2026", ok: false},
		"empty":                 {in: "", ok: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := ParseDeadline(tc.in, tc.published, Options{})
			if ok != tc.ok || (ok && !got.Equal(tc.want)) {
				t.Errorf("ParseDeadline(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// stripTags turns HTML into rough text, enough to feed the parser.
func stripTags(s string) string {
	s = tagRE.ReplaceAllString(s, " ")
	s = strings.NewReplacer("&nbsp;", " ", "&#229;", "å", "&#248;", "ø").Replace(s)
	return spaceRE.ReplaceAllString(s, " ")
}

// TestRealHearingPage reads the deadline and dates of the captured hearing
// page of regjeringen.no.
func TestRealHearingPage(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "hearing_id3167072.html"))
	if err != nil {
		t.Fatal(err)
	}
	text := stripTags(string(raw))
	pub, err := Parse("Dato: 03.07.2026", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Dato: 03.07.2026") {
		t.Fatalf("capture lacks the date line")
	}
	got, ok := ParseDeadline(text, pub, Options{})
	if want := osloT(2026, 8, 7, 0, 0); !ok || !got.Equal(want) {
		t.Errorf("deadline of the page = %v, %v; want %v", got, ok, want)
	}
	// The hearing letter repeats the deadline in prose.
	i := strings.Index(text, "Fristen for å gi innspill")
	if i < 0 {
		t.Fatal("capture lacks the prose deadline")
	}
	got, ok = ParseDeadline(text[i:], pub, Options{})
	if want := osloT(2026, 8, 7, 0, 0); !ok || !got.Equal(want) {
		t.Errorf("prose deadline = %v, %v; want %v", got, ok, want)
	}
}

// TestRealHearingListing reads every "Høringsfrist:"/"Høyringsfrist:" line
// of the captured listing page.
func TestRealHearingListing(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "hoyringar_id1763_page-001.html"))
	if err != nil {
		t.Fatal(err)
	}
	spans := regexp.MustCompile(`<span class="event-details">([^<]*)</span>`).FindAllStringSubmatch(string(raw), -1)
	if len(spans) != 20 {
		t.Fatalf("found %d deadline spans, want 20", len(spans))
	}
	dateRE := regexp.MustCompile(`(\d\d)\.(\d\d)\.(\d{4})$`)
	for _, m := range spans {
		got, ok := ParseDeadline(m[1], time.Time{}, Options{})
		if !ok {
			t.Errorf("ParseDeadline(%q) failed", m[1])
			continue
		}
		d := dateRE.FindStringSubmatch(m[1])
		if d == nil {
			t.Fatalf("unexpected span %q", m[1])
		}
		if want := d[1] + "." + d[2] + "." + d[3]; got.In(Oslo()).Format("02.01.2006") != want {
			t.Errorf("ParseDeadline(%q) = %v, want %s", m[1], got, want)
		}
	}
	dates := regexp.MustCompile(`<span class="date">([^<]*)</span>`).FindAllStringSubmatch(string(raw), -1)
	if len(dates) == 0 {
		t.Fatal("no published dates in the listing")
	}
	for _, m := range dates {
		if _, err := Parse(m[1], Options{}); err != nil {
			t.Errorf("Parse(%q): %v", m[1], err)
		}
	}
}
