package intl

import "unicode/utf8"

// maxText caps Item.Text: enough for relevance scoring, small enough for
// the store.
const maxText = 20000

// capText cuts s to at most maxText bytes on a rune boundary.
func capText(s string) string {
	if len(s) <= maxText {
		return s
	}
	cut := maxText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
