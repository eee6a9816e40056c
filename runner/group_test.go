package runner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/crawlers/fetch"
	"watcher/state"
)

func TestReadyGroup(t *testing.T) {
	tests := map[string]struct {
		waiting int
		closed  bool
		want    int
	}{
		"nothing waiting":          {waiting: 0, want: 1},
		"some waiting":             {waiting: 5, want: 6},
		"more than a group":        {waiting: writeGroup + 10, want: writeGroup},
		"closed after the waiting": {waiting: 3, closed: true, want: 4},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ch := make(chan crawled, tc.waiting)
			for i := range tc.waiting {
				ch <- crawled{src: watcher.Source{ID: fmt.Sprint(i + 1)}}
			}
			if tc.closed {
				close(ch)
			}
			g := readyGroup(crawled{src: watcher.Source{ID: "0"}}, ch)
			if len(g) != tc.want {
				t.Fatalf("group of %d, want %d", len(g), tc.want)
			}
			for i, c := range g {
				if c.src.ID != fmt.Sprint(i) {
					t.Fatalf("group[%d] is source %s: order lost", i, c.src.ID)
				}
			}
			if len(ch) != tc.waiting+1-tc.want {
				t.Errorf("%d left waiting, want %d", len(ch), tc.waiting+1-tc.want)
			}
		})
	}
}

// TestRunStoresEverySourceOfAGroup runs many quick feed sources of one
// host, so that the writer stores several per transaction, and checks
// that every source's items, health, validators and report line are kept,
// and that a second run is all 304s and stores nothing new.
func TestRunStoresEverySourceOfAGroup(t *testing.T) {
	const sources, items = 70, 3
	srv := newSiteServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>http://%s/</link>`, r.URL.Path, r.Host)
		for j := range items {
			fmt.Fprintf(&b, `<item><title>Sak %d fra %s</title><link>http://%s%s/%d</link><pubDate>Thu, 17 Sep 2026 11:00:00 +0200</pubDate></item>`,
				j, r.URL.Path, r.Host, r.URL.Path, j)
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, b.String())
	})

	now := testStart
	clock := func() time.Time { return now }
	st := openTestStore(t, clock)
	cfg := &config.Config{Parallel: 4, TimeZone: "Europe/Oslo"}
	for i := range sources {
		cfg.Sources = append(cfg.Sources, watcher.Source{ID: fmt.Sprintf("s%02d", i), Kind: "feed",
			URLs: []string{fmt.Sprintf("%s/feed/%d", srv.URL, i)}, Region: watcher.RegionNorway})
	}
	run := func(keep func(*watcher.Item) bool) *Result {
		f := newTestFetcher(t, st, clock, fetch.Options{})
		r := &Runner{Cfg: cfg, Store: st, Fetcher: f, Now: clock, Log: testLog, KeepNew: keep}
		res, err := r.Run(context.Background(), cfg.Sources)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	// KeepNew thins Result.New (here to each source's first item), never
	// the report or the store.
	res := run(func(it *watcher.Item) bool { return strings.HasPrefix(it.Title, "Sak 0 ") })
	if len(res.Report.Sources) != sources || len(res.New) != sources {
		t.Fatalf("first run: %d report lines, %d new items kept; want %d and %d", len(res.Report.Sources), len(res.New), sources, sources)
	}
	for i, line := range res.Report.Sources {
		if want := fmt.Sprintf("s%02d", i); line.SourceID != want || line.New != items || line.Health != watcher.HealthHealthy {
			t.Errorf("line %d: %+v, want %s with %d new, healthy", i, line, want, items)
		}
	}
	stored, err := st.Items(state.Query{})
	if err != nil || len(stored) != sources*items {
		t.Fatalf("stored %d items (%v), want %d", len(stored), err, sources*items)
	}
	for _, it := range res.New {
		if !it.FirstSeen.Equal(now) || it.SourceID == "" {
			t.Fatalf("new item %s: first seen %v, source %q", it.Key, it.FirstSeen, it.SourceID)
		}
	}

	now = now.Add(24 * time.Hour)
	res = run(nil)
	for _, line := range res.Report.Sources {
		if line.NotModified != 1 || line.New != 0 || line.Health != watcher.HealthQuiet {
			t.Errorf("second run, %s: %+v, want one 304, nothing new, quiet", line.SourceID, line)
		}
	}
	if len(res.New) != 0 {
		t.Errorf("second run: %d new items", len(res.New))
	}
	for i := range sources {
		h, ok, err := st.Health(fmt.Sprintf("s%02d", i))
		if err != nil || !ok || h.State != watcher.HealthQuiet || !h.LastRun.Equal(now) {
			t.Errorf("health of s%02d: %+v (stored %v, %v)", i, h, ok, err)
		}
	}
}

// TestRunStopsStartingSourcesWhenCanceled: once the run's context is
// canceled, no further source is started; those not started get no
// report line and no health, while the one in progress is reported.
func TestRunStopsStartingSourcesWhenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var feeds []string
	srv := newSiteServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		feeds = append(feeds, r.URL.Path)
		mu.Unlock()
		cancel() // the first source's request stops the run
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>`)
	})

	clock := func() time.Time { return testStart }
	st := openTestStore(t, clock)
	cfg := &config.Config{Parallel: 4, TimeZone: "Europe/Oslo"}
	for i := range 3 { // one host: one group, crawled in order
		cfg.Sources = append(cfg.Sources, watcher.Source{ID: fmt.Sprintf("s%d", i), Kind: "feed",
			URLs: []string{fmt.Sprintf("%s/feed/%d", srv.URL, i)}, Region: watcher.RegionNorway})
	}
	f := newTestFetcher(t, st, clock, fetch.Options{})
	r := &Runner{Cfg: cfg, Store: st, Fetcher: f, Now: clock, Log: testLog}
	res, err := r.Run(ctx, cfg.Sources)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 1 || feeds[0] != "/feed/0" {
		t.Errorf("feeds fetched %q, want only /feed/0", feeds)
	}
	if len(res.Report.Sources) != 1 || res.Report.Sources[0].SourceID != "s0" {
		t.Errorf("report lines %+v, want s0 only", res.Report.Sources)
	}
	for _, id := range []string{"s1", "s2"} {
		if h, ok, err := st.Health(id); err != nil || ok {
			t.Errorf("%s: health %+v stored (err %v), want none", id, h, err)
		}
	}
}
