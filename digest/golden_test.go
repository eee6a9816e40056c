package digest

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/state"
)

// quarterDraft builds the fixture's 2023Q3 draft through the store.
func quarterDraft(t *testing.T, provenance bool) *Draft {
	t.Helper()
	st, cfg := fixtureStore(t)
	return draftOf(t, st, cfg, provenance)
}

// draftOf builds the 2023Q3 draft from st.
func draftOf(t *testing.T, st *state.Store, cfg *config.Config, provenance bool) *Draft {
	t.Helper()
	p, err := QuarterPeriod("2023Q3", cfg.Location())
	if err != nil {
		t.Fatal(err)
	}
	in, err := Load(st, cfg, p, now)
	if err != nil {
		t.Fatal(err)
	}
	in.Provenance = provenance
	return Build(in)
}

func render(t *testing.T, d *Draft, format string) []byte {
	t.Helper()
	out, err := Render(d, format, "")
	if err != nil {
		t.Fatalf("Render %s: %v", format, err)
	}
	return out
}

func TestGoldenQuarter(t *testing.T) {
	d := quarterDraft(t, false)
	md, html := render(t, d, "md"), render(t, d, "html")
	golden(t, "quarter.md.golden", md)
	golden(t, "quarter.html.golden", html)

	for _, out := range []struct {
		format string
		text   string
	}{{"md", string(md)}, {"html", string(html)}} {
		t.Run(out.format, func(t *testing.T) {
			text := out.text
			for _, absent := range []string{
				"Trafikkulykke",       // irrelevant
				"Annual Review",       // excluded by the editor
				"Global Report",       // next quarter
				"GRETA publishes",     // rewritten by the editor
				"Kilde: ",             // provenance is not asked for
				"Årsrapport, ikke ny", // the exclusion's reason is the editor's
				"Tre siktet for menneskehandel i Oslo</strong><br>\n<a", // a heading is never a bare link
			} {
				if strings.Contains(text, absent) {
					t.Errorf("the draft contains %q", absent)
				}
			}
			// Once: one heading, no second entry under the EU's spelling,
			// and each source's link once.
			heading := map[string]string{"md": "**Risk Analysis for 2023/2024**", "html": "<strong>Risk Analysis for 2023/2024</strong>"}[out.format]
			if n := strings.Count(text, heading); n != 1 {
				t.Errorf("the report found in two sources has %d headings, want 1", n)
			}
			if strings.Contains(text, "Risk analysis for 2023/2024") {
				t.Error("the EU's copy of the Frontex report has an entry of its own")
			}
			for _, u := range []string{
				"https://www.frontex.europa.eu/media-centre/news/risk-analysis-Ab12Cd",
				"https://home-affairs.ec.europa.eu/news/risk-analysis-2023-2024",
			} {
				if n := strings.Count(text, u); n != 1 {
					t.Errorf("the merged entry has the link %s %d times, want once", u, n)
				}
			}
			inOrder(t, text,
				"Egne publikasjoner", "Statusrapport 2022",
				"Hovedaktiviteter i perioden", "Fagdag om arbeidsutnyttelse",
				"Nytt fra samarbeidspartnerne", "Ny veileder fra Arbeidstilsynet",
				"Verdt å merke seg", "Handlingsplan mot menneskehandel",
				"Aktuelle norske tiltak", "Tre siktet", "straffeloven § 257", "utlendingsforskriften",
				"Aktuelle internasjonale tiltak", "UNODC", "GRETA/Europarådet", "GRETAs tredje evaluering",
				"Europol", "27 arrested", "Frontex", "Risk Analysis", "Alliance 8.7", "ICAT", "Issue Brief 13",
				"Arrangementer", "Baltic Sea Conference", "14.–15. november i Riga",
				"Åpne høringer", "høringsfrist 3. november 2023", "høringsfrist 15. januar 2024",
				"Kilder",
			)
			for _, want := range []string{
				"juli–september 2023",
				"Arbeids- og inkluderingsdepartementet sendte i august på høring forslag om endringer i utlendingsforskriften (arbeidsutnyttelse)",
				"Høringsfrist er 3. november.",
				"Justis- og beredskapsdepartementet sendte i juli på høring forslag til endringer i straffeloven § 257",
				"Høringsfrist er 29. september.",
				"Regjeringen la i september frem handlingsplan mot menneskehandel (2023–2026)",
				"UNODC publiserte i juli rapporten «Trafficking in persons in the context of armed conflict»",
				"Politiet meldte i september at politiet har siktet tre personer for menneskehandel etter en aksjon i Oslo",
				"Frontex publiserte i september rapporten «Risk Analysis for 2023/2024»",
				"Påmelding: ",
				"cbss.org/signup/thb-2023",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("the draft lacks %q", want)
				}
			}
		})
	}
}

// inOrder fails unless each of parts occurs in text after the one before.
func inOrder(t *testing.T, text string, parts ...string) {
	t.Helper()
	at := 0
	for _, p := range parts {
		i := strings.Index(text[at:], p)
		if i < 0 {
			t.Errorf("%q is missing after offset %d (or out of order)", p, at)
			return
		}
		at += i + len(p)
	}
}

func TestGoldenQuarterStructure(t *testing.T) {
	d := quarterDraft(t, false)
	var ids []string
	for _, s := range d.Sections {
		ids = append(ids, s.ID)
	}
	want := []string{"egne", "aktiviteter", "nytt-fra-samarbeidspartnerne", "verdt", "norske", "internasjonale", "arrangementer"}
	if !slices.Equal(ids, want) {
		t.Errorf("sections = %v, want %v", ids, want)
	}
	intl := d.Sections[5]
	var orgs []string
	for _, g := range intl.Groups {
		orgs = append(orgs, g.Organisation)
	}
	// Configured order, then the others alphabetically.
	if want := []string{"UNODC", "GRETA/Europarådet", "Europol", "Frontex", "Alliance 8.7", "ICAT"}; !slices.Equal(orgs, want) {
		t.Errorf("groups = %v, want %v", orgs, want)
	}
	var merged *Entry
	for i := range intl.Groups {
		for j := range intl.Groups[i].Entries {
			if e := &intl.Groups[i].Entries[j]; e.Key == "frontex:Ab12Cd" {
				merged = e
			}
		}
	}
	if merged == nil {
		t.Fatal("the Frontex report is not in the international section")
	}
	if len(merged.Keys) != 2 || len(merged.Links) != 2 || len(merged.Provenance) != 2 {
		t.Errorf("merged entry: keys %v, links %v, provenance %v; want two of each", merged.Keys, merged.Links, merged.Provenance)
	}
	if merged.Links[1].Title != "EU-kommisjonen" {
		t.Errorf("second link titled %q, want the organisation that carried it", merged.Links[1].Title)
	}
	if len(d.OpenHearings) != 2 || d.OpenHearings[0].Key != "regjeringen:3001" || d.OpenHearings[1].Key != "regjeringen:2900" {
		t.Errorf("open hearings = %v, want regjeringen:3001 then regjeringen:2900", keys(d.OpenHearings))
	}
	if d.Empty {
		t.Error("the quarter is not empty")
	}
	byID := map[string]SourceLine{}
	for _, s := range d.Sources {
		byID[s.ID] = s
	}
	if s := byID["europol"]; s.Checks != 3 || s.Failures != 1 || s.Items != 2 || s.Selected != 1 || s.Health != "redusert" {
		t.Errorf("europol line = %+v; want 3 checks, 1 failed, 2 items, 1 selected, redusert", s)
	}
	if s := byID["lovdata"]; s.Checks != 0 || s.Health != "slått av" {
		t.Errorf("lovdata line = %+v; want no checks, slått av", s)
	}
}

func keys(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Key)
	}
	return out
}

func TestGoldenProvenance(t *testing.T) {
	d := quarterDraft(t, true)
	md := render(t, d, "md")
	golden(t, "quarter-provenance.md.golden", md)
	for _, want := range []string{
		"Kilde: Frontex – news, først sett 18. september 2023",
		"Kilde: EU Home Affairs – news, først sett 19. september 2023",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("the draft with provenance lacks %q", want)
		}
	}
}

func TestGoldenEmptyQuarter(t *testing.T) {
	st, cfg := fixtureStore(t)
	p, err := QuarterPeriod("2022Q1", cfg.Location())
	if err != nil {
		t.Fatal(err)
	}
	// One run in the quarter, of two sources.
	putRun(t, st, at(2022, 2, 1, 6), "unodc", "frontex")
	in, err := Load(st, cfg, p, now)
	if err != nil {
		t.Fatal(err)
	}
	d := Build(in)
	if !d.Empty || !slices.Equal(d.Checked, []string{"UNODC – news", "Frontex – news"}) {
		t.Errorf("Empty = %v, Checked = %v; want the two sources that were checked", d.Empty, d.Checked)
	}
	md, html := render(t, d, "md"), render(t, d, "html")
	golden(t, "empty.md.golden", md)
	golden(t, "empty.html.golden", html)
	want := "Ingen nye saker fra kildene i perioden. Kildene som ble sjekket: UNODC – news, Frontex – news."
	for _, out := range [][]byte{md, html} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the empty draft does not say which sources were checked:\n%s", out)
		}
		if !strings.Contains(string(out), "januar–mars 2022") {
			t.Error("the empty draft lacks its period")
		}
	}
}

// TestRenderConcurrently: drafts rendered at once, as the review UI's
// requests do, each get their own functions (provenance, zone) from the
// one parsed embedded template, and the same bytes as alone.
func TestRenderConcurrently(t *testing.T) {
	drafts := []*Draft{quarterDraft(t, false), quarterDraft(t, true)}
	want := map[string][]byte{}
	for i, d := range drafts {
		for _, f := range Formats {
			want[f+strconv.Itoa(i)] = render(t, d, f)
		}
	}
	if bytes.Equal(want["md0"], want["md1"]) {
		t.Fatal("the drafts with and without provenance render alike; the test shows nothing")
	}
	var wg sync.WaitGroup
	for range 8 {
		for i, d := range drafts {
			for _, f := range Formats {
				wg.Go(func() {
					got, err := Render(d, f, "")
					if err != nil {
						t.Error(err)
						return
					}
					if !bytes.Equal(got, want[f+strconv.Itoa(i)]) {
						t.Errorf("%s draft %d rendered concurrently differs from the one rendered alone", f, i)
					}
				})
			}
		}
	}
	wg.Wait()
}

// TestSourcesSkipCanceledCrawls: a crawl a shutdown cut short is neither a
// check nor a failure of the source in "Kilder", as its health and the run
// report count it.
func TestSourcesSkipCanceledCrawls(t *testing.T) {
	st, cfg := fixtureStore(t)
	stopped := watcher.RunReport{Started: at(2023, 9, 15, 6).UTC(), Finished: at(2023, 9, 15, 6).Add(time.Minute).UTC(),
		Sources: []watcher.SourceReport{{SourceID: "europol", ErrClass: watcher.ErrCanceled, Error: "the run was stopped"}}}
	if err := st.PutRun(stopped); err != nil {
		t.Fatal(err)
	}
	for _, s := range draftOf(t, st, cfg, false).Sources {
		if s.ID == "europol" && (s.Checks != 3 || s.Failures != 1) {
			t.Errorf("europol line = %+v; want the 3 checks and 1 failure of the fixture, the stopped crawl not counted", s)
		}
	}
}
