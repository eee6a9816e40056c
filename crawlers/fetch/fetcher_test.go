package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"watcher"
)

func TestUserAgentOnEveryRequest(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "User-agent: *\nDisallow: /private\n")
	s.handle("/page", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	f := newTestFetcher(t, clock, Options{})
	if _, err := f.Get(context.Background(), Request{URL: s.URL + "/page"}); err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	if len(reqs) != 2 || reqs[0].Path != "/robots.txt" || reqs[1].Path != "/page" {
		t.Fatalf("requests = %+v, want robots.txt then /page", reqs)
	}
	for _, r := range reqs {
		if r.UA != testUA {
			t.Errorf("%s: User-Agent = %q, want %q", r.Path, r.UA, testUA)
		}
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	tests := map[string]Options{
		"no user agent":        {},
		"archive with replay":  {UserAgent: testUA, ArchiveDir: t.TempDir(), Replay: []string{"x.warc.gz"}},
		"negative host delay":  {UserAgent: testUA, HostDelay: -time.Second},
		"missing replay files": {UserAgent: testUA, Replay: []string{"/nonexistent/x.warc.gz"}},
	}
	for name, opt := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := New(opt); err == nil {
				t.Error("New succeeded, want an error")
			}
		})
	}
}

func TestUnsupportedScheme(t *testing.T) {
	f := newTestFetcher(t, newFakeClock(), Options{})
	for _, u := range []string{"ftp://example.org/file", "file:///etc/passwd", "mailto:x@y"} {
		_, err := f.Get(context.Background(), Request{URL: u})
		fe := wantClass(t, err, watcher.ErrHTTP)
		if !strings.Contains(fe.Error(), "unsupported scheme") {
			t.Errorf("%s: error %q does not say unsupported scheme", u, fe)
		}
	}
}

// assertSpacing checks that consecutive request starts are at least gap
// apart on the fake clock, and that the spacing was not overdone.
func assertSpacing(t *testing.T, reqs []seenRequest, gap time.Duration) {
	t.Helper()
	for i := 1; i < len(reqs); i++ {
		d := reqs[i].At.Sub(reqs[i-1].At)
		if d < gap {
			t.Errorf("request %d (%s) started %v after the previous one, want at least %v", i, reqs[i].Path, d, gap)
		}
		if d > gap {
			t.Errorf("request %d (%s) waited %v, more than the %v gap", i, reqs[i].Path, d, gap)
		}
	}
}

func TestHostSpacing(t *testing.T) {
	clock := newFakeClock()
	a := newSite(t, clock, "")
	b := newSite(t, clock, "")
	for _, s := range []*site{a, b} {
		s.handle("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	}
	f := newTestFetcher(t, clock, Options{HostDelay: 2 * time.Second})
	bHost := strings.TrimPrefix(b.URL, "http://")
	f.SetHostDelay(bHost, 7*time.Second)
	aName := strings.Split(strings.TrimPrefix(a.URL, "http://"), ":")[0]
	f.SetHostDelay(aName+":1", 9*time.Second) // another port: no effect on a

	for i := 0; i < 3; i++ {
		for _, s := range []*site{a, b} {
			if _, err := f.Get(context.Background(), Request{URL: s.URL + "/p"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// a: robots, p, p, p at 2s gaps; b: its own 7s gaps. Sequential
	// calls interleave, so the gaps are lower bounds here.
	for name, tc := range map[string]struct {
		s   *site
		gap time.Duration
	}{"a": {a, 2 * time.Second}, "b": {b, 7 * time.Second}} {
		reqs := tc.s.requests()
		if len(reqs) != 4 {
			t.Fatalf("%s: %d requests, want 4", name, len(reqs))
		}
		for i := 1; i < len(reqs); i++ {
			if d := reqs[i].At.Sub(reqs[i-1].At); d < tc.gap {
				t.Errorf("%s: request %d started %v after the previous, want ≥ %v", name, i, d, tc.gap)
			}
		}
	}
	// The first request to b did not wait for a.
	if !b.requests()[0].At.Equal(a.requests()[1].At) {
		t.Errorf("b's first request waited for a: a at %v, b at %v", a.requests()[1].At, b.requests()[0].At)
	}
}

func TestHostSpacingSameHostExact(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	s.handle("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	f := newTestFetcher(t, clock, Options{HostDelay: 3 * time.Second})
	for i := 0; i < 4; i++ {
		if _, err := f.Get(context.Background(), Request{URL: s.URL + "/p"}); err != nil {
			t.Fatal(err)
		}
	}
	// robots.txt counts as a request to the host.
	assertSpacing(t, s.requests(), 3*time.Second)
}

func TestConditionalGet(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	const etag, lastMod = `"v1"`, "Wed, 17 Jun 2026 12:29:10 GMT"
	body := "<p>hearing list</p>"
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	})
	sum := sha256.Sum256([]byte(body))
	hash := hex.EncodeToString(sum[:])

	var store = map[string]watcher.Validator{}
	f := newTestFetcher(t, clock, Options{Validators: func(u string) (watcher.Validator, bool) {
		v, ok := store[u]
		return v, ok
	}})
	u := s.URL + "/feed"
	first, err := f.Get(context.Background(), Request{URL: u, Conditional: true})
	if err != nil {
		t.Fatal(err)
	}
	want := watcher.Validator{URL: u, ETag: etag, LastModified: lastMod, BodyHash: hash, FetchedAt: clock.Now()}
	if first.NotModified || first.SameBody || first.Validator != want {
		t.Fatalf("first fetch: NotModified=%v SameBody=%v Validator=%+v, want %+v", first.NotModified, first.SameBody, first.Validator, want)
	}
	store[u] = first.Validator

	clock.Sleep(context.Background(), time.Hour)
	second, err := f.Get(context.Background(), Request{URL: u, Conditional: true})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Status != http.StatusNotModified || len(second.Body) != 0 {
		t.Fatalf("second fetch: NotModified=%v Status=%d body=%q, want a 304", second.NotModified, second.Status, second.Body)
	}
	carried := want
	carried.FetchedAt = clock.Now()
	if second.Validator != carried {
		t.Errorf("304 validator = %+v, want the stored one carried forward %+v", second.Validator, carried)
	}
	last := s.requests()[len(s.requests())-1]
	if last.Header.Get("If-None-Match") != etag || last.Header.Get("If-Modified-Since") != lastMod {
		t.Errorf("conditional headers sent: %v", last.Header)
	}

	third, err := f.Get(context.Background(), Request{URL: u})
	if err != nil {
		t.Fatal(err)
	}
	if third.NotModified || !third.SameBody {
		t.Errorf("unconditional refetch: NotModified=%v SameBody=%v, want a full body that is the same", third.NotModified, third.SameBody)
	}
	last = s.requests()[len(s.requests())-1]
	if last.Header.Get("If-None-Match") != "" || last.Header.Get("If-Modified-Since") != "" {
		t.Errorf("an unconditional request sent validators: %v", last.Header)
	}
}

func TestSameBody(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	s.handle("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		_, _ = w.Write([]byte("<p>bl\xe5</p>"))
	})
	decoded := sha256.Sum256([]byte("<p>blå</p>"))
	tests := map[string]struct {
		stored string
		same   bool
	}{
		"equal hash of the decoded body": {hex.EncodeToString(decoded[:]), true},
		"other hash":                     {strings.Repeat("0", 64), false},
		"no stored hash":                 {"", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := newTestFetcher(t, clock, Options{Validators: func(string) (watcher.Validator, bool) {
				return watcher.Validator{BodyHash: tc.stored}, true
			}})
			resp, err := f.Get(context.Background(), Request{URL: s.URL + "/page", Conditional: true})
			if err != nil {
				t.Fatal(err)
			}
			if resp.SameBody != tc.same {
				t.Errorf("SameBody = %v, want %v", resp.SameBody, tc.same)
			}
		})
	}
}

func TestCharsetThroughGet(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	s.handle("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
		_, _ = w.Write([]byte("<h1>H\xf8yringsfrist: 14. august</h1>"))
	})
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="windows-1252"?><rss><title>` + "\x93P\xe5 h\xf8ring\x94</title></rss>"))
	})
	f := newTestFetcher(t, clock, Options{})
	resp, err := f.Get(context.Background(), Request{URL: s.URL + "/latin1"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "<h1>Høyringsfrist: 14. august</h1>" || resp.ContentType != "text/html" || resp.Charset != "windows-1252" {
		t.Errorf("latin-1 page: body %q type %q charset %q", resp.Body, resp.ContentType, resp.Charset)
	}
	resp, err = f.Get(context.Background(), Request{URL: s.URL + "/feed"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `<?xml version="1.0" encoding="UTF-8"?><rss><title>“På høring”</title></rss>`; string(resp.Body) != want {
		t.Errorf("feed body %q, want %q", resp.Body, want)
	}
}

func TestReplayNeverRetries(t *testing.T) {
	for _, n := range []int{0, 5, -1} {
		o, err := Options{UserAgent: testUA, Replay: []string{"x.warc.gz"}, MaxRetries: n}.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		if o.MaxRetries != 0 {
			t.Errorf("MaxRetries %d with Replay became %d, want 0: a replayed answer never changes", n, o.MaxRetries)
		}
	}
	if o, _ := (Options{UserAgent: testUA}).withDefaults(); o.MaxRetries != DefaultMaxRetries {
		t.Errorf("MaxRetries without Replay = %d, want the default %d", o.MaxRetries, DefaultMaxRetries)
	}
}
