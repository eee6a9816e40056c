package runner

import (
	"errors"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/config"
)

func TestNextHealth(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	ok := Outcome{Items: 20, New: 2}
	tests := map[string]struct {
		prev       watcher.Health
		out        Outcome
		want       watcher.HealthState
		wantStreak int
	}{
		"first run with new items":            {out: ok, want: watcher.HealthHealthy},
		"nothing new is quiet":                {prev: watcher.Health{State: watcher.HealthHealthy, MaxItems: 20}, out: Outcome{Items: 20}, want: watcher.HealthQuiet},
		"not modified is quiet":               {prev: watcher.Health{State: watcher.HealthHealthy, MaxItems: 20}, out: Outcome{NotModified: true}, want: watcher.HealthQuiet},
		"zero items after items is broken":    {prev: watcher.Health{State: watcher.HealthHealthy, MaxItems: 20}, out: Outcome{Items: 0}, want: watcher.HealthBroken},
		"zero items on a new source":          {out: Outcome{Items: 0}, want: watcher.HealthDegraded},
		"problems degrade":                    {out: Outcome{Items: 5, Problems: []string{"selector date matched nothing"}}, want: watcher.HealthDegraded},
		"403 blocks":                          {out: Outcome{Class: watcher.ErrBlocked, Status: 403}, want: watcher.HealthBlocked, wantStreak: 1},
		"robots blocks":                       {out: Outcome{Class: watcher.ErrRobots}, want: watcher.HealthBlocked, wantStreak: 1},
		"network is unreachable":              {prev: watcher.Health{FailureStreak: 2}, out: Outcome{Class: watcher.ErrNetwork}, want: watcher.HealthUnreachable, wantStreak: 3},
		"500 is unreachable":                  {out: Outcome{Class: watcher.ErrHTTP, Status: 500}, want: watcher.HealthUnreachable, wantStreak: 1},
		"404 is broken":                       {out: Outcome{Class: watcher.ErrHTTP, Status: 404}, want: watcher.HealthBroken, wantStreak: 1},
		"parse error is broken":               {out: Outcome{Class: watcher.ErrParse}, want: watcher.HealthBroken, wantStreak: 1},
		"not modified keeps broken":           {prev: watcher.Health{State: watcher.HealthBroken, MaxItems: 20}, out: Outcome{NotModified: true}, want: watcher.HealthBroken},
		"not modified keeps degraded":         {prev: watcher.Health{State: watcher.HealthDegraded, MaxItems: 20}, out: Outcome{NotModified: true}, want: watcher.HealthDegraded},
		"not modified after an outage is ok":  {prev: watcher.Health{State: watcher.HealthUnreachable, MaxItems: 20, FailureStreak: 1}, out: Outcome{NotModified: true}, want: watcher.HealthQuiet},
		"success resets the failure streak":   {prev: watcher.Health{State: watcher.HealthUnreachable, FailureStreak: 4}, out: ok, want: watcher.HealthHealthy},
		"stopped by the run keeps healthy":    {prev: watcher.Health{State: watcher.HealthHealthy, MaxItems: 20}, out: Outcome{Class: watcher.ErrCanceled}, want: watcher.HealthHealthy},
		"stopped by the run keeps the streak": {prev: watcher.Health{State: watcher.HealthUnreachable, FailureStreak: 2}, out: Outcome{Class: watcher.ErrCanceled}, want: watcher.HealthUnreachable, wantStreak: 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := NextHealth(tc.prev, "s", tc.out, t0)
			if h.State != tc.want {
				t.Errorf("state = %q, want %q", h.State, tc.want)
			}
			if h.FailureStreak != tc.wantStreak {
				t.Errorf("failure streak = %d, want %d", h.FailureStreak, tc.wantStreak)
			}
			if h.State != tc.prev.State && !h.Since.Equal(t0) {
				t.Errorf("since = %v, want %v on a state change", h.Since, t0)
			}
			if tc.out.Class == watcher.ErrNone && !h.LastSuccess.Equal(t0) {
				t.Errorf("last success not set")
			}
			if tc.out.Class == watcher.ErrCanceled && (h.Checks != tc.prev.Checks || !h.LastRun.Equal(tc.prev.LastRun) || h.LastErrClass != tc.prev.LastErrClass) {
				t.Errorf("a stopped crawl changed the health: %+v", h)
			}
		})
	}
}

func TestNextHealthKeepsSinceWhileStateHolds(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	h := NextHealth(watcher.Health{}, "s", Outcome{Class: watcher.ErrNetwork}, t0)
	h2 := NextHealth(h, "s", Outcome{Class: watcher.ErrTimeout}, t0.Add(24*time.Hour))
	if h2.State != watcher.HealthUnreachable || !h2.Since.Equal(t0) || h2.FailureStreak != 2 {
		t.Fatalf("got %+v, want unreachable since %v with streak 2", h2, t0)
	}
}

func TestCadence(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	var h watcher.Health
	for _, gap := range []int{0, 2, 2, 2} {
		t0 = t0.Add(time.Duration(gap) * 24 * time.Hour)
		h = NextHealth(h, "s", Outcome{Items: 10, New: 1}, t0)
	}
	if h.Cadence != 48*time.Hour {
		t.Fatalf("cadence = %v, want 48h", h.Cadence)
	}
}

func TestHealthNews(t *testing.T) {
	tests := []struct {
		prev, next watcher.HealthState
		want       bool
	}{
		{watcher.HealthUnknown, watcher.HealthHealthy, false},
		{watcher.HealthUnknown, watcher.HealthBroken, true},
		{watcher.HealthHealthy, watcher.HealthQuiet, false},
		{watcher.HealthQuiet, watcher.HealthHealthy, false},
		{watcher.HealthHealthy, watcher.HealthBroken, true},
		{watcher.HealthBroken, watcher.HealthHealthy, true},
		{watcher.HealthBroken, watcher.HealthBroken, false},
		{watcher.HealthBlocked, watcher.HealthUnreachable, true},
	}
	for _, tc := range tests {
		if got := HealthNews(tc.prev, tc.next); got != tc.want {
			t.Errorf("HealthNews(%q, %q) = %v, want %v", tc.prev, tc.next, got, tc.want)
		}
	}
}

func TestByHost(t *testing.T) {
	srcs := []watcher.Source{{ID: "a", URLs: []string{"https://x.no/a"}}, {ID: "b", Disabled: true, URLs: []string{"https://y.no/"}}, {ID: "c", URLs: []string{"https://x.no/c"}}}
	groups := byHost(srcs)
	if len(groups) != 2 || len(groups[0]) != 2 || groups[0][0].ID != "a" || groups[0][1].ID != "c" {
		t.Fatalf("byHost = %+v", groups)
	}
}

func TestSelect(t *testing.T) {
	cfg := &config.Config{Sources: []watcher.Source{{ID: "a"}, {ID: "b", Disabled: true}, {ID: "c"}}}
	all, err := Select(cfg, nil)
	if err != nil || len(all) != 2 || all[0].ID != "a" || all[1].ID != "c" {
		t.Fatalf("Select(nil) = %v, %v; want the enabled a and c", all, err)
	}
	named, err := Select(cfg, []string{"b"})
	if err != nil || len(named) != 1 || named[0].ID != "b" {
		t.Fatalf("Select(b) = %v, %v; want the disabled b, named explicitly", named, err)
	}
	if _, err := Select(cfg, []string{"x"}); !errors.Is(err, ErrUnknownSource) || !strings.Contains(err.Error(), "a, b, c") {
		t.Fatalf("Select(x) error = %v, want ErrUnknownSource listing the configured ids", err)
	}
}
