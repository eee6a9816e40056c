package dates

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// deadlineWindow is how many tokens after a trigger word are searched for
// the date ("Fristen for å gi innspill er 7. august 2026" needs seven).
const deadlineWindow = 30

// ParseDeadline finds a deadline in text: a structured label
// ("Høringsfrist: 07.08.2026", "Høyringsfrist:", "Frist:") or prose in
// bokmål, nynorsk or English ("Høringsfristen er fredag 7. september 2012.",
// "Fristen for å gi innspill er 7. august 2026", "deadline for comments:
// 25 September 2023", "submit … by 25 September 2023").
//
// Words built on "frist" and "deadline" are tried first; only when none of
// them leads to a date are weaker cues tried ("submit", "submissions",
// "innen", "innan", "senest", "seinast", "no later than").
//
// A deadline without a year ("6. november") takes the first year that puts
// it on or after published (in opt.Loc); after a past-tense verb
// ("Høringsfrist var 25. september", "was", "gikk ut") it takes the last
// year that puts it on or before published. Without a publication date
// (zero published) such year-less dates are skipped.
func ParseDeadline(text string, published time.Time, opt Options) (time.Time, bool) {
	if t, ok := scanDeadline(text, published, opt, true); ok {
		return t, true
	}
	return scanDeadline(text, published, opt, false)
}

// scanDeadline tries each trigger word of one strength in turn.
func scanDeadline(text string, published time.Time, opt Options, strong bool) (time.Time, bool) {
	l := lexer{s: text}
	var buf [maxWord]byte
	for {
		t := l.next()
		if t.kind == tEOF {
			return time.Time{}, false
		}
		if t.kind != tWord || t.end-t.start > maxWord {
			continue
		}
		n := lowerWord(l.text(t), &buf)
		if n < 0 || (strong && !strongTrigger(buf[:n])) || (!strong && !weakTrigger(buf[:n])) {
			continue
		}
		w := l
		if d, ok := dateAfterTrigger(&w, published, opt); ok {
			return d, true
		}
	}
}

// dateAfterTrigger searches the rest of the sentence after a trigger word.
func dateAfterTrigger(l *lexer, published time.Time, opt Options) (time.Time, bool) {
	loc := opt.loc()
	past := false
	for i := 0; i < deadlineWindow; i++ {
		t := l.next()
		switch {
		case t.kind == tEOF:
			return time.Time{}, false
		case sentenceEnd(l, t):
			return time.Time{}, false
		case t.kind == tWord && l.info(t).kind == wPast:
			past = true
			continue
		case !startsDate(l, t):
			continue
		}
		m := *l
		p, ok := matchDate(&m, t, modeDeadline, opt.Order)
		if !ok {
			continue
		}
		if q, ok := rangeEnd(&m, published, opt, past); ok {
			p = q
		} else if !resolveYear(&p, published, loc, past) {
			*l = m
			continue
		}
		return p.time(loc), true
	}
	return time.Time{}, false
}

// rangeEnd reads the second date of "fra 1. mars til 15. mars 2024",
// "forlenget fra … til …" or "1. januar–31. mars 2024": a deadline that was
// moved or spans a range ends at the later date.
func rangeEnd(l *lexer, published time.Time, opt Options, past bool) (parts, bool) {
	save := *l
	if w := l.next(); !isRangeDash(w) && (w.kind != tWord || !isRangeWord(l.text(w))) {
		*l = save
		return parts{}, false
	}
	// The dash of "01.01.2024-31.12.2024" is glued to the second date, so
	// startsDate's check of the preceding byte does not apply here.
	t := l.next()
	p, ok := matchDate(l, t, modeDeadline, opt.Order)
	if !ok || !resolveYear(&p, published, opt.loc(), past) {
		*l = save
		return parts{}, false
	}
	return p, true
}

// isRangeDash reports whether t is a dash between two dates.
func isRangeDash(t token) bool { return t.is('–') || t.is('—') || t.is('-') }

// isRangeWord reports whether w joins the two dates of a range.
func isRangeWord(w string) bool {
	for _, r := range [...]string{"til", "till", "to", "until"} {
		if strings.EqualFold(w, r) {
			return true
		}
	}
	return false
}

// resolveYear gives a year-less date its year from the publication date.
func resolveYear(p *parts, published time.Time, loc *time.Location, past bool) bool {
	if p.hasYear {
		return true
	}
	return !published.IsZero() && inferYear(p, published.In(loc), past)
}

// sentenceEnd reports whether t ends a sentence: a full stop, question or
// exclamation mark followed by whitespace and a capitalised word, or the
// end of the text.
func sentenceEnd(l *lexer, t token) bool {
	if !(t.is('.') || t.is('!') || t.is('?')) {
		return false
	}
	nt := l.peek()
	if nt.kind == tEOF {
		return true
	}
	if !nt.space || nt.kind != tWord {
		return false
	}
	r, _ := utf8.DecodeRuneInString(l.s[nt.start:])
	return unicode.IsUpper(r)
}

// inferYear gives a year-less date the year that places it on or after
// the publication day (or on or before it, for a past deadline).
func inferYear(p *parts, pub time.Time, past bool) bool {
	pubDay := civil(pub.Year(), int(pub.Month()), pub.Day())
	step := 1
	if past {
		step = -1
	}
	// Eight years always reach a 29 February.
	for i, y := 0, pub.Year(); i <= 8; i, y = i+1, y+step {
		if p.d > daysIn(time.Month(p.m), y) {
			continue
		}
		day := civil(y, p.m, p.d)
		if (!past && day >= pubDay) || (past && day <= pubDay) {
			p.y, p.hasYear = y, true
			return p.valid()
		}
	}
	return false
}

// civil numbers calendar days so that they can be compared.
func civil(y, m, d int) int { return y*400 + m*32 + d }

var strongWords = []string{"deadline", "deadlines"}

// fristSuffixes are the endings of "frist" in its inflected forms
// ("fristen", "fristar") and compounds ("høringsfrist", "svarfristen"),
// which leave out "fristende", "fristed" and "fristilt".
var fristSuffixes = []string{"", "en", "er", "ene", "ar", "ane", "a"}

func strongTrigger(w []byte) bool {
	if i := strings.LastIndex(string(w), "frist"); i >= 0 {
		rest := string(w[i+len("frist"):])
		for _, s := range fristSuffixes {
			if rest == s {
				return true
			}
		}
		return false
	}
	for _, s := range strongWords {
		if string(w) == s {
			return true
		}
	}
	return false
}

// weakWords lead to a deadline only when no "frist" or "deadline" word
// does. Words as broad as "until", "before" or "sist" are left out: they
// would turn "Sist endret 03.07.2026" into a deadline.
var weakWords = []string{
	"submit", "submitted", "submission", "submissions", "later",
	"innen", "innan", "senest", "seinast",
}

func weakTrigger(w []byte) bool {
	for _, s := range weakWords {
		if string(w) == s {
			return true
		}
	}
	return false
}
