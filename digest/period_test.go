package digest

import (
	"testing"
	"time"
)

func TestPeriods(t *testing.T) {
	tests := map[string]struct {
		in       string
		name     string
		from, to time.Time
	}{
		"quarter":                   {"2023Q3", "2023Q3", day(2023, 7, 1), day(2023, 10, 1)},
		"quarter with hyphen":       {"2023-q4", "2023Q4", day(2023, 10, 1), day(2024, 1, 1)},
		"range that is a quarter":   {"2023-07-01..2023-09-30", "2023Q3", day(2023, 7, 1), day(2023, 10, 1)},
		"range":                     {"2023-07-15..2023-08-14", "2023-07-15..2023-08-14", day(2023, 7, 15), day(2023, 8, 15)},
		"one day":                   {"2024-02-29..2024-02-29", "2024-02-29..2024-02-29", day(2024, 2, 29), day(2024, 3, 1)},
		"range over the year's end": {"2023-12-01..2024-01-31", "2023-12-01..2024-01-31", day(2023, 12, 1), day(2024, 2, 1)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := ParsePeriod(tc.in, oslo)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != tc.name || !p.From.Equal(tc.from) || !p.To.Equal(tc.to) {
				t.Errorf("ParsePeriod(%q) = %s [%s, %s), want %s [%s, %s)", tc.in, p.Name, p.From, p.To, tc.name, tc.from, tc.to)
			}
			again, err := ParsePeriod(p.Name, oslo)
			if err != nil || again != p {
				t.Errorf("ParsePeriod(%q) = %+v, %v; want the same period back", p.Name, again, err)
			}
		})
	}
	for _, bad := range []string{"", "2023Q5", "2023", "Q3", "2023-09-30..2023-07-01", "2023-07-01..", "1.7.2023..30.9.2023"} {
		if p, err := ParsePeriod(bad, oslo); err == nil {
			t.Errorf("ParsePeriod(%q) = %+v, want an error", bad, p)
		}
	}
}

// TestQuarterName checks that the quarter is taken in the given zone: the
// first hours of a quarter in Oslo are still the last quarter in UTC.
func TestQuarterName(t *testing.T) {
	tests := []struct {
		at   time.Time
		loc  *time.Location
		want string
	}{
		{time.Date(2023, 9, 30, 22, 30, 0, 0, time.UTC), oslo, "2023Q4"},
		{time.Date(2023, 9, 30, 22, 30, 0, 0, time.UTC), time.UTC, "2023Q3"},
		{time.Date(2023, 12, 31, 23, 30, 0, 0, time.UTC), nil, "2024Q1"},
		{time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC), oslo, "2024Q1"},
	}
	for _, tc := range tests {
		if got := QuarterName(tc.at, tc.loc); got != tc.want {
			t.Errorf("QuarterName(%s, %v) = %q, want %q", tc.at, tc.loc, got, tc.want)
		}
	}
}
