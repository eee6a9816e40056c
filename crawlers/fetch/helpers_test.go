package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"watcher"
)

const testUA = "watcher/0.1 (+mailto:test@example.org)"

// fakeClock is the injected clock: Sleep advances it at once and records
// the wait, so back-off and spacing are checked without real waiting.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// site is an httptest server with a robots.txt (404 unless set) and a
// log of the requests it saw, stamped with the fake clock.
type site struct {
	*httptest.Server
	clock *fakeClock
	mux   *http.ServeMux

	mu     sync.Mutex
	reqs   []seenRequest
	robots http.HandlerFunc
}

type seenRequest struct {
	Path   string // path and query
	UA     string
	Header http.Header
	At     time.Time
}

func newSite(t *testing.T, clock *fakeClock, robots string) *site {
	t.Helper()
	s := &site{clock: clock, mux: http.NewServeMux()}
	s.robots = func(w http.ResponseWriter, r *http.Request) {
		if robots == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(robots))
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs = append(s.reqs, seenRequest{Path: r.URL.RequestURI(), UA: r.UserAgent(), Header: r.Header.Clone(), At: clock.Now()})
		robots := s.robots
		s.mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			robots(w, r)
			return
		}
		s.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// handle serves pattern; "/robots.txt" replaces the default robots.txt.
func (s *site) handle(pattern string, h http.HandlerFunc) {
	if pattern == "/robots.txt" {
		s.mu.Lock()
		s.robots = h
		s.mu.Unlock()
		return
	}
	s.mux.HandleFunc(pattern, h)
}

func (s *site) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.reqs...)
}

// count is the number of requests for path (with query).
func (s *site) count(path string) int {
	n := 0
	for _, r := range s.requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}

// newTestFetcher returns a Fetcher on the fake clock; opt fields that are
// set are kept.
func newTestFetcher(t *testing.T, clock *fakeClock, opt Options) *Fetcher {
	t.Helper()
	if opt.UserAgent == "" {
		opt.UserAgent = testUA
	}
	opt.Now, opt.Sleep = clock.Now, clock.Sleep
	f, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// wantClass fails unless err is a *FetchError of class want.
func wantClass(t *testing.T, err error, want watcher.ErrClass) *FetchError {
	t.Helper()
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v (%T), want *FetchError of class %q", err, err, want)
	}
	if fe.Class != want {
		t.Fatalf("class = %q, want %q (error: %v)", fe.Class, want, err)
	}
	return fe
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
