package intl

import (
	"slices"
	"testing"

	"watcher"
	"watcher/dates"
)

func TestPageDates(t *testing.T) {
	p, err := ReadPage(readFixture(t, "nspm/pages/lagesrapport.html"), nil)
	if err != nil {
		t.Fatal(err)
	}
	published, updated := PageDates(p, dates.Options{})
	if !published.Equal(oslo(2023, 3, 16)) || !updated.Equal(oslo(2023, 3, 20)) {
		t.Errorf("published %v updated %v", published, updated)
	}
	if none, _ := PageDates(Page{All: []string{"Publicerad av Länsstyrelsen", "Text om 16 mars 2023 utan etikett"}}, dates.Options{}); !none.IsZero() {
		t.Errorf("a line without a date or without the label gave %v", none)
	}
}

func TestNSPMItemURL(t *testing.T) {
	listing := mustURL(t, "https://www.lansstyrelsen.se/stockholm/manniskohandel/nyheter.html")
	prefixes := []string{"/stockholm/manniskohandel/"}
	tests := map[string]bool{
		"https://www.lansstyrelsen.se/stockholm/manniskohandel/nyheter/2023-03-16-lagesrapport-25.html": true,
		"https://www.lansstyrelsen.se/stockholm/manniskohandel/nyheter/lagesrapport-25.pdf":             true,
		"https://www.lansstyrelsen.se/stockholm/manniskohandel/nyheter.html":                            false, // the listing
		"https://www.lansstyrelsen.se/stockholm/manniskohandel/":                                        false, // the prefix itself
		"https://www.lansstyrelsen.se/stockholm/om-oss.html":                                            false,
		"https://www.lansstyrelsen.se/stockholm/manniskohandel/bild.jpg":                                false,
		"https://other.example/stockholm/manniskohandel/nyheter/x.html":                                 false,
	}
	for raw, want := range tests {
		if got := NSPMItemURL(mustURL(t, raw), listing, prefixes); got != want {
			t.Errorf("NSPMItemURL(%s) = %v, want %v", raw, got, want)
		}
	}
}

func TestNSPMCrawl(t *testing.T) {
	site := newFixtureSite(t, "https://www.lansstyrelsen.se")
	site.set("/stockholm/manniskohandel/nyheter.html", "nspm/nyheter.html")
	site.set("/stockholm/manniskohandel/nyheter/2023-03-16-lagesrapport-25.html", "nspm/pages/lagesrapport.html")
	site.set("/stockholm/manniskohandel/nyheter/nationell-konferens-om-manniskohandel.html", "nspm/pages/konferens.html")
	src := watcher.Source{ID: "nspm", Organisation: "NSPM (Sverige)", Kind: "nspm", Language: "sv", FollowItems: true,
		URLs: []string{site.url("/stockholm/manniskohandel/nyheter.html")}}
	first, _, req1, req2 := crawlTwice(t, site, NSPM{}, src, func() {})
	items := byURL(first.Items)
	if len(items) != 3 {
		t.Fatalf("got %v, want the two pages and the PDF", keys(first.Items))
	}
	rapport := items[site.url("/stockholm/manniskohandel/nyheter/2023-03-16-lagesrapport-25.html")]
	if rapport.Title != "Lägesrapport 25: människohandel för sexuella ändamål ökar" || !rapport.Published.Equal(oslo(2023, 3, 16)) ||
		!rapport.Updated.Equal(oslo(2023, 3, 20)) || rapport.Language != "sv" || rapport.Organisation != "NSPM (Sverige)" ||
		rapport.Summary != "Nationella samordningen mot prostitution och människohandel har publicerat sin lägesrapport för 2022." {
		t.Errorf("rapport: %+v", rapport)
	}
	konf := items[site.url("/stockholm/manniskohandel/nyheter/nationell-konferens-om-manniskohandel.html")]
	wantEv := watcher.Event{Start: oslo(2023, 10, 12), End: oslo(2023, 10, 13), Place: "Stockholm, Norra Latin",
		SignupURL: site.url("/stockholm/anmalan-konferens-2023.html")}
	if !konf.Published.Equal(oslo(2023, 5, 2)) || konf.Event == nil || *konf.Event != wantEv || konf.Kind != watcher.KindEvent ||
		konf.Summary != "Välkommen till den nationella konferensen om människohandel för yrkesverksamma inom socialtjänst, polis och rättsväsende." {
		t.Errorf("konferens: published %v kind %q event %+v summary %q", konf.Published, konf.Kind, konf.Event, konf.Summary)
	}
	if pdf := items[site.url("/stockholm/manniskohandel/nyheter/lagesrapport-25.pdf")]; pdf.Kind != watcher.KindPublication || pdf.Title != "Lägesrapport 25 (pdf, 2 MB)" {
		t.Errorf("pdf: %+v", pdf)
	}
	if len(req1) != 3 || slices.Contains(req1, "/stockholm/manniskohandel/nyheter/lagesrapport-25.pdf") {
		t.Errorf("first crawl requests %v: the listing and two pages, never the PDF", req1)
	}
	if !slices.Equal(req2, []string{"/stockholm/manniskohandel/nyheter.html"}) {
		t.Errorf("second crawl requests %v", req2)
	}
}
