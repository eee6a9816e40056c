package crawlers

import (
	"context"
	"errors"
	"net"
	"net/http"

	"watcher"
	"watcher/crawlers/fetch"
)

// ParseError is a body that could not be read as what it should be: a
// feed that is not XML or JSON, JSON that does not decode. Its class is
// watcher.ErrParse.
type ParseError struct {
	URL string
	Err error
}

func (e *ParseError) Error() string {
	if e.URL == "" {
		return "parse: " + errString(e.Err)
	}
	return "parse " + e.URL + ": " + errString(e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

func errString(err error) string {
	if err == nil {
		return "failed"
	}
	return err.Error()
}

// Classify says why a crawl failed: the class a *fetch.FetchError carries,
// watcher.ErrParse for a *ParseError, ErrLayout for ErrConfig, ErrCanceled and ErrTimeout for
// context errors and network timeouts, and ErrNetwork for any other error.
func Classify(err error) watcher.ErrClass {
	var fe *fetch.FetchError
	var pe *ParseError
	var ne net.Error
	switch {
	case err == nil:
		return watcher.ErrNone
	case errors.As(err, &fe) && fe.Class != watcher.ErrNone:
		return fe.Class
	case errors.As(err, &pe):
		return watcher.ErrParse
	case errors.Is(err, ErrConfig):
		return watcher.ErrLayout
	case errors.Is(err, context.Canceled):
		return watcher.ErrCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return watcher.ErrTimeout
	case errors.As(err, &ne) && ne.Timeout():
		return watcher.ErrTimeout
	}
	return watcher.ErrNetwork
}

// StatusError is the error for an HTTP status that reached a kind as a
// response rather than an error (colly hands those to OnError). It is
// classed as the fetcher classes a status: 403 and 429 are
// watcher.ErrBlocked, any other watcher.ErrHTTP.
func StatusError(url string, status int) error {
	class := watcher.ErrHTTP
	switch status {
	case http.StatusForbidden, http.StatusTooManyRequests:
		class = watcher.ErrBlocked
	}
	return &fetch.FetchError{URL: url, Class: class, Status: status, Err: errors.New("unexpected status")}
}
