package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/state"
)

// TestRunInterruptedIsNotAFailedSource: a `watcher run` stopped by a
// signal while it crawls (here: while the third of four sources waits
// for its page) exits as interrupted (130), not as "1 of 3 sources
// failed" (3), and leaves the cut-short source's health as it was.
func TestRunInterruptedIsNotAFailedSource(t *testing.T) {
	s := newSite()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stopping sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/kom" && ctx.Err() == nil && s.count("/feed.xml") > 1 {
			stopping.Do(cancel) // the signal, during the second run
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		s.handler().ServeHTTP(w, r)
	}))
	defer srv.Close()
	cfg := writeConfig(t, srv.URL)
	db := filepath.Join(t.TempDir(), "watcher.db")
	now := time.Date(2026, 9, 18, 6, 0, 0, 0, time.UTC)
	if out, err := runCLI(t, now, "run", "--config", cfg, "--db", db); err != nil {
		t.Fatalf("first run: %v\n%s", err, out)
	}

	var out, errOut bytes.Buffer
	m := NewMain(&out, &errOut)
	m.Now = func() time.Time { return now.Add(24 * time.Hour) }
	m.Getenv = func(string) string { return "" }
	err := m.Run(ctx, []string{"run", "--config", cfg, "--db", db})
	m.Close()
	var stderr bytes.Buffer
	if code := exitCode(ctx, err, &stderr); code != exitInterrupt {
		t.Errorf("exit code %d (%s), want %d\n%s", code, strings.TrimSpace(stderr.String()), exitInterrupt, out.String())
	}
	if strings.Contains(stderr.String(), "sources failed") {
		t.Errorf("an interrupted run blames its sources: %s", stderr.String())
	}

	st, err := state.Open(db, state.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, ok, err := st.Health("kom")
	if err != nil || !ok || h.State != watcher.HealthHealthy || !h.LastRun.Equal(now) {
		t.Errorf("kom: health %+v (stored %v, %v), want healthy from the first run", h, ok, err)
	}
}
