package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/crawlers/fetch"
	"watcher/runner"
	"watcher/state"

	// The generic kinds (feed) register themselves.
	_ "watcher/crawlers"
)

// crawlJob is the daily job without alerts, as `watcher run --no-alerts`
// runs it: the real fetcher and runner over the store.
func crawlJob(cfg *config.Config, st *state.Store) RunFunc {
	return func(ctx context.Context, sources []watcher.Source) (*runner.Result, error) {
		f, err := fetch.New(fetch.Options{UserAgent: cfg.UserAgentString(), HostDelay: 0, Timeout: 20 * time.Second,
			MaxRetries: -1, Validators: st.Validator, Log: discardLog()})
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r := &runner.Runner{Cfg: cfg, Store: st, Fetcher: f, Log: discardLog()}
		return r.Run(ctx, sources)
	}
}

func rss(host string, n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>http://` + host + `/</link>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>Sak %d om menneskehandel fra %s</title><link>http://%s/sak/%d</link><guid>%s-%d</guid>`+
			`<description>Ingress %d</description><pubDate>Mon, 0%d Aug 2026 10:00:00 +0200</pubDate></item>`, i, host, host, i, host, i, i, i+1)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// TestSIGTERMMidRunLeavesConsistentDatabase starts a run through the UI,
// sends the process SIGTERM while the second of three sources is halfway
// through its feed, and checks that serve stops, that the first source's
// items are stored whole, the second's not at all, the third was never
// started, and that the database passes its integrity check.
func TestSIGTERMMidRunLeavesConsistentDatabase(t *testing.T) {
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rss("fast", 3))
	}))
	defer fast.Close()
	hit := make(chan struct{}, 1)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r)
			return
		}
		body := rss("slow", 3)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		fmt.Fprint(w, body[:len(body)/2]) // half the feed, then nothing
		w.(http.Flusher).Flush()
		hit <- struct{}{}
		<-r.Context().Done()
	}))
	defer slow.Close()
	never := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			t.Errorf("the third source was fetched after the shutdown")
		}
		http.NotFound(w, r)
	}))
	defer never.Close()

	yaml := fmt.Sprintf(`
contact: mailto:redaksjon@watcher.invalid
host_delay: 0s
allow_short_host_delay: true
parallel: 1
max_retries: 0
sources:
  - {id: a-fast, name: A, organisation: A, region: norway, kind: feed, url: %s/feed.xml}
  - {id: b-slow, name: B, organisation: B, region: norway, kind: feed, url: %s/feed.xml}
  - {id: c-never, name: C, organisation: C, region: norway, kind: feed, url: %s/feed.xml}
`, fast.URL, slow.URL, never.URL)
	cfg := testConfig(t, yaml)
	path := filepath.Join(t.TempDir(), "watcher.db")
	st := openStore(t, path, time.Now)
	srv, err := New(Options{Config: cfg, Store: st, Run: crawlJob(cfg, st), Log: discardLog(), NoSchedule: true})
	if err != nil {
		t.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.ServeListener(ctx, ln, "", "") }()

	c := newClient(t, "http://"+ln.Addr().String())
	if msg := c.submit("/run", url.Values{}); msg != "started" {
		t.Fatalf("run now: msg %q", msg)
	}
	select {
	case <-hit:
	case <-time.After(20 * time.Second):
		t.Fatal("the second source was never fetched")
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after shutdown")
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	if err := state.Check(path); err != nil {
		t.Fatalf("integrity check after SIGTERM: %v", err)
	}
	st = openStore(t, path, time.Now)
	defer st.Close()
	for src, want := range map[string]int{"a-fast": 3, "b-slow": 0, "c-never": 0} {
		items, err := st.Items(state.Query{Source: src})
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != want {
			t.Errorf("%s: %d items stored, want %d", src, len(items), want)
		}
		for _, it := range items {
			if it.Title == "" || it.URL == "" || it.Summary == "" || it.Published.IsZero() || it.FirstSeen.IsZero() {
				t.Errorf("%s: half-stored item %+v", src, it)
			}
		}
	}
	last, ok, err := st.LastRun()
	if err != nil || !ok {
		t.Fatalf("no run report stored: %v", err)
	}
	got := map[string]watcher.ErrClass{}
	for _, l := range last.Sources {
		got[l.SourceID] = l.ErrClass
	}
	if len(got) != 2 || got["a-fast"] != watcher.ErrNone || got["b-slow"] != watcher.ErrCanceled {
		t.Errorf("run report sources %v, want a-fast ok and b-slow canceled only", got)
	}
}
