package dates

import "time"

// mode selects how permissive the date grammar is.
type mode uint8

const (
	// modeParse reads a whole string: two-digit years are allowed after
	// month names ("17 Sep 26", as in RFC 822) and in short numeric dates.
	modeParse mode = iota
	// modeFind reads dates in prose: four-digit years after month names,
	// and numeric dates with a two-digit year only as dd.mm.yy.
	modeFind
	// modeDeadline is modeFind plus dates without a year ("6. november").
	modeDeadline
)

// parts is a date read from text, before it is placed in a zone.
type parts struct {
	y, m, d   int
	hasYear   bool
	hour, min int
	sec, nsec int
	hasZone   bool
	off       int // seconds east of UTC
}

// valid reports whether the parts form a real calendar date and time.
func (p *parts) valid() bool {
	if p.m < 1 || p.m > 12 || p.d < 1 || p.d > daysIn(time.Month(p.m), p.y) {
		return false
	}
	if p.hasYear && (p.y < minYear || p.y > maxYear) {
		return false
	}
	return p.hour >= 0 && p.hour < 24 && p.min >= 0 && p.min < 60 && p.sec >= 0 && p.sec < 60
}

// clearTime drops a time of day that turned out not to belong to the date.
func (p *parts) clearTime() {
	p.hour, p.min, p.sec, p.nsec, p.hasZone, p.off = 0, 0, 0, 0, false, 0
}

const (
	minYear = 1900
	maxYear = 2199
)

func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// time places the parts: at their own offset when they carry one,
// otherwise in loc. The result is in UTC.
func (p *parts) time(loc *time.Location) time.Time {
	if p.hasZone {
		t := time.Date(p.y, time.Month(p.m), p.d, p.hour, p.min, p.sec, p.nsec, time.UTC)
		return t.Add(-time.Duration(p.off) * time.Second)
	}
	return time.Date(p.y, time.Month(p.m), p.d, p.hour, p.min, p.sec, p.nsec, loc).UTC()
}

// century expands a two-digit year: 00–69 → 20xx, 70–99 → 19xx.
func century(y int) int {
	if y < 70 {
		return 2000 + y
	}
	return 1900 + y
}

// matchDate reads a date that begins with token t; l is positioned after t.
// On success l is positioned after the date (and its time of day, if any).
func matchDate(l *lexer, t token, md mode, order string) (parts, bool) {
	var p parts
	var ok bool
	switch t.kind {
	case tNum:
		ok = matchNumStart(l, t, md, order, &p)
	case tWord:
		ok = matchMonthStart(l, t, md, &p)
	}
	if !ok || !p.valid() {
		return parts{}, false
	}
	return p, true
}

// matchNumStart reads ISO and numeric dates and "7. august 2026" forms.
func matchNumStart(l *lexer, t token, md mode, order string, p *parts) bool {
	save := *l
	if t.nd == 4 && matchYMD(l, t, p) {
		matchTime(l, p, true)
		return true
	}
	*l = save
	if t.nd > 2 {
		return false
	}
	if matchNumeric(l, t, md, order, p) {
		matchTime(l, p, false)
		return true
	}
	*l = save
	if matchDayMonthName(l, t, md, p) {
		matchTime(l, p, false)
		return true
	}
	*l = save
	return false
}

// matchYMD reads 2006-01-02, 2006/01/02 and 2006.01.02.
func matchYMD(l *lexer, y token, p *parts) bool {
	sep := l.next()
	if !sep.adjacent() || !(sep.is('-') || sep.is('/') || sep.is('.')) {
		return false
	}
	m := l.next()
	if m.kind != tNum || !m.adjacent() || m.nd > 2 {
		return false
	}
	sep2 := l.next()
	if !sep2.adjacent() || !sep2.is(sep.r) {
		return false
	}
	d := l.next()
	if d.kind != tNum || !d.adjacent() || d.nd > 2 {
		return false
	}
	if !numEnd(l) {
		return false
	}
	p.y, p.m, p.d, p.hasYear = y.num, m.num, d.num, true
	return true
}

// numEnd reports whether a numeric date ends here: it must not run on into
// more digits, as in a version number or an IP address.
func numEnd(l *lexer) bool {
	nt := l.peek()
	if !nt.adjacent() {
		return true
	}
	if nt.kind == tNum {
		return false
	}
	if nt.is('.') || nt.is('/') || nt.is(',') {
		i := nt.end
		return i >= len(l.s) || !isDigit(l.s[i])
	}
	return true
}

// matchNumeric reads 02.01.2006, 2.1.2006, 02.01.06, 02-01-2006 and slash
// dates in the source's order.
func matchNumeric(l *lexer, a token, md mode, order string, p *parts) bool {
	sep := l.next()
	if !sep.adjacent() || !(sep.is('.') || sep.is('/') || sep.is('-')) {
		return false
	}
	b := l.next()
	if b.kind != tNum || !b.adjacent() || b.nd > 2 {
		return false
	}
	sep2 := l.next()
	if !sep2.adjacent() || !sep2.is(sep.r) {
		return false
	}
	y := l.next()
	if y.kind != tNum || !y.adjacent() || (y.nd != 2 && y.nd != 4) {
		return false
	}
	if y.nd == 2 && md != modeParse && (a.nd != 2 || b.nd != 2) {
		return false
	}
	if !numEnd(l) {
		return false
	}
	p.d, p.m = a.num, b.num
	if sep.r == '/' {
		switch {
		case order == "mdy":
			p.d, p.m = b.num, a.num
		case order == "dmy":
		case a.num > 12 && b.num <= 12:
		case b.num > 12 && a.num <= 12:
			p.d, p.m = b.num, a.num
		default:
			return false
		}
	}
	p.y = y.num
	if y.nd == 2 {
		p.y = century(y.num)
	}
	p.hasYear = true
	return true
}

// matchDayMonthName reads "7. august 2026", "24 July 2023", "24th of July
// 2023", "06. Mar 2014", "17 Sep 26" (modeParse) and, in modeDeadline,
// "6. november".
func matchDayMonthName(l *lexer, d token, md mode, p *parts) bool {
	t := l.next()
	if t.is('.') && t.adjacent() {
		t = l.next()
	} else if t.kind == tWord && t.adjacent() && l.info(t).kind == wOrdinal {
		t = l.next()
		if l.info(t).kind == wOf {
			t = l.next()
		}
	}
	wi := l.info(t)
	if wi.kind != wMonth {
		return false
	}
	p.d, p.m = d.num, int(wi.val)
	skipAbbrevDot(l)
	save := *l
	y := l.next()
	if y.is(',') {
		y = l.next()
	}
	if readYear(l, y, md, p) {
		return true
	}
	*l = save
	return md == modeDeadline
}

// readYear accepts y as the year of a named-month date.
func readYear(l *lexer, y token, md mode, p *parts) bool {
	if y.kind != tNum {
		return false
	}
	switch {
	case y.nd == 4:
		p.y = y.num
	case y.nd == 2 && md == modeParse:
		p.y = century(y.num)
	default:
		return false
	}
	if nt := l.peek(); nt.adjacent() && (nt.kind == tNum || nt.kind == tWord) {
		return false
	}
	p.hasYear = true
	return true
}

// skipAbbrevDot consumes the dot of an abbreviated month ("okt.", "Sept.").
func skipAbbrevDot(l *lexer) {
	save := *l
	if t := l.next(); !(t.is('.') && t.adjacent()) {
		*l = save
	}
}

// matchMonthStart reads "July 24, 2023", "Jul 24 2023", "Sept. 5, 2023",
// ANSIC "Jan 2 15:04:05 2006" and, in modeDeadline, "November 6".
func matchMonthStart(l *lexer, t token, md mode, p *parts) bool {
	wi := l.info(t)
	if wi.kind != wMonth {
		return false
	}
	skipAbbrevDot(l)
	d := l.next()
	if d.kind != tNum || d.nd > 2 {
		return false
	}
	p.m, p.d = int(wi.val), d.num
	save := *l
	if nt := l.peek(); nt.kind == tWord && nt.adjacent() && l.info(nt).kind == wOrdinal {
		l.next()
		save = *l
	}
	y := l.next()
	if y.is(',') {
		y = l.next()
	}
	if readYear(l, y, modeFind, p) {
		matchTime(l, p, false)
		return true
	}
	*l = save
	if matchTime(l, p, false) {
		// ANSIC and Unix date: the year follows the time and zone.
		if y := l.next(); readYear(l, y, modeFind, p) {
			return true
		}
		p.clearTime()
	}
	*l = save
	if nt := l.peek(); nt.adjacent() && nt.kind == tNum {
		return false
	}
	if md == modeDeadline {
		matchTime(l, p, false)
		return true
	}
	return false
}
