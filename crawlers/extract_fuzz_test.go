package crawlers_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"watcher"
	"watcher/crawlers"
	"watcher/dates"
)

// The extractors are pure functions of a body and a base URL; whatever a
// site serves, they must not panic, must return only absolute http(s)
// links without fragments, and must return text that is valid UTF-8 with
// no control or bidi-override characters. Seeds: the package's fixtures
// plus the hostile shapes in testdata/fuzz/<target>/.

// fuzzBase is the URL the fuzzed bodies are "fetched" from.
const fuzzBase = "https://example.org/news/list?page=1"

// addFixtures adds the named files of testdata/ as seeds (those missing
// are skipped: the seeds are a starting point, not a contract).
func addFixtures(f *testing.F, names ...string) {
	f.Helper()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			continue
		}
		f.Add(b)
	}
}

// hostileSeeds are bodies every extractor gets as seeds.
var hostileSeeds = []string{
	``,
	`<`,
	"\x00\xff\xfe<rss>",
	`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>&c;</title><item><title>&c;</title><link>https://example.org/a</link></item></channel></rss>`,
	`<rss version="2.0"><channel><item><title>Tittel` + "\u202e" + `gnp.exe` + "\x07" + `</title><link>javascript:alert(1)</link><guid>data:text/html,x</guid></item>`,
	`<html><head><base href="//evil.example/../../x/"></head><body><ul><li><a href="javascript:alert(1)">x</a></li><li><a href="data:text/html;base64,PHA+">d</a></li><li><a href="../../../../a?b#c">rel</a></li><li><a href="  HTTPS://EXAMPLE.ORG:443/%zz">bad escape</a></li></ul></body></html>`,
	`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">&lt;b&gt;fet&lt;/b&gt;</title><link href="/rel/a"/><updated>0001-01-01T00:00:00Z</updated></entry><entry><title>Fremtid</title><link href="https://example.org/b"/><published>9999-12-31T23:59:59Z</published></entry></feed>`,
	`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"javascript:x","title":"\u0000nul"},{"id":"2","url":"/a","date_published":"-0001-01-01T00:00:00Z"}]}`,
	`<ul id="searchResultsListing"><li class="listItem"><h2 class="title"><a href="?page=2">1. januar 1</a></h2><div class="info"><span class="date">31.12.99999</span></div></li></ul>`,
	`%PDF-1.7 not html at all` + "\x00\x01\x02",
}

// checkText fails on text that is not valid UTF-8 or that carries control,
// bidi-override or isolate characters.
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

// checkLink fails on a link that is not an absolute http(s) URL without a
// fragment. An empty link is allowed where the caller allows it.
func checkLink(t *testing.T, what, s string, emptyOK bool) {
	t.Helper()
	if s == "" {
		if !emptyOK {
			t.Fatalf("%s is empty", what)
		}
		return
	}
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("%s %q does not parse: %v", what, s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Fragment != "" {
		t.Fatalf("%s %q is not an absolute http(s) URL without fragment", what, s)
	}
}

// checkTime fails on a time that cannot be stored and shown: the year must
// fit in four digits so JSON and the index keys round-trip.
func checkTime(t *testing.T, what string, tm time.Time) {
	t.Helper()
	if tm.IsZero() {
		return
	}
	if _, err := tm.MarshalJSON(); err != nil {
		t.Fatalf("%s %v cannot be encoded: %v", what, tm, err)
	}
}

func addSeeds(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
}

func FuzzParseFeed(f *testing.F) {
	addFixtures(f, "rss2.xml", "atom.xml", "feed.json", "rss_latin1.xml", "rss_nodate_no.xml")
	addSeeds(f)
	src := watcher.Source{ID: "fuzz", Kind: "feed", DocKind: watcher.KindNews}
	loc, _ := time.LoadLocation("Europe/Oslo")
	f.Fuzz(func(t *testing.T, body []byte) {
		items, problems, err := crawlers.ParseFeed(body, fuzzBase, src, loc)
		if err != nil {
			if len(items) > 0 {
				t.Fatalf("error %v with %d items", err, len(items))
			}
			return
		}
		for _, p := range problems {
			if !utf8.ValidString(p) {
				t.Fatalf("problem is not UTF-8: %q", p)
			}
		}
		keys := map[string]bool{}
		for _, it := range items {
			if it.Key == "" || keys[it.Key] {
				t.Fatalf("empty or repeated key %q", it.Key)
			}
			keys[it.Key] = true
			if it.SourceID != "fuzz" {
				t.Fatalf("item of source %q", it.SourceID)
			}
			checkText(t, "title", it.Title)
			checkText(t, "summary", it.Summary)
			checkLink(t, "link", it.URL, true)
			for _, a := range it.Attachments {
				checkLink(t, "attachment", a.URL, false)
			}
			checkTime(t, "published", it.Published)
			checkTime(t, "updated", it.Updated)
		}
	})
}

func FuzzExtractListing(f *testing.F) {
	addFixtures(f, "listing_p1.html", "listing_p2.html", "listing_p3.html")
	addSeeds(f)
	sel := watcher.Selectors{
		Item:    "ul#searchResultsListing > li.listItem",
		Title:   "h2.title > a",
		Link:    "h2.title > a",
		Date:    ".info > .date",
		Summary: ".excerpt",
		Next:    "a.next, li.next > a",
	}
	loc, _ := time.LoadLocation("Europe/Oslo")
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, next, _, err := crawlers.ExtractListing(body, fuzzBase, sel, dates.Options{Loc: loc})
		if err != nil {
			// The selectors compile; only a document that cannot be read
			// may fail, and then nothing is returned.
			if len(entries) > 0 || next != "" {
				t.Fatalf("error %v with results", err)
			}
			return
		}
		checkLink(t, "next", next, true)
		if len(entries) > 1000 {
			t.Fatalf("%d entries from one page: the cap did not hold", len(entries))
		}
		for _, e := range entries {
			checkText(t, "title", e.Title)
			checkText(t, "summary", e.Summary)
			checkLink(t, "link", e.URL, true)
			checkTime(t, "date", e.Date)
		}
	})
}

func FuzzExtractLinks(f *testing.F) {
	addFixtures(f, "page_watch.html", "listing_p1.html")
	addSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, region := range []string{"", "main"} {
			links, hash, _, err := crawlers.ExtractLinks(body, fuzzBase, region, dates.Options{})
			if err != nil {
				if len(links) > 0 {
					t.Fatalf("error %v with links", err)
				}
				continue
			}
			if len(hash) != 64 {
				t.Fatalf("hash %q is not a hex SHA-256", hash)
			}
			if len(links) > 2000 {
				t.Fatalf("%d links from one page: the cap did not hold", len(links))
			}
			seen := map[string]bool{}
			for _, l := range links {
				checkLink(t, "link", l.URL, false)
				checkText(t, "link text", l.Title)
				checkTime(t, "date", l.Date)
				if seen[l.URL] {
					t.Fatalf("link %q listed twice", l.URL)
				}
				seen[l.URL] = true
			}
		}
	})
}

func FuzzExtractPage(f *testing.F) {
	addFixtures(f, "item_hearing.html", "item_event.html")
	addSeeds(f)
	loc, _ := time.LoadLocation("Europe/Oslo")
	f.Fuzz(func(t *testing.T, body []byte) {
		info := crawlers.ExtractPage(body, fuzzBase, watcher.Selectors{}, dates.Options{Loc: loc})
		checkText(t, "title", info.Title)
		checkText(t, "description", info.Description)
		checkLink(t, "canonical", info.Canonical, true)
		checkTime(t, "published", info.Published)
		checkTime(t, "deadline", info.Deadline)
		for _, a := range info.Attachments {
			checkLink(t, "attachment", a.URL, false)
		}
		if len(info.Text) > 64<<10 {
			t.Fatalf("text of %d bytes: the cap did not hold", len(info.Text))
		}
		if strings.ContainsRune(info.Text, 0) {
			t.Fatal("text holds NUL")
		}
	})
}
