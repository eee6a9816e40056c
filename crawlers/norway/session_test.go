package norway

import (
	"testing"
	"time"

	"watcher"
)

// TestSessionZone checks the zone a crawl reads dates in: the run's, else
// the source's time_zone, else Oslo. The adapter ignored the source's
// zone where the generic kinds and intl honour it.
func TestSessionZone(t *testing.T) {
	now := time.Date(2026, 7, 3, 12, 0, 0, 0, time.UTC)
	src := watcher.Source{ID: "jd", Kind: KindFeed, URLs: []string{"https://www.regjeringen.no/no/rss/Rss/2581966/"}}
	tests := map[string]struct {
		env  *time.Location
		zone string
		want string
	}{
		"the run's zone wins":     {env: time.UTC, zone: "America/New_York", want: "UTC"},
		"else the source's":       {zone: "America/New_York", want: "America/New_York"},
		"else oslo":               {want: "Europe/Oslo"},
		"an unknown zone is oslo": {zone: "Mars/Olympus", want: "Europe/Oslo"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			env := testEnv(t, now, nil)
			env.Loc = tc.env
			src.TimeZone = tc.zone
			s, err := newSession(env, src)
			if err != nil {
				t.Fatal(err)
			}
			if s.loc.String() != tc.want {
				t.Errorf("zone %q, want %q", s.loc, tc.want)
			}
		})
	}
}
