package fetch

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"watcher"
)

// Defaults applied by New to zero-valued Options fields.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultBodyCap       = 10 << 20 // 10 MiB
	DefaultMaxRetries    = 3
	DefaultMaxRedirects  = 10
	DefaultMaxRetryAfter = 2 * time.Minute
	DefaultRobotsTTL     = 24 * time.Hour
)

// Options configures a Fetcher. The zero value of every field except
// UserAgent selects a sensible default.
type Options struct {
	// UserAgent is the full User-Agent header value, e.g.
	// "watcher/0.1 (+mailto:x@y)". It is sent on every request, robots.txt
	// included, and its first product token ("watcher") selects the
	// robots.txt group.
	UserAgent string
	// HostDelay is the minimum gap between request starts to one host
	// (0 allowed). SetHostDelay and a robots.txt Crawl-delay can only
	// make it longer.
	HostDelay time.Duration
	// Timeout bounds one attempt, reading the body included (default 30s).
	Timeout time.Duration
	// BodyCap is the largest body accepted, before and after gunzip
	// (default 10 MiB). A larger body fails with class too_large.
	BodyCap int64
	// MaxRetries is the number of retries after the first attempt
	// (default 3; a negative value disables retries).
	MaxRetries int
	// MaxRedirects is the longest redirect chain followed (default 10; a
	// negative value refuses every redirect).
	MaxRedirects int
	// MaxRetryAfter is the longest Retry-After honoured by waiting
	// (default 2m). A longer one fails at once with RetryAfter set.
	MaxRetryAfter time.Duration
	// Validators returns the stored validators for a URL, for conditional
	// GET and the SameBody comparison. May be nil.
	Validators func(url string) (watcher.Validator, bool)
	// Robots returns a persisted robots.txt for a host key
	// ("https://www.regjeringen.no", see RobotsEntry). May be nil.
	Robots func(host string) (RobotsEntry, bool)
	// RobotsTTL is how long a persisted robots.txt is trusted without
	// refetching it (default 24h).
	RobotsTTL time.Duration
	// ArchiveDir, when set, makes the Fetcher write every response of the
	// run to watcher-<UTC timestamp>.warc.gz in that directory.
	ArchiveDir string
	// Replay lists WARC files that answer requests instead of the network.
	// Nothing is sent: host delays and retries do not apply, robots.txt
	// comes from the archive as well (one missing from it counts as absent,
	// Options.Robots is not consulted) and a URL the archive lacks fails
	// with class not_archived. It cannot be combined with ArchiveDir.
	Replay []string
	// Transport is the base transport (tests). Default: a tuned
	// http.Transport with keep-alive and without transparent gzip (the
	// Fetcher asks for and decodes gzip itself).
	Transport http.RoundTripper
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Sleep waits for d or until ctx is done (default: a timer honouring
	// ctx). Back-off, Retry-After and host spacing all wait through it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Log receives request and retry events (default: discard).
	Log *slog.Logger
	// Observe, when set, is told of every answer, live or replayed:
	// robots.txt, each redirect hop and each retry included. status is 0
	// when there was no HTTP answer (err says why). `watcher check` lists
	// the responses with it.
	Observe func(method, url string, status int, err error)
}

// RobotsEntry is one host's robots.txt as fetched, for persisting across
// runs. Host is the scheme, host and port the rules apply to
// ("https://www.regjeringen.no", "http://localhost:8080").
type RobotsEntry struct {
	Host      string
	Status    int
	Body      []byte
	FetchedAt time.Time
}

// withDefaults returns a copy of o with defaults filled in, or an error
// for settings that cannot work.
func (o Options) withDefaults() (Options, error) {
	if strings.TrimSpace(o.UserAgent) == "" {
		return o, fmt.Errorf("fetch options: UserAgent is required (an honest product token with a contact address)")
	}
	if len(o.Replay) > 0 && o.ArchiveDir != "" {
		return o, fmt.Errorf("fetch options: ArchiveDir and Replay cannot be combined")
	}
	if o.HostDelay < 0 {
		return o, fmt.Errorf("fetch options: HostDelay %v is negative", o.HostDelay)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.BodyCap <= 0 {
		o.BodyCap = DefaultBodyCap
	}
	switch {
	case len(o.Replay) > 0:
		o.MaxRetries = 0 // a replayed answer never changes: retrying it is pointless
	case o.MaxRetries == 0:
		o.MaxRetries = DefaultMaxRetries
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = DefaultMaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if o.RobotsTTL <= 0 {
		o.RobotsTTL = DefaultRobotsTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Transport == nil {
		o.Transport = defaultTransport()
	}
	return o, nil
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// defaultTransport is a keep-alive transport that leaves gzip to us, so
// that WireBytes and the archive see the body as sent.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableCompression = true
	t.MaxIdleConnsPerHost = 4
	t.IdleConnTimeout = 90 * time.Second
	t.ResponseHeaderTimeout = 0 // the per-attempt context bounds it
	return t
}
