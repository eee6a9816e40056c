package dates

import (
	"time"
	"unicode"
	"unicode/utf8"
)

type wordKind uint8

const (
	wNone    wordKind = iota
	wMonth            // val: month number
	wWeekday          // a weekday name in nb, nn, sv or en
	wLabel            // a word that may introduce a date: "Dato", "published"
	wClock            // introduces a time of day: "kl", "klokka", "at"
	wOrdinal          // English ordinal suffix: "st", "nd", "rd", "th"
	wOf               // "of" in "24th of July"
	wAM
	wPM
	wZone // val: offset in minutes east of UTC
	wPast // past-tense verb: a year-less deadline lies before the publication
)

type wordInfo struct {
	kind wordKind
	val  int16
}

var words = buildWords()

func buildWords() map[string]wordInfo {
	m := make(map[string]wordInfo, 256)
	months := [][]string{
		{"januar", "januari", "january", "jan"},
		{"februar", "februari", "february", "feb", "febr"},
		{"mars", "march", "mar"},
		{"april", "apr"},
		{"mai", "maj", "may"},
		{"juni", "june", "jun"},
		{"juli", "july", "jul"},
		{"august", "augusti", "aug"},
		{"september", "sep", "sept"},
		{"oktober", "october", "okt", "oct"},
		{"november", "nov"},
		{"desember", "december", "des", "dec"},
	}
	for i, names := range months {
		for _, n := range names {
			m[n] = wordInfo{wMonth, int16(i + 1)}
		}
	}
	for _, n := range []string{
		// bokmål, nynorsk, Swedish
		"mandag", "måndag", "tirsdag", "tysdag", "tisdag", "onsdag", "torsdag",
		"fredag", "lørdag", "laurdag", "lördag", "søndag", "sundag", "söndag",
		"man", "tir", "tys", "ons", "tor", "fre", "lør", "lau", "søn", "sun",
		"mån", "tis", "lör", "sön",
		// English
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
		"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sunday",
	} {
		m[n] = wordInfo{kind: wWeekday}
	}
	for _, n := range []string{
		"dato", "date", "datum", "den", "the", "on", "published", "publisert",
		"publicerad", "publiceringsdatum", "posted", "updated", "oppdatert", "endret", "sist",
		"last", "modified", "publication",
	} {
		m[n] = wordInfo{kind: wLabel}
	}
	for _, n := range []string{"kl", "klokka", "klokken", "klockan", "at"} {
		m[n] = wordInfo{kind: wClock}
	}
	for _, n := range []string{"st", "nd", "rd", "th"} {
		m[n] = wordInfo{kind: wOrdinal}
	}
	m["of"] = wordInfo{kind: wOf}
	m["am"] = wordInfo{kind: wAM}
	m["pm"] = wordInfo{kind: wPM}
	zones := map[string]int16{
		"z": 0, "ut": 0, "utc": 0, "gmt": 0, "wet": 0,
		"west": 60, "bst": 60, "cet": 60, "met": 60, "cest": 120, "mest": 120,
		"eet": 120, "eest": 180, "msk": 180,
		"est": -300, "edt": -240, "cst": -360, "cdt": -300,
		"mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
	}
	for n, off := range zones {
		m[n] = wordInfo{wZone, off}
	}
	for _, n := range []string{"var", "was", "gikk", "gjekk", "utløp", "utløpte", "expired", "closed", "ended"} {
		m[n] = wordInfo{kind: wPast}
	}
	return m
}

// maxWord bounds the words looked up; longer words are never date words.
const maxWord = 48

// lowerWord writes the lower-case form of w into buf and returns its length,
// or -1 if it does not fit.
func lowerWord(w string, buf *[maxWord]byte) int {
	n := 0
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if n >= maxWord {
				return -1
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n] = c
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		r = unicode.ToLower(r)
		if n+utf8.RuneLen(r) > maxWord {
			return -1
		}
		n += utf8.EncodeRune(buf[n:], r)
		i += size
	}
	return n
}

// lookup classifies a word, ignoring case.
func lookup(w string) wordInfo {
	if len(w) > maxWord {
		return wordInfo{}
	}
	var buf [maxWord]byte
	n := lowerWord(w, &buf)
	if n < 0 {
		return wordInfo{}
	}
	return words[string(buf[:n])]
}

func (l *lexer) info(t token) wordInfo {
	if t.kind != tWord {
		return wordInfo{}
	}
	return lookup(l.text(t))
}

var monthNames = [...]string{
	"januar", "februar", "mars", "april", "mai", "juni",
	"juli", "august", "september", "oktober", "november", "desember",
}

// MonthName returns the Norwegian bokmål name of m in lower case ("november").
func MonthName(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return monthNames[m-1]
}
