// Package crawlers fetches the configured sources politely and turns what
// they serve into watcher.Items. It is the only package that imports colly,
// gofeed and goquery.
//
// Package fetch owns every request: robots.txt, the honest User-Agent,
// per-host rate limits, conditional GET, retries, caps, charset decoding,
// WARC archive and replay. This package holds the generic source kinds
// (feed, html, page), item identity and the kind registry; the site
// adapters live in crawlers/norway and crawlers/intl. Each maps library
// types to Items in one place; extractors are pure functions of a body and
// a base URL.
package crawlers

import (
	"context"
	"log/slog"
	"time"

	"watcher"
	"watcher/crawlers/fetch"
)

// Kind crawls one kind of source. The generic kinds (feed, html, page) and
// each site adapter implement it; see Kinds for the registry.
type Kind interface {
	Crawl(ctx context.Context, env *Env, src watcher.Source) (*Result, error)
}

// Env is what a kind may use while it crawls one source.
type Env struct {
	Fetch *fetch.Fetcher
	// Known returns the stored item with that key, if any (read-only).
	Known func(key string) (watcher.Item, bool)
	Now   func() time.Time
	Loc   *time.Location // the source's time zone
	Log   *slog.Logger
}

// Stored returns the stored item with key, if the environment has a store
// and holds one; an empty key is never stored.
func (e *Env) Stored(key string) (watcher.Item, bool) {
	if e.Known == nil || key == "" {
		return watcher.Item{}, false
	}
	return e.Known(key)
}

// Result is what a kind found at one source in one run.
type Result struct {
	Items []watcher.Item
	// Validators to store in the same transaction as Items, so that a crash
	// between the two can never make a later run skip items it never stored.
	Validators []watcher.Validator
	// NotModified is true when the source answered "nothing changed" (304 or
	// the same body hash) for its entry point: no items is then no fault.
	NotModified bool
	Requests    int   // HTTP requests made (robots.txt excluded)
	Status304   int   // of which 304s
	Bytes       int64 // body bytes received
	// Problems are signs of drift: selectors that matched nothing, dates
	// that did not parse, JSON paths that were missing.
	Problems []string
	// PageHash is the hex SHA-256 of a watched page's region text (page
	// kind), so that a change of content can be reported even when no
	// link changed. Empty when not every page of the source was read.
	PageHash string
}

// Get fetches req through f and counts it in r: the request when it was
// sent, its body bytes, and a 304. A status that is not an answer (2xx or
// 304) is already an error of f.Get, classed as every kind sees it.
func (r *Result) Get(ctx context.Context, f *fetch.Fetcher, req fetch.Request) (*fetch.Response, error) {
	resp, err := f.Get(ctx, req)
	if fetch.Sent(err) {
		r.Requests++
	}
	if err != nil {
		return nil, err
	}
	r.Bytes += resp.WireBytes
	if resp.NotModified {
		r.Status304++
	}
	return resp, nil
}
