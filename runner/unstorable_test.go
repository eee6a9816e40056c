package runner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
)

// oddKind stands for an adapter that builds a key the store refuses (the
// generic kinds bound their keys with crawlers.BoundKey, so a feed GUID of
// thousands of characters no longer does): one good item, one whose key
// holds a NUL byte.
type oddKind struct{}

func (oddKind) Crawl(_ context.Context, _ *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	u := src.URLs[0]
	return &crawlers.Result{Items: []watcher.Item{
		{Key: u + "/1", URL: u + "/1", Title: "Sak fra long"},
		{Key: "odd:\x00key", URL: u + "/2", Title: "Rar sak"},
	}}, nil
}

func init() { crawlers.Register("test-unstorable", oddKind{}) }

// TestUnstorableItemStopsOnlyItself: an item whose key the store refuses
// is the site's oddity, not a failure of the store. It must not stop the run
// as a store failure, which left every later source unstored, no run
// report and no alerts, on every run for as long as the feed carried the
// item. The item is left out and named in the source's problems; the
// source's other items and every other source are stored.
func TestUnstorableItemStopsOnlyItself(t *testing.T) {
	srv := newSiteServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>http://%[1]s/</link>
<item><title>Sak fra %[2]s</title><guid isPermaLink="false">%[2]s-1</guid><link>http://%[1]s%[2]s/1</link><pubDate>Thu, 17 Sep 2026 11:00:00 +0200</pubDate></item>`, r.Host, r.URL.Path)
		io.WriteString(w, `</channel></rss>`)
	})

	clock := func() time.Time { return testStart }
	st := openTestStore(t, clock)
	cfg := &config.Config{Parallel: 1, TimeZone: "Europe/Oslo"}
	for _, id := range []string{"a", "long", "z"} {
		kind := "feed"
		if id == "long" {
			kind = "test-unstorable"
		}
		cfg.Sources = append(cfg.Sources, watcher.Source{ID: id, Kind: kind, Region: watcher.RegionNorway, URLs: []string{srv.URL + "/" + id}})
	}
	f := newTestFetcher(t, st, clock, fetch.Options{})
	r := &Runner{Cfg: cfg, Store: st, Fetcher: f, Now: clock, Log: testLog}
	res, err := r.Run(context.Background(), cfg.Sources)
	if err != nil {
		t.Fatalf("the run failed: %v", err)
	}
	if len(res.Report.Sources) != 3 {
		t.Fatalf("report lines %+v, want 3", res.Report.Sources)
	}
	for _, line := range res.Report.Sources {
		if line.New != 1 || line.ErrClass != watcher.ErrNone {
			t.Errorf("%s: %+v, want one new item and no error", line.SourceID, line)
		}
		hasProblem := len(line.Problems) == 1 && strings.Contains(line.Problems[0], "/long/2") && strings.Contains(line.Problems[0], "NUL")
		if (line.SourceID == "long") != hasProblem {
			t.Errorf("%s: problems %q", line.SourceID, line.Problems)
		}
	}
	if h, _, _ := st.Health("long"); h.State != watcher.HealthDegraded {
		t.Errorf("health of long: %s, want degraded", h.State)
	}
	if runs, err := st.Runs(1); err != nil || len(runs) != 1 {
		t.Errorf("run report stored: %d (%v), want 1", len(runs), err)
	}
}
