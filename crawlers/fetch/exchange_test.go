package fetch

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"watcher"
)

func TestRedirects(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "User-agent: *\nDisallow: /private\n")
	redirect := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
	}
	for i := 0; i < 12; i++ {
		s.handle("/chain/"+strconv.Itoa(i), redirect("/chain/"+strconv.Itoa(i+1)))
	}
	s.handle("/loop/a", redirect("/loop/b"))
	s.handle("/loop/b", redirect("/loop/a"))
	s.handle("/to-ftp", redirect("ftp://example.org/file"))
	s.handle("/to-private", redirect("/private/page"))
	s.handle("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/final?x=1", http.StatusMovedPermanently)
	})
	s.handle("/no-location", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusFound) })
	s.handle("/final", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("final")) })
	s.handle("/chain/12", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("end of chain")) })

	f := newTestFetcher(t, clock, Options{MaxRedirects: 10})
	resp, err := f.Get(context.Background(), Request{URL: s.URL + "/moved"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.FinalURL != s.URL+"/final?x=1" || resp.URL != s.URL+"/moved" || string(resp.Body) != "final" {
		t.Errorf("URL %q FinalURL %q body %q", resp.URL, resp.FinalURL, resp.Body)
	}
	if resp, err := f.Get(context.Background(), Request{URL: s.URL + "/chain/2"}); err != nil || string(resp.Body) != "end of chain" {
		t.Errorf("10 redirects must be followed: %v", err)
	}
	tests := map[string]struct {
		path  string
		class watcher.ErrClass
		msg   string
	}{
		"11 redirects":  {"/chain/1", watcher.ErrHTTP, "more than 10 redirects"},
		"loop":          {"/loop/a", watcher.ErrHTTP, "redirect loop"},
		"ftp target":    {"/to-ftp", watcher.ErrHTTP, `unsupported scheme "ftp"`},
		"robots target": {"/to-private", watcher.ErrRobots, "robots.txt disallows"},
		"no location":   {"/no-location", watcher.ErrHTTP, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := f.Get(context.Background(), Request{URL: s.URL + tc.path})
			fe := wantClass(t, err, tc.class)
			if !strings.Contains(fe.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", fe, tc.msg)
			}
		})
	}
	if n := s.count("/private/page"); n != 0 {
		t.Errorf("disallowed redirect target fetched %d times", n)
	}
}

func TestGzip(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	plain := []byte(strings.Repeat("<item>Høringsfrist 07.08.2026</item>\n", 200))
	zipped := gzipBytes(t, plain)
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("Accept-Encoding = %q, want gzip", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(zipped)
	})
	f := newTestFetcher(t, clock, Options{})
	resp, err := f.Get(context.Background(), Request{URL: s.URL + "/feed"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != string(plain) {
		t.Errorf("body not decoded: %q…", resp.Body[:min(len(resp.Body), 40)])
	}
	if resp.WireBytes != int64(len(zipped)) {
		t.Errorf("WireBytes = %d, want %d (compressed)", resp.WireBytes, len(zipped))
	}
}

func TestBodyCaps(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	big := []byte(strings.Repeat("x", 5000))
	s.handle("/declared", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(big) })
	s.handle("/chunked", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 10; i++ {
			_, _ = w.Write(big[:500])
			w.(http.Flusher).Flush()
		}
	})
	bomb := gzipBytes(t, make([]byte, 8<<20))
	s.handle("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write(bomb)
	})
	s.handle("/fits", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(big[:4096]) })
	f := newTestFetcher(t, clock, Options{BodyCap: 4096})
	if len(bomb) >= 4096*10 {
		t.Fatalf("test bomb is %d bytes compressed: not a bomb", len(bomb))
	}
	for _, path := range []string{"/declared", "/chunked", "/bomb"} {
		t.Run(path, func(t *testing.T) {
			_, err := f.Get(context.Background(), Request{URL: s.URL + path})
			wantClass(t, err, watcher.ErrTooLarge)
		})
	}
	resp, err := f.Get(context.Background(), Request{URL: s.URL + "/fits"})
	if err != nil || len(resp.Body) != 4096 {
		t.Errorf("a body of exactly the cap: err=%v len=%d", err, len(resp.Body))
	}
}

// TestHostDelayDoesNotEatTimeout uses the real clock: the second request
// waits out a host delay longer than the attempt timeout, which must only
// start counting once the host's turn has come.
func TestHostDelayDoesNotEatTimeout(t *testing.T) {
	s := newSite(t, newFakeClock(), "")
	s.handle("/p", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	f, err := New(Options{UserAgent: testUA, HostDelay: 150 * time.Millisecond, Timeout: 100 * time.Millisecond, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, err := f.Get(context.Background(), Request{URL: s.URL + "/p"}); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
}
