package fetch

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"watcher"
)

// Back-off between attempts: 1s, 2s, 4s… (plus up to half again of
// jitter), never more than maxBackoff.
const (
	baseBackoff = time.Second
	maxBackoff  = time.Minute
)

// verdict is what to do after one attempt.
type verdict struct {
	retry bool
	wait  time.Duration
	why   string
	err   error // the final error when not retrying
}

// withRetries runs attempts until one gives an answer, the failure is not
// transient, or the retries are spent.
func (f *Fetcher) withRetries(ctx context.Context, rawURL string, u *url.URL, hdr http.Header, p fetchPlan) (*reply, error) {
	for n := 0; ; n++ {
		rep, err := f.attempt(ctx, rawURL, u, hdr, p)
		v := f.judge(rawURL, n, rep, err)
		if !v.retry {
			if v.err != nil {
				return nil, v.err
			}
			return rep, nil
		}
		f.opt.Log.Info("retrying", "url", u.String(), "attempt", n+1, "wait", v.wait, "reason", v.why)
		if err := f.opt.Sleep(ctx, v.wait); err != nil {
			return nil, ctxError(rawURL, ctx)
		}
	}
}

// judge decides after attempt n (0-based): network errors, timeouts, 408,
// 429 and 5xx are retried while retries remain, waiting at least as long
// as a Retry-After asks; a Retry-After beyond MaxRetryAfter fails at once;
// challenge pages fail at once as blocked.
func (f *Fetcher) judge(rawURL string, n int, rep *reply, err error) verdict {
	left := n < f.opt.MaxRetries
	if err != nil {
		var fe *FetchError
		if errors.As(err, &fe) && (fe.Class == watcher.ErrNetwork || fe.Class == watcher.ErrTimeout) && left {
			return verdict{retry: true, wait: f.backoff(n), why: err.Error()}
		}
		return verdict{err: err}
	}
	if isChallenge(rep.status, rep.header, rep.body) {
		fe := statusError(rawURL, rep.status, watcher.ErrBlocked, 0, "anti-bot challenge page")
		fe.Challenge = true
		return verdict{err: fe}
	}
	if !retryableStatus(rep.status) {
		return verdict{}
	}
	class := statusClass(rep.status)
	ra, hasRA := parseRetryAfter(rep.header.Get("Retry-After"), f.opt.Now())
	switch {
	case hasRA && ra > f.opt.MaxRetryAfter:
		why := fmt.Sprintf("Retry-After %v exceeds the longest wait (%v)", ra, f.opt.MaxRetryAfter)
		return verdict{err: statusError(rawURL, rep.status, class, ra, why)}
	case !left:
		why := ""
		if f.opt.MaxRetries > 0 {
			why = fmt.Sprintf("still failing after %d retries", f.opt.MaxRetries)
		}
		return verdict{err: statusError(rawURL, rep.status, class, ra, why)}
	}
	return verdict{retry: true, wait: max(f.backoff(n), ra), why: fmt.Sprintf("HTTP %d", rep.status)}
}

// backoff is the wait after attempt n: 1s·2ⁿ plus up to 50% jitter, capped.
func (f *Fetcher) backoff(n int) time.Duration {
	d := baseBackoff << min(n, 10)
	d += rand.N(d/2 + 1)
	return min(d, maxBackoff)
}
