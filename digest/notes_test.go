package digest

import (
	"reflect"
	"strings"
	"testing"

	"watcher"
	"watcher/config"
)

func TestParseNotes(t *testing.T) {
	tests := map[string]struct {
		in   string
		want []NoteSection
	}{
		"headed entries, list items and links": {
			in: fixtureNotes,
			want: []NoteSection{
				{Heading: "Egne publikasjoner", Line: 3, Entries: []NoteEntry{{
					Heading: "Statusrapport 2022", Line: 5,
					Text: "Koordineringsenheten publiserte i juli sin årlige statusrapport, [se her](https://www.politiet.no/kom/statusrapport-2022).",
					URL:  "https://www.politiet.no/kom/statusrapport-2022",
				}}},
				{Heading: "Hovedaktiviteter i perioden", Line: 8, Entries: []NoteEntry{
					{Text: "Fagdag om arbeidsutnyttelse i Bergen 14. september.", Line: 10},
					{Text: "Nordisk koordinatormøte i København.", Line: 11},
				}},
				{Heading: "Nytt fra samarbeidspartnerne", Line: 13, Entries: []NoteEntry{{
					Heading: "Ny veileder fra Arbeidstilsynet", Line: 15,
					Text: "Arbeidstilsynet har laget en veileder for inspektører.", URL: "https://www.arbeidstilsynet.no/veileder",
				}}},
			},
		},
		"paragraphs, continued list items, an empty section": {
			in: "## Egne\r\n\r\nFørste avsnitt\r\nfortsetter her.\r\n\r\nAndre avsnitt.\r\n\r\n### Med overskrift\r\n- ikke en liste inne i en oppføring\r\n\r\n## Tom\r\n\r\n## Aktiviteter\r\n- Møte\r\n  i Oslo.\r\n* Kurs\r\n",
			want: []NoteSection{
				{Heading: "Egne", Line: 1, Entries: []NoteEntry{
					{Text: "Første avsnitt fortsetter her.\n\nAndre avsnitt.", Line: 3},
					{Heading: "Med overskrift", Line: 8, Text: "- ikke en liste inne i en oppføring"},
				}},
				{Heading: "Tom", Line: 11},
				{Heading: "Aktiviteter", Line: 13, Entries: []NoteEntry{{Text: "Møte i Oslo.", Line: 14}, {Text: "Kurs", Line: 16}}},
			},
		},
		"nothing": {in: "", want: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			n, err := ParseNotes(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(n.Sections, tc.want) {
				t.Errorf("sections =\n%+v\nwant\n%+v", n.Sections, tc.want)
			}
		})
	}
}

func TestParseNotesErrors(t *testing.T) {
	tests := map[string]string{
		"Løs tekst\n## Egne\n":                           "notes line 1: text before the first section heading",
		"# Tittel\n\n### Oppføring\n":                    "notes line 3: an entry heading (###) before the first section heading",
		"## Egne\n# Tittel\n":                            "notes line 2: a title heading (#) inside a section",
		"## Egne\n\xff\n":                                "not UTF-8",
		"## Egne\n" + strings.Repeat("x", maxNotesBytes): "larger than",
	}
	for in, want := range tests {
		_, err := ParseNotes(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseNotes(%.30q) error = %v, want one containing %q", in, err, want)
		}
	}
}

func TestNotesDecisions(t *testing.T) {
	n, err := ParseNotes(strings.NewReader("## egne\n### Rapport\nA.\n### Rapport\nB.\n## HOVEDAKTIVITETER I PERIODEN\n- Møte\n## Annet nytt\n### Ny side\nhttps://example.org/x\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := n.Decisions("2023Q3", fixtureConfig().Digest.Sections)
	want := []watcher.Decision{
		{Period: "2023Q3", Key: "manual:notes-egne-rapport", Section: "egne", Heading: "Rapport", Text: "A.", Order: 1},
		{Period: "2023Q3", Key: "manual:notes-egne-rapport-2", Section: "egne", Heading: "Rapport", Text: "B.", Order: 2},
		{Period: "2023Q3", Key: "manual:notes-aktiviteter-1", Section: "aktiviteter", Text: "Møte", Order: 3},
		{Period: "2023Q3", Key: "manual:notes-annet-nytt-ny-side", Section: "Annet nytt", Heading: "Ny side", URL: "https://example.org/x", Order: 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decisions =\n%+v\nwant\n%+v", got, want)
	}
	for _, d := range got {
		if !d.Manual() {
			t.Errorf("%s is not a manual entry", d.Key)
		}
	}
}

// TestNotesSectionByID: a notes heading that is a section's id names that
// section, as a decision's section does, even when another section's
// title is the same word in another case.
func TestNotesSectionByID(t *testing.T) {
	sections := []config.Section{{ID: "nytt", Title: "Egne", Editor: true}, {ID: "egne", Title: "Egne publikasjoner", Editor: true}}
	n, err := ParseNotes(strings.NewReader("## egne\n### Rapport\nA.\n## EGNE\n### Notat\nB.\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range n.Decisions("2023Q3", sections) {
		got = append(got, d.Section)
	}
	if want := []string{"egne", "nytt"}; !reflect.DeepEqual(got, want) {
		t.Errorf("sections = %v, want %v (the id first, then a title in any case)", got, want)
	}
}

func TestStoreNotesReplacesEarlierNotes(t *testing.T) {
	st := openStore(t)
	sections := fixtureConfig().Digest.Sections
	put := func(text string) (int, int) {
		t.Helper()
		n, err := ParseNotes(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		w, r, err := StoreNotes(st, "2023Q3", n, sections)
		if err != nil {
			t.Fatal(err)
		}
		return w, r
	}
	// A decision of the editor's own, not from notes, must survive.
	if err := st.PutDecision(watcher.Decision{Period: "2023Q3", Key: "manual:ui-entry", Section: "egne", Heading: "Fra gjennomgangen"}); err != nil {
		t.Fatal(err)
	}
	if w, r := put("## Egne publikasjoner\n### A\nTekst.\n### B\nTekst.\n"); w != 2 || r != 0 {
		t.Errorf("first notes: wrote %d, removed %d; want 2, 0", w, r)
	}
	if w, r := put("## Egne publikasjoner\n### A\nTekst.\n"); w != 0 || r != 1 {
		t.Errorf("same A, no B: wrote %d, removed %d; want 0, 1", w, r)
	}
	if w, r := put("## Egne publikasjoner\n### A\nNy tekst.\n"); w != 1 || r != 0 {
		t.Errorf("A rewritten: wrote %d, removed %d; want 1, 0", w, r)
	}
	ds, err := st.Decisions("2023Q3")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range ds {
		keys = append(keys, d.Key)
	}
	if want := []string{"manual:notes-egne-a", "manual:ui-entry"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("stored decisions = %v, want %v", keys, want)
	}
}
