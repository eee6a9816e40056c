package dates

import "strings"

// matchTime reads an optional time of day (and zone) after a date. It
// leaves l and p untouched when none follows.
func matchTime(l *lexer, p *parts, iso bool) bool {
	save, saved := *l, *p
	if matchClock(l, p, iso) {
		return true
	}
	*l, *p = save, saved
	return false
}

// matchClock reads ", 14:00", "kl. 14", "kl 14.00", "T15:04:05.123Z",
// "11:00:00 +0200", "at 2:30 pm", "10:00 CEST".
func matchClock(l *lexer, p *parts, iso bool) bool {
	t := l.next()
	if t.is(',') {
		t = l.next()
	}
	if t.kind == tWord && isClockLead(l.text(t)) {
		// "1. mars 2024 til kl. 12", "innen kl. 12"
		if nt := l.peek(); l.info(nt).kind == wClock {
			t = l.next()
		}
	}
	clock := false
	switch {
	case iso && t.kind == tWord && t.adjacent() && (l.text(t) == "T" || l.text(t) == "t"):
		t = l.next()
		if !t.adjacent() {
			return false
		}
	case l.info(t).kind == wClock:
		clock = true
		t = l.next()
		if t.is('.') && t.adjacent() {
			t = l.next()
		}
	}
	if t.kind != tNum || t.nd > 2 {
		return false
	}
	p.hour = t.num
	hasMin, hasSec := readMinSec(l, p, clock)
	if !hasMin && !clock {
		return false
	}
	if !readMeridiem(l, p) {
		return false
	}
	readZone(l, p, iso || hasSec)
	return p.hour < 24
}

// readMinSec reads ":04", ":04:05", ":04:05.999" (and ".04" after "kl").
func readMinSec(l *lexer, p *parts, clock bool) (hasMin, hasSec bool) {
	save := *l
	sep := l.next()
	if !sep.adjacent() || !(sep.is(':') || (clock && sep.is('.'))) {
		*l = save
		return false, false
	}
	m := l.next()
	if m.kind != tNum || !m.adjacent() || m.nd != 2 {
		*l = save
		return false, false
	}
	p.min = m.num
	save = *l
	if s := l.next(); !s.adjacent() || !s.is(sep.r) {
		*l = save
		return true, false
	}
	s := l.next()
	if s.kind != tNum || !s.adjacent() || s.nd != 2 {
		*l = save
		return true, false
	}
	p.sec = s.num
	save = *l
	if f := l.next(); f.adjacent() && (f.is('.') || f.is(',')) {
		if ft := l.next(); ft.kind == tNum && ft.adjacent() {
			p.nsec = fraction(l.text(ft))
			return true, true
		}
	}
	*l = save
	return true, true
}

// fraction converts the digits after a decimal point to nanoseconds.
func fraction(digits string) int {
	ns := 0
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(digits) {
			ns += int(digits[i] - '0')
		}
	}
	return ns
}

// readMeridiem applies "am"/"pm"; it fails on "13 pm".
func readMeridiem(l *lexer, p *parts) bool {
	save := *l
	t := l.next()
	switch l.info(t).kind {
	case wAM:
		if p.hour < 1 || p.hour > 12 {
			return false
		}
		p.hour %= 12
	case wPM:
		if p.hour < 1 || p.hour > 12 {
			return false
		}
		p.hour = p.hour%12 + 12
	default:
		*l = save
	}
	return true
}

// readZone reads "Z", "+0200", "+02:00", "GMT", "CEST", "UTC+2". A numeric
// offset glued to the time ("-0700", "+02:00") is read only after an ISO
// date or a time with seconds, so that "10:00-12:00" stays a time range.
func readZone(l *lexer, p *parts, glued bool) {
	save := *l
	t := l.next()
	if t.kind == tWord {
		wi := l.info(t)
		if wi.kind != wZone || (l.text(t) == "Z" || l.text(t) == "z") && !t.adjacent() {
			*l = save
			return
		}
		p.hasZone, p.off = true, int(wi.val)*60
		save = *l
		if wi.val == 0 && readOffset(l, p, true) {
			return
		}
		*l = save
		return
	}
	*l = save
	if !readOffset(l, p, glued) {
		*l = save
	}
}

// readOffset reads a signed offset: "+0200", "-07:00", "+02".
func readOffset(l *lexer, p *parts, glued bool) bool {
	sign := l.next()
	neg := sign.is('-') || sign.is('−')
	if !neg && !sign.is('+') {
		return false
	}
	h := l.next()
	if h.kind != tNum || !h.adjacent() {
		return false
	}
	if sign.adjacent() && !glued {
		return false
	}
	var hh, mm int
	switch h.nd {
	case 4:
		hh, mm = h.num/100, h.num%100
	case 1, 2:
		if !sign.adjacent() {
			return false
		}
		hh = h.num
		save := *l
		if c := l.next(); c.is(':') && c.adjacent() {
			if m := l.next(); m.kind == tNum && m.adjacent() && m.nd == 2 {
				mm = m.num
				break
			}
		}
		*l = save
	default:
		return false
	}
	if hh > 14 || mm > 59 {
		return false
	}
	off := (hh*60 + mm) * 60
	if neg {
		off = -off
	}
	p.hasZone, p.off = true, off
	return true
}

// isClockLead reports whether w may stand between a date and "kl.".
func isClockLead(w string) bool {
	for _, r := range [...]string{"til", "innen", "innan", "før", "by", "before"} {
		if strings.EqualFold(w, r) {
			return true
		}
	}
	return false
}
