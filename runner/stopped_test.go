package runner

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/crawlers/fetch"
)

// TestStoppedCrawlBlamesNoSite: a run that ends while a source is being
// crawled, by a stop (SIGTERM) or by a deadline on the whole run, says
// nothing about that source. Its health stays as the last complete crawl
// left it and no health change is reported, whether the crawler returned
// the context's error or swallowed it into a problem of one URL (a feed
// of two URLs whose second was cut off), and whatever class the fetcher
// gave a deadline that was the run's rather than the site's.
func TestStoppedCrawlBlamesNoSite(t *testing.T) {
	for _, tc := range []struct {
		name string
		urls []string // paths of the source's URLs; /cut is the one cut off
		stop func(parent context.Context) (context.Context, func(), func())
	}{
		{"stop cuts the only URL", []string{"/cut"}, stopByCancel},
		{"stop cuts the second URL", []string{"/a", "/cut"}, stopByCancel},
		{"run deadline cuts the only URL", []string{"/cut"}, stopByDeadline},
		{"run deadline cuts the second URL", []string{"/a", "/cut"}, stopByDeadline},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cutting atomic.Value // func() while the second run cuts; nil before
			srv := newSiteServer(t, func(w http.ResponseWriter, r *http.Request) {
				if cut, _ := cutting.Load().(func()); r.URL.Path == "/cut" && cut != nil {
					cut()
					select { // hold the answer until the client gives up
					case <-r.Context().Done():
					case <-time.After(10 * time.Second):
					}
					return
				}
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>http://%[1]s/</link>
<item><title>Sak fra %[2]s</title><link>http://%[1]s%[2]s/1</link><pubDate>Thu, 17 Sep 2026 11:00:00 +0200</pubDate></item>
</channel></rss>`, r.Host, r.URL.Path)
			})

			now := testStart
			clock := func() time.Time { return now }
			st := openTestStore(t, clock)
			src := watcher.Source{ID: "s", Kind: "feed", Region: watcher.RegionNorway}
			for _, p := range tc.urls {
				src.URLs = append(src.URLs, srv.URL+p)
			}
			cfg := &config.Config{Parallel: 1, TimeZone: "Europe/Oslo", Sources: []watcher.Source{src}}
			run := func(ctx context.Context) *Result {
				f := newTestFetcher(t, st, clock, fetch.Options{MaxRetries: -1, Timeout: 10 * time.Second})
				r := &Runner{Cfg: cfg, Store: st, Fetcher: f, Now: clock, Log: testLog}
				res, err := r.Run(ctx, cfg.Sources)
				if err != nil {
					t.Fatal(err)
				}
				return res
			}

			run(context.Background())
			before, ok, err := st.Health("s")
			if err != nil || !ok || before.State != watcher.HealthHealthy {
				t.Fatalf("after the first run: health %+v (stored %v, %v), want healthy", before, ok, err)
			}

			now = now.Add(24 * time.Hour)
			ctx, arm, done := tc.stop(context.Background())
			defer done()
			cutting.Store(arm)
			res := run(ctx)

			after, _, err := st.Health("s")
			if err != nil {
				t.Fatal(err)
			}
			if after.State != before.State || after.Checks != before.Checks || !after.LastRun.Equal(before.LastRun) ||
				after.FailureStreak != 0 || len(after.Problems) != 0 {
				t.Errorf("health changed by a crawl the run cut short:\nbefore %+v\nafter  %+v", before, after)
			}
			if len(res.Health) != 0 {
				t.Errorf("health changes reported: %+v", res.Health)
			}
			if len(res.Report.Sources) != 1 || res.Report.Sources[0].ErrClass != watcher.ErrCanceled {
				t.Errorf("report lines %+v, want one, canceled", res.Report.Sources)
			}
		})
	}
}

// stopByCancel returns a context that arm cancels, as a SIGTERM does.
func stopByCancel(parent context.Context) (context.Context, func(), func()) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, cancel, cancel
}

// stopByDeadline returns a context with a deadline half a second away,
// which the held request outlasts: a deadline on the whole run, reached
// mid-crawl. arm does nothing.
func stopByDeadline(parent context.Context) (context.Context, func(), func()) {
	ctx, cancel := context.WithTimeout(parent, 500*time.Millisecond)
	return ctx, func() {}, cancel
}
