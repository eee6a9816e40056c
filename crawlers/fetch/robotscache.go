package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"watcher"
)

// robotsRedirects is how many redirects a robots.txt fetch follows
// (RFC 9309 §2.3.1.2).
const robotsRedirects = 5

// robotsCache holds the robots.txt decision of every host of the run.
type robotsCache struct {
	mu      sync.Mutex
	hosts   map[string]*robotsHost
	fetched []RobotsEntry
}

// robotsHost is one origin's rules; sem lets one caller fetch while the
// others wait (or give up when their context ends).
type robotsHost struct {
	sem   chan struct{}
	rules *robotsRules
}

func newRobotsCache() *robotsCache {
	return &robotsCache{hosts: map[string]*robotsHost{}}
}

func (c *robotsCache) host(key string) *robotsHost {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hosts[key]
	if h == nil {
		h = &robotsHost{sem: make(chan struct{}, 1)}
		c.hosts[key] = h
	}
	return h
}

func (c *robotsCache) record(e RobotsEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fetched = append(c.fetched, e)
}

// RobotsFetched returns the robots.txt answers fetched during this run
// (2xx and 4xx; unreachable ones are not worth keeping), for the caller to
// persist and hand back through Options.Robots next run.
func (f *Fetcher) RobotsFetched() []RobotsEntry {
	f.robots.mu.Lock()
	defer f.robots.mu.Unlock()
	out := make([]RobotsEntry, len(f.robots.fetched))
	copy(out, f.robots.fetched)
	return out
}

// Allowed reports whether robots.txt lets us fetch rawURL, fetching the
// host's robots.txt first if this run has not. The error is a *FetchError
// for a URL that cannot be fetched at all or a context that ended.
func (f *Fetcher) Allowed(ctx context.Context, rawURL string) (bool, error) {
	u, ferr := parseTarget(rawURL)
	if ferr != nil {
		return false, ferr
	}
	rules, err := f.rulesFor(ctx, rawURL, u)
	if err != nil {
		return false, err
	}
	return rules.allowed(u.RequestURI()), nil
}

// checkRobots fails with class robots when robots.txt disallows u.
func (f *Fetcher) checkRobots(ctx context.Context, rawURL string, u *url.URL) error {
	rules, err := f.rulesFor(ctx, rawURL, u)
	if err != nil {
		return err
	}
	if rules.allowed(u.RequestURI()) {
		return nil
	}
	if c := rules.unreachable; rules.disallowAll && c != nil {
		return &FetchError{URL: rawURL, Class: c.Class, Status: c.Status, RetryAfter: c.RetryAfter, NotSent: true,
			Err: fmt.Errorf("robots.txt of %s was unreachable (%w): the host is off limits for this run", originKey(u), c)}
	}
	return &FetchError{URL: rawURL, Class: watcher.ErrRobots, NotSent: true, Err: errors.New("robots.txt disallows " + u.String())}
}

// rulesFor returns the rules for u's origin, loading them once per run.
func (f *Fetcher) rulesFor(ctx context.Context, rawURL string, u *url.URL) (*robotsRules, error) {
	key := originKey(u)
	h := f.robots.host(key)
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctxError(rawURL, ctx)
	}
	defer func() { <-h.sem }()
	if h.rules != nil {
		return h.rules, nil
	}
	rules, err := f.loadRobots(ctx, key)
	if err != nil {
		return nil, err
	}
	h.rules = rules
	if rules.crawlDelay > 0 {
		f.limiter.setFloor(u.Host, rules.crawlDelay)
	}
	return rules, nil
}

// loadRobots decides an origin's rules: a stored copy younger than
// RobotsTTL, else a fresh fetch; when the fetch finds robots.txt
// unreachable (5xx, 429, network), the stored copy of any age, else
// disallow all for this run (RFC 9309 §2.3.1.4). Replay uses only the
// archived robots.txt, so that it repeats the archived run's decisions,
// and offers nothing for persisting.
func (f *Fetcher) loadRobots(ctx context.Context, key string) (*robotsRules, error) {
	var stored *RobotsEntry
	if f.opt.Robots != nil && f.replay == nil {
		if e, ok := f.opt.Robots(key); ok && robotsAnswered(e.Status) {
			stored = &e
		}
	}
	if stored != nil && f.opt.Now().Sub(stored.FetchedAt) < f.opt.RobotsTTL {
		return f.rulesFromEntry(*stored), nil
	}
	entry, keep, err := f.fetchRobots(ctx, key)
	if ctx.Err() != nil {
		return nil, ctxError(key+"/robots.txt", ctx)
	}
	if err == nil && robotsAnswered(entry.Status) {
		if keep && f.replay == nil {
			f.robots.record(entry)
		}
		return f.rulesFromEntry(entry), nil
	}
	if stored != nil {
		f.opt.Log.Warn("robots.txt unreachable, using the stored copy", "host", key, "fetched_at", stored.FetchedAt, "err", errOrStatus(err, entry.Status))
		return f.rulesFromEntry(*stored), nil
	}
	f.opt.Log.Warn("robots.txt unreachable, host disallowed for this run", "host", key, "err", errOrStatus(err, entry.Status))
	return &robotsRules{disallowAll: true, unreachable: robotsFailure(key, err, entry.Status)}, nil
}

// robotsFailure is the FetchError of a robots.txt fetch that settled
// nothing: the fetch's own, or one made from the status it ended with.
func robotsFailure(key string, err error, status int) *FetchError {
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe
	}
	rawURL := key + "/robots.txt"
	if err != nil {
		return &FetchError{URL: rawURL, Class: watcher.ErrNetwork, Err: err}
	}
	return statusError(rawURL, status, statusClass(status), 0, "")
}

// fetchRobots fetches key/robots.txt with the usual politeness. keep is
// false for answers not worth persisting (a challenge page, a replay
// miss).
func (f *Fetcher) fetchRobots(ctx context.Context, key string) (e RobotsEntry, keep bool, err error) {
	rawURL := key + "/robots.txt"
	u, ferr := parseTarget(rawURL)
	if ferr != nil {
		return e, false, ferr
	}
	hdr := f.requestHeader(Request{URL: rawURL, Accept: "text/plain, */*;q=0.5"}, nil, watcher.Validator{}, false)
	plan := fetchPlan{maxRedirects: robotsRedirects, limit: robotsParseLimit, truncate: true}
	e = RobotsEntry{Host: key, FetchedAt: f.opt.Now()}
	rep, err := f.follow(ctx, rawURL, u, hdr, plan)
	var fe *FetchError
	switch {
	case err == nil:
		e.Status = rep.status
		if rep.status >= 200 && rep.status < 300 {
			e.Body = rep.body
		}
		return e, true, nil
	case errors.As(err, &fe) && fe.Challenge:
		// The page requests will meet the same challenge and report the
		// host as blocked; robots.txt itself says nothing.
		e.Status = http.StatusForbidden
		return e, false, nil
	case errors.As(err, &fe) && fe.Class == watcher.ErrHTTP && fe.Status >= 300 && fe.Status < 400:
		// Too many redirects, a loop or a bad target: unavailable (§2.3.1.2).
		e.Status = fe.Status
		return e, true, nil
	}
	return e, false, err
}

// robotsAnswered reports statuses that settle robots.txt: 2xx (rules),
// 3xx left over from a broken redirect chain and 4xx other than 429
// (no rules: allow all).
func robotsAnswered(status int) bool {
	return status >= 200 && status < 500 && status != http.StatusTooManyRequests
}

func (f *Fetcher) rulesFromEntry(e RobotsEntry) *robotsRules {
	if e.Status >= 200 && e.Status < 300 {
		return parseRobots(e.Body, f.token)
	}
	return allowAllRules
}

func errOrStatus(err error, status int) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("HTTP %d", status)
}

// originKey is the scheme, host and non-default port a robots.txt covers:
// "https://www.regjeringen.no", "http://127.0.0.1:8080".
func originKey(u *url.URL) string {
	host := strings.ToLower(u.Host)
	if h, port, err := net.SplitHostPort(host); err == nil &&
		(u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443") {
		host = h
		if strings.Contains(h, ":") {
			host = "[" + h + "]"
		}
	}
	return u.Scheme + "://" + host
}
