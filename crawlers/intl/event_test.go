package intl

import (
	"testing"
	"time"

	"watcher"
	"watcher/dates"
)

func TestDateRange(t *testing.T) {
	tests := map[string]struct {
		in         string
		start, end time.Time
	}{
		"single":                 {"18 October 2024", oslo(2024, 10, 18), time.Time{}},
		"single with time":       {"18 October 2024, 09:30–17:00 CEST", oslo(2024, 10, 18, 9, 30), time.Time{}},
		"days":                   {"3–4 October 2024", oslo(2024, 10, 3), oslo(2024, 10, 4)},
		"days with hyphen":       {"14-15 June 2023", oslo(2023, 6, 14), oslo(2023, 6, 15)},
		"norwegian days":         {"3.–4. oktober 2024", oslo(2024, 10, 3), oslo(2024, 10, 4)},
		"swedish days":           {"12–13 oktober 2023", oslo(2023, 10, 12), oslo(2023, 10, 13)},
		"months":                 {"30 September – 2 October 2023", oslo(2023, 9, 30), oslo(2023, 10, 2)},
		"across the new year":    {"28 December – 2 January 2024", oslo(2023, 12, 28), oslo(2024, 1, 2)},
		"us order":               {"October 3–4, 2023", oslo(2023, 10, 3), oslo(2023, 10, 4)},
		"full dates":             {"3 October 2023 – 5 October 2023", oslo(2023, 10, 3), oslo(2023, 10, 5)},
		"full dates with to":     {"3 October 2023 to 5 October 2023", oslo(2023, 10, 3), oslo(2023, 10, 5)},
		"year digits not a day":  {"2023 – 25 October 2023", oslo(2023, 10, 25), time.Time{}},
		"reversed is not range":  {"5–3 October 2023", oslo(2023, 10, 3), time.Time{}},
		"in prose":               {"On 3 October 2023, ICAT met", oslo(2023, 10, 3), time.Time{}},
		"nothing":                {"to be announced", time.Time{}, time.Time{}},
		"iso":                    {"2024-10-03", oslo(2024, 10, 3), time.Time{}},
		"weekday and norwegian":  {"torsdag 3. oktober 2024", oslo(2024, 10, 3), time.Time{}},
		"english ordinal prose ": {"Date: 4 December 2024 (online)", oslo(2024, 12, 4), time.Time{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			start, end := DateRange(tc.in, dates.Options{})
			if !start.Equal(tc.start) || !end.Equal(tc.end) {
				t.Errorf("DateRange(%q) = %v, %v; want %v, %v", tc.in, start, end, tc.start, tc.end)
			}
		})
	}
}

func TestEventFrom(t *testing.T) {
	page := Page{
		Lines: []string{
			"The seminar brings together labour inspectors.",
			"Dates:", "3-4 October 2024",
			"Venue: Palácio Foz, Lisbon",
		},
		Links: []Link{{Text: "Programme", URL: "https://x.test/programme.pdf"}, {Text: "Register now", URL: "https://x.test/form"}},
	}
	want := watcher.Event{Start: oslo(2024, 10, 3), End: oslo(2024, 10, 4), Place: "Palácio Foz, Lisbon", SignupURL: "https://x.test/form"}
	if got := EventFrom("Seminar on labour exploitation", page, dates.Options{}); got == nil || *got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := EventFrom("GRETA publishes its report on Norway", page, dates.Options{}); got != nil {
		t.Errorf("a title that names no event gave %+v", got)
	}
	if got := EventFrom("Webinar on survivors' voices", Page{Lines: []string{"No practical details yet."}}, dates.Options{}); got != nil {
		t.Errorf("a page that states nothing gave %+v", got)
	}
	prose := Page{Lines: []string{"Where the victims were found is not disclosed.", "When: soon"}}
	if got := EventFrom("Conference report", prose, dates.Options{}); got != nil {
		t.Errorf("prose without labels gave %+v", got)
	}
	// A bare label's value is the next line, unless that line is a label
	// itself; a label without a colon (a <dt>, a table header) counts.
	bare := Page{Lines: []string{"Venue:", "Date:", "18 October 2024", "Location", "Vienna International Centre"}}
	want = watcher.Event{Start: oslo(2024, 10, 18), Place: "Vienna International Centre"}
	if got := EventFrom("Expert conference", bare, dates.Options{}); got == nil || *got != want {
		t.Errorf("bare labels gave %+v, want %+v", got, want)
	}
}

func TestIsEventTitle(t *testing.T) {
	tests := map[string]bool{
		"Conference on trafficking in human beings":   true,
		"Webinar: survivor-informed approaches":       true,
		"Nationell konferens om människohandel 2023":  true,
		"Frukostseminarium om prostitution":           true,
		"Nasjonal konferanse om menneskehandel":       true,
		"GRETA publishes its fourth report on Norway": false,
		"Reforming the workshop's safety rules":       true, // a known false positive: EventFrom still needs stated details
		"Europol arrests 34 suspects":                 false,
		"Two conferences on forced labour":            true,
	}
	for title, want := range tests {
		if got := IsEventTitle(title); got != want {
			t.Errorf("IsEventTitle(%q) = %v, want %v", title, got, want)
		}
	}
}

func TestClip(t *testing.T) {
	tests := map[string]struct {
		in   string
		n    int
		want string
	}{
		"short":           {"Vienna", 10, "Vienna"},
		"word boundary":   {"Palácio Foz, Lisbon, Portugal", 20, "Palácio Foz,"},
		"no space":        {"ÆØÅÆØÅ", 5, "ÆØ"},
		"exactly n bytes": {"abcde", 5, "abcde"},
	}
	for name, tc := range tests {
		if got := clip(tc.in, tc.n); got != tc.want {
			t.Errorf("%s: clip(%q, %d) = %q, want %q", name, tc.in, tc.n, got, tc.want)
		}
	}
}
