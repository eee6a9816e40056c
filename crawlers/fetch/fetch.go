// Package fetch is watcher's one polite HTTP client: robots.txt (RFC 9309),
// an honest User-Agent, per-host rate limits, conditional GET, bounded
// retries with back-off, body caps, charset decoding, and WARC archive and
// replay.
package fetch

import (
	"errors"
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
	Challenge  bool          // an anti-bot challenge page answered (Class is blocked)
	// NotSent: no request for URL went out (robots.txt refused it or
	// could not be read, or a replayed archive lacks it).
	NotSent bool
	Err     error
}

// Sent reports whether a Get that returned err sent a request for its URL:
// what a crawler counts as a request made.
func Sent(err error) bool {
	var fe *FetchError
	return !errors.As(err, &fe) || !fe.NotSent
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
