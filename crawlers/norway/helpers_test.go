package norway

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
)

// testSite is an httptest server that plays a site: fixed bodies by path
// (and query), a count of every request, and bodies that a test may swap
// between crawls.
type testSite struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]route // "path" or "path?query"
	hits   map[string]int
}

type route struct {
	status int
	ctype  string
	body   []byte
	etag   string // sent, and answered with 304 when the request matches it
}

func newTestSite(t *testing.T) *testSite {
	t.Helper()
	s := &testSite{routes: map[string]route{}, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *testSite) serve(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	s.mu.Lock()
	s.hits[key]++
	rt, ok := s.routes[key]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if rt.etag != "" {
		w.Header().Set("ETag", rt.etag)
		if r.Header.Get("If-None-Match") == rt.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", rt.ctype)
	w.WriteHeader(rt.status)
	_, _ = w.Write(rt.body)
}

// handle sets what key answers.
func (s *testSite) handle(key, ctype string, body []byte) {
	s.handleStatus(key, http.StatusOK, ctype, body)
}

func (s *testSite) handleStatus(key string, status int, ctype string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[key] = route{status: status, ctype: ctype, body: body}
}

// handleETag sets what key answers, with an ETag.
func (s *testSite) handleETag(key, ctype string, body []byte, etag string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[key] = route{status: http.StatusOK, ctype: ctype, body: body, etag: etag}
}

// takeHits returns the requests counted since the last call and resets them.
func (s *testSite) takeHits() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hits
	s.hits = map[string]int{}
	return h
}

// testEnv is a crawl environment with a real fetcher (no host delay, no
// retries, no sleeping) and a store made of the given items.
func testEnv(t *testing.T, now time.Time, known map[string]watcher.Item) *crawlers.Env {
	t.Helper()
	return testEnvValidators(t, now, known, nil)
}

// testEnvValidators is testEnv with stored validators for conditional GET.
func testEnvValidators(t *testing.T, now time.Time, known map[string]watcher.Item, vals map[string]watcher.Validator) *crawlers.Env {
	t.Helper()
	f, err := fetch.New(fetch.Options{
		Validators: func(url string) (watcher.Validator, bool) {
			v, ok := vals[url]
			return v, ok
		},
		UserAgent:  "watcher-test/0.1 (+mailto:ops@example.org)",
		HostDelay:  0,
		MaxRetries: -1,
		Now:        func() time.Time { return now },
		Sleep:      func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return &crawlers.Env{
		Fetch: f,
		Known: func(key string) (watcher.Item, bool) {
			it, ok := known[key]
			return it, ok
		},
		Now: func() time.Time { return now },
		Loc: osloLoc,
		Log: slog.New(slog.DiscardHandler),
	}
}

// byKey indexes items by key and fails on duplicates.
func byKey(t *testing.T, items []watcher.Item) map[string]watcher.Item {
	t.Helper()
	m := map[string]watcher.Item{}
	for _, it := range items {
		if _, dup := m[it.Key]; dup {
			t.Errorf("key %q twice in one result", it.Key)
		}
		m[it.Key] = it
	}
	return m
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
