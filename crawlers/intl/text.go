package intl

import (
	"strings"
	"unicode/utf8"
)

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

// firstNonEmpty returns the first of vals that is not blank.
func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
