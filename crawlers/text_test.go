package crawlers

import (
	"testing"
	"unicode/utf8"
)

func TestCutText(t *testing.T) {
	tests := map[string]struct {
		in   string
		n    int
		want string
	}{
		"short stays":          {"høring", 20, "høring"},
		"exact length stays":   {"abc", 3, "abc"},
		"ascii cut":            {"abcdef", 4, "abcd"},
		"cut inside a rune":    {"abø", 3, "ab"}, // ø is two bytes
		"cut after a rune":     {"abøc", 4, "abø"},
		"three-byte rune":      {"a–b", 2, "a"},
		"invalid byte earlier": {"a\xffbcdef", 4, "a\xffbc"},
		"zero":                 {"abc", 0, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := CutText(tc.in, tc.n)
			if got != tc.want {
				t.Errorf("CutText(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
			}
			if len(got) > tc.n && len(tc.in) > tc.n {
				t.Errorf("CutText(%q, %d) is %d bytes", tc.in, tc.n, len(got))
			}
			if utf8.ValidString(tc.in) && !utf8.ValidString(got) {
				t.Errorf("CutText(%q, %d) = %q splits a rune", tc.in, tc.n, got)
			}
		})
	}
}
