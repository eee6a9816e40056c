package web

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"watcher"
	"watcher/state"
)

// CatchUpDelay is how long after start a missed run begins: long enough
// for the UI to come up first, short enough to feel immediate.
const CatchUpDelay = time.Minute

// maxWaitStep bounds one timer of the scheduler's wait, so a clock that
// jumps (suspend, NTP) is noticed within a minute.
const maxWaitStep = time.Minute

// Scheduler runs the daily job at the times of a cron schedule, each
// delayed by a random jitter, and catches up a run missed while the
// process was down.
type Scheduler struct {
	Schedule *Schedule
	Jitter   time.Duration
	Store    *state.Store
	// Sources returns the sources a scheduled run crawls (the enabled ones).
	Sources func() []watcher.Source
	Now     func() time.Time
	// Rand returns a number in [0, n); the jitter's source.
	Rand func(n int64) int64
	// Wait blocks until the clock reaches t or ctx ends. The default
	// sleeps on the real clock; tests replace it.
	Wait func(ctx context.Context, t time.Time) error
	Log  *slog.Logger

	jobs *jobs

	mu       sync.Mutex
	next     time.Time // when the next run is planned
	attempts time.Time // start of the last run this scheduler made
}

// Plan says when the next run should start and why (TriggerSchedule or
// TriggerCatchUp). A run is missed when the newest complete run (one that
// covered every source a scheduled run would crawl) started before the
// schedule's previous firing: it is then caught up CatchUpDelay from now,
// unless this scheduler already tried since that firing.
func (s *Scheduler) Plan(now time.Time) (time.Time, string) {
	prev := s.Schedule.Prev(now)
	if !prev.IsZero() {
		last, ok := s.lastComplete()
		s.mu.Lock()
		tried := !s.attempts.Before(prev)
		s.mu.Unlock()
		if (!ok || last.Before(prev)) && !tried {
			return now.Add(CatchUpDelay), TriggerCatchUp
		}
	}
	next := s.Schedule.Next(now)
	if next.IsZero() {
		return time.Time{}, ""
	}
	return next.Add(s.jitter()), TriggerSchedule
}

// lastComplete returns the start of the newest stored run that covered
// every source a scheduled run crawls. A run stopped by a shutdown, or a
// "check now" of one source, does not count.
func (s *Scheduler) lastComplete() (time.Time, bool) {
	r, ok, err := s.LastComplete()
	if err != nil {
		s.log().Warn("reading run history", slog.Any("err", err))
	}
	return r.Started, ok
}

// LastComplete returns the newest of the last 50 stored runs that covered
// every source a scheduled run crawls.
func (s *Scheduler) LastComplete() (watcher.RunReport, bool, error) {
	runs, err := s.Store.Runs(50)
	if err != nil {
		return watcher.RunReport{}, false, err
	}
	want := s.Sources()
	for _, r := range runs {
		if covers(r, want) {
			return r, true, nil
		}
	}
	return watcher.RunReport{}, false, nil
}

func covers(r watcher.RunReport, sources []watcher.Source) bool {
	for _, src := range sources {
		if !slices.ContainsFunc(r.Sources, func(l watcher.SourceReport) bool {
			return l.SourceID == src.ID && l.ErrClass != watcher.ErrCanceled
		}) {
			return false
		}
	}
	return true
}

func (s *Scheduler) jitter() time.Duration {
	if s.Jitter <= 0 {
		return 0
	}
	return time.Duration(s.Rand(int64(s.Jitter)))
}

// Next returns when the next run is planned; zero before the loop has
// planned one.
func (s *Scheduler) Next() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next
}

// Loop plans, waits and runs until ctx ends. A run still going when ctx
// ends is stopped between sources by the job itself (it shares ctx); Loop
// returns once it has.
func (s *Scheduler) Loop(ctx context.Context) {
	for {
		at, why := s.Plan(s.Now())
		if at.IsZero() {
			s.log().Error("the schedule never fires again; no more scheduled runs", slog.String("schedule", s.Schedule.String()))
			return
		}
		s.mu.Lock()
		s.next = at
		s.mu.Unlock()
		s.log().Info("next run planned", slog.Time("at", at), slog.String("trigger", why))
		if err := s.Wait(ctx, at); err != nil {
			return
		}
		s.mu.Lock()
		s.attempts = s.Now()
		s.mu.Unlock()
		if _, err := s.jobs.RunWhenFree(ctx, why, s.Sources()); err != nil {
			return
		}
		if ctx.Err() != nil {
			return
		}
	}
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// sleepUntil waits on the real clock until now() reaches t, in steps of at
// most maxWaitStep.
func sleepUntil(now func() time.Time) func(ctx context.Context, t time.Time) error {
	return func(ctx context.Context, t time.Time) error {
		for {
			d := t.Sub(now())
			if d <= 0 {
				return nil
			}
			timer := time.NewTimer(min(d, maxWaitStep))
			select {
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			case <-timer.C:
			}
		}
	}
}
