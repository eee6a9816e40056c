package crawlers

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/dates"
)

// regjeringenSelectors are the hearings listing's selectors (SOURCES.md).
var regjeringenSelectors = watcher.Selectors{
	Item:    "ul#searchResultsListing > li.listItem",
	Title:   "h2.title > a",
	Link:    "h2.title > a",
	Date:    ".info > .date",
	Summary: "p.excerpts",
	Next:    "ul.pagination li.next > a",
	Content: "#content",
}

// osloMidnight is the instant a date without time of day stands for.
func osloMidnight(t testing.TB, y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, oslo(t)).UTC()
}

func TestExtractListingFixtures(t *testing.T) {
	const base = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"
	tests := map[string]struct {
		file     string
		count    int
		first    ListingEntry
		last     ListingEntry
		next     string
		problems []string
	}{
		"page 1": {
			file: "listing_p1.html", count: 3,
			first: ListingEntry{
				Title:   "Høring – endringer i straffeloven om menneskehandel",
				URL:     "https://www.regjeringen.no/no/dokumenter/horing-menneskehandel/id3167072/",
				Date:    osloMidnight(t, 2026, 7, 3),
				DateRaw: "03.07.2026",
				Summary: "Departementet foreslår endringer i straffeloven § 257.",
			},
			// The datetime attribute wins over the text "1. juli".
			last: ListingEntry{
				Title:   "Høyring – endringar i utlendingsforskrifta",
				URL:     "https://www.regjeringen.no/no/dokumenter/horing-utlendingsforskrift/id3167001/",
				Date:    osloMidnight(t, 2026, 7, 1),
				DateRaw: "2026-07-01",
				Summary: "Framlegg om endringar.",
			},
			next:     base + "?page=2",
			problems: []string{"selector date matched nothing in 1 of 3 items"},
		},
		"last page": {
			file: "listing_p3.html", count: 2,
			first: ListingEntry{
				Title: "NOU 2026: 7 Arbeidslivskriminalitet", URL: "https://www.regjeringen.no/no/dokumenter/nou-arbeidslivskriminalitet/id3166600/",
				Date: osloMidnight(t, 2026, 6, 18), DateRaw: "18.06.2026", Summary: "Utvalget leverte sin utredning.",
			},
			last: ListingEntry{
				Title: "Høring – endringer i straffeprosessloven", URL: "https://www.regjeringen.no/no/dokumenter/horing-straffeprosess/id3166500/",
				Date: osloMidnight(t, 2026, 6, 15), DateRaw: "15.06.2026", Summary: "Forslag om endringer i straffeprosessloven.",
			},
		},
		"real capture": {
			file: "real/hoyringar_id1763_page-001.html", count: 20,
			first: ListingEntry{
				Title:   "Høyring – framlegg om presiseringar i reglane om Nav si opplysingsplikt overfor skattestyresmaktene",
				URL:     "https://www.regjeringen.no/no/dokumenter/hoyring-framlegg-om-presiseringar-i-reglane-om-nav-si-opplysingsplikt-overfor-skattestyresmaktene/id3168525/",
				Date:    osloMidnight(t, 2026, 7, 3),
				DateRaw: "03.07.2026",
				Summary: "Finansdepartementet sender med dette på høyring framlegg om å presisere Nav si opplysingsplikt overfor skattestyresmaktene.",
			},
			next: base + "?page=2",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			items, next, problems, err := ExtractListing(readFixture(t, tc.file), base, regjeringenSelectors, dates.Options{Loc: oslo(t)})
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tc.count {
				t.Fatalf("got %d entries, want %d", len(items), tc.count)
			}
			if items[0] != tc.first {
				t.Errorf("first entry:\n got %+v\nwant %+v", items[0], tc.first)
			}
			if tc.last != (ListingEntry{}) && items[len(items)-1] != tc.last {
				t.Errorf("last entry:\n got %+v\nwant %+v", items[len(items)-1], tc.last)
			}
			if next != tc.next {
				t.Errorf("next = %q, want %q", next, tc.next)
			}
			if !reflect.DeepEqual(problems, tc.problems) {
				t.Errorf("problems = %q, want %q", problems, tc.problems)
			}
		})
	}
}

func TestExtractListingDrift(t *testing.T) {
	opt := dates.Options{Loc: oslo(t)}
	const base = "https://example.org/news/"
	tests := map[string]struct {
		body     string
		sel      watcher.Selectors
		count    int
		next     string
		problems []string
		err      bool
	}{
		"not html at all": {
			body: "%PDF-1.7\x00\x01binary garbage\xff\xfe", sel: regjeringenSelectors,
			problems: []string{"selector item matched nothing"},
		},
		"layout changed": {
			body: `<html><body><div class="new-list"><article><a href="/a">A</a></article></div></body></html>`, sel: regjeringenSelectors,
			problems: []string{"selector item matched nothing"},
		},
		"dates that do not parse": {
			body: `<ul><li><a href="/a">A</a><span class="d">i går</span></li><li><a href="/b">B</a><span class="d">snart</span></li>` +
				`<li><a href="/c">C</a><span class="d">Publisert 3. juli 2026 | Nyhet</span></li></ul>`,
			sel: watcher.Selectors{Item: "li", Date: ".d"}, count: 3,
			problems: []string{"date not parsed: i går", "date not parsed: snart"},
		},
		"date layout and order": {
			body:  `<ul><li><a href="/a">A</a><span class="d">07/03/2026</span></li></ul>`,
			sel:   watcher.Selectors{Item: "li", Date: ".d", DateOrder: "mdy"},
			count: 1,
		},
		"links that are not links": {
			body: `<ul><li><a href="javascript:void(0)">Script</a></li><li><a href="mailto:x@example.org">Mail</a></li><li><a href="#top">Top</a></li><li><span>No link</span></li></ul>`,
			sel:  watcher.Selectors{Item: "li"}, count: 3,
			problems: []string{"selector link matched nothing in 4 of 4 items"},
		},
		"base href honoured": {
			body:  `<html><head><base href="https://cdn.example.net/archive/"></head><body><ul><li><a href="2026/a.html">A</a></li></ul><a class="next" href="?p=2">next</a></body></html>`,
			sel:   watcher.Selectors{Item: "li", Next: "a.next"},
			count: 1, next: "https://cdn.example.net/archive/?p=2",
		},
		"next points at itself": {
			body:  `<ul><li><a href="/a">A</a></li></ul><a class="next" href="/news/#top">next</a>`,
			sel:   watcher.Selectors{Item: "li", Next: "a.next"},
			count: 1,
		},
		"item selector that does not compile": {
			body: `<ul><li>x</li></ul>`, sel: watcher.Selectors{Item: "li[["}, err: true,
		},
		"no item selector": {
			body: `<ul><li>x</li></ul>`, sel: watcher.Selectors{}, err: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			items, next, problems, err := ExtractListing([]byte(tc.body), base, tc.sel, opt)
			if tc.err {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tc.count || next != tc.next || !reflect.DeepEqual(problems, tc.problems) {
				t.Errorf("got %d entries, next %q, problems %q; want %d, %q, %q", len(items), next, problems, tc.count, tc.next, tc.problems)
			}
		})
	}
}

func TestExtractListingEntryFields(t *testing.T) {
	body := `<ul><li>
		<a href="/a/b/../c?utm_source=x#frag" title="Fallback">  Tittel&#x202E; med
		  <b>kontroll</b>&#x0007;tegn </a>
		<span class="d">07/03/2026</span></li></ul>`
	items, _, _, err := ExtractListing([]byte(body), "https://example.org/news/", watcher.Selectors{Item: "li", Date: ".d", DateOrder: "mdy"}, dates.Options{Loc: oslo(t)})
	if err != nil || len(items) != 1 {
		t.Fatalf("%d items, %v", len(items), err)
	}
	want := ListingEntry{
		Title:   "Tittel med kontrolltegn",
		URL:     "https://example.org/a/c?utm_source=x",
		Date:    osloMidnight(t, 2026, 7, 3),
		DateRaw: "07/03/2026",
	}
	if items[0] != want {
		t.Errorf("\n got %+v\nwant %+v", items[0], want)
	}
}

func TestExtractListingHugePage(t *testing.T) {
	var b strings.Builder
	b.WriteString("<ul>")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&b, `<li><a href="/item/%d">Item %d</a></li>`, i, i)
	}
	b.WriteString("</ul>")
	items, _, problems, err := ExtractListing([]byte(b.String()), "https://example.org/", watcher.Selectors{Item: "li"}, dates.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != maxListingEntries {
		t.Errorf("got %d entries, want the cap %d", len(items), maxListingEntries)
	}
	want := []string{fmt.Sprintf("selector item matched 100000 elements; read the first %d", maxListingEntries)}
	if !reflect.DeepEqual(problems, want) {
		t.Errorf("problems = %q, want %q", problems, want)
	}
}

func BenchmarkExtractListing(b *testing.B) {
	body := readFixture(b, "real/hoyringar_id1763_page-001.html")
	opt := dates.Options{Loc: oslo(b)}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		items, _, _, err := ExtractListing(body, "https://www.regjeringen.no/no/dokument/hoyringar/id1763/", regjeringenSelectors, opt)
		if err != nil || len(items) != 20 {
			b.Fatalf("%d items, %v", len(items), err)
		}
	}
}
