package fetch

import (
	"context"
	"net/http"
	"testing"
	"time"

	"watcher"
)

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
		"a redirect without Location is an error, not an answer": {
			steps:   []step{{status: 302}, {status: 200}},
			wantErr: watcher.ErrHTTP, wantStatus: 302, wantReqs: 1,
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
