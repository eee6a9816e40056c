package digest

import (
	"fmt"
	"strings"
	"time"

	"watcher/dates"
)

// Period is the stretch of time one draft covers, and the name its
// decisions are stored under.
type Period struct {
	Name     string    // "2023Q3", or "2023-07-01..2023-09-30" for any other range
	From, To time.Time // From inclusive, To exclusive (midnight in the zone, as UTC)
}

// rangeSep separates the dates of a period that is not a quarter.
const rangeSep = ".."

// QuarterPeriod returns the quarter written "2023Q3" or "2023-Q3" in loc.
func QuarterPeriod(q string, loc *time.Location) (Period, error) {
	from, to, err := dates.Quarter(q, loc)
	if err != nil {
		return Period{}, fmt.Errorf("digest: %w", err)
	}
	return Period{Name: QuarterName(from, loc), From: from, To: to}, nil
}

// RangePeriod returns the period from the first day to the last day, both
// inclusive, as calendar days in loc. A range that is exactly a quarter is
// named as the quarter, so its decisions are the quarter's.
func RangePeriod(first, last time.Time, loc *time.Location) (Period, error) {
	loc = orOslo(loc)
	f, l := first.In(loc), last.In(loc)
	from := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, loc)
	to := time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc)
	if !to.After(from) {
		return Period{}, fmt.Errorf("digest: period ends (%s) before it begins (%s)", l.Format(time.DateOnly), f.Format(time.DateOnly))
	}
	p := Period{From: from.UTC(), To: to.UTC()}
	if q, err := QuarterPeriod(QuarterName(p.From, loc), loc); err == nil && q.From.Equal(p.From) && q.To.Equal(p.To) {
		return q, nil
	}
	p.Name = from.Format(time.DateOnly) + rangeSep + l.Format(time.DateOnly)
	return p, nil
}

// ParsePeriod reads a period name as QuarterPeriod and RangePeriod write
// it: "2023Q3", "2023-Q3" or "2023-07-01..2023-09-30".
func ParsePeriod(s string, loc *time.Location) (Period, error) {
	s = strings.TrimSpace(s)
	a, b, isRange := strings.Cut(s, rangeSep)
	if !isRange {
		return QuarterPeriod(s, loc)
	}
	loc = orOslo(loc)
	first, err1 := time.ParseInLocation(time.DateOnly, strings.TrimSpace(a), loc)
	last, err2 := time.ParseInLocation(time.DateOnly, strings.TrimSpace(b), loc)
	if err1 != nil || err2 != nil {
		return Period{}, fmt.Errorf("digest: parse period %q: want a quarter (2023Q3) or a range of dates (2023-07-01..2023-09-30)", s)
	}
	return RangePeriod(first, last, loc)
}

// QuarterName names the quarter t falls in, in loc (Europe/Oslo when nil):
// "2023Q3".
func QuarterName(t time.Time, loc *time.Location) string {
	t = t.In(orOslo(loc))
	return fmt.Sprintf("%04dQ%d", t.Year(), (int(t.Month())-1)/3+1)
}

// orOslo returns loc, or Europe/Oslo when loc is nil.
func orOslo(loc *time.Location) *time.Location {
	if loc != nil {
		return loc
	}
	return dates.Oslo()
}
