package intl

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"watcher/dates"
)

// malformed are bodies no extractor should panic on.
var malformed = map[string]string{
	"empty":             "",
	"binary":            "\x00\xff\xfe\x01<\x00a href=\x00>",
	"truncated html":    `<html><body><div class="element"><h3><a href="/en/web/x/-/slug`,
	"deep nesting":      strings.Repeat("<div>", 5000) + `<a href="/odihr/1">x</a>`,
	"json prefix":       `{"NodeLoader":`,
	"null lists":        `<script>window.SERVER_DATA={"NodeLoader":{"node":{"lists":[null,{"items":null}]}}};</script>`,
	"null items":        `<script>window.SERVER_DATA={"NodeLoader":{"node":{"lists":[{"items":[null,{"title":null}]}]}}};</script>`,
	"wrong types":       `{"node":{"title":5,"crimeAreas":"x","articleType":[1]}}`,
	"marker at the end": `window.SERVER_DATA=`,
	"unterminated str":  `window.SERVER_DATA={"a":"b`,
	"odd links":         `<a href="javascript:alert(1)">x</a><a href="mailto:a@b">y</a><a href="http://[::1">z</a><a href="#top">t</a>`,
	"article without a": `<article class="ecl-content-item"><time datetime="x"></time></article><article><h3>no link</h3></article>`,
}

func TestExtractorsSurviveMalformedInput(t *testing.T) {
	bases := []*url.URL{nil, mustURL(t, "https://www.example.org/en/web/anti-human-trafficking/news")}
	all := func(*url.URL, string) (string, bool) { return "", true }
	for name, in := range malformed {
		body := []byte(in)
		for _, base := range bases {
			t.Run(name, func(t *testing.T) {
				_, _ = ServerData(body)
				_, _ = EuropolListing(body)
				_, _ = EuropolNodeInfo(body)
				_, _ = WordPressPosts(body)
				_, _ = FrontexListing(body, base)
				_, _ = CoEListing(body, base)
				_, _ = EUHomeListing(body, base)
				_, _ = ListingLinks(body, base, "main", all)
				p, _ := ReadPage(body, base)
				_, _, _ = Dateline(p, dates.Options{})
				_, _ = PageDates(p, dates.Options{})
				_ = EventFrom("Conference", p, dates.Options{})
			})
		}
	}
	for _, s := range []string{"", "–", "3–", "– 4 May 2024", "99–100 May 2024", "31–30 February 2024"} {
		_, _ = DateRange(s, dates.Options{})
	}
}

func TestEuropolListingNullEntries(t *testing.T) {
	got, err := EuropolListing([]byte(malformed["null items"]))
	if err != nil || len(got) != 0 {
		t.Errorf("got %+v, %v: null and untitled entries are skipped, not an error", got, err)
	}
}

func FuzzServerData(f *testing.F) {
	f.Add([]byte(`window.SERVER_DATA={"a":"}; {"};`))
	f.Add([]byte(`window.SERVER_DATA = {"s":"\"};\\"};`))
	f.Add(readFixtureF(f, "europol/newsroom.html"))
	f.Fuzz(func(t *testing.T, page []byte) {
		got, err := ServerData(page)
		if err != nil {
			return
		}
		if len(got) < 2 || got[0] != '{' || got[len(got)-1] != '}' || !bytes.Contains(page, got) {
			t.Errorf("ServerData returned %q from %q", got, page)
		}
	})
}

func readFixtureF(f *testing.F, name string) []byte {
	b, err := readFixtureBytes(name)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func TestListingLinksCards(t *testing.T) {
	page := `<html><body><main>
<p>Published 1 January 2020 by the web team. ` + strings.Repeat("Background text about the unit. ", 120) + `</p>
<div class="list"><div class="row"><span>3 May 2024</span><h3><a href="/news/a">Item A</a></h3><a href="/news/a">Read more</a></div>
<div class="row"><h3><a href="/news/b"></a></h3><a href="/news/b" title="Item B title">»</a><p>Teaser of B.</p></div></div>
</main></body></html>`
	base := mustURL(t, "https://x.test/news")
	links, err := ListingLinks([]byte(page), base, "main", func(u *url.URL, _ string) (string, bool) {
		return u.String(), strings.HasPrefix(u.Path, "/news/")
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 2 {
		t.Fatalf("got %+v", links)
	}
	if a := links[0]; a.Title != "Item A" || strings.Join(a.Lines, "|") != "3 May 2024|Item A|Read more" {
		t.Errorf("card A: %q %q", a.Title, a.Lines)
	}
	if b := links[1]; b.Title != "Item B title" || strings.Join(b.linesAfter(), "|") != "Teaser of B." {
		t.Errorf("card B: %q %q", b.Title, b.linesAfter())
	}

	single := `<html><body><main><p>Page updated 1 January 2020. ` + strings.Repeat("Filler text. ", 400) +
		`</p><div><a href="/news/only">The only item</a></div></main></body></html>`
	links, err = ListingLinks([]byte(single), base, "main", func(u *url.URL, _ string) (string, bool) {
		return u.String(), strings.HasPrefix(u.Path, "/news/")
	})
	if err != nil || len(links) != 1 {
		t.Fatalf("single: %+v %v", links, err)
	}
	if strings.Contains(strings.Join(links[0].Lines, " "), "2020") {
		t.Errorf("a lone item's card grew over the page: %q", links[0].Lines)
	}
}
