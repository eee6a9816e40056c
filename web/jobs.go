package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"watcher"
	"watcher/runner"
)

// RunFunc runs the daily job (crawl, store, alerts) over sources. It must
// stop between sources when ctx is cancelled: each source's batch is
// stored in one transaction, so a cancelled run leaves nothing half-stored.
// `watcher serve` passes the same job `watcher run` runs.
type RunFunc func(ctx context.Context, sources []watcher.Source) (*runner.Result, error)

// ErrBusy is returned when a run is asked for while another is going.
var ErrBusy = errors.New("web: a run is already in progress")

// Triggers: what started a run.
const (
	TriggerSchedule = "schedule" // the cron schedule
	TriggerCatchUp  = "catch-up" // a missed scheduled run, after downtime
	TriggerManual   = "manual"   // "kjør nå" in the UI or POST /run
	TriggerCheck    = "check"    // "sjekk nå" for one source
)

// RunStatus describes the run in progress, or the last one finished.
type RunStatus struct {
	Trigger  string
	Sources  []string // ids, when the run was limited to some sources
	Started  time.Time
	Finished time.Time // zero while running
	Failed   int       // sources that ended with an error
	Total    int       // sources in the run
	Err      string    // the run itself failed (the store)
}

// jobs runs one job at a time. The semaphore is a channel so the
// scheduler can wait for a manual run to end while the UI's "run now" only
// tries.
type jobs struct {
	ctx   context.Context // runs started from requests outlive the request
	run   RunFunc
	now   func() time.Time
	log   *slog.Logger
	begin func()                                 // metrics, as each run starts
	done  func(st RunStatus, res *runner.Result) // metrics, after each run

	sem chan struct{}
	wg  sync.WaitGroup

	mu      sync.Mutex
	current *RunStatus
	last    *RunStatus
}

func newJobs(ctx context.Context, run RunFunc, now func() time.Time, log *slog.Logger) *jobs {
	return &jobs{ctx: ctx, run: run, now: now, log: log, sem: make(chan struct{}, 1)}
}

// Start starts a run in the background and returns at once; ErrBusy when a
// run is going.
func (j *jobs) Start(trigger string, sources []watcher.Source, only []string) error {
	select {
	case j.sem <- struct{}{}:
	default:
		return j.busy()
	}
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		defer func() { <-j.sem }()
		j.exec(j.ctx, trigger, sources, only)
	}()
	return nil
}

// RunWhenFree waits for a run in progress to end, then runs; it returns
// ctx's error if ctx ends first.
func (j *jobs) RunWhenFree(ctx context.Context, trigger string, sources []watcher.Source) (RunStatus, error) {
	select {
	case j.sem <- struct{}{}:
	case <-ctx.Done():
		return RunStatus{}, ctx.Err()
	}
	j.wg.Add(1)
	defer j.wg.Done()
	defer func() { <-j.sem }()
	return j.exec(ctx, trigger, sources, nil), nil
}

func (j *jobs) busy() error {
	if st, ok := j.Current(); ok {
		return fmt.Errorf("%w (%s, started %s)", ErrBusy, st.Trigger, st.Started.Format(time.RFC3339))
	}
	return ErrBusy
}

func (j *jobs) exec(ctx context.Context, trigger string, sources []watcher.Source, only []string) RunStatus {
	st := RunStatus{Trigger: trigger, Sources: only, Started: j.now(), Total: len(sources)}
	j.mu.Lock()
	cur := st
	j.current = &cur
	j.mu.Unlock()
	j.log.Info("run started", slog.String("trigger", trigger), slog.Int("sources", len(sources)))
	if j.begin != nil {
		j.begin()
	}

	res, err := j.safeRun(ctx, sources)
	st.Finished = j.now()
	if res != nil {
		st.Failed = res.Report.Failed()
	}
	if err != nil {
		st.Err = err.Error()
		j.log.Error("run failed", slog.String("trigger", trigger), slog.Any("err", err))
	} else {
		j.log.Info("run finished", slog.String("trigger", trigger), slog.Int("failed", st.Failed),
			slog.Duration("duration", st.Finished.Sub(st.Started)))
	}
	if j.done != nil {
		j.done(st, res)
	}
	j.mu.Lock()
	j.current = nil
	last := st
	j.last = &last
	j.mu.Unlock()
	return st
}

// safeRun keeps a panic in the job from taking the server down with it.
func (j *jobs) safeRun(ctx context.Context, sources []watcher.Source) (res *runner.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("run panicked: %v", p)
		}
	}()
	return j.run(ctx, sources)
}

// Current returns the run in progress.
func (j *jobs) Current() (RunStatus, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.current == nil {
		return RunStatus{}, false
	}
	return *j.current, true
}

// Last returns the last run this process finished.
func (j *jobs) Last() (RunStatus, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.last == nil {
		return RunStatus{}, false
	}
	return *j.last, true
}

// Wait waits for the run in progress, if any, to end.
func (j *jobs) Wait() { j.wg.Wait() }
