package web

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"watcher"
)

// newTestScheduler returns a scheduler over a fresh store, with the jitter
// source returning half the jitter.
func newTestScheduler(t *testing.T, now *time.Time) (*Scheduler, *fakeJob) {
	t.Helper()
	cfg := testConfig(t, testConfigYAML)
	clock := func() time.Time { return *now }
	st := openStore(t, filepath.Join(t.TempDir(), "watcher.db"), clock)
	t.Cleanup(func() { _ = st.Close() })
	sched, err := ParseSchedule(cfg.Serve.Schedule, oslo)
	if err != nil {
		t.Fatal(err)
	}
	job := &fakeJob{st: st, now: clock}
	s := &Scheduler{
		Schedule: sched, Jitter: 10 * time.Minute, Store: st, Now: clock,
		Sources: func() []watcher.Source { return cfg.Sources },
		Rand:    func(n int64) int64 { return n / 2 },
		Log:     discardLog(),
		jobs:    newJobs(context.Background(), job.Run, clock, discardLog()),
	}
	return s, job
}

func TestSchedulerPlan(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2026, 8, d, h, m, 0, 0, oslo) }
	all := []string{"regjeringen-horinger", "unodc-nyheter", "politiet"}
	tests := map[string]struct {
		now     time.Time
		runs    map[time.Time][]string // start → sources covered
		tried   time.Time
		wantAt  time.Time
		wantWhy string
	}{
		"first start ever catches up": {
			now: at(15, 10, 0), wantAt: at(15, 10, 1), wantWhy: TriggerCatchUp,
		},
		"today's run done: tomorrow 06:00 plus jitter": {
			now: at(15, 10, 0), runs: map[time.Time][]string{at(15, 6, 4): all},
			wantAt: at(16, 6, 5), wantWhy: TriggerSchedule,
		},
		"down over the 06:00 run: catch up": {
			now: at(15, 10, 0), runs: map[time.Time][]string{at(14, 6, 3): all},
			wantAt: at(15, 10, 1), wantWhy: TriggerCatchUp,
		},
		"down for days: one catch-up": {
			now: at(15, 5, 0), runs: map[time.Time][]string{at(10, 6, 3): all},
			wantAt: at(15, 5, 1), wantWhy: TriggerCatchUp,
		},
		"before today's 06:00, yesterday's run done": {
			now: at(15, 5, 0), runs: map[time.Time][]string{at(14, 6, 2): all},
			wantAt: at(15, 6, 5), wantWhy: TriggerSchedule,
		},
		"a check of one source is not a run": {
			now: at(15, 10, 0), runs: map[time.Time][]string{at(14, 6, 3): all, at(15, 8, 0): {"politiet"}},
			wantAt: at(15, 10, 1), wantWhy: TriggerCatchUp,
		},
		"already tried since the firing: no second catch-up": {
			now: at(15, 10, 0), runs: map[time.Time][]string{at(14, 6, 3): all}, tried: at(15, 6, 5),
			wantAt: at(16, 6, 5), wantWhy: TriggerSchedule,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			now := tc.now
			s, _ := newTestScheduler(t, &now)
			for start, ids := range tc.runs {
				rep := watcher.RunReport{Started: start, Finished: start.Add(5 * time.Minute)}
				for _, id := range ids {
					rep.Sources = append(rep.Sources, watcher.SourceReport{SourceID: id})
				}
				if err := s.Store.PutRun(rep); err != nil {
					t.Fatal(err)
				}
			}
			s.attempts = tc.tried
			gotAt, gotWhy := s.Plan(now)
			if !gotAt.Equal(tc.wantAt) || gotWhy != tc.wantWhy {
				t.Errorf("Plan(%s) = %s %s, want %s %s", now, gotAt.In(oslo), gotWhy, tc.wantAt, tc.wantWhy)
			}
		})
	}
}

func TestSchedulerRunWhenCancelledMidRunCountsAsMissed(t *testing.T) {
	now := time.Date(2026, 8, 15, 10, 0, 0, 0, oslo)
	s, _ := newTestScheduler(t, &now)
	// The 06:00 run was stopped by a shutdown after one source.
	rep := watcher.RunReport{Started: now.Add(-4 * time.Hour), Finished: now.Add(-4 * time.Hour), Sources: []watcher.SourceReport{
		{SourceID: "regjeringen-horinger"},
		{SourceID: "unodc-nyheter", ErrClass: watcher.ErrCanceled},
	}}
	if err := s.Store.PutRun(rep); err != nil {
		t.Fatal(err)
	}
	if _, why := s.Plan(now); why != TriggerCatchUp {
		t.Errorf("after a run cut short, Plan says %q, want %q", why, TriggerCatchUp)
	}
}

// TestSchedulerLoop drives the loop on a fake clock: a start with no run
// in the store catches up a minute later, then each day runs at 06:00
// plus the jitter.
func TestSchedulerLoop(t *testing.T) {
	now := time.Date(2026, 8, 15, 10, 0, 0, 0, oslo)
	var mu sync.Mutex
	s, job := newTestScheduler(t, &now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waited []time.Time
	s.Wait = func(ctx context.Context, until time.Time) error {
		mu.Lock()
		defer mu.Unlock()
		waited = append(waited, until)
		if len(waited) > 3 {
			cancel()
			return ctx.Err()
		}
		now = until // the clock jumps to the planned time
		return nil
	}
	s.Loop(ctx)
	want := []time.Time{
		time.Date(2026, 8, 15, 10, 1, 0, 0, oslo), // catch-up
		time.Date(2026, 8, 16, 6, 5, 0, 0, oslo),
		time.Date(2026, 8, 17, 6, 5, 0, 0, oslo),
	}
	if len(waited) != 4 {
		t.Fatalf("waited %d times (%v), want 4", len(waited), waited)
	}
	for i, w := range want {
		if !waited[i].Equal(w) {
			t.Errorf("wait %d until %s, want %s", i, waited[i].In(oslo), w)
		}
	}
	if n := len(job.Calls()); n != 3 {
		t.Errorf("%d runs, want 3", n)
	}
	for _, ids := range job.Calls() {
		if len(ids) != 3 {
			t.Errorf("a scheduled run crawled %v, want every enabled source", ids)
		}
	}
}
