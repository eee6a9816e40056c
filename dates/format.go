package dates

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Long formats t as a Norwegian long date in loc (nil = Europe/Oslo):
// "6. november 2023".
func Long(t time.Time, loc *time.Location) string {
	t = t.In(orOslo(loc))
	b := make([]byte, 0, 24)
	b = strconv.AppendInt(b, int64(t.Day()), 10)
	b = append(b, ". "...)
	b = append(b, MonthName(t.Month())...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(t.Year()), 10)
	return string(b)
}

// DayMonth formats t without the year in loc (nil = Europe/Oslo): "6. november".
func DayMonth(t time.Time, loc *time.Location) string {
	t = t.In(orOslo(loc))
	return strconv.Itoa(t.Day()) + ". " + MonthName(t.Month())
}

// Period names the months from..to in loc (nil = Europe/Oslo), both
// inclusive: "mars 2024", "juli–september 2023", "desember 2023–februar 2024".
// A to that falls exactly at midnight on the first of a month is read as
// an exclusive end, so Period(Quarter("2023Q3")) gives "juli–september 2023".
// The bounds may be given in either order.
func Period(from, to time.Time, loc *time.Location) string {
	loc = orOslo(loc)
	if to.Before(from) {
		from, to = to, from
	}
	f, t := from.In(loc), to.In(loc)
	if t.After(f) && t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		t = t.Add(-time.Nanosecond)
	}
	fy, fm := f.Year(), f.Month()
	ty, tm := t.Year(), t.Month()
	switch {
	case fy == ty && fm == tm:
		return MonthName(fm) + " " + strconv.Itoa(fy)
	case fy == ty:
		return MonthName(fm) + "–" + MonthName(tm) + " " + strconv.Itoa(fy)
	}
	return MonthName(fm) + " " + strconv.Itoa(fy) + "–" + MonthName(tm) + " " + strconv.Itoa(ty)
}

// Quarter returns the bounds of a quarter written "2023Q3" or "2023-Q3":
// from is midnight on its first day in loc (nil = Europe/Oslo), to is
// midnight on the first day of the next quarter (exclusive). Both are UTC.
func Quarter(q string, loc *time.Location) (from, to time.Time, err error) {
	loc = orOslo(loc)
	s := strings.TrimSpace(q)
	y, ok := digits(s, 4)
	s = strings.TrimPrefix(s[min(4, len(s)):], "-")
	if !ok || len(s) != 2 || (s[0] != 'Q' && s[0] != 'q') || s[1] < '1' || s[1] > '4' || y < minYear || y > maxYear {
		return time.Time{}, time.Time{}, fmt.Errorf("dates: parse quarter %q: want a form like 2023Q3 or 2023-Q3", q)
	}
	m := time.Month(3*int(s[1]-'1') + 1)
	from = time.Date(y, m, 1, 0, 0, 0, 0, loc)
	to = time.Date(y, m+3, 1, 0, 0, 0, 0, loc)
	return from.UTC(), to.UTC(), nil
}

// DaysUntil counts calendar days in loc (nil = Europe/Oslo) from now to
// deadline: 0 when the deadline is today, negative when it has passed.
func DaysUntil(now, deadline time.Time, loc *time.Location) int {
	loc = orOslo(loc)
	n, d := now.In(loc), deadline.In(loc)
	a := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return int((b.Unix() - a.Unix()) / 86400)
}

// Countdown says in Norwegian how far away a day is: "i dag", "i morgen",
// "om 7 dager", "i går", "for 3 dager siden".
func Countdown(days int) string {
	switch {
	case days == 0:
		return "i dag"
	case days == 1:
		return "i morgen"
	case days == -1:
		return "i går"
	case days > 1:
		return "om " + strconv.Itoa(days) + " dager"
	}
	return "for " + strconv.Itoa(-days) + " dager siden"
}
