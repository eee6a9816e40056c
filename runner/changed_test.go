package runner

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/crawlers/fetch"
)

// TestRunHandsBackTheChangedItems: an item whose title changed between
// two runs is in Result.Changes, and Result.Changed holds it as the run
// stored it (the new title, the change counted), for the alerts to word.
func TestRunHandsBackTheChangedItems(t *testing.T) {
	title := "Høring om endringer i straffeloven"
	srv := newSiteServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>http://%[1]s/</link>
<item><title>%[2]s</title><guid isPermaLink="false">sak-1</guid><link>http://%[1]s/sak/1</link><pubDate>Thu, 17 Sep 2026 11:00:00 +0200</pubDate></item>
<item><title>Uendret sak</title><guid isPermaLink="false">sak-2</guid><link>http://%[1]s/sak/2</link><pubDate>Thu, 17 Sep 2026 12:00:00 +0200</pubDate></item>
</channel></rss>`, r.Host, title)
	})

	now := testStart
	clock := func() time.Time { return now }
	st := openTestStore(t, clock)
	cfg := &config.Config{Parallel: 1, TimeZone: "Europe/Oslo", Sources: []watcher.Source{
		{ID: "s", Kind: "feed", Region: watcher.RegionNorway, URLs: []string{srv.URL + "/feed"}},
	}}
	run := func() *Result {
		f := newTestFetcher(t, st, clock, fetch.Options{})
		r := &Runner{Cfg: cfg, Store: st, Fetcher: f, Now: clock, Log: testLog}
		res, err := r.Run(context.Background(), cfg.Sources)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := run(); len(res.New) != 2 || len(res.Changes) != 0 || len(res.Changed) != 0 {
		t.Fatalf("first run: %d new, %d changes, %d changed items; want 2, 0, 0", len(res.New), len(res.Changes), len(res.Changed))
	}

	now = now.Add(24 * time.Hour)
	title = "Høring om endringer i straffeloven og straffeprosessloven"
	res := run()
	if len(res.Changes) != 1 || res.Changes[0].Field != "title" || res.Changes[0].New != title {
		t.Fatalf("second run: changes %+v, want the title", res.Changes)
	}
	key := res.Changes[0].Key
	if len(res.Changed) != 1 {
		t.Fatalf("second run: changed items %v, want only %s", res.Changed, key)
	}
	it, ok := res.Changed[key]
	if !ok || it.Title != title || it.Changes != 1 || !it.LastSeen.Equal(now) || it.SourceID != "s" {
		t.Errorf("changed item %s: %+v (found %v); want the new title, one change, last seen now", key, it, ok)
	}
	stored, _, err := st.Item(key)
	if err != nil || stored.Title != it.Title || stored.Changes != it.Changes {
		t.Errorf("stored %+v (%v), handed back %+v", stored, err, it)
	}
}
