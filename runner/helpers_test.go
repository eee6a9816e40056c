package runner

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"watcher/crawlers/fetch"
	"watcher/state"
)

// testStart is when the run tests' clocks start: a morning run.
var testStart = time.Date(2026, 9, 18, 6, 0, 0, 0, time.UTC)

// testLog formats every record, as a real logger would, and keeps none.
var testLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// openTestStore opens a store in the test's directory on clock and closes
// it when the test ends. A test may close it earlier itself: closing a
// closed store again does nothing.
func openTestStore(t *testing.T, clock func() time.Time) *state.Store {
	t.Helper()
	st, err := state.Open(filepath.Join(t.TempDir(), "w.db"), state.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newTestFetcher returns a fetcher with opt's settings, the test user
// agent, clock and log, and st's validators (none when st is nil). It is
// closed when the test ends.
func newTestFetcher(t *testing.T, st *state.Store, clock func() time.Time, opt fetch.Options) *fetch.Fetcher {
	t.Helper()
	opt.UserAgent = "watcher-test/1 (+mailto:t@example.no)"
	opt.Now = clock
	opt.Log = testLog
	if st != nil {
		opt.Validators = st.Validator
	}
	f, err := fetch.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// newSiteServer serves h, with no robots.txt (404), until the test ends.
func newSiteServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}
