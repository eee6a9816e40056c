package norway_test

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"watcher"
	"watcher/crawlers/norway"
	"watcher/dates"
)

// regjeringen.no and Stortinget extractors under arbitrary bodies: no
// panic, absolute http(s) links, clean text, storable dates. Seeds: the
// package's captures and hostile shapes.

const fuzzBase = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"

var hostileSeeds = []string{
	``,
	`<`,
	"\x00\xff\xfe<html>",
	`<ul id="searchResultsListing"><li class="listItem"><h2 class="title"><a href="javascript:alert(1)">` + "\u202eHøring\x07" + `</a></h2><div class="info"><span class="date">31.12.99999</span><span>Høringsfrist: 01.01.0001</span></div></li><li class="listItem"><h2 class="title"><a href="//x/../id9999999999999999999999/">x</a></h2></li></ul>`,
	`<html><head><meta property="og:url" content="data:text/html,x"><meta name="DC.Date" content="9999-12-31"></head><body><div class="article-ingress">` + "\u2066x\u2069" + `</div><p>Høringsfrist: 31. februar 2026</p><a href="javascript:x">vedlegg.pdf</a><a href="../../../../a.pdf">a.pdf</a></body></html>`,
	`{"horinger_liste":[{"id":"1","innspillsfrist":"/Date(-99999999999999999+0100)/","publisert_dato":"/Date(253402300799999)/","horing_saker_liste":[{"sak_tittel":"` + "\\u202e\\u0007" + `"}]}]}`,
	`{"sesjoner_liste":[],"innevaerende_sesjon":{"id":null}}`,
	`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`,
}

func addSeeds(f *testing.F, globs ...string) {
	f.Helper()
	for _, s := range hostileSeeds {
		f.Add([]byte(s))
	}
	for _, g := range globs {
		files, _ := filepath.Glob(filepath.Join("testdata", g))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
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

func checkLink(t *testing.T, what, s string, emptyOK bool) {
	t.Helper()
	if s == "" && emptyOK {
		return
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		t.Fatalf("%s %q is not an absolute http(s) URL (%v)", what, s, err)
	}
}

func checkTime(t *testing.T, what string, tm time.Time) {
	t.Helper()
	if tm.IsZero() {
		return
	}
	if _, err := tm.MarshalJSON(); err != nil {
		t.Fatalf("%s %v cannot be encoded: %v", what, tm, err)
	}
}

func FuzzParseHearingListing(f *testing.F) {
	addSeeds(f, "listing_page2.html", "real/hoyringar_*.html")
	loc := dates.Oslo()
	f.Fuzz(func(t *testing.T, body []byte) {
		hearings, next, _, _ := norway.ParseHearingListing(body, fuzzBase, loc)
		checkLink(t, "next", next, true)
		for _, h := range hearings {
			checkLink(t, "link", h.URL, false)
			checkText(t, "title", h.Title)
			checkText(t, "summary", h.Summary)
			checkTime(t, "published", h.Published)
			checkTime(t, "deadline", h.Deadline)
			if h.Key == "" {
				t.Fatalf("hearing %q without key", h.URL)
			}
		}
	})
}

func FuzzParseHearingPage(f *testing.F) {
	addSeeds(f, "hearing_*.html", "real/hearing_*.html", "event_*.html")
	loc := dates.Oslo()
	f.Fuzz(func(t *testing.T, body []byte) {
		p, _ := norway.ParseHearingPage(body, fuzzBase+"id3167072/", loc)
		checkText(t, "title", p.Title)
		checkText(t, "summary", p.Summary)
		checkLink(t, "url", p.URL, true)
		checkLink(t, "response url", p.ResponseURL, true)
		checkTime(t, "published", p.Published)
		checkTime(t, "deadline", p.Deadline)
		for _, a := range p.Attachments {
			checkLink(t, "attachment", a.URL, false)
			checkText(t, "attachment name", a.Name)
		}
	})
}

func FuzzParseRegjeringenFeed(f *testing.F) {
	addSeeds(f, "feeds/*.xml")
	loc := dates.Oslo()
	src := watcher.Source{ID: "regjeringen-fuzz", Kind: "regjeringen-feed"}
	f.Fuzz(func(t *testing.T, body []byte) {
		items, _, err := norway.ParseFeed(body, "https://www.regjeringen.no/no/rss/Rss/2581966/", watcher.KindNews, src, loc)
		if err != nil {
			return
		}
		// The same page may appear twice (nb and en variants of one id):
		// the crawl merges them, so only an empty key is a fault here.
		for _, it := range items {
			if it.Key == "" {
				t.Fatalf("item %q without key", it.URL)
			}
			checkText(t, "title", it.Title)
			checkLink(t, "link", it.URL, true)
			checkTime(t, "published", it.Published)
		}
	})
}

func FuzzParseStortingetHearings(f *testing.F) {
	addSeeds(f, "stortinget/*.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = norway.ParseSessions(body)
		hearings, _, err := norway.ParseStortingetHearings(body)
		if err != nil {
			return
		}
		for _, h := range hearings {
			checkTime(t, "published", h.Published)
			checkTime(t, "deadline", h.Deadline)
			checkTime(t, "start", h.Start)
			for _, c := range h.Cases {
				checkText(t, "case title", c.Title)
			}
		}
	})
}
