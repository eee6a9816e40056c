package web

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseSchedule(t *testing.T) {
	tests := map[string]struct {
		expr    string
		wantErr string
	}{
		"default":             {expr: "0 6 * * *"},
		"lists ranges steps":  {expr: "*/15 6-18/2 1,15 jan-mar,oct mon-fri"},
		"sunday as seven":     {expr: "0 6 * * 7"},
		"offset step":         {expr: "5/20 * * * *"},
		"four fields":         {expr: "0 6 * *", wantErr: "5 fields"},
		"minute out of range": {expr: "60 6 * * *", wantErr: "minute field"},
		"hour out of range":   {expr: "0 24 * * *", wantErr: "hour field"},
		"backwards range":     {expr: "0 6 10-5 * *", wantErr: "runs backwards"},
		"zero step":           {expr: "*/0 6 * * *", wantErr: "bad step"},
		"unknown name":        {expr: "0 6 * foo *", wantErr: "month field"},
		"day that never is":   {expr: "0 0 31 feb *", wantErr: "never fires"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseSchedule(tc.expr, oslo)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("ParseSchedule(%q): %v", tc.expr, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("ParseSchedule(%q) = %v, want an error with %q", tc.expr, err, tc.wantErr)
			}
		})
	}
	if _, err := ParseSchedule("0 0 30 2 *", oslo); !errors.Is(err, ErrNeverFires) {
		t.Errorf("30 February: err = %v, want ErrNeverFires", err)
	}
}

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestScheduleNextInOslo(t *testing.T) {
	// Europe/Oslo: CET (UTC+1) in winter, CEST (UTC+2) from the last
	// Sunday of March 02:00 to the last Sunday of October 03:00.
	tests := map[string]struct {
		expr  string
		after time.Time
		want  time.Time
	}{
		"06:00 in winter is 05:00 UTC": {"0 6 * * *", utc(2026, 1, 10, 12, 0), utc(2026, 1, 11, 5, 0)},
		"06:00 in summer is 04:00 UTC": {"0 6 * * *", utc(2026, 7, 10, 12, 0), utc(2026, 7, 11, 4, 0)},
		"strictly after a firing":      {"0 6 * * *", utc(2026, 7, 11, 4, 0), utc(2026, 7, 12, 4, 0)},
		"across spring forward":        {"0 6 * * *", utc(2026, 3, 28, 5, 0), utc(2026, 3, 29, 4, 0)},
		"across fall back":             {"0 6 * * *", utc(2026, 10, 24, 4, 0), utc(2026, 10, 25, 5, 0)},
		"skipped 02:30 fires at jump":  {"30 2 * * *", utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 1, 0)},
		"day after the jump is normal": {"30 2 * * *", utc(2026, 3, 29, 1, 0), utc(2026, 3, 30, 0, 30)},
		"repeated 02:30 fires first":   {"30 2 * * *", utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 0, 30)},
		"repeated 02:30 fires once":    {"30 2 * * *", utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)},
		"skipped hour fires once":      {"*/20 2 * * *", utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 0)},
		"after the skipped hour":       {"*/20 2-3 * * *", utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 20)},
		"weekdays only":                {"0 6 * * mon-fri", utc(2026, 8, 14, 12, 0), utc(2026, 8, 17, 4, 0)},
		"day of month or weekday":      {"0 6 13 * fri", utc(2026, 2, 10, 0, 0), utc(2026, 2, 13, 5, 0)},
		"first of the quarter":         {"0 7 1 jan,apr,jul,oct *", utc(2026, 8, 15, 0, 0), utc(2026, 10, 1, 5, 0)},
		"29 February":                  {"0 6 29 2 *", utc(2026, 3, 1, 0, 0), utc(2028, 2, 29, 5, 0)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := ParseSchedule(tc.expr, oslo)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Next(tc.after); !got.Equal(tc.want) {
				t.Errorf("Next(%s) = %s (%s), want %s (%s)", tc.after, got.UTC(), got.In(oslo), tc.want, tc.want.In(oslo))
			}
		})
	}
}

func TestSchedulePrevInOslo(t *testing.T) {
	tests := map[string]struct {
		expr string
		at   time.Time
		want time.Time
	}{
		"before today's firing":        {"0 6 * * *", utc(2026, 8, 15, 3, 0), utc(2026, 8, 14, 4, 0)},
		"at a firing":                  {"0 6 * * *", utc(2026, 8, 15, 4, 0), utc(2026, 8, 15, 4, 0)},
		"after today's firing":         {"0 6 * * *", utc(2026, 8, 15, 9, 0), utc(2026, 8, 15, 4, 0)},
		"back across spring forward":   {"0 6 * * *", utc(2026, 3, 29, 3, 0), utc(2026, 3, 28, 5, 0)},
		"back across fall back":        {"0 6 * * *", utc(2026, 10, 25, 4, 30), utc(2026, 10, 24, 4, 0)},
		"skipped 02:30 is the jump":    {"30 2 * * *", utc(2026, 3, 29, 2, 0), utc(2026, 3, 29, 1, 0)},
		"repeated 02:30 is the first":  {"30 2 * * *", utc(2026, 10, 25, 2, 0), utc(2026, 10, 25, 0, 30)},
		"previous weekday over a week": {"0 6 * * mon", utc(2026, 8, 15, 9, 0), utc(2026, 8, 10, 4, 0)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := ParseSchedule(tc.expr, oslo)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Prev(tc.at); !got.Equal(tc.want) {
				t.Errorf("Prev(%s) = %s (%s), want %s (%s)", tc.at, got.UTC(), got.In(oslo), tc.want, tc.want.In(oslo))
			}
		})
	}
}

// TestScheduleNextPrevAgree walks a year of a busy schedule and checks
// that Next and Prev see the same firings, strictly increasing.
func TestScheduleNextPrevAgree(t *testing.T) {
	s, err := ParseSchedule("15,45 1-3 * * *", oslo)
	if err != nil {
		t.Fatal(err)
	}
	at := utc(2026, 1, 1, 0, 0)
	end := utc(2027, 1, 1, 0, 0)
	n := 0
	for {
		next := s.Next(at)
		if !next.Before(end) {
			break
		}
		if !next.After(at) {
			t.Fatalf("Next(%s) = %s, not after", at, next)
		}
		if p := s.Prev(next); !p.Equal(next) {
			t.Fatalf("Prev(%s) = %s, want the firing itself", next, p)
		}
		if p := s.Prev(next.Add(-time.Second)); !p.Before(next) || (!p.IsZero() && n > 0 && !p.Equal(at)) {
			t.Fatalf("Prev just before %s = %s, want the previous firing %s", next, p, at)
		}
		at = next
		n++
	}
	// Six firings a day, minus the ones the spring jump swallows (02:15
	// and 02:45 both fire once at 03:00), plus none for the repeated hour.
	if want := 365*6 - 1; n != want {
		t.Errorf("%d firings in 2026, want %d", n, want)
	}
}
