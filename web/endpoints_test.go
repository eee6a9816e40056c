package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"watcher"
	"watcher/state"
)

// TestCalendarFeedParses reads /calendar.ics with an independent parser:
// one all-day event on the hearing's current (moved) deadline.
func TestCalendarFeedParses(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	res := f.client().get("/calendar.ics")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	cal, err := ical.NewDecoder(strings.NewReader(res.Body)).Decode()
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, res.Body)
	}
	if got := cal.Props.Get(ical.PropProductID); got == nil || got.Value != CalendarProdID {
		t.Errorf("PRODID %v, want %q", got, CalendarProdID)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1 (the one open hearing)", len(events))
	}
	ev := events[0]
	if s := ev.Props.Get(ical.PropSummary); s == nil || !strings.Contains(s.Value, "straffeloven") {
		t.Errorf("SUMMARY %v", s)
	}
	start, err := ev.DateTimeStart(oslo)
	if err != nil {
		t.Fatal(err)
	}
	if y, m, d := start.Date(); y != 2026 || m != time.September || d != 15 {
		t.Errorf("DTSTART %s, want the moved deadline 2026-09-15", start)
	}
	if p := ev.Props.Get(ical.PropDateTimeStart); p == nil || p.ValueType() != ical.ValueDate {
		t.Errorf("DTSTART %v is not an all-day date", p)
	}

	// A hearing whose deadline has passed is no longer in the feed.
	f.now = time.Date(2026, 9, 16, 9, 0, 0, 0, oslo)
	cal, err = ical.NewDecoder(strings.NewReader(f.client().get("/calendar.ics").Body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cal.Events()); n != 0 {
		t.Errorf("%d events after the deadline, want 0", n)
	}
}

func TestHealthz(t *testing.T) {
	all := []string{"regjeringen-horinger", "unodc-nyheter", "politiet"}
	tests := map[string]struct {
		runStart   time.Time // zero: no run stored
		failed     int       // sources failing in it
		wantCode   int
		wantStatus string
	}{
		"no run yet":                     {wantCode: 503, wantStatus: "no_runs"},
		"this morning's run":             {runStart: time.Date(2026, 8, 15, 6, 4, 0, 0, oslo), wantCode: 200, wantStatus: "ok"},
		"some sources failed":            {runStart: time.Date(2026, 8, 15, 6, 4, 0, 0, oslo), failed: 1, wantCode: 200, wantStatus: "ok"},
		"every source failed":            {runStart: time.Date(2026, 8, 15, 6, 4, 0, 0, oslo), failed: 3, wantCode: 503, wantStatus: "failed"},
		"yesterday's run, today's late":  {runStart: time.Date(2026, 8, 14, 6, 4, 0, 0, oslo), wantCode: 503, wantStatus: "stale"},
		"two days old":                   {runStart: time.Date(2026, 8, 13, 6, 4, 0, 0, oslo), wantCode: 503, wantStatus: "stale"},
		"yesterday's, within the jitter": {runStart: time.Date(2026, 8, 14, 6, 4, 0, 0, oslo), wantCode: 200, wantStatus: "ok"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, fixtureOpts{noSeed: true})
			if name == "yesterday's, within the jitter" {
				// 07:00: today's 06:00 run may still be within its jitter and grace.
				f.now = time.Date(2026, 8, 15, 7, 0, 0, 0, oslo)
			}
			if !tc.runStart.IsZero() {
				rep := watcher.RunReport{Started: tc.runStart, Finished: tc.runStart.Add(3 * time.Minute)}
				for i, id := range all {
					l := watcher.SourceReport{SourceID: id}
					if i < tc.failed {
						l.ErrClass = watcher.ErrNetwork
					}
					rep.Sources = append(rep.Sources, l)
				}
				if err := f.store.PutRun(rep); err != nil {
					t.Fatal(err)
				}
			}
			res := f.client().get("/healthz")
			var h Health
			if err := json.Unmarshal([]byte(res.Body), &h); err != nil {
				t.Fatalf("decode %q: %v", res.Body, err)
			}
			if res.StatusCode != tc.wantCode || h.Status != tc.wantStatus || h.Process != "ok" {
				t.Errorf("%d %+v, want %d %s", res.StatusCode, h, tc.wantCode, tc.wantStatus)
			}
			if !tc.runStart.IsZero() && (!h.LastRun.Equal(tc.runStart) || h.FailedSources != tc.failed || h.Sources != 3) {
				t.Errorf("last run %s, failed %d of %d; want %s, %d of 3", h.LastRun, h.FailedSources, h.Sources, tc.runStart, tc.failed)
			}
		})
	}
}

// TestMetricsAfterRun: the counters and gauges follow the run report.
func TestMetricsAfterRun(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	before := f.client().get("/metrics").Body
	for _, want := range []string{`watcher_runs_total{result="ok"} 0`, "watcher_items_stored 5", "go_goroutines"} {
		if !strings.Contains(before, want) {
			t.Errorf("/metrics at start lacks %q", want)
		}
	}
	if err := f.store.PutHealth(watcher.Health{SourceID: "politiet", State: watcher.HealthBroken}); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.StartRun(TriggerManual, nil); err != nil {
		t.Fatal(err)
	}
	f.srv.Close()
	m := f.srv.metrics
	for name, tc := range map[string]struct {
		got, want float64
	}{
		"runs partial":       {testutil.ToFloat64(m.runs.WithLabelValues("partial")), 1},
		"runs ok":            {testutil.ToFloat64(m.runs.WithLabelValues("ok")), 0},
		"requests":           {testutil.ToFloat64(m.requests.WithLabelValues("unodc-nyheter")), 3},
		"bytes":              {testutil.ToFloat64(m.bytes.WithLabelValues("unodc-nyheter")), 2048},
		"304s":               {testutil.ToFloat64(m.notModified.WithLabelValues("unodc-nyheter")), 1},
		"new items":          {testutil.ToFloat64(m.newItems.WithLabelValues("regjeringen-horinger")), 2},
		"errors by class":    {testutil.ToFloat64(m.errors.WithLabelValues("politiet", "timeout")), 1},
		"no error elsewhere": {float64(testutil.CollectAndCount(m.errors)), 1},
		"failed sources":     {testutil.ToFloat64(m.lastFailed), 1},
		"health broken":      {testutil.ToFloat64(m.health.WithLabelValues("politiet", "broken")), 1},
		"health not healthy": {testutil.ToFloat64(m.health.WithLabelValues("politiet", "healthy")), 0},
		"items stored":       {testutil.ToFloat64(m.items), 5},
		"one duration":       {float64(testutil.CollectAndCount(m.runDuration)), 1},
		"not running":        {testutil.ToFloat64(m.running), 0},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", name, tc.got, tc.want)
		}
	}
	text := f.client().get("/metrics").Body
	for _, want := range []string{
		`watcher_fetch_requests_total{source="politiet"} 3`,
		`watcher_source_errors_total{class="timeout",source="politiet"} 1`,
		`watcher_source_health{source="politiet",state="broken"} 1`,
		`watcher_runs_total{result="partial"} 1`,
		"# TYPE watcher_run_duration_seconds histogram",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestBackupEndpoint: GET /backup streams a copy that passes the
// integrity check and holds the items and decisions.
func TestBackupEndpoint(t *testing.T) {
	const token = "0123456789abcdef-backup"
	f := newFixture(t, fixtureOpts{token: token})
	if err := f.store.PutDecision(watcher.Decision{Period: "2026Q3", Key: keyHearing, State: watcher.DecisionInclude}); err != nil {
		t.Fatal(err)
	}
	c := f.client()
	c.hdr.Set("Accept", "application/octet-stream")
	if res := c.get("/backup"); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("backup without the token: %d, want 401", res.StatusCode)
	}
	c.hdr.Set("Authorization", "Bearer "+token)
	res := c.get("/backup")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("backup: %d %v", res.StatusCode, res.Header)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, []byte(res.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := state.Check(path); err != nil {
		t.Fatalf("the backup fails its check: %v", err)
	}
	cp, err := state.Open(path, state.Options{ReadOnly: true, Logger: discardLog()})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if n := must(cp.Count()); n != 5 {
		t.Errorf("backup holds %d items, want 5", n)
	}
	if ds := must(cp.Decisions("2026Q3")); len(ds) != 1 {
		t.Errorf("backup holds %d decisions, want 1", len(ds))
	}
	var live bytes.Buffer
	if _, err := f.store.Backup(&live); err != nil {
		t.Fatal(err)
	}
	if live.Len() != len(res.Body) {
		t.Errorf("backup is %d bytes, the store's own copy %d", len(res.Body), live.Len())
	}
}

// TestHealthzIgnoresOneSourceChecks: a failed "sjekk nå" of one source
// after a good run does not make the service unhealthy.
func TestHealthzIgnoresOneSourceChecks(t *testing.T) {
	f := newFixture(t, fixtureOpts{noSeed: true})
	good := watcher.RunReport{Started: time.Date(2026, 8, 15, 6, 4, 0, 0, oslo), Finished: time.Date(2026, 8, 15, 6, 9, 0, 0, oslo)}
	for _, src := range f.cfg.Sources {
		good.Sources = append(good.Sources, watcher.SourceReport{SourceID: src.ID})
	}
	check := watcher.RunReport{Started: time.Date(2026, 8, 15, 9, 0, 0, 0, oslo), Finished: time.Date(2026, 8, 15, 9, 0, 5, 0, oslo),
		Sources: []watcher.SourceReport{{SourceID: "politiet", ErrClass: watcher.ErrBlocked}}}
	for _, r := range []watcher.RunReport{good, check} {
		if err := f.store.PutRun(r); err != nil {
			t.Fatal(err)
		}
	}
	if res := f.client().get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz after a failed one-source check: %d %s", res.StatusCode, res.Body)
	}
}

// TestHealthzReportsAFailedRunAtOnce: a run that could not happen (its
// store failed) stores no report; /healthz says so as soon as it ended,
// not only once the last good run has gone stale. The next good run
// clears it.
func TestHealthzReportsAFailedRunAtOnce(t *testing.T) {
	f := newFixture(t, fixtureOpts{noSeed: true})
	good := watcher.RunReport{Started: time.Date(2026, 8, 15, 6, 4, 0, 0, oslo), Finished: time.Date(2026, 8, 15, 6, 7, 0, 0, oslo),
		Sources: []watcher.SourceReport{{SourceID: "regjeringen-horinger"}, {SourceID: "unodc-nyheter"}, {SourceID: "politiet"}}}
	if err := f.store.PutRun(good); err != nil {
		t.Fatal(err)
	}
	f.now = time.Date(2026, 8, 15, 9, 0, 0, 0, oslo)
	f.job.runErr = errors.New("store: disk full")
	if _, err := f.srv.jobs.RunWhenFree(context.Background(), "test", f.cfg.Sources); err != nil {
		t.Fatal(err)
	}
	res := f.client().get("/healthz")
	var h Health
	if err := json.Unmarshal([]byte(res.Body), &h); err != nil {
		t.Fatalf("decode %q: %v", res.Body, err)
	}
	if res.StatusCode != 503 || h.Status != "failed" || !strings.Contains(h.Message, "disk full") || !h.LastRun.Equal(good.Started) {
		t.Errorf("after a failed run: %d %+v, want 503 failed naming the error, last run %s", res.StatusCode, h, good.Started)
	}

	f.now = time.Date(2026, 8, 15, 9, 5, 0, 0, oslo)
	f.job.runErr = nil
	if _, err := f.srv.jobs.RunWhenFree(context.Background(), "test", f.cfg.Sources); err != nil {
		t.Fatal(err)
	}
	if res := f.client().get("/healthz"); res.StatusCode != 200 {
		t.Errorf("after a good run again: %d %s, want 200", res.StatusCode, res.Body)
	}
}
