package fetch

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestLimiterConcurrent reserves slots from many goroutines on a clock
// that does not move: the reserved starts of one host must still be a
// whole delay apart, and hosts must not share a queue.
func TestLimiterConcurrent(t *testing.T) {
	t0 := time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	starts := map[string][]time.Time{}
	type hostCtx struct{}
	record := func(ctx context.Context, d time.Duration) error {
		host := ctx.Value(hostCtx{}).(string)
		mu.Lock()
		defer mu.Unlock()
		starts[host] = append(starts[host], t0.Add(d))
		return nil
	}
	l := newHostLimiter(2*time.Second, func() time.Time { return t0 }, record)
	l.setHint("b.example", 5*time.Second)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		host := []string{"a.example", "b.example:8080"}[i%2]
		wg.Go(func() {
			_ = l.wait(context.WithValue(context.Background(), hostCtx{}, host), host)
		})
	}
	wg.Wait()
	for host, gap := range map[string]time.Duration{"a.example": 2 * time.Second, "b.example:8080": 5 * time.Second} {
		s := starts[host]
		slices.SortFunc(s, func(a, b time.Time) int { return a.Compare(b) })
		if len(s) != 10 || !s[0].Equal(t0) {
			t.Fatalf("%s: starts %v", host, s)
		}
		for i := 1; i < len(s); i++ {
			if d := s[i].Sub(s[i-1]); d != gap {
				t.Errorf("%s: starts %d and %d are %v apart, want %v", host, i-1, i, d, gap)
			}
		}
	}
}

func TestLimiterZeroDelay(t *testing.T) {
	clock := newFakeClock()
	l := newHostLimiter(0, clock.Now, clock.Sleep)
	for i := 0; i < 5; i++ {
		if err := l.wait(context.Background(), "a.example"); err != nil {
			t.Fatal(err)
		}
	}
	if s := clock.Sleeps(); len(s) != 0 {
		t.Errorf("waits %v with no delay", s)
	}
}

// TestGetConcurrentHosts runs Gets from many goroutines against two hosts
// (for the race detector) and checks the per-host spacing on the clock.
func TestGetConcurrentHosts(t *testing.T) {
	clock := newFakeClock()
	sites := []*site{newSite(t, clock, ""), newSite(t, clock, "")}
	for _, s := range sites {
		s.handle("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	}
	f := newTestFetcher(t, clock, Options{HostDelay: time.Second})
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		s := sites[i%2]
		wg.Go(func() {
			if _, err := f.Get(context.Background(), Request{URL: s.URL + "/p"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, s := range sites {
		if n := s.count("/robots.txt"); n != 1 {
			t.Errorf("robots.txt fetched %d times, want once per host", n)
		}
		if n := s.count("/p"); n != 8 {
			t.Errorf("%d page requests, want 8", n)
		}
	}
}
