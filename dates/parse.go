package dates

import (
	"strings"
	"time"
)

// Parse reads s as one date. Around the date it accepts label words ending
// in a colon ("Dato:", "Publiceringsdatum:"), a few known labels without a
// colon ("Published", "den"), a weekday, a time of day ("kl. 14", "14:00",
// "11:00:00 +0200") and trailing punctuation; anything else makes it fail.
// The result is in UTC; a date without a time is midnight in opt.Loc.
// It returns ErrNoDate when s holds no valid date.
func Parse(s string, opt Options) (time.Time, error) {
	s = strings.TrimSpace(s)
	loc := opt.loc()
	if opt.Layout != "" {
		if t, err := time.ParseInLocation(opt.Layout, s, loc); err == nil && t.Year() >= minYear && t.Year() <= maxYear {
			return t.UTC(), nil
		}
	}
	l := lexer{s: s}
	t := skipPrefix(&l)
	p, ok := matchDate(&l, t, modeParse, opt.Order)
	if !ok || !p.hasYear || !onlyTrailer(&l) {
		return time.Time{}, ErrNoDate
	}
	return p.time(loc), nil
}

// skipPrefix consumes opening brackets, labels and a weekday, and returns
// the first token of the date.
func skipPrefix(l *lexer) token {
	t := l.next()
	for i := 0; i < 8 && t.kind != tEOF; i++ {
		switch {
		case t.is('(') || t.is('['):
			t = l.next()
			continue
		case t.kind != tWord:
			return t
		}
		switch l.info(t).kind {
		case wLabel, wWeekday:
			t = l.next()
			if t.is(',') || t.is(':') || (t.is('.') && t.adjacent()) {
				t = l.next()
			}
			continue
		case wMonth:
			return t
		}
		if nt, ok := skipColonLabel(l); ok {
			t = nt
			continue
		}
		return t
	}
	return t
}

// skipColonLabel consumes the rest of a label of up to four words that ends
// in a colon ("Sist endret:"), and returns the token after the colon.
func skipColonLabel(l *lexer) (token, bool) {
	save := *l
	for i := 0; i < 4; i++ {
		t := l.next()
		switch {
		case t.is(':'):
			return l.next(), true
		case t.kind != tWord:
			*l = save
			return token{}, false
		}
	}
	*l = save
	return token{}, false
}

// onlyTrailer reports whether nothing but closing punctuation, or an RFC 822
// zone comment such as "(PDT)", remains.
func onlyTrailer(l *lexer) bool {
	for {
		t := l.next()
		switch {
		case t.kind == tEOF:
			return true
		case t.is('('):
			if w := l.next(); w.kind != tWord || l.info(w).kind != wZone || !l.next().is(')') {
				return false
			}
		case t.is('.') || t.is(',') || t.is(')') || t.is(']') || t.is(';'):
		default:
			return false
		}
	}
}

// Find returns the first complete date (one with a year) in prose, such as
// "Vienna (Austria), 24 July 2023 – …", "On 3 October 2023, …" or
// "24.06.15 | News", with its time of day when one follows.
func Find(text string, opt Options) (time.Time, bool) {
	l := lexer{s: text}
	for {
		t := l.next()
		if t.kind == tEOF {
			return time.Time{}, false
		}
		if !startsDate(&l, t) {
			continue
		}
		m := l
		if p, ok := matchDate(&m, t, modeFind, opt.Order); ok && p.hasYear {
			return p.time(opt.loc()), true
		}
	}
}

// startsDate reports whether t can open a date in prose: a number that is
// not glued to a preceding word or number, or a month name.
func startsDate(l *lexer, t token) bool {
	switch t.kind {
	case tNum:
		if t.nd > 4 {
			return false
		}
		if t.start == 0 {
			return true
		}
		c := l.s[t.start-1]
		return !(isDigit(c) || isASCIILetter(c) || c == '.' || c == '/' || c == '-' || c == '+' || c == ',')
	case tWord:
		return t.end-t.start <= len("september") && l.info(t).kind == wMonth
	}
	return false
}
