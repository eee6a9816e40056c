package intl

import "testing"

func TestLooksLikeFeed(t *testing.T) {
	tests := []struct {
		ctype string
		body  string
		want  bool
	}{
		{"application/rss+xml", "", true},
		{"text/xml", "<rss/>", true},
		{"text/html", "<?xml version=\"1.0\"?><rss>", true},
		{"", "\n  <feed xmlns=\"http://www.w3.org/2005/Atom\">", true},
		{"application/json", `{"version":"https://jsonfeed.org/version/1.1"}`, true},
		{"text/html", "<!DOCTYPE html><title>Just a moment...</title>", false},
		{"application/json", `[{"id":1}]`, false},
	}
	for _, tc := range tests {
		if got := looksLikeFeed(tc.ctype, []byte(tc.body)); got != tc.want {
			t.Errorf("looksLikeFeed(%q, %q) = %v, want %v", tc.ctype, tc.body, got, tc.want)
		}
	}
}
