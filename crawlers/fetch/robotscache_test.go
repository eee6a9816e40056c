package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"watcher"
)

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
	// A page refused because robots.txt was unreachable takes the class of
	// that failure: health then says the host did not answer (or rate
	// limited us), not that its rules refused us.
	tests := map[string]struct {
		status int
		allow  bool
		class  watcher.ErrClass
	}{
		"404 allows all":        {http.StatusNotFound, true, ""},
		"403 allows all":        {http.StatusForbidden, true, ""},
		"410 allows all":        {http.StatusGone, true, ""},
		"500 disallows all":     {http.StatusInternalServerError, false, watcher.ErrHTTP},
		"503 disallows all":     {http.StatusServiceUnavailable, false, watcher.ErrHTTP},
		"429 counts as unreach": {http.StatusTooManyRequests, false, watcher.ErrBlocked},
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
				wantClass(t, err, tc.class)
				var fe *FetchError
				if !errors.As(err, &fe) || fe.Status != tc.status || !fe.NotSent || Sent(err) ||
					!strings.Contains(err.Error(), "robots.txt of "+s.URL+" was unreachable") {
					t.Errorf("error %+v, want status %d, not sent, saying robots.txt was unreachable", err, tc.status)
				}
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
	_, err = f.Get(context.Background(), Request{URL: url + "/page"})
	wantClass(t, err, watcher.ErrNetwork)
	if Sent(err) {
		t.Errorf("Sent(%v) = true for a page never requested", err)
	}
}

func TestSent(t *testing.T) {
	tests := map[string]struct {
		err  error
		want bool
	}{
		"success":          {nil, true},
		"answered failure": {&FetchError{Class: watcher.ErrHTTP, Status: 500}, true},
		"refused":          {fmt.Errorf("feed: %w", &FetchError{Class: watcher.ErrRobots, NotSent: true}), false},
		"other error":      {errors.New("x"), true},
	}
	for name, tc := range tests {
		if got := Sent(tc.err); got != tc.want {
			t.Errorf("%s: Sent = %v, want %v", name, got, tc.want)
		}
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

func TestRobotsRedirects(t *testing.T) {
	tests := map[string]struct {
		hops  int
		allow bool // for /private
	}{
		"followed to the rules": {hops: 2, allow: false},
		"five hops followed":    {hops: 5, allow: false},
		"six hops: unavailable": {hops: 6, allow: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			clock := newFakeClock()
			s := newSite(t, clock, "")
			s.handle("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/hop/1", http.StatusMovedPermanently)
			})
			for i := 1; i < tc.hops; i++ {
				s.handle("/hop/"+strconv.Itoa(i), func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, "/hop/"+strconv.Itoa(i+1), http.StatusFound)
				})
			}
			s.handle("/hop/"+strconv.Itoa(tc.hops), func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte("User-agent: *\nDisallow: /private\n"))
			})
			f := newTestFetcher(t, clock, Options{})
			ok, err := f.Allowed(context.Background(), s.URL+"/private")
			if err != nil {
				t.Fatal(err)
			}
			if ok != tc.allow {
				t.Errorf("Allowed(/private) = %v, want %v", ok, tc.allow)
			}
		})
	}
}

func TestRobotsChallengeLeavesVerdictToPage(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	challenge := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cf-Mitigated", "challenge")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("<title>Just a moment...</title>"))
	}
	s.handle("/robots.txt", challenge)
	s.handle("/page", challenge)
	f := newTestFetcher(t, clock, Options{})
	_, err := f.Get(context.Background(), Request{URL: s.URL + "/page"})
	if fe := wantClass(t, err, watcher.ErrBlocked); !fe.Challenge {
		t.Error("Challenge not set")
	}
	if len(f.RobotsFetched()) != 0 {
		t.Error("a challenged robots.txt must not be offered for persisting")
	}
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
