package intl_test

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"watcher/crawlers/intl"
	"watcher/dates"
)

// The site extractors are pure functions of a body and a base URL: for
// any body they must not panic, must return links that are absolute
// http(s) URLs, and text that is valid UTF-8 without control or bidi
// override characters. Seeds: the package's captures plus hostile shapes.

var fuzzBase = mustURL("https://www.example.org/en/news/")

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

var hostileSeeds = []string{
	``,
	`<`,
	"\x00\xff\xfe<html>",
	`<html><body><a href="javascript:alert(1)">x</a><a href="data:text/html,x">d</a><a href="//other.example/../a">o</a><a href="/en/news/2024/May/a.html">` + "\u202eevil\x07" + `</a></body></html>`,
	`<script>window.SERVER_DATA = {"a": "\"}</script>` + "\x00",
	`<script>window.SERVER_DATA = {"data":{"nodes":[{"title":"x","alias":"javascript:x","created":"-99999999999999"}]}};</script>`,
	`{"title":[{"value":"\u0000"}],"created":[{"value":"1e400"}],"body":[{"value":"<p>` + "\u202e" + `</p>"}]}`,
	`[{"id":-1,"date":"0000-00-00T00:00:00","link":"javascript:1","title":{"rendered":"&#x202e;x"}}]`,
	`{"nodes": [` + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" + `]}`,
}

func addSeeds(f *testing.F, dir string) {
	f.Helper()
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", dir, "*"))
	pages, _ := filepath.Glob(filepath.Join("testdata", dir, "*", "*"))
	for _, p := range append(files, pages...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func checkText(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s is not valid UTF-8: %q", what, s)
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			t.Fatalf("%s holds %U: %q", what, r, s)
		}
	}
}

func checkLink(t *testing.T, what, s string) {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		t.Fatalf("%s %q is not an absolute http(s) URL (%v)", what, s, err)
	}
}

func FuzzEuropolListing(f *testing.F) {
	addSeeds(f, "europol")
	f.Fuzz(func(t *testing.T, page []byte) {
		if _, err := intl.ServerData(page); err != nil {
			return
		}
		entries, err := intl.EuropolListing(page)
		if err != nil {
			return
		}
		for _, e := range entries {
			checkText(t, "title", e.Title)
			checkText(t, "summary", e.Summary)
		}
	})
}

func FuzzEuropolNode(f *testing.F) {
	addSeeds(f, "europol/node")
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := intl.EuropolNodeInfo(body)
		if err != nil {
			return
		}
		checkText(t, "title", n.Title)
		checkText(t, "summary", n.Summary)
		for _, a := range n.CrimeAreas {
			checkText(t, "crime area", a)
		}
	})
}

func FuzzCoEListing(f *testing.F) {
	addSeeds(f, "coe")
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, err := intl.CoEListing(body, fuzzBase)
		if err != nil {
			return
		}
		for _, e := range entries {
			checkLink(t, "link", e.URL)
			checkText(t, "title", e.Title)
			checkText(t, "teaser", e.Teaser)
		}
	})
}

func FuzzEUHomeListing(f *testing.F) {
	addSeeds(f, "euhome")
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, err := intl.EUHomeListing(body, fuzzBase)
		if err != nil {
			return
		}
		for _, e := range entries {
			checkLink(t, "link", e.URL)
			checkText(t, "title", e.Title)
			checkText(t, "summary", e.Summary)
		}
	})
}

func FuzzFrontexListing(f *testing.F) {
	addSeeds(f, "frontex")
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, err := intl.FrontexListing(body, fuzzBase)
		if err != nil {
			return
		}
		for _, e := range entries {
			checkLink(t, "link", e.URL)
			checkText(t, "title", e.Title)
			checkText(t, "summary", e.Summary)
		}
	})
}

// FuzzUNODCListing runs the generic listing reader with UNODC's item
// rule, as the unodc kind does.
func FuzzUNODCListing(f *testing.F) {
	addSeeds(f, "unodc")
	prefixes := []string{"/unodc/en/press/releases/", "/unodc/en/frontpage/"}
	base := mustURL("https://www.unodc.org/unodc/en/press/releases.html")
	f.Fuzz(func(t *testing.T, body []byte) {
		links, err := intl.ListingLinks(body, base, "", func(u *url.URL, _ string) (string, bool) {
			return u.String(), intl.UNODCItemURL(u, base.Hostname(), prefixes)
		})
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, l := range links {
			checkLink(t, "link", l.URL)
			checkText(t, "title", l.Title)
			if seen[l.URL] {
				t.Fatalf("link %q listed twice", l.URL)
			}
			seen[l.URL] = true
		}
	})
}

func FuzzReadPage(f *testing.F) {
	addSeeds(f, "unodc/pages")
	addSeeds(f, "coe/pages")
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := intl.ReadPage(body, fuzzBase)
		if err != nil {
			return
		}
		checkText(t, "title", p.Title)
		for _, l := range p.Links {
			checkLink(t, "link", l.URL)
		}
		// The date helpers read whatever the page holds.
		intl.PageDates(p, dates.Options{})
		intl.Dateline(p, dates.Options{})
	})
}

func FuzzWordPressPosts(f *testing.F) {
	addSeeds(f, "cbss")
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = intl.WordPressPosts(body)
	})
}
