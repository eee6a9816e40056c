package crawlers

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/crawlers/fetch"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 7, 10, 8, 0, 0, 0, time.UTC)

func oslo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// site is an httptest server that plays a web site and counts the
// requests it gets per path (robots.txt excluded).
type site struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]page
	hits  map[string]int
	total int
}

// page is one answer of a site: a body, its content type and an ETag
// (empty: no validators, as regjeringen.no's HTML).
type page struct {
	body        []byte
	contentType string
	etag        string
	status      int
}

func newSite(t testing.TB, pages map[string]page) *site {
	t.Helper()
	s := &site{hits: map[string]int{}, pages: pages}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		s.hits[r.URL.RequestURI()]++
		s.total++
		p, ok := s.pages[r.URL.RequestURI()]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		if p.etag != "" {
			w.Header().Set("ETag", p.etag)
			if r.Header.Get("If-None-Match") == p.etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("Content-Type", p.contentType)
		if p.status != 0 {
			w.WriteHeader(p.status)
		}
		_, _ = w.Write(p.body)
	}))
	t.Cleanup(s.Close)
	return s
}

// set changes what the site answers for uri.
func (s *site) set(uri string, p page) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[uri] = p
}

func (s *site) count(uri string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[uri]
}

func (s *site) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// newEnv returns an Env whose fetcher answers conditional requests from
// validators and whose store knows the given items.
func newEnv(t testing.TB, validators []watcher.Validator, known ...watcher.Item) *Env {
	t.Helper()
	vals := map[string]watcher.Validator{}
	for _, v := range validators {
		vals[v.URL] = v
	}
	f, err := fetch.New(fetch.Options{
		UserAgent:  "watcher-test/1.0 (+mailto:test@example.org)",
		MaxRetries: -1,
		Now:        func() time.Time { return testNow },
		Validators: func(u string) (watcher.Validator, bool) {
			v, ok := vals[u]
			return v, ok
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	store := map[string]watcher.Item{}
	for _, it := range known {
		store[it.Key] = it
	}
	return &Env{
		Fetch: f,
		Known: func(key string) (watcher.Item, bool) {
			it, ok := store[key]
			return it, ok
		},
		Now: func() time.Time { return testNow },
		Loc: oslo(t),
	}
}

func itemsByKey(items []watcher.Item) map[string]watcher.Item {
	m := make(map[string]watcher.Item, len(items))
	for _, it := range items {
		m[it.Key] = it
	}
	return m
}
