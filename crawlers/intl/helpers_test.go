package intl

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// route is what the fixture site answers for one path.
type route struct {
	file   string // under testdata/
	status int    // default 200
	ctype  string // default from the file's extension
	etag   string // sent, and answered with 304 when the request carries it
}

// fixtureSite plays a site from testdata files. Absolute links to the real
// site in the fixtures (origins) are rewritten to the test server, so that
// item pages are fetched from it too. It counts requests per path.
type fixtureSite struct {
	t       *testing.T
	srv     *httptest.Server
	origins []string

	mu     sync.Mutex
	routes map[string]route // "/path" or "/path?query"
	hits   map[string]int
}

func newFixtureSite(t *testing.T, origins ...string) *fixtureSite {
	t.Helper()
	s := &fixtureSite{t: t, origins: origins, routes: map[string]route{}, hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// set routes a path (with its query, if the answer depends on it) to a
// fixture file.
func (s *fixtureSite) set(path, file string) { s.setRoute(path, route{file: file}) }

func (s *fixtureSite) setRoute(path string, r route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes[path] = r
}

// url returns the test server's address of a path.
func (s *fixtureSite) url(path string) string { return s.srv.URL + path }

func (s *fixtureSite) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/robots.txt" {
		http.NotFound(w, r)
		return
	}
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	s.mu.Lock()
	s.hits[key]++
	rt, ok := s.routes[key]
	if !ok {
		rt, ok = s.routes[r.URL.Path]
	}
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	var body []byte
	if rt.file != "" {
		b, err := os.ReadFile(filepath.Join("testdata", rt.file))
		if err != nil {
			s.t.Errorf("fixture %s: %v", rt.file, err)
			http.Error(w, "fixture missing", http.StatusInternalServerError)
			return
		}
		body = []byte(s.rewrite(string(b)))
	}
	if rt.etag != "" {
		w.Header().Set("ETag", rt.etag)
		if r.Header.Get("If-None-Match") == rt.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("Content-Type", crawlers.FirstNonEmpty(rt.ctype, contentType(rt.file)))
	if rt.status != 0 {
		w.WriteHeader(rt.status)
	}
	_, _ = w.Write(body)
}

func (s *fixtureSite) rewrite(b string) string {
	for _, o := range s.origins {
		b = strings.ReplaceAll(b, o, s.srv.URL)
		b = strings.ReplaceAll(b, strings.ReplaceAll(o, "/", `\/`), strings.ReplaceAll(s.srv.URL, "/", `\/`))
	}
	return b
}

func contentType(file string) string {
	switch filepath.Ext(file) {
	case ".xml":
		return "application/rss+xml; charset=utf-8"
	case ".json":
		return "application/json; charset=utf-8"
	}
	return "text/html; charset=utf-8"
}

// requests returns the paths requested since the last call, sorted, and
// forgets them.
func (s *fixtureSite) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k, n := range s.hits {
		for range n {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	s.hits = map[string]int{}
	return out
}

// testNow is the fixed clock of the tests.
var testNow = time.Date(2023, 10, 15, 6, 0, 0, 0, time.UTC)

// testEnv is a crawl environment with a real Fetcher (no host delay, no
// retries) and the given stored items.
func testEnv(t *testing.T, known map[string]watcher.Item) *crawlers.Env {
	return testEnvValidators(t, known, nil)
}

// testEnvValidators is testEnv with stored validators, for conditional GET.
func testEnvValidators(t *testing.T, known map[string]watcher.Item, stored []watcher.Validator) *crawlers.Env {
	t.Helper()
	f, err := fetch.New(fetch.Options{
		UserAgent:  "watcher-test/1.0 (+mailto:test@example.org)",
		MaxRetries: -1,
		Now:        func() time.Time { return testNow },
		Validators: func(u string) (watcher.Validator, bool) {
			for _, v := range stored {
				if v.URL == u {
					return v, true
				}
			}
			return watcher.Validator{}, false
		},
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
		Now: func() time.Time { return testNow },
		Loc: dates.Oslo(),
	}
}

// byKey indexes a result's items.
func byKey(items []watcher.Item) map[string]watcher.Item {
	m := make(map[string]watcher.Item, len(items))
	for _, it := range items {
		m[it.Key] = it
	}
	return m
}

// byURL indexes a result's items by URL.
func byURL(items []watcher.Item) map[string]watcher.Item {
	m := make(map[string]watcher.Item, len(items))
	for _, it := range items {
		m[it.URL] = it
	}
	return m
}

// crawlTwice runs kind over src, then again with the first run's items as
// the store, after next() has changed what the site serves. It returns
// both results and the paths each run requested.
func crawlTwice(t *testing.T, site *fixtureSite, kind crawlers.Kind, src watcher.Source, next func()) (first, second *crawlers.Result, req1, req2 []string) {
	t.Helper()
	ctx := context.Background()
	first, err := kind.Crawl(ctx, testEnv(t, nil), src)
	if err != nil {
		t.Fatalf("first crawl: %v", err)
	}
	req1 = site.requests()
	next()
	second, err = kind.Crawl(ctx, testEnv(t, byKey(first.Items)), src)
	if err != nil {
		t.Fatalf("second crawl: %v", err)
	}
	req2 = site.requests()
	return first, second, req1, req2
}

// oslo builds a time at midnight (or the given clock) in Europe/Oslo.
func oslo(y int, m time.Month, d int, hm ...int) time.Time {
	h, min := 0, 0
	if len(hm) == 2 {
		h, min = hm[0], hm[1]
	}
	return time.Date(y, m, d, h, min, 0, 0, dates.Oslo()).UTC()
}

// withPrefix keeps the paths that start with prefix.
func withPrefix(paths []string, prefix string) []string {
	var out []string
	for _, p := range paths {
		if strings.HasPrefix(p, prefix) {
			out = append(out, p)
		}
	}
	return out
}

// mustURL parses a URL or fails the test.
func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// readFixture reads a testdata file.
func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := readFixtureBytes(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readFixtureBytes(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", name))
}
