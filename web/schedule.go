package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule is a five-field cron expression ("minute hour day-of-month
// month day-of-week") evaluated on the wall clock of one time zone.
//
// Each field is "*", a value, a range "a-b", a step "*/n" or "a-b/n", or a
// comma-separated list of these; months and weekdays may be written as
// three-letter English names, and weekday 0 and 7 are both Sunday. As in
// Vixie cron, when both day fields are restricted a day matches either.
//
// Daylight saving time is handled as cron does: a wall time that does not
// exist (the hour skipped in spring) fires once at the moment the clocks
// jump, and a wall time that occurs twice (the hour repeated in autumn)
// fires once, at its first occurrence.
type Schedule struct {
	expr                   string
	loc                    *time.Location
	minute, hour           uint64 // bit i set: value i matches
	dom, month, dow        uint64
	domRestricted, dowRest bool
}

// searchDays bounds the search for the next or previous firing: every
// valid expression fires at least once in eight years (29 February on a
// given weekday may take longer, but is not worth waiting for).
const searchDays = 8 * 366

// ErrNeverFires is returned by ParseSchedule for an expression that names
// no existing day, such as "0 0 31 2 *".
var ErrNeverFires = errors.New("web: the schedule never fires")

type cronSpec struct {
	name     string
	min, max int
	names    []string
}

var cronSpecs = [5]cronSpec{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day of month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	{name: "day of week", min: 0, max: 7, names: []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}

// ParseSchedule parses a five-field cron expression to be evaluated in loc
// (nil means UTC).
func ParseSchedule(expr string, loc *time.Location) (*Schedule, error) {
	if loc == nil {
		loc = time.UTC
	}
	fields := strings.Fields(expr)
	if len(fields) != len(cronSpecs) {
		return nil, fmt.Errorf("web: schedule %q: a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has %d", expr, len(fields))
	}
	var sets [5]uint64
	for i, f := range fields {
		set, err := cronSpecs[i].parse(f)
		if err != nil {
			return nil, fmt.Errorf("web: schedule %q: %s field %q: %w", expr, cronSpecs[i].name, f, err)
		}
		sets[i] = set
	}
	dow := sets[4]
	if dow&(1<<7) != 0 {
		dow = dow&^(1<<7) | 1 // 7 is Sunday too
	}
	s := &Schedule{
		expr: strings.Join(fields, " "), loc: loc,
		minute: sets[0], hour: sets[1], dom: sets[2], month: sets[3], dow: dow,
		domRestricted: !strings.HasPrefix(fields[2], "*"),
		dowRest:       !strings.HasPrefix(fields[4], "*"),
	}
	if !s.anyDay() {
		return nil, fmt.Errorf("%w: %q names no day that exists", ErrNeverFires, expr)
	}
	return s, nil
}

// String returns the expression.
func (s *Schedule) String() string { return s.expr }

// Location returns the zone the schedule is read in.
func (s *Schedule) Location() *time.Location { return s.loc }

func (c cronSpec) parse(field string) (uint64, error) {
	var set uint64
	for part := range strings.SplitSeq(field, ",") {
		bits, err := c.parsePart(part)
		if err != nil {
			return 0, err
		}
		set |= bits
	}
	return set, nil
}

func (c cronSpec) parsePart(part string) (uint64, error) {
	rng, stepText, hasStep := strings.Cut(part, "/")
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepText)
		if err != nil || n < 1 || n > c.max-c.min+1 {
			return 0, fmt.Errorf("bad step %q (a whole number from 1 to %d)", stepText, c.max-c.min+1)
		}
		step = n
	}
	lo, hi := c.min, c.max
	if rng != "*" {
		a, b, isRange := strings.Cut(rng, "-")
		var err error
		if lo, err = c.value(a); err != nil {
			return 0, err
		}
		hi = lo
		if isRange {
			if hi, err = c.value(b); err != nil {
				return 0, err
			}
			if lo > hi {
				return 0, fmt.Errorf("range %q runs backwards", rng)
			}
		} else if hasStep {
			hi = c.max // "5/15" means 5-max/15, as in Vixie cron
		}
	}
	var bits uint64
	for v := lo; v <= hi; v += step {
		bits |= 1 << uint(v)
	}
	return bits, nil
}

func (c cronSpec) value(s string) (int, error) {
	for i, name := range c.names {
		if strings.EqualFold(s, name) {
			return c.min + i, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < c.min || n > c.max {
		return 0, fmt.Errorf("%q is not a value from %d to %d", s, c.min, c.max)
	}
	return n, nil
}

// anyDay reports whether some day of some (leap) year matches.
func (s *Schedule) anyDay() bool {
	if s.dowRest {
		// Every month has every weekday: with the day of month "*" or
		// restricted (then either may match), some day matches.
		return true
	}
	days := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	for m := 1; m <= 12; m++ {
		if s.month&(1<<uint(m)) == 0 {
			continue
		}
		for d := 1; d <= days[m]; d++ {
			if s.dom&(1<<uint(d)) != 0 {
				return true
			}
		}
	}
	return false
}

// dayMatches reports whether the calendar day y-m-d matches.
func (s *Schedule) dayMatches(day time.Time) bool {
	if s.month&(1<<uint(day.Month())) == 0 {
		return false
	}
	domOK := s.dom&(1<<uint(day.Day())) != 0
	dowOK := s.dow&(1<<uint(day.Weekday())) != 0
	if s.domRestricted && s.dowRest {
		return domOK || dowOK
	}
	return domOK && dowOK
}

// firings returns the instants at which the schedule fires on the calendar
// day y-m-d (in s.loc), in order.
func (s *Schedule) firings(y int, m time.Month, d int) []time.Time {
	var out []time.Time
	for h := range 24 {
		if s.hour&(1<<uint(h)) == 0 {
			continue
		}
		for min := range 60 {
			if s.minute&(1<<uint(min)) == 0 {
				continue
			}
			t := s.instant(y, m, d, h, min)
			if n := len(out); n > 0 && !t.After(out[n-1]) {
				continue // several wall times in a skipped hour fire once, at the jump
			}
			out = append(out, t)
		}
	}
	return out
}

// instant returns the moment the wall clock in s.loc shows y-m-d h:min: the
// moment of the jump when that wall time is skipped, the first of the two
// when it occurs twice.
func (s *Schedule) instant(y int, m time.Month, d, h, min int) time.Time {
	t := time.Date(y, m, d, h, min, 0, 0, s.loc)
	if t.Hour() != h || t.Minute() != min {
		// In a gap: time.Date moved it by the size of the jump, one way or
		// the other. The zone boundary is the jump itself.
		start, end := t.ZoneBounds()
		wantBefore := t.Hour()*60+t.Minute() > h*60+min
		if wantBefore && !start.IsZero() {
			return start
		}
		if !end.IsZero() {
			return end
		}
		return t
	}
	// Twice on the clock: prefer the earlier occurrence.
	for _, back := range []time.Duration{time.Hour, 30 * time.Minute, 2 * time.Hour} {
		e := t.Add(-back)
		if e.Hour() == h && e.Minute() == min && e.Day() == d {
			return e
		}
	}
	return t
}

// Next returns the first firing strictly after t, or the zero time if
// there is none within eight years.
func (s *Schedule) Next(t time.Time) time.Time {
	local := t.In(s.loc)
	y, m, d := local.Date()
	for i := range searchDays {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, s.loc)
		if !s.dayMatches(day) {
			continue
		}
		for _, f := range s.firings(day.Year(), day.Month(), day.Day()) {
			if f.After(t) {
				return f
			}
		}
	}
	return time.Time{}
}

// Prev returns the last firing at or before t, or the zero time if there
// is none within eight years.
func (s *Schedule) Prev(t time.Time) time.Time {
	local := t.In(s.loc)
	y, m, d := local.Date()
	for i := range searchDays {
		day := time.Date(y, m, d-i, 12, 0, 0, 0, s.loc)
		if !s.dayMatches(day) {
			continue
		}
		fs := s.firings(day.Year(), day.Month(), day.Day())
		for j := len(fs) - 1; j >= 0; j-- {
			if !fs[j].After(t) {
				return fs[j]
			}
		}
	}
	return time.Time{}
}
