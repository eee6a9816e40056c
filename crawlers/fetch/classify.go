package fetch

import (
	"bytes"
	"context"
	"errors"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"watcher"
)

// challengeMarkers are strings of anti-bot interstitials (Cloudflare's
// "managed challenge" and its older block page).
var challengeMarkers = [][]byte{
	[]byte("Just a moment..."),
	[]byte("challenge-platform"),
	[]byte("Attention Required! | Cloudflare"),
}

// challengeTitles are the page titles of those interstitials. A 200 answer
// is only taken for a challenge on its title (or header), since ordinary
// pages behind Cloudflare may load scripts from challenge-platform.
var challengeTitles = [][]byte{
	[]byte("<title>Just a moment...</title>"),
	[]byte("<title>Attention Required! | Cloudflare</title>"),
}

// challengeScan is how much of a body is searched for challenge markers.
const challengeScan = 64 << 10

// isChallenge reports whether a response is an anti-bot challenge rather
// than the page asked for.
func isChallenge(status int, h http.Header, body []byte) bool {
	if strings.EqualFold(strings.TrimSpace(h.Get("Cf-Mitigated")), "challenge") {
		return true
	}
	if !isHTML(h.Get("Content-Type"), body) {
		return false
	}
	if len(body) > challengeScan {
		body = body[:challengeScan]
	}
	switch status {
	case http.StatusForbidden, http.StatusServiceUnavailable, http.StatusTooManyRequests:
		return containsAny(body, challengeMarkers)
	case http.StatusOK:
		return containsAny(body, challengeTitles)
	}
	return false
}

func isHTML(contentType string, body []byte) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt == "" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}

func containsAny(b []byte, needles [][]byte) bool {
	for _, n := range needles {
		if bytes.Contains(b, n) {
			return true
		}
	}
	return false
}

// statusClass classifies a final (non-retried or retries spent) status.
// It returns ErrNone for statuses that are an answer: 2xx and 304.
func statusClass(status int) watcher.ErrClass {
	switch {
	case status >= 200 && status < 300, status == http.StatusNotModified:
		return watcher.ErrNone
	case status == http.StatusForbidden, status == http.StatusTooManyRequests:
		return watcher.ErrBlocked
	default:
		return watcher.ErrHTTP
	}
}

// retryableStatus reports the statuses worth another attempt.
func retryableStatus(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an
// HTTP-date (relative to now). ok is false when absent or unreadable.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(365*24*time.Hour/time.Second) {
			n = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// errClass classifies a transport or body-read error. parent is the
// caller's context, attempt the per-attempt one derived from it.
func errClass(parent, attempt context.Context, err error) watcher.ErrClass {
	switch {
	case errors.Is(parent.Err(), context.Canceled):
		return watcher.ErrCanceled
	case parent.Err() != nil, attempt.Err() != nil, errors.Is(err, context.DeadlineExceeded):
		return watcher.ErrTimeout
	case errors.Is(err, context.Canceled):
		return watcher.ErrCanceled
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return watcher.ErrTimeout
	}
	return watcher.ErrNetwork
}

// ctxError turns a context's end into a FetchError.
func ctxError(rawURL string, ctx context.Context) *FetchError {
	class := watcher.ErrCanceled
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		class = watcher.ErrTimeout
	}
	return &FetchError{URL: rawURL, Class: class, Err: ctx.Err()}
}

// statusError is the FetchError for a status that is not an answer.
func statusError(rawURL string, status int, class watcher.ErrClass, retryAfter time.Duration, why string) *FetchError {
	if why == "" {
		why = "unexpected status"
	}
	return &FetchError{URL: rawURL, Class: class, Status: status, RetryAfter: retryAfter, Err: errors.New(why)}
}
