package main

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/state"
)

// TestCatchUpAnnouncesHealthOfSourcesNotInThisRun: a run killed after it
// stored a source's new health (here: "bad" became unreachable) and
// before its alerts leaves that health change for the next run to
// announce. When the next run is a check of another source (`--only`, or
// "Sjekk nå"), the change must still be announced: that run's marker
// closes the gap, so a later full run would never see it.
func TestCatchUpAnnouncesHealthOfSourcesNotInThisRun(t *testing.T) {
	s := newSite()
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	cfg := writeConfig(t, srv.URL)
	db := filepath.Join(t.TempDir(), "watcher.db")
	day := time.Date(2026, 9, 18, 6, 0, 0, 0, time.UTC)
	if out, err := runCLI(t, day, "run", "--config", cfg, "--db", db); err != nil {
		t.Fatalf("first run: %v\n%s", err, out)
	}

	// The killed run: "bad" was crawled and stored as unreachable, and the
	// process died before planning alerts (no report, no marker).
	killed := day.Add(24 * time.Hour)
	st, err := state.Open(db, state.Options{Now: func() time.Time { return killed }})
	if err != nil {
		t.Fatal(err)
	}
	prev, _, err := st.Health("bad")
	if err != nil || prev.State != watcher.HealthHealthy {
		t.Fatalf("bad before: %+v (%v)", prev, err)
	}
	h := prev
	h.PrevState, h.State, h.Since, h.LastRun = prev.State, watcher.HealthUnreachable, killed, killed
	h.FailureStreak, h.LastErrClass, h.LastError = 1, watcher.ErrHTTP, "HTTP 500"
	if _, err := st.ApplyBatch(state.SourceBatch{SourceID: "bad", Seen: killed, Health: &h}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	out, err := runCLI(t, killed.Add(time.Hour), "run", "--config", cfg, "--db", db, "--only", "nyheter")
	if err != nil {
		t.Fatalf("check of one source: %v\n%s", err, out)
	}
	later, err := runCLI(t, killed.Add(24*time.Hour), "run", "--config", cfg, "--db", db)
	if err != nil {
		t.Fatalf("next full run: %v\n%s", err, later)
	}
	down := "── Kilden «Sometimes failing» er nå utilgjengelig"
	if n := strings.Count(out+later, down); n != 1 {
		t.Errorf("the alert that bad became unreachable went out %d times, want once\n--- check:\n%s\n--- full run:\n%s", n, out, later)
	}
}
