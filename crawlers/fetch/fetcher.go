package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"watcher"
)

// Fetcher is the one polite HTTP client of a run. It is safe for
// concurrent use.
type Fetcher struct {
	opt Options

	mu     sync.Mutex
	delays map[string]time.Duration
}

// New returns a Fetcher for one run.
func New(opt Options) (*Fetcher, error) {
	o, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Fetcher{opt: o, delays: map[string]time.Duration{}}, nil
}

// Get fetches one URL politely. Errors are *FetchError.
func (f *Fetcher) Get(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, &FetchError{URL: req.URL, Class: watcher.ErrHTTP, Err: fmt.Errorf("unsupported scheme")}
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &FetchError{URL: req.URL, Class: watcher.ErrHTTP, Err: err}
	}
	hr.Header.Set("User-Agent", f.opt.UserAgent)
	resp, err := f.opt.Transport.RoundTrip(hr)
	if err != nil {
		return nil, &FetchError{URL: req.URL, Class: watcher.ErrNetwork, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.opt.BodyCap))
	if err != nil {
		return nil, &FetchError{URL: req.URL, Class: watcher.ErrNetwork, Err: err}
	}
	return &Response{URL: req.URL, FinalURL: req.URL, Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// SetHostDelay sets a per-host minimum gap between request starts; the
// longer of this and Options.HostDelay applies.
func (f *Fetcher) SetHostDelay(host string, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delays[host] = d
}

// Allowed reports whether robots.txt allows fetching rawURL.
func (f *Fetcher) Allowed(ctx context.Context, rawURL string) (bool, error) {
	return true, nil
}

// RobotsFetched returns the robots.txt entries fetched during this run.
func (f *Fetcher) RobotsFetched() []RobotsEntry { return nil }

// RoundTripper returns an http.RoundTripper with the Fetcher's politeness.
func (f *Fetcher) RoundTripper() http.RoundTripper { return f.opt.Transport }

// Close flushes and closes the WARC writer, if any.
func (f *Fetcher) Close() error { return nil }
