package intl

import (
	"context"
	"slices"
	"testing"
	"time"

	"watcher"
	"watcher/crawlers"
)

func TestCarryKnown(t *testing.T) {
	day := oslo(2023, 7, 24)
	month := oslo(2023, 7, 1)
	stored := watcher.Item{
		Key: "k", URL: "https://a.test/x", AltURLs: []string{"https://b.test/x"},
		Summary: "stored lead", Text: "stored text", TypeRaw: "Press Release", Kind: watcher.KindNews,
		Tags: []string{"Trafficking in human beings"}, Published: day, Event: &watcher.Event{Start: day},
	}
	tests := map[string]struct {
		in       entry
		stored   watcher.Item
		wantDate time.Time
		wantWeak bool
		wantEv   time.Time
	}{
		"weak listing date yields to the stored day": {
			in:     entry{it: watcher.Item{Key: "k", URL: "https://a.test/x", Published: month, Event: &watcher.Event{Start: month}}, weakDate: true},
			stored: stored, wantDate: day, wantEv: day,
		},
		"a real date of the sighting stands": {
			in:     entry{it: watcher.Item{Key: "k", URL: "https://a.test/x", Published: oslo(2023, 7, 25)}},
			stored: stored, wantDate: oslo(2023, 7, 25), wantEv: day,
		},
		"undated sighting takes the stored date": {
			in:     entry{it: watcher.Item{Key: "k", URL: "https://a.test/x"}},
			stored: stored, wantDate: day, wantEv: day,
		},
		"both weak: the month mark stays": {
			in: entry{it: watcher.Item{Key: "k", URL: "https://a.test/x", Published: month}, weakDate: true},
			stored: watcher.Item{Key: "k", URL: "https://a.test/x", Published: month,
				Meta: map[string]string{"date_precision": "month"}},
			wantDate: month, wantWeak: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			e := tc.in
			if e.weakDate {
				setMeta(&e.it, "date_precision", "month")
			}
			carryKnown(&e, tc.stored)
			if !e.it.Published.Equal(tc.wantDate) || e.weakDate != tc.wantWeak || (e.it.Meta["date_precision"] == "month") != tc.wantWeak {
				t.Errorf("published %v weak %v meta %v; want %v weak %v", e.it.Published, e.weakDate, e.it.Meta, tc.wantDate, tc.wantWeak)
			}
			if got := e.it.Event; (got == nil) != tc.wantEv.IsZero() || got != nil && !got.Start.Equal(tc.wantEv) {
				t.Errorf("event %+v, want start %v", got, tc.wantEv)
			}
			if tc.stored.Summary != "" && (e.it.Summary != "stored lead" || e.it.Text != "stored text" || e.it.TypeRaw != "Press Release" ||
				!slices.Equal(e.it.Tags, []string{"Trafficking in human beings"}) || !slices.Equal(e.it.AltURLs, []string{"https://b.test/x"})) {
				t.Errorf("enrichment not carried: %+v", e.it)
			}
		})
	}
}

func TestCarryKnownKeepsNewerFields(t *testing.T) {
	e := entry{it: watcher.Item{Key: "k", URL: "https://new.test/x", Title: "Corrected title", Summary: "new teaser"}}
	carryKnown(&e, watcher.Item{Key: "k", URL: "https://old.test/x", Title: "Old title", Summary: "old teaser"})
	if e.it.Title != "Corrected title" || e.it.Summary != "new teaser" || !slices.Equal(e.it.AltURLs, []string{"https://old.test/x"}) {
		t.Errorf("got %+v: the sighting's own fields must win, the old address join AltURLs", e.it)
	}
}

func TestDedupeMergesSameKey(t *testing.T) {
	c := &crawl{ctx: context.Background(), res: nil}
	c.res = newResult()
	a := &entry{it: watcher.Item{Key: "coe:x", URL: "https://www.coe.int/en/web/a/-/x", Published: oslo(2024, 9, 1), Tags: []string{"GRETA"}}}
	b := &entry{it: watcher.Item{Key: "coe:x", URL: "https://www.coe.int/en/web/b/-/x", Summary: "teaser", AltURLs: []string{"https://www.coe.int/en/web/c/-/x"}}, detail: "https://www.coe.int/en/web/b/-/x"}
	d := &entry{it: watcher.Item{URL: "https://www.coe.int/en/web/a/-/y", Title: "Y"}}
	out := c.dedupe([]*entry{a, b, d, {}})
	if len(out) != 2 {
		t.Fatalf("got %d entries, want 2", len(out))
	}
	got := out[0].it
	if got.URL != "https://www.coe.int/en/web/a/-/x" || got.Summary != "teaser" ||
		!slices.Equal(got.AltURLs, []string{"https://www.coe.int/en/web/b/-/x", "https://www.coe.int/en/web/c/-/x"}) ||
		out[0].detail != "https://www.coe.int/en/web/b/-/x" {
		t.Errorf("merged: %+v detail %q", got, out[0].detail)
	}
	if out[1].it.Key != "https://www.coe.int/en/web/a/-/y" {
		t.Errorf("an entry without a site key gets the canonical URL: %q", out[1].it.Key)
	}
}

func TestFinishBudget(t *testing.T) {
	c := &crawl{ctx: context.Background(), res: newResult(), pagesLeft: 1,
		src: watcher.Source{ID: "s", Organisation: "Org", FollowItems: true}, env: testEnv(t, nil)}
	calls := 0
	enrich := func(*crawl, *entry) error { calls++; return nil }
	c.finish([]*entry{
		{it: watcher.Item{Key: "a", URL: "https://x.test/a"}, detail: "https://x.test/a"},
		{it: watcher.Item{Key: "b", URL: "https://x.test/b"}, detail: "https://x.test/b"},
		{it: watcher.Item{Key: "c", URL: "https://x.test/c"}},
	}, watcher.KindNews, enrich)
	if calls != 1 || len(c.res.Items) != 3 || len(c.res.Problems) != 1 {
		t.Errorf("calls %d items %d problems %v: one page allowed, one item left unenriched and reported", calls, len(c.res.Items), c.res.Problems)
	}
	for _, it := range c.res.Items {
		if it.SourceID != "s" || it.Organisation != "Org" || it.Region != watcher.RegionInternational || it.Kind != watcher.KindNews {
			t.Errorf("defaults not applied: %+v", it)
		}
	}
}

func newResult() *crawlers.Result { return &crawlers.Result{} }

func TestCarryKnownEventDetails(t *testing.T) {
	day := oslo(2023, 5, 22)
	stored := watcher.Item{Key: "k", URL: "https://x.test/e", Published: day,
		Event: &watcher.Event{Start: day, End: oslo(2023, 5, 23), Place: "Vienna", SignupURL: "https://x.test/register"}}
	e := entry{it: watcher.Item{Key: "k", URL: "https://x.test/e", Published: day, Event: &watcher.Event{Start: day}}}
	carryKnown(&e, stored)
	if *e.it.Event != *stored.Event {
		t.Errorf("event %+v, want the stored details %+v", e.it.Event, stored.Event)
	}
	if e.it.Event == stored.Event {
		t.Error("the stored event must be copied, not shared")
	}
	moved := entry{it: watcher.Item{Key: "k", URL: "https://x.test/e", Published: oslo(2023, 6, 1), Event: &watcher.Event{Start: oslo(2023, 6, 1)}}}
	carryKnown(&moved, stored)
	if !moved.it.Event.Start.Equal(oslo(2023, 6, 1)) || !moved.it.Event.End.IsZero() || moved.it.Event.Place != "Vienna" {
		t.Errorf("a moved event keeps its new day and no stale end: %+v", moved.it.Event)
	}
}
