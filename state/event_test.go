package state

import (
	"testing"

	"watcher"
)

// TestMovedEventDropsStaleEnd: an event seen again with a new start and
// no end keeps no end from its old dates; a partial sighting with the same
// start keeps the stored end.
func TestMovedEventDropsStaleEnd(t *testing.T) {
	s := openTest(t)
	apply := func(ev watcher.Event) watcher.Item {
		t.Helper()
		it := hearing()
		it.Event = &ev
		if _, err := s.ApplyBatch(SourceBatch{SourceID: it.SourceID, Seen: t0, Items: []watcher.Item{it}}); err != nil {
			t.Fatal(err)
		}
		got, _, err := s.Item(it.Key)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	apply(watcher.Event{Start: day(2026, 5, 4), End: day(2026, 5, 5), Place: "Oslo"})
	if got := apply(watcher.Event{Start: day(2026, 5, 4)}); !got.Event.End.Equal(day(2026, 5, 5)) {
		t.Errorf("same start, no end given: end = %v, want the stored 2026-05-05", got.Event.End)
	}
	got := apply(watcher.Event{Start: day(2026, 6, 10)})
	if !got.Event.Start.Equal(day(2026, 6, 10)) || !got.Event.End.IsZero() || got.Event.Place != "Oslo" {
		t.Errorf("moved event: %+v, want start 2026-06-10, no end, place kept", got.Event)
	}
}
