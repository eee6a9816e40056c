package relevance

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippet returns the words around raw[start:end]: up to snippetRadius
// characters on each side, cut only between words, white space collapsed,
// with "…" where the text goes on.
func snippet(raw string, start, end int) string {
	from := start
	for n := 0; n < snippetRadius && from > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(raw[:from])
		from -= size
	}
	// Inside a word: move forward past it, then to where the next word
	// begins, so the snippet starts with a word.
	for from > 0 && from < start && inWord(raw, from) {
		_, size := utf8.DecodeRuneInString(raw[from:])
		from += size
	}
	for from > 0 && from < start {
		r, size := utf8.DecodeRuneInString(raw[from:])
		if isWordRune(r) {
			break
		}
		from += size
	}
	to := end
	for n := 0; n < snippetRadius && to < len(raw); n++ {
		_, size := utf8.DecodeRuneInString(raw[to:])
		to += size
	}
	// Inside a word: move back to where the previous word ends.
	for to < len(raw) && to > end && inWord(raw, to) {
		_, size := utf8.DecodeLastRuneInString(raw[:to])
		to -= size
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	b.WriteString(tidy(raw[from:to])) // no white space at its ends
	if to < len(raw) {
		b.WriteString("…")
	}
	return b.String()
}

// inWord reports whether byte offset i of s falls between two characters
// of one word.
func inWord(s string, i int) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i:])
	return isWordRune(before) && (isWordRune(after) || after == softHyphen)
}

// tidy collapses each run of white space between words to one space
// (dropping it at the ends), drops soft hyphens,
// and rejoins a word hyphenated at a line end ("menneske-\nhandel" becomes
// "menneske-handel").
func tidy(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space, newline, hyphen := false, false, false
	for _, r := range s {
		switch {
		case r == softHyphen:
			hyphen = true
			continue
		case unicode.IsSpace(r):
			space = true
			newline = newline || r == '\n' || r == '\r'
			continue
		}
		if space && b.Len() > 0 && !(newline && hyphen) {
			b.WriteByte(' ')
		}
		space, newline = false, false
		hyphen = isHyphen(r)
		b.WriteRune(r)
	}
	return b.String()
}
