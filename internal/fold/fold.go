// Package fold finds ASCII words in text regardless of their case.
//
// strings.ToLower and bytes.ToLower may change the byte length of the
// text they fold (U+0130 "İ" lowers to one byte, an invalid byte becomes
// a three-byte U+FFFD), so an offset found in the lowered copy does not
// index the original. The functions here fold ASCII letters only and
// return offsets into the text they were given.
package fold

// Index returns the offset in s of the first instance of word, matched
// with ASCII case folding, or -1. word must be lower-case ASCII.
func Index(s, word string) int {
	for i := 0; i+len(word) <= len(s); i++ {
		if hasPrefix(s[i:], word) {
			return i
		}
	}
	return -1
}

func hasPrefix(s, word string) bool {
	for j := 0; j < len(word); j++ {
		if lower(s[j]) != word[j] {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
