package intl

import "testing"

func TestResolve(t *testing.T) {
	base := mustURL(t, "https://www.unodc.org/unodc/en/press/releases.html")
	tests := map[string]string{
		"/unodc/en/press/releases/2023/July/a.html": "https://www.unodc.org/unodc/en/press/releases/2023/July/a.html",
		"releases/2023/July/a.html#top":             "https://www.unodc.org/unodc/en/press/releases/2023/July/a.html",
		"//cdn.unodc.org/x.pdf":                     "https://cdn.unodc.org/x.pdf",
		"  https://www.coe.int/en/web/x  ":          "https://www.coe.int/en/web/x",
		"https:":                                    "",
		"https:0":                                   "",
		"#top":                                      "",
		"javascript:void(0)":                        "",
		"MAILTO:press@unodc.org":                    "",
		"ftp://files.example/x":                     "",
		"":                                          "",
		"http://[::1":                               "",
	}
	for ref, want := range tests {
		if got := resolve(base, ref); got != want {
			t.Errorf("resolve(%q) = %q, want %q", ref, got, want)
		}
	}
	if got := resolve(nil, "/relative"); got != "" {
		t.Errorf("a relative link without a base gave %q", got)
	}
}

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
