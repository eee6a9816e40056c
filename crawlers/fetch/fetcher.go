package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"watcher"
)

// Fetcher is the one polite HTTP client of a run. It is safe for
// concurrent use: requests to different hosts proceed in parallel, those
// to one host are spaced by the host delay.
type Fetcher struct {
	opt     Options
	token   string // robots.txt product token, from the User-Agent
	limiter *hostLimiter
	robots  *robotsCache
	archive *warcWriter  // nil unless Options.ArchiveDir
	replay  *replayIndex // nil unless Options.Replay
}

// New returns a Fetcher for one run. With Options.ArchiveDir it creates
// the run's WARC file at once; with Options.Replay it indexes the given
// WARC files.
func New(opt Options) (*Fetcher, error) {
	o, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	f := &Fetcher{
		opt:     o,
		token:   productToken(o.UserAgent),
		limiter: newHostLimiter(o.HostDelay, o.Now, o.Sleep),
		robots:  newRobotsCache(),
	}
	if len(o.Replay) > 0 {
		if f.replay, err = openReplay(o.Replay); err != nil {
			return nil, err
		}
	}
	if o.ArchiveDir != "" {
		if f.archive, err = newWarcWriter(o.ArchiveDir, o.Now(), o.UserAgent); err != nil {
			return nil, err
		}
		o.Log.Info("archiving responses", "warc", f.archive.path)
	}
	return f, nil
}

// ArchivePath returns the WARC file this run writes, or "".
func (f *Fetcher) ArchivePath() string {
	if f.archive == nil {
		return ""
	}
	return f.archive.path
}

// SetHostDelay sets a minimum gap between request starts to host ("name"
// or "name:port"; a bare name covers every port). The longest of this,
// Options.HostDelay and the host's robots.txt Crawl-delay applies.
func (f *Fetcher) SetHostDelay(host string, d time.Duration) {
	f.limiter.setHint(host, d)
}

// Close flushes and closes the WARC writer, if any. It reports the first
// archive write error of the run.
func (f *Fetcher) Close() error {
	if f.archive == nil {
		return nil
	}
	return f.archive.Close()
}

// Get fetches one URL politely: robots.txt is consulted for the URL and
// every redirect target, the host delay is kept, transient failures are
// retried, and text bodies come back as UTF-8. A Response is a 2xx answer
// or a 304; any other final status is an error. Errors are *FetchError.
func (f *Fetcher) Get(ctx context.Context, req Request) (*Response, error) {
	return f.get(ctx, req, nil, true)
}

// get is Get with extra request headers and a choice to follow redirects
// (the RoundTripper leaves them to its http.Client).
func (f *Fetcher) get(ctx context.Context, req Request, extra http.Header, follow bool) (*Response, error) {
	u, ferr := parseTarget(req.URL)
	if ferr != nil {
		return nil, ferr
	}
	stored, hasStored := f.storedValidator(req.URL)
	hdr := f.requestHeader(req, extra, stored, hasStored)
	plan := fetchPlan{maxRedirects: f.opt.MaxRedirects, robots: true, limit: f.opt.BodyCap}
	if !follow {
		plan.maxRedirects = -1
	}
	rep, err := f.follow(ctx, req.URL, u, hdr, plan)
	if err != nil {
		return nil, err
	}
	return f.interpret(req.URL, rep, stored, hasStored, follow)
}

// parseTarget accepts absolute http and https URLs only.
func parseTarget(rawURL string) (*url.URL, *FetchError) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, &FetchError{URL: rawURL, Class: watcher.ErrHTTP, NotSent: true, Err: fmt.Errorf("parse url: %w", err)}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &FetchError{URL: rawURL, Class: watcher.ErrHTTP, NotSent: true, Err: fmt.Errorf("unsupported scheme %q: only http and https are fetched", u.Scheme)}
	}
	if u.Host == "" {
		return nil, &FetchError{URL: rawURL, Class: watcher.ErrHTTP, NotSent: true, Err: errors.New("url has no host")}
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

func (f *Fetcher) storedValidator(rawURL string) (watcher.Validator, bool) {
	if f.opt.Validators == nil {
		return watcher.Validator{}, false
	}
	return f.opt.Validators(rawURL)
}

// requestHeader builds the headers of every attempt: the honest
// User-Agent, gzip (decoded by us), Accept, and the validators of a
// conditional request.
func (f *Fetcher) requestHeader(req Request, extra http.Header, stored watcher.Validator, hasStored bool) http.Header {
	h := http.Header{}
	for k, vs := range extra {
		h[k] = append([]string(nil), vs...)
	}
	h.Set("User-Agent", f.opt.UserAgent)
	h.Set("Accept-Encoding", "gzip")
	accept := req.Accept
	if accept == "" {
		accept = "*/*"
	}
	h.Set("Accept", accept)
	h.Del("If-None-Match")
	h.Del("If-Modified-Since")
	if req.Conditional && hasStored {
		if stored.ETag != "" {
			h.Set("If-None-Match", stored.ETag)
		}
		if stored.LastModified != "" {
			h.Set("If-Modified-Since", stored.LastModified)
		}
	}
	return h
}

// interpret turns the final reply into a Response, or a FetchError for a
// status that is not an answer. A redirect is an answer only when the
// caller follows redirects itself.
func (f *Fetcher) interpret(rawURL string, rep *reply, stored watcher.Validator, hasStored, follow bool) (*Response, error) {
	resp := &Response{
		URL:       rawURL,
		FinalURL:  rep.url.String(),
		Status:    rep.status,
		Header:    rep.header,
		WireBytes: rep.wire,
	}
	now := f.opt.Now()
	switch {
	case rep.status == http.StatusNotModified:
		resp.NotModified = true
		resp.Validator = carryForward(rawURL, stored, hasStored, rep.header, now)
		return resp, nil
	case isRedirect(rep.status) && !follow:
		return resp, nil
	}
	if class := statusClass(rep.status); class != watcher.ErrNone {
		ra, _ := parseRetryAfter(rep.header.Get("Retry-After"), now)
		return nil, statusError(rawURL, rep.status, class, ra, "")
	}
	d := decodeBody(rep.body, rep.header.Get("Content-Type"))
	resp.Body, resp.ContentType, resp.Charset = d.body, d.mediaType, d.charset
	sum := sha256.Sum256(resp.Body)
	resp.Validator = watcher.Validator{
		URL:          rawURL,
		ETag:         rep.header.Get("ETag"),
		LastModified: rep.header.Get("Last-Modified"),
		BodyHash:     hex.EncodeToString(sum[:]),
		FetchedAt:    now,
	}
	resp.SameBody = hasStored && stored.BodyHash != "" && stored.BodyHash == resp.Validator.BodyHash
	return resp, nil
}

// carryForward is the validator after a 304: the stored one, refreshed
// with any validators the 304 itself sent.
func carryForward(rawURL string, stored watcher.Validator, hasStored bool, h http.Header, now time.Time) watcher.Validator {
	v := stored
	if !hasStored {
		v = watcher.Validator{}
	}
	v.URL = rawURL
	if e := h.Get("ETag"); e != "" {
		v.ETag = e
	}
	if lm := h.Get("Last-Modified"); lm != "" {
		v.LastModified = lm
	}
	v.FetchedAt = now
	return v
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// productToken is the robots.txt product token of a User-Agent value:
// its first word before any "/" ("watcher/0.1 (+mailto:…)" → "watcher").
func productToken(ua string) string {
	ua = strings.TrimSpace(ua)
	if i := strings.IndexAny(ua, "/ \t("); i >= 0 {
		ua = ua[:i]
	}
	return strings.ToLower(ua)
}
