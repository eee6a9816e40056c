package relevance

import (
	"unicode"
	"unicode/utf8"
)

// gap says what separates a token from the next one, which decides whether
// a phrase may continue across it.
type gap uint8

const (
	// gapHard: punctuation or the end of the text; no phrase continues.
	gapHard gap = iota
	// gapSoft: only white space (line breaks included) and hyphens; a
	// phrase continues ("forced\nlabour", "anti-trafficking").
	gapSoft
	// gapJoin: one hyphen with nothing or a line break after it
	// ("menneske-\nhandel", "sex-kjøp"); a phrase continues, and so does a
	// word, so hyphenated and line-broken compounds match their closed form.
	gapJoin
)

// token is one word of a text: a maximal run of letters, digits and
// combining marks. It keeps its place in three buffers: the raw text
// (for the matched text and the snippet), the normalised text (combining
// marks composed, soft hyphens dropped; for case-sensitive terms) and the
// folded text (normalised and lower-cased; for every other term).
type token struct {
	raw0, raw1   int // byte span in the raw text
	norm0, norm1 int // byte span in text.norm
	fold0, fold1 int // byte span in text.fold
	after        gap // what separates it from the next token
}

// text is a tokenised field. Buffers are reused between fields.
type text struct {
	raw    string
	norm   []byte
	fold   []byte
	tokens []token
}

const softHyphen = '\u00ad'

// isWordRune reports whether r belongs to a word: word boundaries are
// letters and digits; combining marks stay with the letter they follow.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isHyphen reports whether r joins the parts of a hyphenated word.
func isHyphen(r rune) bool {
	switch r {
	case '-', softHyphen, '\u2010', '\u2011':
		return true
	}
	return false
}

// tokenize splits raw into tokens, filling t. It reads the text once.
func (t *text) tokenize(raw string) {
	t.raw = raw
	t.norm = t.norm[:0]
	t.fold = t.fold[:0]
	t.tokens = t.tokens[:0]
	var g gapScanner
	in := false
	end := 0 // byte offset after the last word rune
	for i, r := range raw {
		if in && r == softHyphen {
			continue // invisible inside a word; a gap if the word ends here
		}
		if isWordRune(r) {
			if !in {
				if n := len(t.tokens); n > 0 {
					t.tokens[n-1].after = g.result()
				}
				t.tokens = append(t.tokens, token{raw0: i, norm0: len(t.norm), fold0: len(t.fold)})
				in = true
			}
			t.appendRune(r)
			end = i + utf8.RuneLen(r)
			continue
		}
		if in {
			t.endToken(end)
			in = false
			g.reset()
			if end < i {
				g.add(softHyphen) // "menneske\u00ad\nhandel"
			}
		}
		g.add(r)
	}
	if in {
		t.endToken(end)
	}
}

func (t *text) endToken(i int) {
	tk := &t.tokens[len(t.tokens)-1]
	tk.raw1, tk.norm1, tk.fold1 = i, len(t.norm), len(t.fold)
	tk.after = gapHard
}

// appendRune adds r to the current token, composing a combining mark with
// the letter before it where Unicode has a precomposed form, so that
// "a\u030a" and "å" are the same letter.
func (t *text) appendRune(r rune) {
	if r < utf8.RuneSelf {
		t.norm = append(t.norm, byte(r))
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		t.fold = append(t.fold, byte(r))
		return
	}
	if unicode.Is(unicode.Mn, r) {
		tk := t.tokens[len(t.tokens)-1]
		if len(t.norm) > tk.norm0 {
			prev, size := utf8.DecodeLastRune(t.norm)
			if c, ok := compose(prev, r); ok {
				t.norm = utf8.AppendRune(t.norm[:len(t.norm)-size], c)
				_, fsize := utf8.DecodeLastRune(t.fold)
				t.fold = utf8.AppendRune(t.fold[:len(t.fold)-fsize], unicode.ToLower(c))
				return
			}
		}
	}
	t.norm = utf8.AppendRune(t.norm, r)
	t.fold = utf8.AppendRune(t.fold, unicode.ToLower(r))
}

// gapScanner classifies the characters between two words.
type gapScanner struct {
	hard         bool // a character that is neither space nor hyphen
	hyphens      int
	spaceBefore  bool // white space before the first hyphen
	spaceAfter   bool // white space after a hyphen
	newlineAfter bool // a line break after a hyphen
}

func (g *gapScanner) reset() { *g = gapScanner{} }

func (g *gapScanner) add(r rune) {
	switch {
	case isHyphen(r):
		g.hyphens++
	case unicode.IsSpace(r):
		if g.hyphens == 0 {
			g.spaceBefore = true
			return
		}
		g.spaceAfter = true
		if r == '\n' || r == '\r' || r == '\u2028' {
			g.newlineAfter = true
		}
	default:
		g.hard = true
	}
}

func (g *gapScanner) result() gap {
	switch {
	case g.hard:
		return gapHard
	case g.hyphens == 1 && !g.spaceBefore && (!g.spaceAfter || g.newlineAfter):
		return gapJoin
	default:
		return gapSoft
	}
}

// compositions maps a base letter and a combining mark to the precomposed
// letter: the canonical compositions of Unicode normalisation form C for
// the letters of the languages the profile covers and their neighbours.
// Other sequences keep the mark as it is.
var compositions = map[[2]rune]rune{}

func init() {
	marks := []struct {
		mark  rune
		pairs string // base, composed, base, composed…
	}{
		{'\u0300', "aàeèiìoòuùAÀEÈIÌOÒUÙ"},     // grave
		{'\u0301', "aáeéiíoóuúyýAÁEÉIÍOÓUÚYÝ"}, // acute
		{'\u0302', "aâeêiîoôuûAÂEÊIÎOÔUÛ"},     // circumflex
		{'\u0303', "aãoõnñAÃOÕNÑ"},             // tilde
		{'\u0308', "aäeëiïoöuüyÿAÄEËIÏOÖUÜ"},   // diaeresis
		{'\u030a', "aåuůAÅUŮ"},                 // ring above
		{'\u0327', "cçCÇ"},                     // cedilla
		{'\u030c', "cčsšzžCČSŠZŽ"},             // caron
		{'\u0328', "aąeęAĄEĘ"},                 // ogonek
		{'\u0306', "aăgğAĂGĞ"},                 // breve
		{'\u0304', "aāeēiīoōuūAĀEĒIĪOŌUŪ"},     // macron
		{'\u0307', "zżZŻ"},                     // dot above
		{'\u030b', "oőuűOŐUŰ"},                 // double acute
		{'\u0326', "sșSȘtțTȚ"},                 // comma below
	}
	for _, m := range marks {
		p := []rune(m.pairs)
		for i := 0; i+1 < len(p); i += 2 {
			compositions[[2]rune{p[i], m.mark}] = p[i+1]
		}
	}
}

// compose returns the precomposed form of base followed by mark.
func compose(base, mark rune) (rune, bool) {
	c, ok := compositions[[2]rune{base, mark}]
	return c, ok
}
