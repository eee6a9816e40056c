package fold

import (
	"strings"
	"testing"
)

func TestIndex(t *testing.T) {
	tests := []struct {
		s, word string
		want    int
	}{
		{"<?xml ENCODING=", "encoding", 6},
		{"abc", "abcd", -1},
		{"", "a", -1},
		{"x", "", 0},
		{"İİ Se Her.", "se her", 5},
		{"\xff\xff\xff;JSESSIONID=1", ";jsessionid=", 3},
		{"ſe her", "se her", -1}, // no Unicode folding: ſ is not s
		{"SE HE", "se her", -1},
	}
	for _, tc := range tests {
		got := Index(tc.s, tc.word)
		if got != tc.want {
			t.Errorf("Index(%q, %q) = %d, want %d", tc.s, tc.word, got, tc.want)
			continue
		}
		if got >= 0 && !strings.EqualFold(tc.s[got:got+len(tc.word)], tc.word) {
			t.Errorf("Index(%q, %q) = %d does not index the word", tc.s, tc.word, got)
		}
	}
}

func FuzzIndex(f *testing.F) {
	f.Add("<?xml İ encoding='x'?>", "encoding")
	f.Add("\xff;JSESSIONID=", ";jsessionid=")
	f.Fuzz(func(t *testing.T, s, word string) {
		word = strings.ToLower(word)
		for i := 0; i < len(word); i++ {
			if word[i] >= 0x80 {
				return
			}
		}
		i := Index(s, word)
		if i < 0 {
			if strings.Contains(strings.ToLower(s), word) && isASCII(s) {
				t.Fatalf("Index(%q, %q) = -1, but the word is there", s, word)
			}
			return
		}
		if !strings.EqualFold(s[i:i+len(word)], word) {
			t.Fatalf("Index(%q, %q) = %d does not index the word", s, word, i)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
