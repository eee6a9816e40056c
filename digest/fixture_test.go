package digest

import (
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/state"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var oslo = mustLoc("Europe/Oslo")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a moment in Oslo.
func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, oslo) }

// day is midnight in Oslo, as the adapters store dates without a time.
func day(y int, m time.Month, d int) time.Time { return at(y, m, d, 0).UTC() }

// now is when the fixture's draft is made.
var now = at(2023, 10, 2, 9)

// fixtureSources are the configured sources of the fixture.
func fixtureSources() []watcher.Source {
	src := func(id, name, org string, region watcher.Region, kind watcher.DocKind, lang string) watcher.Source {
		return watcher.Source{ID: id, Name: name, Organisation: org, Region: region, Kind: "feed",
			URLs: []string{"https://example.org/" + id}, DocKind: kind, Language: lang}
	}
	disabled := src("lovdata", "Lovdata – lover", "Lovdata", watcher.RegionNorway, watcher.KindRegulation, "nb")
	disabled.Disabled = true
	return []watcher.Source{
		src("regjeringen-horinger", "Regjeringen – høringer", "Regjeringen", watcher.RegionNorway, watcher.KindHearing, "nb"),
		src("regjeringen-planer", "Regjeringen – planer", "Regjeringen", watcher.RegionNorway, watcher.KindPlan, "nb"),
		src("politiet", "Politiet – nyheter", "Politiet", watcher.RegionNorway, watcher.KindNews, "nb"),
		src("unodc", "UNODC – news", "UNODC", watcher.RegionInternational, watcher.KindReport, "en"),
		src("greta", "GRETA – reports", "GRETA/Europarådet", watcher.RegionInternational, watcher.KindReport, "en"),
		src("europol", "Europol – newsroom", "Europol", watcher.RegionInternational, watcher.KindNews, "en"),
		src("frontex", "Frontex – news", "Frontex", watcher.RegionInternational, watcher.KindNews, "en"),
		src("eu-home", "EU Home Affairs – news", "EU-kommisjonen", watcher.RegionInternational, watcher.KindNews, "en"),
		src("cbss", "CBSS – events", "Østersjørådet (CBSS)", watcher.RegionInternational, watcher.KindEvent, "en"),
		src("icat", "ICAT – publications", "ICAT", watcher.RegionInternational, watcher.KindReport, "en"),
		src("alliance87", "Alliance 8.7 – news", "Alliance 8.7", watcher.RegionInternational, watcher.KindReport, "en"),
		disabled,
	}
}

// fixtureConfig is the configuration the fixture's draft is made with:
// the newsletter's sections and organisations written out here, not
// taken from the config package's defaults, so that the golden files
// change only when the digest does.
func fixtureConfig() *config.Config {
	nonEvents := []watcher.DocKind{
		watcher.KindHearing, watcher.KindReport, watcher.KindPlan, watcher.KindProposition, watcher.KindNOU,
		watcher.KindRegulation, watcher.KindJudgement, watcher.KindNews, watcher.KindPublication, watcher.KindPage, watcher.KindOther,
	}
	return &config.Config{
		TimeZone: "Europe/Oslo",
		Sources:  fixtureSources(),
		Digest: config.Digest{
			Title: "Nyhetsbrev fra Koordineringsenheten for ofre for menneskehandel",
			Sections: []config.Section{
				{ID: "egne", Title: "Egne publikasjoner", Editor: true},
				{ID: "aktiviteter", Title: "Hovedaktiviteter i perioden", Editor: true},
				{ID: "verdt", Title: "Verdt å merke seg", Highlights: true},
				{ID: "norske", Title: "Aktuelle norske tiltak, rapporter og forskning", Region: watcher.RegionNorway, Kinds: nonEvents},
				{ID: "internasjonale", Title: "Aktuelle internasjonale tiltak, rapporter og forskning",
					Region: watcher.RegionInternational, Kinds: nonEvents, GroupBy: "organisation"},
				{ID: "arrangementer", Title: "Arrangementer", Kinds: []watcher.DocKind{watcher.KindEvent}},
			},
			Organisations: []string{"UNODC", "ILO", "OSSE", "GRETA/Europarådet", "Europarådet", "Europol",
				"Frontex", "EU", "EU-kommisjonen", "Østersjørådet (CBSS)", "Norden"},
			Closing: "Nyhetsbrevet sendes ut hvert kvartal til samarbeidspartnere i arbeidet mot menneskehandel.\n" +
				"Ønsker du å motta nyhetsbrevet? Gi beskjed til [Koordineringsenheten](https://www.politiet.no/kom/).",
			Contact:       "kom@example.org",
			MaxHighlights: 3,
		},
	}
}

func rel(score float64) watcher.Relevance {
	return watcher.Relevance{Score: score, Relevant: score >= 1, Profile: "test"}
}

// seen is an item and when it was first seen.
type seen struct {
	at time.Time
	it watcher.Item
}

// fixtureItems is one quarter (2023Q3) of what the sources yielded, and a
// little around it.
func fixtureItems() []seen {
	return []seen{
		{at(2023, 8, 15, 7), watcher.Item{
			Key: "regjeringen:3001", SourceID: "regjeringen-horinger",
			URL:   "https://www.regjeringen.no/no/dokumenter/horing-utlendingsforskriften/id3001/",
			Title: "Høring om endringer i utlendingsforskriften (arbeidsutnyttelse)", Kind: watcher.KindHearing,
			Ministries: []string{"Arbeids- og inkluderingsdepartementet"}, Organisation: "Arbeids- og inkluderingsdepartementet",
			Published: day(2023, 8, 15), Deadline: day(2023, 11, 3), Status: watcher.StatusOpen, Relevance: rel(3.2),
		}},
		{at(2023, 7, 5, 7), watcher.Item{
			Key: "regjeringen:3002", SourceID: "regjeringen-horinger",
			URL:   "https://www.regjeringen.no/no/dokumenter/horing-straffeloven/id3002/",
			Title: "Høring – forslag til endringer i straffeloven § 257", Kind: watcher.KindHearing,
			Ministries: []string{"Justis- og beredskapsdepartementet"}, Organisation: "Justis- og beredskapsdepartementet",
			Published: day(2023, 7, 5), Deadline: day(2023, 9, 29), Status: watcher.StatusDeadlinePassed, Relevance: rel(4),
		}},
		{at(2023, 6, 1, 7), watcher.Item{ // last quarter's, still open: only in "Åpne høringer"
			Key: "regjeringen:2900", SourceID: "regjeringen-horinger",
			URL:   "https://www.regjeringen.no/no/dokumenter/horing-veileder/id2900/",
			Title: "Høring om veileder for identifisering av ofre", Kind: watcher.KindHearing,
			Ministries: []string{"Justis- og beredskapsdepartementet"}, Organisation: "Justis- og beredskapsdepartementet",
			Published: day(2023, 6, 1), Deadline: day(2024, 1, 15), Status: watcher.StatusOpen, Relevance: rel(2.5),
		}},
		{at(2023, 9, 20, 12), watcher.Item{
			Key: "regjeringen:3003", SourceID: "regjeringen-planer",
			URL:   "https://www.regjeringen.no/no/dokumenter/handlingsplan-menneskehandel/id3003/",
			Title: "Handlingsplan mot menneskehandel (2023–2026)", Kind: watcher.KindPlan,
			Summary:   "Regjeringen legger frem en ny handlingsplan.",
			Published: day(2023, 9, 20), Relevance: rel(5),
		}},
		{at(2023, 9, 14, 10), watcher.Item{
			Key: "politiet:aksjon-oslo", SourceID: "politiet",
			URL:   "https://www.politiet.no/aktuelt/tre-siktet/",
			Title: "Tre siktet for menneskehandel i Oslo", Kind: watcher.KindNews, Organisation: "Politiet",
			Summary: "Politiet har siktet tre personer for menneskehandel etter en aksjon i Oslo. " +
				"Aksjonen ble gjennomført i samarbeid med Arbeidstilsynet. Saken etterforskes videre. Flere kan bli siktet.",
			Published: day(2023, 9, 14), Relevance: rel(3),
		}},
		{at(2023, 9, 2, 10), watcher.Item{ // irrelevant: absent
			Key: "politiet:trafikk", SourceID: "politiet",
			URL:   "https://www.politiet.no/aktuelt/trafikkulykke/",
			Title: "Trafikkulykke på E18", Kind: watcher.KindNews, Organisation: "Politiet",
			Published: day(2023, 9, 2), Relevance: rel(0.1),
		}},
		{at(2023, 7, 28, 9), watcher.Item{
			Key: "unodc:armed-conflict", SourceID: "unodc",
			URL:   "https://www.unodc.org/unodc/en/human-trafficking/armed-conflict.html",
			Title: "Trafficking in persons in the context of armed conflict", Kind: watcher.KindReport,
			Organisation: "UNODC", Language: "en", Published: day(2023, 7, 28), Relevance: rel(3),
		}},
		{at(2023, 9, 12, 9), watcher.Item{ // the editor rewrites it
			Key: "greta:norway-3", SourceID: "greta",
			URL:   "https://www.coe.int/en/web/anti-human-trafficking/-/greta-norway-3",
			Title: "GRETA publishes its third report on Norway", Kind: watcher.KindReport,
			Organisation: "GRETA/Europarådet", Language: "en", Published: day(2023, 9, 12), Relevance: rel(2.5),
		}},
		{at(2023, 9, 5, 9), watcher.Item{
			Key: "europol:12345", SourceID: "europol",
			URL:   "https://www.europol.europa.eu/media-press/newsroom/news/27-arrested",
			Title: "27 arrested in action against labour exploitation", Kind: watcher.KindNews,
			Summary:      "Law enforcement from 14 countries arrested 27 suspects.",
			Organisation: "Europol", Language: "en", Published: day(2023, 9, 5), Relevance: rel(2.8),
		}},
		{at(2023, 8, 22, 9), watcher.Item{ // the editor excludes it
			Key: "europol:99999", SourceID: "europol",
			URL:   "https://www.europol.europa.eu/publications/annual-review-2022",
			Title: "Europol Annual Review 2022", Kind: watcher.KindReport,
			Organisation: "Europol", Language: "en", Published: day(2023, 8, 22), Relevance: rel(1.5),
		}},
		{at(2023, 9, 18, 11), watcher.Item{ // the same report in two sources
			Key: "frontex:Ab12Cd", SourceID: "frontex",
			URL:   "https://www.frontex.europa.eu/media-centre/news/risk-analysis-Ab12Cd",
			Title: "Risk Analysis for 2023/2024", Kind: watcher.KindReport,
			Organisation: "Frontex", Language: "en", Published: day(2023, 9, 18), Relevance: rel(2.2),
		}},
		{at(2023, 9, 19, 8), watcher.Item{
			Key: "https://home-affairs.ec.europa.eu/news/risk-analysis-2023-2024", SourceID: "eu-home",
			URL:   "https://home-affairs.ec.europa.eu/news/risk-analysis-2023-2024",
			Title: "Risk analysis for 2023/2024 ", Kind: watcher.KindNews,
			Organisation: "EU-kommisjonen", Language: "en", Published: day(2023, 9, 18), Relevance: rel(1.9),
		}},
		{at(2023, 8, 30, 9), watcher.Item{
			Key: "cbss:conference-2023", SourceID: "cbss",
			URL:   "https://cbss.org/events/thb-conference-2023/",
			Title: "Baltic Sea Conference on Trafficking in Human Beings", Kind: watcher.KindEvent,
			Organisation: "Østersjørådet (CBSS)", Language: "en", Published: day(2023, 8, 30), Relevance: rel(2),
			Event: &watcher.Event{Start: day(2023, 11, 14), End: day(2023, 11, 15), Place: "Riga",
				SignupURL: "https://cbss.org/signup/thb-2023"},
		}},
		{at(2023, 8, 10, 9), watcher.Item{ // undated: filed under when it was first seen
			Key: "icat:brief-13", SourceID: "icat",
			URL:   "https://icat.un.org/publications/issue-brief-13",
			Title: "ICAT Issue Brief 13: Non-punishment of victims", Kind: watcher.KindReport,
			Organisation: "ICAT", Language: "en", Relevance: rel(2),
		}},
		{at(2023, 7, 10, 9), watcher.Item{ // crawled text that would break Markdown
			Key: "alliance87:pathfinder", SourceID: "alliance87",
			URL:   "https://www.alliance87.org/news/pathfinder_report?id=1&lang=en",
			Title: "Pathfinder *country* report: forced_labour & <children> [draft]", Kind: watcher.KindReport,
			Organisation: "Alliance 8.7", Language: "en", Published: day(2023, 7, 10), Relevance: rel(1.2),
		}},
		{at(2023, 10, 1, 9), watcher.Item{ // next quarter: absent
			Key: "unodc:next", SourceID: "unodc",
			URL:   "https://www.unodc.org/unodc/en/news/next.html",
			Title: "Global Report on Trafficking in Persons 2024", Kind: watcher.KindReport,
			Organisation: "UNODC", Language: "en", Published: day(2023, 10, 1), Relevance: rel(5),
		}},
	}
}

// fixtureDecisions are the editor's decisions for 2023Q3.
func fixtureDecisions() []watcher.Decision {
	return []watcher.Decision{
		{Period: "2023Q3", Key: "europol:99999", State: watcher.DecisionExclude, Reason: "Årsrapport, ikke ny kunnskap"},
		{Period: "2023Q3", Key: "greta:norway-3", Heading: "GRETAs tredje evaluering av Norge",
			Text: "GRETA publiserte i september sin tredje evaluering av Norges arbeid mot menneskehandel, se her. " +
				"Rapporten peker blant annet på behovet for bedre identifisering av ofre."},
		{Period: "2023Q3", Key: "politiet:aksjon-oslo", Order: 1},
	}
}

// fixtureNotes is the editor's notes file for 2023Q3.
const fixtureNotes = `# Notater for 2023Q3

## Egne publikasjoner

### Statusrapport 2022
Koordineringsenheten publiserte i juli sin årlige statusrapport, [se her](https://www.politiet.no/kom/statusrapport-2022).

## Hovedaktiviteter i perioden

- Fagdag om arbeidsutnyttelse i Bergen 14. september.
- Nordisk koordinatormøte i København.

## Nytt fra samarbeidspartnerne

### Ny veileder fra Arbeidstilsynet
Arbeidstilsynet har laget en veileder for inspektører.
https://www.arbeidstilsynet.no/veileder
`

// fixtureStore writes the fixture into a new store and returns it with
// the configuration.
func fixtureStore(t testing.TB) (*state.Store, *config.Config) {
	t.Helper()
	st := openStore(t)
	for _, s := range fixtureItems() {
		if _, err := st.ApplyBatch(state.SourceBatch{SourceID: s.it.SourceID, Seen: s.at.UTC(), Items: []watcher.Item{s.it}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range fixtureDecisions() {
		if err := st.PutDecision(d); err != nil {
			t.Fatal(err)
		}
	}
	cfg := fixtureConfig()
	notes, err := ParseNotes(strings.NewReader(fixtureNotes))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := StoreNotes(st, "2023Q3", notes, cfg.Digest.Sections); err != nil {
		t.Fatal(err)
	}
	putHealthAndRuns(t, st)
	return st, cfg
}

// putHealthAndRuns stores each source's health and three runs in the
// quarter (one in which Europol failed) and one after it.
func putHealthAndRuns(t testing.TB, st *state.Store) {
	t.Helper()
	states := map[string]watcher.HealthState{
		"regjeringen-horinger": watcher.HealthHealthy, "regjeringen-planer": watcher.HealthQuiet,
		"politiet": watcher.HealthHealthy, "unodc": watcher.HealthHealthy, "greta": watcher.HealthQuiet,
		"europol": watcher.HealthDegraded, "frontex": watcher.HealthHealthy, "eu-home": watcher.HealthBlocked,
		"cbss": watcher.HealthHealthy, "icat": watcher.HealthBroken, "alliance87": watcher.HealthUnreachable,
	}
	for id, s := range states {
		h := watcher.Health{SourceID: id, State: s, Checks: 200, LastRun: at(2023, 10, 2, 6).UTC(), LastSuccess: at(2023, 10, 2, 6).UTC()}
		if err := st.PutHealth(h); err != nil {
			t.Fatal(err)
		}
	}
	runAt := []time.Time{at(2023, 7, 1, 6), at(2023, 8, 1, 6), at(2023, 9, 30, 6), at(2023, 10, 2, 6)}
	for i, start := range runAt {
		r := watcher.RunReport{Started: start.UTC(), Finished: start.Add(3 * time.Minute).UTC()}
		for _, s := range fixtureSources() {
			if s.Disabled || s.ID == "alliance87" && i > 0 {
				continue
			}
			sr := watcher.SourceReport{SourceID: s.ID}
			if s.ID == "europol" && i == 2 {
				sr.ErrClass, sr.Error = watcher.ErrBlocked, "403 Forbidden"
			}
			r.Sources = append(r.Sources, sr)
		}
		if err := st.PutRun(r); err != nil {
			t.Fatal(err)
		}
	}
}

func openStore(t testing.TB) *state.Store {
	t.Helper()
	st, err := state.Open(filepath.Join(t.TempDir(), "watcher.db"), state.Options{
		Now:    func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the output (go test -update rewrites it):\n%s", path, diff(string(want), string(got)))
	}
}

// diff shows the first differing lines of want and got.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

// putRun stores a run report that checked the sources without error.
func putRun(t testing.TB, st *state.Store, start time.Time, sources ...string) {
	t.Helper()
	r := watcher.RunReport{Started: start.UTC(), Finished: start.Add(time.Minute).UTC()}
	for _, id := range sources {
		r.Sources = append(r.Sources, watcher.SourceReport{SourceID: id})
	}
	if err := st.PutRun(r); err != nil {
		t.Fatal(err)
	}
}
