package dates

import (
	"strings"
	"time"
)

// Precision says how much of a date a URL gave.
type Precision int

// Precisions, from none to a full day.
const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
)

// String names the precision for logs.
func (p Precision) String() string {
	switch p {
	case PrecisionYear:
		return "year"
	case PrecisionMonth:
		return "month"
	case PrecisionDay:
		return "day"
	}
	return "none"
}

// FromURL reads a date from a URL path: "/2023/07/01/" (day),
// "/2023-07-01-slug" (day), "/2023/07/", "/2023/July/", "/2023/Jul/",
// "/10-2023/" (month), or a lone "/2023/" segment (year). The most precise
// date found wins. The result is midnight Europe/Oslo on the first day the
// precision covers, in UTC.
//
// A URL date is a fallback: callers must never let a month or year
// precision replace a date read from the content.
func FromURL(u string) (t time.Time, p Precision, ok bool) {
	path := urlPath(u)
	var best parts
	for i := 0; i < len(path); {
		seg, next := segment(path, i)
		if q, sp := segmentDate(path, seg, next); sp > p {
			best, p = q, sp
			if p == PrecisionDay {
				break
			}
		}
		i = next
	}
	if p == PrecisionNone {
		return time.Time{}, PrecisionNone, false
	}
	return best.time(oslo), p, true
}

// urlPath strips the scheme, host, query and fragment.
func urlPath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		j := strings.IndexByte(u, '/')
		if j < 0 {
			return ""
		}
		u = u[j:]
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

// segment returns the path segment that starts at or after i, and the
// index after it.
func segment(path string, i int) (string, int) {
	for i < len(path) && path[i] == '/' {
		i++
	}
	j := strings.IndexByte(path[i:], '/')
	if j < 0 {
		return path[i:], len(path)
	}
	return path[i : i+j], i + j
}

// segmentDate reads a date that begins at seg; rest is where the following
// segments start.
func segmentDate(path, seg string, rest int) (parts, Precision) {
	p := parts{d: 1, m: 1, hasYear: true}
	if y, ok := digits(seg, 4); ok && len(seg) == 4 {
		p.y = y
		if !yearOK(y) {
			return parts{}, PrecisionNone
		}
		mseg, next := segment(path, rest)
		m, ok := monthSegment(mseg)
		if !ok {
			return p, PrecisionYear
		}
		p.m = m
		dseg, _ := segment(path, next)
		if d, ok := digits(dseg, len(dseg)); ok && len(dseg) <= 2 && d >= 1 && d <= daysIn(time.Month(m), y) {
			p.d = d
			return p, PrecisionDay
		}
		return p, PrecisionMonth
	}
	// MM-YYYY (ICAT events).
	if len(seg) == 7 && seg[2] == '-' {
		m, ok1 := digits(seg[:2], 2)
		y, ok2 := digits(seg[3:], 4)
		if ok1 && ok2 && m >= 1 && m <= 12 && yearOK(y) {
			p.y, p.m = y, m
			return p, PrecisionMonth
		}
	}
	return isoInSegment(seg)
}

// isoInSegment finds YYYY-MM-DD (or YYYY-MM at the end) bounded by
// non-digits inside a segment such as "2023-07-01-finland-takes-over".
func isoInSegment(seg string) (parts, Precision) {
	for i := 0; i+7 <= len(seg); i++ {
		if i > 0 && isDigit(seg[i-1]) {
			continue
		}
		y, ok := digits(seg[i:], 4)
		if !ok || seg[i+4] != '-' || !yearOK(y) {
			continue
		}
		m, ok := digits(seg[i+5:], 2)
		if !ok || m < 1 || m > 12 {
			continue
		}
		end := i + 7
		if end+3 <= len(seg) && seg[end] == '-' {
			if d, ok := digits(seg[end+1:], 2); ok && (end+3 == len(seg) || !isDigit(seg[end+3])) &&
				d >= 1 && d <= daysIn(time.Month(m), y) {
				return parts{y: y, m: m, d: d, hasYear: true}, PrecisionDay
			}
		}
		if end == len(seg) {
			return parts{y: y, m: m, d: 1, hasYear: true}, PrecisionMonth
		}
	}
	return parts{}, PrecisionNone
}

// monthSegment reads "07", "7", "July", "jul" or "juli".
func monthSegment(s string) (int, bool) {
	if m, ok := digits(s, len(s)); ok && len(s) <= 2 {
		return m, m >= 1 && m <= 12
	}
	if len(s) < 3 || len(s) > len("september") {
		return 0, false
	}
	wi := lookup(s)
	return int(wi.val), wi.kind == wMonth
}

// digits reads the first n bytes of s as a decimal number.
func digits(s string, n int) (int, bool) {
	if n == 0 || len(s) < n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// yearOK bounds URL years to those a news site could have published in.
func yearOK(y int) bool { return y >= 1990 && y <= 2100 }
