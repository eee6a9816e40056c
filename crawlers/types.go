// Package crawlers fetches the configured sources politely and turns what
// they serve into watcher.Items. It is the only package that imports colly,
// gofeed and goquery.
//
// The fetcher (fetch*.go, robots.go, warc.go) owns every request: robots.txt,
// the honest User-Agent, per-host rate limits, conditional GET, retries,
// caps, charset decoding, WARC archive and replay. The source kinds (feed,
// html, page) and the site adapters use it and map library types to Items
// in one place each; the extractors are pure functions of a body and a base
// URL.
package crawlers

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"watcher"
)

// Request is one fetch.
type Request struct {
	URL string
	// Conditional sends the stored ETag/Last-Modified for the URL; a 304
	// answer comes back as Response.NotModified with no body.
	Conditional bool
	// Accept is sent as the Accept header (default: anything).
	Accept string
}

// Response is a fetched, decoded answer.
type Response struct {
	URL         string // as requested
	FinalURL    string // after redirects
	Status      int
	Header      http.Header
	Body        []byte // decoded to UTF-8 for text types; raw otherwise
	ContentType string // media type without parameters
	Charset     string // the charset the body was decoded from
	NotModified bool   // 304: Body is empty
	// SameBody is true when the server sent a body whose hash equals the
	// stored one (servers without validators): the caller may skip parsing.
	SameBody  bool
	Validator watcher.Validator // to store after the items are stored
	WireBytes int64             // body bytes as received (before gunzip)
}

// FetchError is a classified fetch failure.
type FetchError struct {
	URL        string
	Class      watcher.ErrClass
	Status     int           // HTTP status, when there was one
	RetryAfter time.Duration // from a 429/503 Retry-After, when given
	Err        error
}

func (e *FetchError) Error() string {
	if e.Status != 0 {
		return "fetch " + e.URL + ": " + string(e.Class) + " (HTTP " + http.StatusText(e.Status) + "): " + errString(e.Err)
	}
	return "fetch " + e.URL + ": " + string(e.Class) + ": " + errString(e.Err)
}

func (e *FetchError) Unwrap() error { return e.Err }

func errString(err error) string {
	if err == nil {
		return "failed"
	}
	return err.Error()
}

// Kind crawls one kind of source. The generic kinds (feed, html, page) and
// each site adapter implement it; see Kinds for the registry.
type Kind interface {
	Crawl(ctx context.Context, env *Env, src watcher.Source) (*Result, error)
}

// Env is what a kind may use while it crawls one source.
type Env struct {
	Fetch *Fetcher
	// Known returns the stored item with that key, if any (read-only).
	Known func(key string) (watcher.Item, bool)
	Now   func() time.Time
	Loc   *time.Location // the source's time zone
	Log   *slog.Logger
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
}
