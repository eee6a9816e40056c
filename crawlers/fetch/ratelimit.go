package fetch

import (
	"context"
	"net"
	"strings"
	"sync"
	"time"
)

// hostLimiter spaces request starts to one host. Each host keeps the start
// time of its latest request; a new request starts no earlier than that
// plus the host's delay, the longest of the run-wide delay, the per-host
// hint and the robots.txt Crawl-delay. Different hosts never wait for each
// other.
type hostLimiter struct {
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
	base  time.Duration

	mu     sync.Mutex
	hints  map[string]time.Duration // SetHostDelay
	floors map[string]time.Duration // robots.txt Crawl-delay
	last   map[string]time.Time     // latest reserved start per host
}

func newHostLimiter(base time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *hostLimiter {
	return &hostLimiter{
		now: now, sleep: sleep, base: base,
		hints:  map[string]time.Duration{},
		floors: map[string]time.Duration{},
		last:   map[string]time.Time{},
	}
}

// hostKey is the limiter's key for a URL host: lower case, port kept.
func hostKey(host string) string { return strings.ToLower(host) }

func (l *hostLimiter) setHint(host string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hints[hostKey(host)] = d
}

func (l *hostLimiter) setFloor(host string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.floors[hostKey(host)] = d
}

// delayLocked is the gap for host ("name" or "name:port"); a hint given
// for the bare name applies to every port.
func (l *hostLimiter) delayLocked(host string) time.Duration {
	d := max(l.base, l.floors[host], l.hints[host])
	if name, _, err := net.SplitHostPort(host); err == nil {
		d = max(d, l.hints[name])
	}
	return d
}

// wait reserves the next start slot for host and sleeps until it. The
// slot stays taken even if ctx ends first, which errs on the polite side.
func (l *hostLimiter) wait(ctx context.Context, host string) error {
	host = hostKey(host)
	l.mu.Lock()
	now := l.now()
	start := now
	if last, ok := l.last[host]; ok {
		if next := last.Add(l.delayLocked(host)); next.After(start) {
			start = next
		}
	}
	l.last[host] = start
	l.mu.Unlock()
	return l.sleep(ctx, start.Sub(now))
}
