package crawlers

import (
	"errors"
	"testing"

	"watcher"
	"watcher/crawlers/fetch"
)

// TestStatusError checks that a status handed to a kind as a response is
// classed as the fetcher classes it: only 403 and 429 mean blocked
// (watcher.ErrBlocked); 401 asks for credentials and is an HTTP error.
func TestStatusError(t *testing.T) {
	for status, want := range map[int]watcher.ErrClass{
		401: watcher.ErrHTTP,
		403: watcher.ErrBlocked,
		404: watcher.ErrHTTP,
		429: watcher.ErrBlocked,
		500: watcher.ErrHTTP,
	} {
		err := StatusError("https://example.org/x", status)
		var fe *fetch.FetchError
		if !errors.As(err, &fe) {
			t.Fatalf("%d: %T is not a *fetch.FetchError", status, err)
		}
		if fe.Status != status || fe.URL != "https://example.org/x" {
			t.Errorf("%d: status %d, url %q", status, fe.Status, fe.URL)
		}
		if got := Classify(err); got != want {
			t.Errorf("%d: class %q, want %q", status, got, want)
		}
	}
}
