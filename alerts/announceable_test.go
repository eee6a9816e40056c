package alerts

import (
	"slices"
	"testing"
	"time"

	"watcher"
)

// TestAnnounceableKeepsEveryAlert proves that planning from only the
// announceable new items gives the same alerts as planning from all of
// them, and that it drops the items that cannot be announced.
func TestAnnounceableKeepsEveryAlert(t *testing.T) {
	now := at(2023, 10, 30, 9)
	open := hearing("regjeringen:1", "Høring om menneskehandel", day(2023, 12, 1))
	var all []watcher.Item
	add := func(key string, change func(*watcher.Item)) {
		it := open
		it.Key = key
		change(&it)
		all = append(all, it)
	}
	add("open", func(*watcher.Item) {})
	add("irrelevant", func(it *watcher.Item) { it.Relevance = watcher.Relevance{Score: 1} })
	add("included", func(it *watcher.Item) { it.Relevance = watcher.Relevance{Score: 1} })
	add("passed", func(it *watcher.Item) { it.Deadline = day(2023, 10, 29) })
	add("closed", func(it *watcher.Item) { it.Status = watcher.StatusConcluded })
	add("report", func(it *watcher.Item) { it.Kind, it.Deadline = watcher.KindReport, time.Time{} })
	add("report-with-deadline", func(it *watcher.Item) { it.Kind, it.Deadline = watcher.KindReport, day(2023, 11, 3) })
	add("no-deadline", func(it *watcher.Item) { it.Deadline = time.Time{} })
	add("in-a-week", func(it *watcher.Item) { it.Deadline = day(2023, 11, 6) })
	add("irrelevant-news", func(it *watcher.Item) {
		it.Kind, it.Deadline, it.Relevance = watcher.KindNews, time.Time{}, watcher.Relevance{}
	})
	included := map[string]bool{"included": true}

	var kept, dropped []string
	var keep []watcher.Item
	for i := range all {
		if Announceable(&all[i], included) {
			keep = append(keep, all[i])
			kept = append(kept, all[i].Key)
		} else {
			dropped = append(dropped, all[i].Key)
		}
	}
	if want := []string{"irrelevant", "report", "irrelevant-news"}; !slices.Equal(dropped, want) {
		t.Errorf("dropped %q, want %q", dropped, want)
	}
	full := keys(Plan(PlanInput{Now: now, New: all, Included: included}))
	lean := keys(Plan(PlanInput{Now: now, New: keep, Included: included}))
	if len(full) == 0 || !slices.Equal(full, lean) {
		t.Errorf("alerts from all new items %q, from the announceable ones %q (kept %q)", full, lean, kept)
	}
}
