package intl

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
)

// TestGetCountsOnlySentRequests: a URL the replayed archive lacks and a
// URL robots.txt forbids send nothing, so neither is a request.
func TestGetCountsOnlySentRequests(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			_, _ = w.Write([]byte("User-agent: *\nDisallow: /private\n"))
			return
		}
		_, _ = w.Write([]byte("<html><body>ok</body></html>"))
	}))
	defer site.Close()
	now := func() time.Time { return testNow }
	live, err := fetch.New(fetch.Options{UserAgent: "watcher-test/1.0 (+mailto:test@example.org)",
		MaxRetries: -1, Now: now, ArchiveDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	c := &crawl{ctx: context.Background(), env: &crawlers.Env{Fetch: live}, res: newResult()}
	if _, err := c.get(site.URL+"/page", false, crawlers.AcceptHTML); err != nil {
		t.Fatalf("live get: %v", err)
	}
	if _, err := c.get(site.URL+"/private", false, crawlers.AcceptHTML); crawlers.Classify(err) != watcher.ErrRobots {
		t.Fatalf("disallowed get: %v, want a robots error", err)
	}
	if c.res.Requests != 1 {
		t.Errorf("live: %d requests counted, want 1 (robots refusal sends nothing)", c.res.Requests)
	}
	archive := live.ArchivePath()
	if err := live.Close(); err != nil {
		t.Fatal(err)
	}

	replay, err := fetch.New(fetch.Options{UserAgent: "watcher-test/1.0 (+mailto:test@example.org)",
		MaxRetries: -1, Now: now, Replay: []string{archive}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = replay.Close() })
	c = &crawl{ctx: context.Background(), env: &crawlers.Env{Fetch: replay}, res: newResult()}
	if _, err := c.get(site.URL+"/page", false, crawlers.AcceptHTML); err != nil {
		t.Fatalf("replayed get: %v", err)
	}
	if _, err := c.get(site.URL+"/never-fetched", false, crawlers.AcceptHTML); crawlers.Classify(err) != watcher.ErrNotArchived {
		t.Fatalf("unarchived get: %v, want not_archived", err)
	}
	if c.res.Requests != 1 {
		t.Errorf("replay: %d requests counted, want 1 (a URL missing from the archive sends nothing)", c.res.Requests)
	}
}
