package state

import (
	"strings"
	"testing"

	"watcher"
)

func groupItem(key, src, title string) watcher.Item {
	return watcher.Item{Key: key, SourceID: src, URL: "https://example.org/" + key, Title: title,
		Kind: watcher.KindNews, Published: day(2026, 2, 1)}
}

// TestApplyBatchesOneCommit proves that several sources' batches are
// stored in one committed transaction, each with its own result, new
// items as stored, validators and health.
func TestApplyBatchesOneCommit(t *testing.T) {
	s := openTest(t)
	mustApply(t, s, SourceBatch{SourceID: "a", Seen: t0, Items: []watcher.Item{groupItem("a1", "a", "Old")},
		Health: &watcher.Health{State: watcher.HealthQuiet, Checks: 4}})
	before := txID(t, s)
	scored := func(it *watcher.Item) { it.Relevance.Score = 3 }
	var seenByHealth []int
	prevs := map[string]watcher.Health{}
	healthAfter := func(id string) func(watcher.Health, BatchResult) *watcher.Health {
		return func(prev watcher.Health, r BatchResult) *watcher.Health {
			seenByHealth = append(seenByHealth, len(r.New))
			prevs[id] = prev
			return &watcher.Health{State: watcher.HealthHealthy, LastSuccess: t0, LastError: id}
		}
	}
	res, err := s.ApplyBatches([]SourceBatch{
		{SourceID: "a", Seen: t0, Score: scored, HealthAfter: healthAfter("a"),
			Items:      []watcher.Item{groupItem("a1", "a", "Old"), groupItem("a2", "a", "New")},
			Validators: []watcher.Validator{{URL: "https://example.org/a.xml", ETag: `"1"`}}},
		{SourceID: "b", Seen: t0, Score: scored, HealthAfter: healthAfter("b"),
			Items: []watcher.Item{groupItem("b1", "b", "B one"), groupItem("b2", "b", "B two")}},
	})
	if err != nil {
		t.Fatalf("ApplyBatches: %v", err)
	}
	if got := txID(t, s); got != before+1 {
		t.Errorf("transaction id went from %d to %d, want one commit", before, got)
	}
	if len(res) != 2 {
		t.Fatalf("%d results, want 2", len(res))
	}
	for i, want := range [][]string{{"a2"}, {"b1", "b2"}} {
		if strings.Join(res[i].New, ",") != strings.Join(want, ",") {
			t.Errorf("result %d: New = %v, want %v", i, res[i].New, want)
		}
		if len(res[i].NewItems) != len(want) {
			t.Fatalf("result %d: %d NewItems, want %d", i, len(res[i].NewItems), len(want))
		}
		for j, it := range res[i].NewItems {
			stored := mustItem(t, s, want[j])
			if it.Key != want[j] || !it.FirstSeen.Equal(t0) || it.Relevance.Score != 3 || stored.Relevance.Score != 3 {
				t.Errorf("result %d: NewItems[%d] = %q first seen %v score %v; stored score %v",
					i, j, it.Key, it.FirstSeen, it.Relevance.Score, stored.Relevance.Score)
			}
		}
	}
	if strings.Join(res[0].Unchanged, ",") != "a1" {
		t.Errorf("result 0: Unchanged = %v, want [a1]", res[0].Unchanged)
	}
	if len(seenByHealth) != 2 || seenByHealth[0] != 1 || seenByHealth[1] != 2 {
		t.Errorf("HealthAfter saw %v new items, want [1 2]", seenByHealth)
	}
	if a, b := prevs["a"], prevs["b"]; a.SourceID != "a" || a.State != watcher.HealthQuiet || a.Checks != 4 || b.SourceID != "" || b.Checks != 0 {
		t.Errorf("HealthAfter was given the stored health a %+v, b %+v; want a's as stored and none for b", a, b)
	}
	for _, id := range []string{"a", "b"} {
		h, ok, err := s.Health(id)
		if err != nil || !ok || h.LastError != id || h.SourceID != id {
			t.Errorf("Health(%q) = %+v, %v, %v", id, h, ok, err)
		}
	}
	if v, ok := s.Validator("https://example.org/a.xml"); !ok || v.ETag != `"1"` {
		t.Errorf("validator = %+v, %v", v, ok)
	}
}

// TestApplyBatchesAllOrNothing proves that one bad batch stores none of
// the group.
func TestApplyBatchesAllOrNothing(t *testing.T) {
	s := openTest(t)
	before := txID(t, s)
	_, err := s.ApplyBatches([]SourceBatch{
		{SourceID: "a", Seen: t0, Items: []watcher.Item{groupItem("a1", "a", "A")}},
		{SourceID: "b", Seen: t0, Items: []watcher.Item{groupItem("b\x00", "b", "bad key")}},
	})
	if err == nil || !strings.Contains(err.Error(), "NUL") {
		t.Fatalf("err = %v, want the bad key reported", err)
	}
	if _, ok, _ := s.Item("a1"); ok {
		t.Error("a1 was stored although its group failed")
	}
	if got := txID(t, s); got != before {
		t.Errorf("transaction id went from %d to %d, want no commit", before, got)
	}
	if _, err := s.ApplyBatches([]SourceBatch{{Seen: t0}}); err == nil {
		t.Error("a batch without source id was accepted")
	}
}

// TestApplyBatchesHealthWins proves that an explicit Health is stored as
// given and HealthAfter is then not called.
func TestApplyBatchesHealthWins(t *testing.T) {
	s := openTest(t)
	called := false
	_, err := s.ApplyBatches([]SourceBatch{{SourceID: "a", Seen: t0,
		Health:      &watcher.Health{State: watcher.HealthQuiet},
		HealthAfter: func(watcher.Health, BatchResult) *watcher.Health { called = true; return nil }}})
	if err != nil {
		t.Fatal(err)
	}
	if h, ok, _ := s.Health("a"); !ok || h.State != watcher.HealthQuiet || called {
		t.Errorf("health %+v (stored %v), HealthAfter called %v", h, ok, called)
	}
}
