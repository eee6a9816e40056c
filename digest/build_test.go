package digest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
)

// quarterInput is an empty 2023Q3 input with the fixture's configuration.
func quarterInput(items []watcher.Item, decisions ...watcher.Decision) Input {
	cfg := fixtureConfig()
	p, err := QuarterPeriod("2023Q3", oslo)
	if err != nil {
		panic(err)
	}
	for i := range decisions {
		decisions[i].Period = p.Name
	}
	return Input{Period: p.Name, From: p.From, To: p.To, Loc: oslo, Config: cfg.Digest, Sources: cfg.Sources,
		Items: items, Decisions: decisions, Now: now}
}

// mk is an item of a fixture source, dated and scored.
func mk(key, source string, kind watcher.DocKind, date time.Time, score float64) watcher.Item {
	return watcher.Item{Key: key, SourceID: source, URL: "https://example.org/" + strings.ReplaceAll(key, ":", "/"),
		Title: "Tittel " + key, Kind: kind, Published: date, FirstSeen: date, Relevance: rel(score)}
}

// placed maps each entry key of the draft to its section id (or
// "unplaced"), and lists the keys in the draft's order.
func placed(d *Draft) (map[string]string, []string) {
	where := map[string]string{}
	var order []string
	add := func(sec string, es []Entry) {
		for _, e := range es {
			where[e.Key] = sec
			order = append(order, e.Key)
		}
	}
	for _, s := range d.Sections {
		add(s.ID, s.Entries)
		for _, g := range s.Groups {
			add(s.ID, g.Entries)
		}
	}
	add("unplaced", d.Unplaced)
	return where, order
}

func TestSelection(t *testing.T) {
	in := day(2023, 8, 1)
	before := day(2023, 5, 1)
	tests := map[string]struct {
		items     []watcher.Item
		decisions []watcher.Decision
		want      []string
	}{
		"relevant in the period":      {[]watcher.Item{mk("u:1", "unodc", watcher.KindReport, in, 2)}, nil, []string{"u:1"}},
		"irrelevant":                  {[]watcher.Item{mk("u:1", "unodc", watcher.KindReport, in, 0.2)}, nil, nil},
		"before the period":           {[]watcher.Item{mk("u:1", "unodc", watcher.KindReport, before, 2)}, nil, nil},
		"at the period's end":         {[]watcher.Item{mk("u:1", "unodc", watcher.KindReport, day(2023, 10, 1), 2)}, nil, nil},
		"at the period's start":       {[]watcher.Item{mk("u:1", "unodc", watcher.KindReport, day(2023, 7, 1), 2)}, nil, []string{"u:1"}},
		"irrelevant but included":     {[]watcher.Item{mk("u:1", "unodc", watcher.KindReport, in, 0.2)}, []watcher.Decision{{Key: "u:1", State: watcher.DecisionInclude}}, []string{"u:1"}},
		"last quarter's but included": {[]watcher.Item{mk("u:1", "unodc", watcher.KindReport, before, 2)}, []watcher.Decision{{Key: "u:1", State: watcher.DecisionInclude}}, []string{"u:1"}},
		"relevant but excluded":       {[]watcher.Item{mk("u:1", "unodc", watcher.KindReport, in, 5)}, []watcher.Decision{{Key: "u:1", State: watcher.DecisionExclude}}, nil},
		"a decision without a verdict leaves the rules": {
			[]watcher.Item{mk("u:1", "unodc", watcher.KindReport, in, 0.2)}, []watcher.Decision{{Key: "u:1", Heading: "Ny"}}, nil,
		},
		"one copy excluded, the other included": {
			[]watcher.Item{mk("u:1", "unodc", watcher.KindReport, in, 2), mk("f:1", "frontex", watcher.KindReport, in, 2)},
			[]watcher.Decision{{Key: "f:1", SameAs: "u:1", State: watcher.DecisionExclude}, {Key: "u:1", State: watcher.DecisionInclude}},
			[]string{"u:1"},
		},
		"an excluded manual entry": {nil, []watcher.Decision{{Key: "manual:x", Section: "egne", Heading: "X", State: watcher.DecisionExclude}}, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d := Build(quarterInput(tc.items, tc.decisions...))
			_, got := placed(d)
			if !slices.Equal(got, tc.want) {
				t.Errorf("draft holds %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPlacement(t *testing.T) {
	d8 := func(n int) time.Time { return day(2023, 8, n) }
	t.Run("rules, the editor's section and unplaced", func(t *testing.T) {
		orphan := mk("gone:1", "removed-source", watcher.KindReport, d8(1), 2) // its source is no longer configured: no region
		d := Build(quarterInput([]watcher.Item{
			mk("p:1", "politiet", watcher.KindNews, d8(1), 2),
			mk("u:1", "unodc", watcher.KindReport, d8(2), 2),
			mk("c:1", "cbss", watcher.KindEvent, d8(3), 2),
			mk("u:2", "unodc", watcher.KindReport, d8(4), 2),
			orphan,
		}, watcher.Decision{Key: "u:2", Section: "norske"}))
		where, _ := placed(d)
		want := map[string]string{"p:1": "norske", "u:1": "internasjonale", "c:1": "arrangementer", "u:2": "norske", "gone:1": "unplaced"}
		for k, w := range want {
			if where[k] != w {
				t.Errorf("%s is in %q, want %q", k, where[k], w)
			}
		}
	})
	t.Run("minimum score", func(t *testing.T) {
		in := quarterInput([]watcher.Item{mk("u:1", "unodc", watcher.KindReport, d8(1), 2), mk("u:2", "unodc", watcher.KindReport, d8(2), 4)})
		for i := range in.Config.Sections {
			if in.Config.Sections[i].ID == "internasjonale" {
				in.Config.Sections[i].MinScore = 3
			}
		}
		where, _ := placed(Build(in))
		if where["u:1"] != "unplaced" || where["u:2"] != "internasjonale" {
			t.Errorf("placed %v; want u:1 below the minimum left unplaced, u:2 international", where)
		}
	})
	t.Run("highlights by score, at most the configured number", func(t *testing.T) {
		items := []watcher.Item{
			mk("r:1", "regjeringen-planer", watcher.KindPlan, d8(1), 3),
			mk("r:2", "regjeringen-planer", watcher.KindProposition, d8(2), 6),
			mk("r:3", "regjeringen-planer", watcher.KindNOU, d8(3), 4),
			mk("r:4", "regjeringen-planer", watcher.KindPlan, d8(4), 5),
			mk("p:1", "politiet", watcher.KindNews, d8(5), 9), // news is never a highlight by the rules
		}
		where, order := placed(Build(quarterInput(items)))
		var hl []string
		for _, k := range order {
			if where[k] == "verdt" {
				hl = append(hl, k)
			}
		}
		if want := []string{"r:2", "r:3", "r:4"}; !slices.Equal(hl, want) { // by date within the section
			t.Errorf("highlights = %v, want %v", hl, want)
		}
		if where["r:1"] != "norske" || where["p:1"] != "norske" {
			t.Errorf("the others: %v", where)
		}
	})
	t.Run("the editor's pick replaces the automatic highlights", func(t *testing.T) {
		items := []watcher.Item{
			mk("r:1", "regjeringen-planer", watcher.KindPlan, d8(1), 9),
			mk("u:1", "unodc", watcher.KindReport, d8(2), 2),
		}
		where, _ := placed(Build(quarterInput(items, watcher.Decision{Key: "u:1", Section: "verdt"})))
		if where["u:1"] != "verdt" || where["r:1"] != "norske" {
			t.Errorf("placed %v; want the editor's pick alone in verdt", where)
		}
	})
	t.Run("the editor's order, then date", func(t *testing.T) {
		items := []watcher.Item{
			mk("p:1", "politiet", watcher.KindNews, d8(1), 2),
			mk("p:2", "politiet", watcher.KindNews, d8(2), 2),
			mk("p:3", "politiet", watcher.KindNews, d8(3), 2),
			mk("p:4", "politiet", watcher.KindNews, d8(4), 2),
		}
		_, order := placed(Build(quarterInput(items, watcher.Decision{Key: "p:4", Order: 2}, watcher.Decision{Key: "p:3", Order: 1})))
		if want := []string{"p:3", "p:4", "p:1", "p:2"}; !slices.Equal(order, want) {
			t.Errorf("order = %v, want %v", order, want)
		}
	})
	t.Run("an unknown section becomes an extra one after the activities", func(t *testing.T) {
		d := Build(quarterInput([]watcher.Item{mk("u:1", "unodc", watcher.KindReport, d8(1), 2)},
			watcher.Decision{Key: "u:1", Section: "Fra partnerne"},
			watcher.Decision{Key: "manual:a", Section: "fra partnerne", Heading: "A", Order: 1}))
		if d.Sections[2].Title != "Fra partnerne" || d.Sections[2].ID != "fra-partnerne" || d.Sections[2].Len() != 2 {
			t.Errorf("third section = %+v, want the extra section with both entries", d.Sections[2])
		}
	})
}

func TestExtraSectionIDs(t *testing.T) {
	d := Build(quarterInput(nil,
		watcher.Decision{Key: "manual:a", Section: "Egne!", Heading: "A"}, // a title that is not a configured one, with the same id
		watcher.Decision{Key: "manual:b", Section: "!!!", Heading: "B"},
		watcher.Decision{Key: "manual:c", Section: "???", Heading: "C"},
	))
	seen := map[string]bool{}
	for _, s := range d.Sections {
		if s.ID == "" || seen[s.ID] {
			t.Errorf("section %q has the id %q, empty or taken", s.Title, s.ID)
		}
		seen[s.ID] = true
	}
	if len(d.Sections) != 9 {
		t.Errorf("%d sections, want the 6 configured and 3 extra", len(d.Sections))
	}
}

func TestMerging(t *testing.T) {
	day1 := day(2023, 8, 1)
	t.Run("same title, same day, other source", func(t *testing.T) {
		a := mk("f:1", "frontex", watcher.KindReport, day1, 2)
		b := mk("e:1", "eu-home", watcher.KindNews, day1.Add(20*time.Hour), 1.5) // the same day in Oslo
		a.Title, b.Title = "Annual Risk Analysis", "annual risk analysis."
		d := Build(quarterInput([]watcher.Item{a, b}))
		_, order := placed(d)
		if !slices.Equal(order, []string{"f:1"}) {
			t.Fatalf("entries %v, want one (the better scored)", order)
		}
	})
	t.Run("same title, other day", func(t *testing.T) {
		a := mk("f:1", "frontex", watcher.KindReport, day1, 2)
		b := mk("e:1", "eu-home", watcher.KindNews, day1.AddDate(0, 0, 1), 2)
		a.Title, b.Title = "Annual Risk Analysis", "Annual Risk Analysis"
		if _, order := placed(Build(quarterInput([]watcher.Item{a, b}))); len(order) != 2 {
			t.Errorf("entries %v, want two documents", order)
		}
	})
	t.Run("same title, same day, same source", func(t *testing.T) {
		a := mk("p:1", "politiet", watcher.KindNews, day1, 2)
		b := mk("p:2", "politiet", watcher.KindNews, day1, 2)
		a.Title, b.Title = "Ukens nyheter", "Ukens nyheter"
		if _, order := placed(Build(quarterInput([]watcher.Item{a, b}))); len(order) != 2 {
			t.Errorf("entries %v, want two documents", order)
		}
	})
	t.Run("same as, by the editor", func(t *testing.T) {
		a := mk("u:1", "unodc", watcher.KindReport, day1, 1.2)
		b := mk("g:1", "greta", watcher.KindReport, day1.AddDate(0, 0, 3), 4)
		b.AltURLs = []string{"https://www.coe.int/nb/other-language", "https://mirror.example.net/copy"}
		d := Build(quarterInput([]watcher.Item{a, b}, watcher.Decision{Key: "g:1", SameAs: "u:1", Heading: "Felles"}))
		var es []Entry
		for _, s := range d.Sections {
			for _, g := range s.Groups {
				es = append(es, g.Entries...)
			}
		}
		if len(es) != 1 {
			t.Fatalf("entries %v, want one", keys(es))
		}
		e := es[0]
		if e.Key != "u:1" || !slices.Equal(e.Keys, []string{"u:1", "g:1"}) || e.Heading != "Felles" {
			t.Errorf("entry %s %v %q; want the target as primary, both keys, the editor's heading", e.Key, e.Keys, e.Heading)
		}
		var urls []string
		for _, l := range e.Links {
			urls = append(urls, l.URL)
		}
		want := []string{a.URL, b.URL, "https://www.coe.int/nb/other-language", "https://mirror.example.net/copy"}
		if !slices.Equal(urls, want) {
			t.Errorf("links %v, want %v", urls, want)
		}
	})
}

func TestOpenHearings(t *testing.T) {
	h := func(key string, published, deadline time.Time, score float64, status watcher.Status) watcher.Item {
		it := mk(key, "regjeringen-horinger", watcher.KindHearing, published, score)
		it.Deadline, it.Status = deadline, status
		return it
	}
	items := []watcher.Item{
		h("open-late", day(2023, 9, 1), day(2024, 2, 1), 2, watcher.StatusOpen),
		h("open-soon", day(2023, 4, 1), day(2023, 10, 1), 2, watcher.StatusOpen), // deadline on the first day after the period
		h("closed", day(2023, 7, 1), day(2023, 9, 30), 2, watcher.StatusDeadlinePassed),
		h("concluded", day(2023, 7, 1), day(2023, 12, 1), 2, watcher.StatusConcluded),
		h("irrelevant", day(2023, 7, 1), day(2023, 12, 1), 0.1, watcher.StatusOpen),
		h("irrelevant-included", day(2023, 7, 1), day(2023, 12, 1), 0.1, watcher.StatusOpen),
		h("excluded", day(2023, 7, 1), day(2023, 12, 1), 3, watcher.StatusOpen),
		h("after", day(2023, 10, 2), day(2023, 12, 1), 3, watcher.StatusOpen),
	}
	d := Build(quarterInput(items,
		watcher.Decision{Key: "irrelevant-included", State: watcher.DecisionInclude},
		watcher.Decision{Key: "excluded", State: watcher.DecisionExclude}))
	if got, want := keys(d.OpenHearings), []string{"open-soon", "irrelevant-included", "open-late"}; !slices.Equal(got, want) {
		t.Errorf("open hearings %v, want %v", got, want)
	}
}

func TestNotesInInputReplaceStoredNotes(t *testing.T) {
	notes, err := ParseNotes(strings.NewReader("## Egne publikasjoner\n### Ny\nNy tekst.\n"))
	if err != nil {
		t.Fatal(err)
	}
	in := quarterInput(nil,
		watcher.Decision{Key: "manual:notes-egne-gammel", Section: "egne", Heading: "Gammel"},
		watcher.Decision{Key: "manual:ui", Section: "egne", Heading: "Fra gjennomgangen", Order: 9})
	in.Notes = notes
	d := Build(in)
	var headings []string
	for _, e := range d.Sections[0].Entries {
		headings = append(headings, e.Heading)
	}
	if want := []string{"Ny", "Fra gjennomgangen"}; !slices.Equal(headings, want) {
		t.Errorf("egne = %v, want %v", headings, want)
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	in := quarterInput(nil)
	for _, s := range fixtureItems() {
		it := s.it
		it.FirstSeen = s.at.UTC()
		in.Items = append(in.Items, it)
	}
	in.Decisions = fixtureDecisions()
	first, err := Render(Build(in), "md", "")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		slices.Reverse(in.Items)
		got, _ := Render(Build(in), "md", "")
		if string(got) != string(first) {
			t.Fatalf("the draft depends on the order of the items:\n%s", diff(string(first), string(got)))
		}
	}
}
