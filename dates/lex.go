package dates

import (
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tNum
	tWord
	tPunct
)

// token is one lexical unit of a date string. Tokens point into the source
// string, so lexing allocates nothing.
type token struct {
	kind       tokKind
	space      bool // whitespace precedes the token
	nd         int  // digit count of a number
	num        int  // value of a number (first 9 digits)
	r          rune // rune of a punctuation token
	start, end int  // byte offsets in the source
}

// lexer splits a string into numbers, words and single punctuation runes.
// It is a value type: copying it saves a position to backtrack to.
type lexer struct {
	s string
	i int
}

func isSpaceRune(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

func (l *lexer) next() token {
	var t token
	for l.i < len(l.s) {
		c := l.s[l.i]
		if c < utf8.RuneSelf {
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' {
				break
			}
			l.i++
			t.space = true
			continue
		}
		r, n := utf8.DecodeRuneInString(l.s[l.i:])
		if !isSpaceRune(r) {
			break
		}
		l.i += n
		t.space = true
	}
	t.start = l.i
	if l.i >= len(l.s) {
		t.end = l.i
		return t
	}
	c := l.s[l.i]
	switch {
	case isDigit(c):
		t.kind = tNum
		for l.i < len(l.s) && isDigit(l.s[l.i]) {
			if t.nd < 9 {
				t.num = t.num*10 + int(l.s[l.i]-'0')
			}
			t.nd++
			l.i++
		}
	case c < utf8.RuneSelf && isASCIILetter(c):
		t.kind = tWord
		l.word()
	case c >= utf8.RuneSelf:
		r, n := utf8.DecodeRuneInString(l.s[l.i:])
		if unicode.IsLetter(r) {
			t.kind = tWord
			l.word()
			break
		}
		t.kind = tPunct
		t.r = r
		l.i += n
	default:
		t.kind = tPunct
		t.r = rune(c)
		l.i++
	}
	t.end = l.i
	return t
}

// word advances over letters (and combining marks).
func (l *lexer) word() {
	for l.i < len(l.s) {
		c := l.s[l.i]
		if c < utf8.RuneSelf {
			if !isASCIILetter(c) {
				return
			}
			l.i++
			continue
		}
		r, n := utf8.DecodeRuneInString(l.s[l.i:])
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			return
		}
		l.i += n
	}
}

// peek returns the next token without consuming it.
func (l *lexer) peek() token {
	c := *l
	return c.next()
}

func isDigit(c byte) bool       { return '0' <= c && c <= '9' }
func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// is reports whether t is the punctuation rune r.
func (t token) is(r rune) bool { return t.kind == tPunct && t.r == r }

// adjacent reports whether t follows the previous token without whitespace.
func (t token) adjacent() bool { return !t.space }

// text returns the source text of t.
func (l *lexer) text(t token) string { return l.s[t.start:t.end] }
