package fetch

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestObserveSeesEveryAnswer: Observe is told of robots.txt and the page,
// live and replayed, and a replay answers a robots.txt the archive lacks
// with 404.
func TestObserveSeesEveryAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "hello")
	}))
	defer srv.Close()
	type seen struct {
		url    string
		status int
		failed bool
	}
	var mu sync.Mutex
	var got []seen
	observe := func(method, url string, status int, err error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, seen{url, status, err != nil})
	}
	now := func() time.Time { return time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC) }
	dir := t.TempDir()
	live, err := New(Options{UserAgent: "t", ArchiveDir: dir, Observe: observe, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := live.Get(context.Background(), Request{URL: srv.URL + "/page"}); err != nil {
		t.Fatal(err)
	}
	warc := live.ArchivePath()
	if err := live.Close(); err != nil {
		t.Fatal(err)
	}
	want := []seen{{srv.URL + "/robots.txt", 404, false}, {srv.URL + "/page", 200, false}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("live: observed %v, want %v", got, want)
	}

	got = nil
	other := "http://other.invalid"
	replay, err := New(Options{UserAgent: "t", Replay: []string{filepath.Clean(warc)}, Observe: observe, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer replay.Close()
	if _, err := replay.Get(context.Background(), Request{URL: srv.URL + "/page"}); err != nil {
		t.Fatal(err)
	}
	if _, err := replay.Get(context.Background(), Request{URL: other + "/missing"}); err == nil {
		t.Fatal("a URL missing from the archive was answered")
	}
	want = []seen{
		{srv.URL + "/robots.txt", 404, false}, {srv.URL + "/page", 200, false},
		{other + "/robots.txt", 404, false}, {other + "/missing", 0, true},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("replay: observed %v, want %v", got, want)
	}
}
