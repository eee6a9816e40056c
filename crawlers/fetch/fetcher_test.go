package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"strconv"
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

func TestRobotsRealFileThroughGet(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, string(loadRealRobots(t)))
	s.handle("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("page")) })
	f := newTestFetcher(t, clock, Options{})
	tests := map[string]bool{
		"/no/dokument/hoyringar/id1763/?page=2":                      true,
		"/no/dokument/hoyringar/id1763/?documenttype=x":              false,
		"/no/rss/Rss/2581966/?documentType=dokumenter/h%C3%B8ringer": true,
		"/no/rss/Rss/2581966/?owner=463":                             true,
		"/api/x":                                                     false,
		"/foo.xhtml":                                                 false,
		"/foo.xhtml?x":                                               true,
		"/Utilities/RSSEngine/x":                                     false,
	}
	for path, allow := range tests {
		t.Run(path, func(t *testing.T) {
			ok, err := f.Allowed(context.Background(), s.URL+path)
			if err != nil {
				t.Fatal(err)
			}
			if ok != allow {
				t.Errorf("Allowed = %v, want %v", ok, allow)
			}
			_, err = f.Get(context.Background(), Request{URL: s.URL + path})
			if allow && err != nil {
				t.Errorf("Get: %v", err)
			}
			if !allow {
				wantClass(t, err, watcher.ErrRobots)
				if n := s.count(path); n != 0 {
					t.Errorf("%d requests for a disallowed path, want none", n)
				}
			}
		})
	}
	if n := s.count("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times in one run, want 1", n)
	}
	got := f.RobotsFetched()
	if len(got) != 1 || got[0].Host != s.URL || got[0].Status != 200 || !strings.Contains(string(got[0].Body), "/*/?documenttype") {
		t.Errorf("RobotsFetched = %+v", got)
	}
}

func TestRobotsStatus(t *testing.T) {
	tests := map[string]struct {
		status int
		allow  bool
	}{
		"404 allows all":        {http.StatusNotFound, true},
		"403 allows all":        {http.StatusForbidden, true},
		"410 allows all":        {http.StatusGone, true},
		"500 disallows all":     {http.StatusInternalServerError, false},
		"503 disallows all":     {http.StatusServiceUnavailable, false},
		"429 counts as unreach": {http.StatusTooManyRequests, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clock := newFakeClock()
			s := newSite(t, clock, "")
			s.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tc.status) })
			s.handle("/page", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
			f := newTestFetcher(t, clock, Options{})
			_, err := f.Get(context.Background(), Request{URL: s.URL + "/page"})
			if tc.allow && err != nil {
				t.Fatalf("Get: %v", err)
			}
			if !tc.allow {
				wantClass(t, err, watcher.ErrRobots)
				if n := s.count("/page"); n != 0 {
					t.Errorf("page fetched %d times while robots.txt is unreachable", n)
				}
				// Unreachable is retried like any 5xx, then settled for the run.
				if n := s.count("/robots.txt"); n != 1+DefaultMaxRetries {
					t.Errorf("robots.txt requested %d times, want %d", n, 1+DefaultMaxRetries)
				}
				if len(f.RobotsFetched()) != 0 {
					t.Error("an unreachable robots.txt must not be offered for persisting")
				}
			}
			_, _ = f.Get(context.Background(), Request{URL: s.URL + "/page"})
			if n := s.count("/robots.txt"); tc.allow && n != 1 {
				t.Errorf("robots.txt requested %d times for two pages, want 1", n)
			}
		})
	}
}

func TestRobotsNetworkErrorDisallows(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	url := s.URL
	s.Close()
	f := newTestFetcher(t, clock, Options{MaxRetries: -1})
	ok, err := f.Allowed(context.Background(), url+"/page")
	if err != nil || ok {
		t.Errorf("Allowed = %v, %v; want false for an unreachable host", ok, err)
	}
}

func TestRobotsPersistedCache(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "User-agent: *\nDisallow: /fresh-rule\n")
	s.handle("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })

	stored := func(age time.Duration, body string) func(string) (RobotsEntry, bool) {
		return func(host string) (RobotsEntry, bool) {
			if host != s.URL {
				return RobotsEntry{}, false
			}
			return RobotsEntry{Host: host, Status: 200, Body: []byte(body), FetchedAt: clock.Now().Add(-age)}, true
		}
	}
	t.Run("fresh copy is used without fetching", func(t *testing.T) {
		before := s.count("/robots.txt")
		f := newTestFetcher(t, clock, Options{Robots: stored(time.Hour, "User-agent: *\nDisallow: /stored-rule\n")})
		_, err := f.Get(context.Background(), Request{URL: s.URL + "/stored-rule"})
		wantClass(t, err, watcher.ErrRobots)
		if _, err := f.Get(context.Background(), Request{URL: s.URL + "/fresh-rule"}); err != nil {
			t.Errorf("a rule only in the live robots.txt applied: %v", err)
		}
		if s.count("/robots.txt") != before {
			t.Error("robots.txt fetched although a fresh copy was stored")
		}
		if len(f.RobotsFetched()) != 0 {
			t.Error("RobotsFetched lists an entry that was not fetched")
		}
	})
	t.Run("stale copy is refetched", func(t *testing.T) {
		before := s.count("/robots.txt")
		f := newTestFetcher(t, clock, Options{Robots: stored(25*time.Hour, "User-agent: *\nDisallow: /stored-rule\n")})
		_, err := f.Get(context.Background(), Request{URL: s.URL + "/fresh-rule"})
		wantClass(t, err, watcher.ErrRobots)
		if s.count("/robots.txt") != before+1 {
			t.Error("stale robots.txt was not refetched")
		}
		if got := f.RobotsFetched(); len(got) != 1 || !got[0].FetchedAt.Equal(clock.Now()) {
			t.Errorf("RobotsFetched = %+v, want the refetched entry stamped now", got)
		}
	})
	t.Run("stale copy beats an unreachable robots.txt", func(t *testing.T) {
		clock := newFakeClock()
		down := newSite(t, clock, "")
		down.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
		down.handle("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
		f := newTestFetcher(t, clock, Options{MaxRetries: -1, Robots: func(host string) (RobotsEntry, bool) {
			return RobotsEntry{Host: host, Status: 200, Body: []byte("User-agent: *\nDisallow: /old\n"), FetchedAt: clock.Now().Add(-30 * 24 * time.Hour)}, true
		}})
		if _, err := f.Get(context.Background(), Request{URL: down.URL + "/page"}); err != nil {
			t.Errorf("page disallowed although a stored robots.txt allows it: %v", err)
		}
		_, err := f.Get(context.Background(), Request{URL: down.URL + "/old"})
		wantClass(t, err, watcher.ErrRobots)
	})
}

func TestRobotsCrawlDelay(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "User-agent: *\nCrawl-delay: 5\n")
	s.handle("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	f := newTestFetcher(t, clock, Options{HostDelay: time.Second})
	for i := 0; i < 3; i++ {
		if _, err := f.Get(context.Background(), Request{URL: s.URL + "/p"}); err != nil {
			t.Fatal(err)
		}
	}
	assertSpacing(t, s.requests(), 5*time.Second)
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

func TestRetries(t *testing.T) {
	type step struct {
		status int
		header map[string]string
		body   string
	}
	tests := map[string]struct {
		steps      []step
		wantErr    watcher.ErrClass
		wantStatus int
		wantReqs   int
		// minimum waits, in order; each real wait may add up to 50% jitter
		// on back-off, never on a Retry-After.
		waits      []time.Duration
		retryAfter time.Duration
	}{
		"429 with Retry-After seconds, then success": {
			steps:    []step{{status: 429, header: map[string]string{"Retry-After": "7"}}, {status: 200, body: "ok"}},
			wantReqs: 2, waits: []time.Duration{7 * time.Second},
		},
		"429 with Retry-After HTTP-date, then success": {
			steps:    []step{{status: 429, header: map[string]string{"Retry-After": newFakeClock().Now().Add(30 * time.Second).Format(http.TimeFormat)}}, {status: 200, body: "ok"}},
			wantReqs: 2, waits: []time.Duration{30 * time.Second},
		},
		"503 three times, then success": {
			steps:    []step{{status: 503}, {status: 502}, {status: 500}, {status: 200, body: "ok"}},
			wantReqs: 4, waits: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
		},
		"503 until the retries are spent": {
			steps:   []step{{status: 503}, {status: 503}, {status: 503}, {status: 503}, {status: 200}},
			wantErr: watcher.ErrHTTP, wantStatus: 503, wantReqs: 4,
			waits: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
		},
		"429 until the retries are spent is blocked": {
			steps:   []step{{status: 429}, {status: 429}, {status: 429}, {status: 429}},
			wantErr: watcher.ErrBlocked, wantStatus: 429, wantReqs: 4,
			waits: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
		},
		"Retry-After beyond the limit fails at once": {
			steps:   []step{{status: 429, header: map[string]string{"Retry-After": "3600"}}, {status: 200}},
			wantErr: watcher.ErrBlocked, wantStatus: 429, wantReqs: 1, retryAfter: time.Hour,
		},
		"408 is retried": {
			steps:    []step{{status: 408}, {status: 200, body: "ok"}},
			wantReqs: 2, waits: []time.Duration{time.Second},
		},
		"404 is not retried": {
			steps:   []step{{status: 404}, {status: 200}},
			wantErr: watcher.ErrHTTP, wantStatus: 404, wantReqs: 1,
		},
		"plain 403 is blocked, not retried": {
			steps:   []step{{status: 403, body: "<html><body>Forbidden</body></html>"}, {status: 200}},
			wantErr: watcher.ErrBlocked, wantStatus: 403, wantReqs: 1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clock := newFakeClock()
			s := newSite(t, clock, "")
			n := 0
			s.handle("/x", func(w http.ResponseWriter, r *http.Request) {
				st := tc.steps[min(n, len(tc.steps)-1)]
				n++
				for k, v := range st.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(st.status)
				_, _ = w.Write([]byte(st.body))
			})
			f := newTestFetcher(t, clock, Options{})
			resp, err := f.Get(context.Background(), Request{URL: s.URL + "/x"})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if string(resp.Body) != "ok" {
					t.Errorf("body = %q", resp.Body)
				}
			} else {
				fe := wantClass(t, err, tc.wantErr)
				if fe.Status != tc.wantStatus || fe.RetryAfter != tc.retryAfter {
					t.Errorf("Status = %d, RetryAfter = %v; want %d, %v", fe.Status, fe.RetryAfter, tc.wantStatus, tc.retryAfter)
				}
			}
			if n != tc.wantReqs {
				t.Errorf("%d requests, want %d", n, tc.wantReqs)
			}
			sleeps := clock.Sleeps()
			if len(sleeps) != len(tc.waits) {
				t.Fatalf("waits = %v, want %d of them (≥ %v)", sleeps, len(tc.waits), tc.waits)
			}
			for i, w := range tc.waits {
				if sleeps[i] < w || sleeps[i] > w+w/2 {
					t.Errorf("wait %d = %v, want %v plus at most 50%% jitter", i, sleeps[i], w)
				}
			}
		})
	}
}

func TestChallengePages(t *testing.T) {
	const cfPage = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>` +
		`<body><script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>`
	tests := map[string]struct {
		status int
		header map[string]string
		body   string
	}{
		"403 just a moment":       {403, map[string]string{"Content-Type": "text/html; charset=UTF-8"}, cfPage},
		"503 challenge":           {503, map[string]string{"Content-Type": "text/html"}, cfPage},
		"403 attention required":  {403, map[string]string{"Content-Type": "text/html"}, "<title>Attention Required! | Cloudflare</title>"},
		"200 challenge page":      {200, map[string]string{"Content-Type": "text/html"}, cfPage},
		"cf-mitigated header":     {403, map[string]string{"Cf-Mitigated": "challenge", "Content-Type": "text/plain"}, "x"},
		"cf-mitigated header 200": {200, map[string]string{"Cf-Mitigated": "challenge"}, "x"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clock := newFakeClock()
			s := newSite(t, clock, "")
			s.handle("/x", func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			f := newTestFetcher(t, clock, Options{})
			_, err := f.Get(context.Background(), Request{URL: s.URL + "/x"})
			fe := wantClass(t, err, watcher.ErrBlocked)
			if !fe.Challenge || fe.Status != tc.status {
				t.Errorf("Challenge = %v, Status = %d; want true, %d", fe.Challenge, fe.Status, tc.status)
			}
			if n := s.count("/x"); n != 1 {
				t.Errorf("challenge requested %d times, want 1 (no retries)", n)
			}
		})
	}
	t.Run("ordinary page loading challenge-platform script is fine", func(t *testing.T) {
		clock := newFakeClock()
		s := newSite(t, clock, "")
		s.handle("/x", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<html><head><title>Høringer</title><script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script></head></html>`))
		})
		f := newTestFetcher(t, clock, Options{})
		if _, err := f.Get(context.Background(), Request{URL: s.URL + "/x"}); err != nil {
			t.Errorf("ordinary page taken for a challenge: %v", err)
		}
	})
}

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

func TestTimeoutOnSlowBody(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	s.handle("/slow", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<p>first part"))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // never finishes on its own
	})
	f := newTestFetcher(t, clock, Options{Timeout: 100 * time.Millisecond, MaxRetries: -1})
	_, err := f.Get(context.Background(), Request{URL: s.URL + "/slow"})
	wantClass(t, err, watcher.ErrTimeout)
}

func TestTimeoutIsRetried(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	n := 0
	s.handle("/slow-once", func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			<-r.Context().Done()
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	f := newTestFetcher(t, clock, Options{Timeout: 100 * time.Millisecond})
	if _, err := f.Get(context.Background(), Request{URL: s.URL + "/slow-once"}); err != nil {
		t.Fatalf("a timeout followed by success: %v", err)
	}
	if n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestNetworkErrorClass(t *testing.T) {
	clock := newFakeClock()
	f := newTestFetcher(t, clock, Options{MaxRetries: 2, Robots: func(host string) (RobotsEntry, bool) {
		return RobotsEntry{Host: host, Status: 404, FetchedAt: clock.Now()}, true
	}})
	s := newSite(t, clock, "")
	url := s.URL
	s.Close()
	_, err := f.Get(context.Background(), Request{URL: url + "/x"})
	wantClass(t, err, watcher.ErrNetwork)
	if got := len(clock.Sleeps()); got != 2 {
		t.Errorf("%d back-off waits, want 2", got)
	}
}

func TestCanceled(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	s.handle("/x", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) })
	f := newTestFetcher(t, clock, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.Get(ctx, Request{URL: s.URL + "/x"})
	wantClass(t, err, watcher.ErrCanceled)
	if n := len(s.requests()); n != 0 {
		t.Errorf("%d requests after cancel, want 0", n)
	}

	// Canceled during the back-off of a retry.
	ctx, cancel = context.WithCancel(context.Background())
	f2 := newTestFetcher(t, clock, Options{Sleep: nil})
	f2.opt.Sleep = func(ctx context.Context, d time.Duration) error {
		if d > 0 {
			cancel()
		}
		return clock.Sleep(ctx, d)
	}
	_, err = f2.Get(ctx, Request{URL: s.URL + "/x"})
	wantClass(t, err, watcher.ErrCanceled)
}

func TestReadTestdata(t *testing.T) {
	// The fixture is the byte-exact capture: guard against edits.
	b, err := os.ReadFile("testdata/regjeringen-robots.txt")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != "53044899038823410336a7026d60f511f2e37a318695a20959983de66c1b00c1" {
		t.Errorf("testdata/regjeringen-robots.txt sha256 = %s: not the captured file", got)
	}
}
