package state

import (
	"testing"
	"time"

	"watcher"
)

func TestChangesBetween(t *testing.T) {
	s := openTest(t)
	it := hearing()
	days := []time.Time{day(2026, 3, 1), day(2026, 3, 2), day(2026, 3, 3), day(2026, 3, 4)}
	for i, at := range days {
		it.Deadline = day(2026, 8, 7+i) // a moved deadline each day after the first
		mustApply(t, s, SourceBatch{SourceID: "regjeringen-horinger", Seen: at, Items: []watcher.Item{it}})
	}
	tests := map[string]struct {
		after, before time.Time
		want          []time.Time
	}{
		"all":               {want: days[1:]},
		"after, exclusive":  {after: days[2], want: days[3:]},
		"before, exclusive": {before: days[2], want: days[1:2]},
		"a gap":             {after: days[1], before: days[3], want: days[2:3]},
		"an empty gap":      {after: days[1], before: days[2]},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := s.ChangesBetween(tc.after, tc.before)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d changes, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, c := range got {
				if !c.At.Equal(tc.want[i]) || c.Key != it.Key || c.Field != "deadline" {
					t.Errorf("change %d: %+v, want a deadline change at %v", i, c, tc.want[i])
				}
			}
		})
	}
}

func TestRunStarts(t *testing.T) {
	s := openTest(t)
	starts := []time.Time{day(2026, 3, 1), day(2026, 3, 2).Add(6*time.Hour + 123*time.Nanosecond), day(2026, 3, 3)}
	for _, at := range starts {
		if err := s.PutRun(watcher.RunReport{Started: at, Finished: at.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	tests := map[string]struct {
		limit int
		want  []time.Time
	}{
		"all, newest first": {0, []time.Time{starts[2], starts[1], starts[0]}},
		"the newest two":    {2, []time.Time{starts[2], starts[1]}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := s.RunStarts(tc.limit)
			if err != nil || len(got) != len(tc.want) {
				t.Fatalf("RunStarts(%d) = %v, %v; want %v", tc.limit, got, err, tc.want)
			}
			for i := range got {
				if !got[i].Equal(tc.want[i]) {
					t.Errorf("start %d = %v, want %v (to the nanosecond)", i, got[i], tc.want[i])
				}
			}
		})
	}
}
