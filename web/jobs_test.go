package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/runner"
)

// TestNoOverlappingRuns fires two triggers at once, many times over: one
// runs, the other is told a run is going, and the job never runs twice at
// the same time.
func TestNoOverlappingRuns(t *testing.T) {
	f := newFixture(t, fixtureOpts{hold: true})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { errs[i] = f.srv.StartRun(TriggerManual, nil) })
	}
	wg.Wait()
	<-f.job.start // the one run has started
	busy := 0
	for _, err := range errs {
		switch {
		case errors.Is(err, ErrBusy):
			busy++
		case err != nil:
			t.Fatalf("StartRun: %v", err)
		}
	}
	if busy != 1 {
		t.Fatalf("%d of 2 simultaneous triggers were told busy, want exactly 1 (errors %v)", busy, errs)
	}
	st, ok := f.srv.Running()
	if !ok || st.Trigger != TriggerManual {
		t.Fatalf("Running() = %+v, %v; want the manual run", st, ok)
	}
	if !strings.Contains(f.client().get("/metrics").Body, "watcher_run_in_progress 1") {
		t.Error("/metrics does not show the run in progress")
	}
	// The scheduler, meanwhile, waits its turn rather than running alongside.
	schedDone := make(chan RunStatus)
	go func() {
		st, _ := f.srv.jobs.RunWhenFree(context.Background(), TriggerSchedule, f.cfg.Sources)
		schedDone <- st
	}()
	select {
	case <-schedDone:
		t.Fatal("the scheduled run did not wait for the manual one")
	case <-time.After(50 * time.Millisecond):
	}
	close(f.job.hold)
	if st := <-schedDone; st.Trigger != TriggerSchedule || st.Finished.IsZero() {
		t.Errorf("scheduled run status %+v", st)
	}
	f.srv.Close()
	if n := len(f.job.Calls()); n != 2 {
		t.Errorf("%d runs, want 2 (one manual, one scheduled after it)", n)
	}
	if f.job.maxPar != 1 {
		t.Errorf("%d runs went at once, want 1", f.job.maxPar)
	}
}

// TestRunNowWhileRunning goes through the UI: the second "kjør nå" while
// the first run is going says so, and the header shows the run.
func TestRunNowWhileRunning(t *testing.T) {
	f := newFixture(t, fixtureOpts{hold: true})
	c := f.client()
	if msg := c.submit("/run", url.Values{}); msg != "started" {
		t.Fatalf("first run now: msg %q, want started", msg)
	}
	<-f.job.start
	if msg := c.submit("/run", url.Values{}); msg != "busy" {
		t.Fatalf("second run now: msg %q, want busy", msg)
	}
	if msg := c.submit("/sources/check", url.Values{"source": {"politiet"}}); msg != "busy" {
		t.Fatalf("check now during a run: msg %q, want busy", msg)
	}
	page := c.get("/sources?msg=busy")
	for _, want := range []string{"En kjøring pågår allerede", "Kjøring pågår (startet for hånd"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("/sources lacks %q", want)
		}
	}
	close(f.job.hold)
	f.srv.Close()
	if n := len(f.job.Calls()); n != 1 {
		t.Errorf("%d runs, want 1", n)
	}
}

// TestRunAPI: with the bearer token, POST /run answers 202, then 409
// while the run goes on, without a CSRF token.
func TestRunAPI(t *testing.T) {
	const token = "0123456789abcdef0123"
	f := newFixture(t, fixtureOpts{hold: true, token: token})
	c := f.client()
	c.hdr.Set("Authorization", "Bearer "+token)
	c.hdr.Set("Accept", "text/plain")
	if res := c.post("/run", nil); res.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /run: %d %s", res.StatusCode, res.Body)
	}
	<-f.job.start
	if res := c.post("/run", nil); res.StatusCode != http.StatusConflict {
		t.Fatalf("second POST /run: %d %s, want 409", res.StatusCode, res.Body)
	}
	close(f.job.hold)
}

// TestCheckNowRunsOneSource: "sjekk nå" runs the job for that source only.
func TestCheckNowRunsOneSource(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	if msg := c.submit("/sources/check", url.Values{"source": {"unodc-nyheter"}}); msg != "started" {
		t.Fatalf("msg %q, want started", msg)
	}
	f.srv.Close()
	calls := f.job.Calls()
	if len(calls) != 1 || len(calls[0]) != 1 || calls[0][0] != "unodc-nyheter" {
		t.Fatalf("runs %v, want one of unodc-nyheter", calls)
	}
	last, ok := f.srv.jobs.Last()
	if !ok || last.Trigger != TriggerCheck || len(last.Sources) != 1 {
		t.Errorf("last run %+v", last)
	}
	form := url.Values{"source": {"nope"}, "csrf": {c.csrf()}}
	if res := c.post("/sources/check", form); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown source: %d, want 404", res.StatusCode)
	}
}

// TestRunPanicDoesNotKillServer: a job that panics is reported as a failed
// run and the next run can start.
func TestRunPanicDoesNotKillServer(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	j := newJobs(context.Background(), func(context.Context, []watcher.Source) (*runner.Result, error) {
		panic("boom")
	}, func() time.Time { return f.now }, discardLog())
	st, err := j.RunWhenFree(context.Background(), TriggerManual, nil)
	if err != nil || !strings.Contains(st.Err, "boom") {
		t.Fatalf("status %+v, err %v", st, err)
	}
	if err := j.Start(TriggerManual, nil, nil); err != nil {
		t.Fatalf("a run after the panic: %v", err)
	}
	j.Wait()
}
