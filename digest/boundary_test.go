package digest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/state"
)

// utcAt is an instant given in UTC.
func utcAt(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

// edgeItems are reports published on both sides of each quarter boundary
// of 2026 in Oslo, and on the days the clocks change (29 March and 25
// October), stored as the adapters store them: in UTC.
var edgeItems = []struct {
	key     string
	at      time.Time
	quarter string
}{
	{"e:q1-new-year", utcAt(2025, 12, 31, 23, 30), "2026Q1"},    // 00:30 on 1 January in Oslo
	{"e:q4-2025-late", utcAt(2025, 12, 31, 22, 30), "2025Q4"},   // 23:30 on 31 December in Oslo
	{"e:q1-spring-before", utcAt(2026, 3, 29, 0, 59), "2026Q1"}, // 01:59 CET, the minute before the change
	{"e:q1-spring-after", utcAt(2026, 3, 29, 1, 0), "2026Q1"},   // 03:00 CEST
	{"e:q1-last", utcAt(2026, 3, 31, 21, 30), "2026Q1"},         // 23:30 CEST on 31 March
	{"e:q2-first", utcAt(2026, 3, 31, 22, 30), "2026Q2"},        // 00:30 CEST on 1 April
	{"e:q3-last", utcAt(2026, 9, 30, 21, 30), "2026Q3"},         // 23:30 CEST on 30 September
	{"e:q4-first", utcAt(2026, 9, 30, 22, 30), "2026Q4"},        // 00:30 CEST on 1 October
	{"e:q4-autumn-first", utcAt(2026, 10, 25, 0, 30), "2026Q4"}, // 02:30 CEST, the first time
	{"e:q4-autumn-again", utcAt(2026, 10, 25, 1, 30), "2026Q4"}, // 02:30 CET, the second time
	{"e:q4-last", utcAt(2026, 12, 31, 22, 30), "2026Q4"},        // 23:30 CET on 31 December
	{"e:q1-2027-first", utcAt(2026, 12, 31, 23, 30), "2027Q1"},  // 00:30 CET on 1 January
}

// TestQuarterNameAtEdges names the quarter of each edge instant.
func TestQuarterNameAtEdges(t *testing.T) {
	for _, e := range edgeItems {
		if got := QuarterName(e.at, oslo); got != e.quarter {
			t.Errorf("%s: QuarterName(%s, Oslo) = %s, want %s", e.key, e.at.Format(time.RFC3339), got, e.quarter)
		}
	}
}

// TestLoadAndBuildAtQuarterEdges stores the edge items and drafts each
// quarter through Load and Build, as `watcher digest` and the review UI
// do: each item must be in its own quarter's draft and no other, and in
// the "Kilder" count of that quarter only.
func TestLoadAndBuildAtQuarterEdges(t *testing.T) {
	st := openStore(t)
	cfg := fixtureConfig()
	for _, e := range edgeItems {
		it := mk(e.key, "unodc", watcher.KindReport, e.at, 2)
		if _, err := st.ApplyBatch(state.SourceBatch{SourceID: "unodc", Seen: e.at, Items: []watcher.Item{it}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1"} {
		t.Run(q, func(t *testing.T) {
			p, err := ParsePeriod(q, oslo)
			if err != nil {
				t.Fatal(err)
			}
			in, err := Load(st, cfg, p, utcAt(2027, 4, 2, 8, 0))
			if err != nil {
				t.Fatal(err)
			}
			d := Build(in)
			where, _ := placed(d)
			var got, want []string
			for k := range where {
				got = append(got, k)
			}
			for _, e := range edgeItems {
				if e.quarter == q {
					want = append(want, e.key)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("draft of %s has %v, want %v", q, got, want)
			}
			for _, s := range d.Sources {
				if s.ID == "unodc" && s.Items != len(want) {
					t.Errorf("Kilder: unodc has %d items in %s, want %d", s.Items, q, len(want))
				}
			}
		})
	}
}

// TestRangePeriodOverClockChanges checks that a range of days is whole
// days in Oslo on the days the clocks change (23 and 25 hours long).
func TestRangePeriodOverClockChanges(t *testing.T) {
	tests := map[string]struct {
		in       string
		from, to time.Time
		hours    float64
		inside   []time.Time
		outside  []time.Time
		text     string
	}{
		"spring change day": {
			in: "2026-03-29..2026-03-29", from: utcAt(2026, 3, 28, 23, 0), to: utcAt(2026, 3, 29, 22, 0), hours: 23,
			inside:  []time.Time{utcAt(2026, 3, 28, 23, 0), utcAt(2026, 3, 29, 21, 59)},
			outside: []time.Time{utcAt(2026, 3, 28, 22, 59), utcAt(2026, 3, 29, 22, 0)},
			text:    "mars 2026",
		},
		"autumn change day": {
			in: "2026-10-25..2026-10-25", from: utcAt(2026, 10, 24, 22, 0), to: utcAt(2026, 10, 25, 23, 0), hours: 25,
			inside:  []time.Time{utcAt(2026, 10, 24, 22, 0), utcAt(2026, 10, 25, 22, 30)},
			outside: []time.Time{utcAt(2026, 10, 24, 21, 59), utcAt(2026, 10, 25, 23, 0)},
			text:    "oktober 2026",
		},
		"over the new year": {
			in: "2026-12-01..2027-01-31", from: utcAt(2026, 11, 30, 23, 0), to: utcAt(2027, 1, 31, 23, 0), hours: 62 * 24,
			inside:  []time.Time{utcAt(2026, 12, 31, 23, 30)},
			outside: []time.Time{utcAt(2027, 1, 31, 23, 30)},
			text:    "desember 2026–januar 2027",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := ParsePeriod(tc.in, oslo)
			if err != nil {
				t.Fatal(err)
			}
			if !p.From.Equal(tc.from) || !p.To.Equal(tc.to) || p.To.Sub(p.From).Hours() != tc.hours {
				t.Errorf("ParsePeriod(%q) = [%s, %s), want [%s, %s), %v hours", tc.in, p.From, p.To, tc.from, tc.to, tc.hours)
			}
			var items []watcher.Item
			for i, at := range append(slices.Clone(tc.inside), tc.outside...) {
				items = append(items, mk("e:"+string(rune('a'+i)), "unodc", watcher.KindReport, at, 2))
			}
			cfg := fixtureConfig()
			d := Build(Input{Period: p.Name, From: p.From, To: p.To, Loc: oslo, Config: cfg.Digest, Sources: cfg.Sources, Items: items, Now: now})
			where, _ := placed(d)
			if len(where) != len(tc.inside) {
				t.Errorf("draft has %d entries (%v), want the %d inside", len(where), where, len(tc.inside))
			}
			for i := range tc.inside {
				if _, ok := where["e:"+string(rune('a'+i))]; !ok {
					t.Errorf("item at %s is not in the draft", tc.inside[i])
				}
			}
			if d.PeriodText != tc.text {
				t.Errorf("PeriodText = %q, want %q", d.PeriodText, tc.text)
			}
		})
	}
}

// TestOpenHearingsAtQuarterEnd drafts 2026Q3 from a store: a consultation
// whose deadline is 1 October (stored as midnight in Oslo, the quarter's
// end) was still open when the quarter ended; one whose deadline was 30
// September, even at 23:59, was not. Load must find those published in an
// earlier quarter through the deadline index, and the draft writes the
// deadline as its day in Oslo.
func TestOpenHearingsAtQuarterEnd(t *testing.T) {
	st := openStore(t)
	cfg := fixtureConfig()
	hearing := func(key string, published, deadline time.Time) watcher.Item {
		it := mk(key, "regjeringen-horinger", watcher.KindHearing, published, 2)
		it.Deadline, it.Status = deadline, watcher.StatusOpen
		return it
	}
	items := []watcher.Item{
		hearing("h:oct1", day(2026, 5, 4), day(2026, 10, 1)),
		hearing("h:sep30", day(2026, 5, 4), day(2026, 9, 30)),
		hearing("h:sep30-late", day(2026, 5, 4), at(2026, 9, 30, 23).Add(59*time.Minute).UTC()),
		hearing("h:oct26", day(2026, 8, 3), day(2026, 10, 26)),
		hearing("h:jan1", day(2026, 9, 30), day(2027, 1, 1)),
		hearing("h:published-q4", utcAt(2026, 9, 30, 22, 30), day(2026, 11, 2)),
	}
	for _, it := range items {
		if _, err := st.ApplyBatch(state.SourceBatch{SourceID: it.SourceID, Seen: it.Published, Items: []watcher.Item{it}}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := ParsePeriod("2026Q3", oslo)
	if err != nil {
		t.Fatal(err)
	}
	in, err := Load(st, cfg, p, at(2026, 10, 2, 9))
	if err != nil {
		t.Fatal(err)
	}
	d := Build(in)
	if got, want := keys(d.OpenHearings), []string{"h:oct1", "h:oct26", "h:jan1"}; !slices.Equal(got, want) {
		t.Errorf("open hearings %v, want %v", got, want)
	}
	md := string(render(t, d, "md"))
	for _, want := range []string{
		"høringsfrist 1. oktober 2026", "høringsfrist 26. oktober 2026", "høringsfrist 1. januar 2027",
		"Høringsfrist er 1. januar 2027.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("draft lacks %q", want)
		}
	}
}

// TestHearingSentenceAtNewYear writes a Q4 hearing's sentence: the month
// it was sent is its month in Oslo, and a deadline in the next year
// carries the year.
func TestHearingSentenceAtNewYear(t *testing.T) {
	d := drafter{loc: oslo, year: 2026}
	tests := map[string]struct {
		published, deadline time.Time
		want                string
	}{
		"late on new year's eve": {utcAt(2026, 12, 31, 22, 30), day(2027, 1, 1),
			"Justisdepartementet sendte i desember på høring forslag om x, se her. Høringsfrist er 1. januar 2027."},
		"in the next year in Oslo": {utcAt(2026, 12, 31, 23, 30), day(2027, 2, 1),
			"Justisdepartementet sendte i januar 2027 på høring forslag om x, se her. Høringsfrist er 1. februar 2027."},
		"deadline the day after the autumn change": {day(2026, 10, 5), day(2026, 10, 26),
			"Justisdepartementet sendte i oktober på høring forslag om x, se her. Høringsfrist er 26. oktober."},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			it := watcher.Item{Key: "h:1", Title: "Høring om x", Kind: watcher.KindHearing, Published: tc.published,
				Deadline: tc.deadline, Ministries: []string{"Justisdepartementet"}}
			m := member{it: it, kind: watcher.KindHearing, region: watcher.RegionNorway, org: "Regjeringen"}
			if got := spansText(d.draft(&m, "https://example.org/h")); got != tc.want {
				t.Errorf("draft = %q\nwant    %q", got, tc.want)
			}
		})
	}
}

// TestRunsAtQuarterEdges counts the runs of the "Kilder" appendix: a run
// started at 23:30 on 30 September in Oslo is Q3's, one at 00:30 on 1
// October is Q4's.
func TestRunsAtQuarterEdges(t *testing.T) {
	st := openStore(t)
	cfg := fixtureConfig()
	putRun(t, st, utcAt(2026, 9, 30, 21, 30), "unodc")
	putRun(t, st, utcAt(2026, 9, 30, 22, 30), "unodc")
	putRun(t, st, utcAt(2026, 10, 25, 1, 30), "unodc")
	for q, want := range map[string]struct {
		checks int
		last   string
	}{"2026Q3": {1, "30. september 2026"}, "2026Q4": {2, "25. oktober 2026"}} {
		p, err := ParsePeriod(q, oslo)
		if err != nil {
			t.Fatal(err)
		}
		in, err := Load(st, cfg, p, utcAt(2027, 1, 2, 8, 0))
		if err != nil {
			t.Fatal(err)
		}
		d := Build(in)
		for _, s := range d.Sources {
			if s.ID != "unodc" {
				continue
			}
			if s.Checks != want.checks {
				t.Errorf("%s: unodc checked %d times, want %d", q, s.Checks, want.checks)
			}
			if got := Funcs(d)["date"].(func(time.Time) string)(s.LastSuccess); got != want.last {
				t.Errorf("%s: last success %q, want %q", q, got, want.last)
			}
		}
	}
}
