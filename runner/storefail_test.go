package runner

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/crawlers/fetch"
	"watcher/state"
)

// TestStoreFailureStopsTheCrawls: once the store fails, the run is over;
// the crawl in flight is stopped and no further source is fetched, since
// nothing it brought could be kept.
func TestStoreFailureStopsTheCrawls(t *testing.T) {
	now := time.Date(2026, 9, 18, 6, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st, err := state.Open(filepath.Join(t.TempDir(), "w.db"), state.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	feed := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Sak</title><link>http://%s/1</link></item></channel></rss>`, r.Host)
	}
	var closeOnce sync.Once
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		closeOnce.Do(func() { st.Close() }) // the disk goes away: storing this source fails
		feed(w, r)
	}))
	defer first.Close()
	// The second source is slow: it is in flight when the store fails.
	second := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
			feed(w, r)
		}
	}))
	defer second.Close()
	var thirdHits atomic.Int32
	third := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			thirdHits.Add(1)
		}
		feed(w, r)
	}))
	defer third.Close()

	cfg := &config.Config{Parallel: 1, TimeZone: "Europe/Oslo"}
	for i, base := range []string{first.URL, second.URL, third.URL} {
		cfg.Sources = append(cfg.Sources, watcher.Source{ID: fmt.Sprintf("s%d", i+1), Kind: "feed",
			Region: watcher.RegionNorway, URLs: []string{base + "/feed"}})
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f, err := fetch.New(fetch.Options{UserAgent: "watcher-test/1 (+mailto:t@example.no)", Now: clock, Log: log, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := &Runner{Cfg: cfg, Store: st, Fetcher: f, Now: clock, Log: log}
	if _, err := r.Run(context.Background(), cfg.Sources); err == nil {
		t.Fatal("the run succeeded although the store was closed")
	}
	if n := thirdHits.Load(); n != 0 {
		t.Errorf("the third source was fetched %d times after the store failed", n)
	}
}
