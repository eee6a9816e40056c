package runner

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/crawlers/fetch"
)

// TestStoreFailureStopsTheCrawls: once the store fails, the run is over;
// the crawl in flight is stopped and no further source is fetched, since
// nothing it brought could be kept.
func TestStoreFailureStopsTheCrawls(t *testing.T) {
	clock := func() time.Time { return testStart }
	st := openTestStore(t, clock)
	feed := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Sak</title><link>http://%s/1</link></item></channel></rss>`, r.Host)
	}
	var closeOnce sync.Once
	first := newSiteServer(t, func(w http.ResponseWriter, r *http.Request) {
		closeOnce.Do(func() { st.Close() }) // the disk goes away: storing this source fails
		feed(w, r)
	})
	// The second source is slow: it is in flight when the store fails.
	second := newSiteServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
			feed(w, r)
		}
	})
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
	f := newTestFetcher(t, nil, clock, fetch.Options{MaxRetries: -1})
	r := &Runner{Cfg: cfg, Store: st, Fetcher: f, Now: clock, Log: testLog}
	if _, err := r.Run(context.Background(), cfg.Sources); err == nil {
		t.Fatal("the run succeeded although the store was closed")
	}
	if n := thirdHits.Load(); n != 0 {
		t.Errorf("the third source was fetched %d times after the store failed", n)
	}
}
