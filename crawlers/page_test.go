package crawlers

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"watcher"
	"watcher/dates"
)

const komPage = "https://www.politiet.no/rad/menneskehandel/koordineringsenheten-mot-menneskehandel/"

func TestExtractLinksFixture(t *testing.T) {
	links, hash, problems, err := ExtractLinks(readFixture(t, "page_watch.html"), komPage, "main .article-body", dates.Options{Loc: oslo(t)})
	if err != nil {
		t.Fatal(err)
	}
	want := []PageLink{
		// Resolved against <base href>, not the page URL.
		{URL: "https://www.politiet.no/rad/menneskehandel/koordineringsenheten-mot-menneskehandel/rapporter/situasjonsbilde-2025.pdf", Title: "Situasjonsbilde 2025 (pdf)"},
		// The second link to it (tracking query, fragment) is the same document.
		{URL: "https://www.politiet.no/rad/menneskehandel/domsoversikt-2025/", Title: "Domsoversikt 2025 – publisert 3. mars 2026", Date: osloMidnight(t, 2026, 3, 3)},
		{URL: "https://www.regjeringen.no/no/dokumenter/handlingsplan/id3160000/?utm_source=politiet", Title: "Handlingsplan mot menneskehandel"},
		// Bidi overrides and control characters gone.
		{URL: "https://www.politiet.no/rad/menneskehandel/veileder/", Title: "Veileder for ansatte"},
	}
	if !reflect.DeepEqual(links, want) {
		t.Errorf("links:\n got %+v\nwant %+v", links, want)
	}
	if len(problems) != 0 {
		t.Errorf("problems %q", problems)
	}
	if len(hash) != 64 {
		t.Errorf("hash %q is not a hex sha256", hash)
	}
}

func TestExtractLinksHash(t *testing.T) {
	page := func(region, outside string) []byte {
		return []byte(`<html><body><nav>` + outside + `</nav><div id="r">` + region + `</div></body></html>`)
	}
	hashOf := func(b []byte) string {
		_, h, _, err := ExtractLinks(b, "https://example.org/", "#r", dates.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	base := hashOf(page("<p>Rapport  2025</p>", "Meny"))
	if hashOf(page("<p>Rapport\n2025</p>", "Annen meny")) != base {
		t.Error("whitespace in the region or text outside it changed the hash")
	}
	if hashOf(page("<p><b>Rapport</b> 2025</p>", "Meny")) != base {
		t.Error("markup without text change changed the hash")
	}
	if hashOf(page("<p>Rapport 2026</p>", "Meny")) == base {
		t.Error("a text change in the region did not change the hash")
	}
}

func TestExtractLinksDrift(t *testing.T) {
	var huge strings.Builder
	huge.WriteString("<div id='r'>")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&huge, `<a href="/doc/%d">Dokument %d</a> <a href="javascript:x(%d)">x</a>`, i, i, i)
	}
	huge.WriteString("</div>")
	tests := map[string]struct {
		body, region string
		links        int
		problems     []string
		err          bool
	}{
		"region gone":         {body: `<div id="other"><a href="/a">A</a></div>`, region: "#r", problems: []string{"selector region matched nothing"}},
		"no region: the body": {body: `<div><a href="/a">A</a><a href="/b">B</a></div>`, links: 2},
		"invalid selector":    {body: `<div></div>`, region: "#r[[", err: true},
		"garbage":             {body: "\x00\xff\xfe<<<>>>&&&", region: "#r", problems: []string{"selector region matched nothing"}},
		"100k links bounded":  {body: huge.String(), region: "#r", links: maxPageLinks / 2, problems: []string{fmt.Sprintf("region holds 200000 links; read the first %d", maxPageLinks)}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			links, _, problems, err := ExtractLinks([]byte(tc.body), "https://example.org/page", tc.region, dates.Options{})
			if tc.err {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(links) != tc.links || !reflect.DeepEqual(problems, tc.problems) {
				t.Errorf("%d links, problems %q; want %d, %q", len(links), problems, tc.links, tc.problems)
			}
		})
	}
}

func TestPageCrawl(t *testing.T) {
	v1 := readFixture(t, "page_watch.html")
	v2 := []byte(strings.Replace(string(v1), "</ul>", `<li><a href="/rad/menneskehandel/domsoversikt-2026/">Domsoversikt 2026</a></li></ul>`, 1))
	s := newSite(t, map[string]page{"/kom": {body: v1, contentType: "text/html; charset=utf-8"}})
	src := watcher.Source{
		ID: "politiet-kom", Kind: "page", Organisation: "Politiet", Region: watcher.RegionNorway,
		URLs: []string{s.URL + "/kom"}, Selectors: &watcher.Selectors{Region: "main .article-body"},
	}
	kind, ok := KindFor("page")
	if !ok {
		t.Fatal("page kind not registered")
	}
	first, err := kind.Crawl(context.Background(), newEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's link to its live address is not a self-link here,
	// where the page is served from the test server: five items.
	if len(first.Items) != 5 || first.PageHash == "" || first.NotModified {
		t.Fatalf("first crawl: %d items, hash %q, notModified %v", len(first.Items), first.PageHash, first.NotModified)
	}
	pdf := first.Items[0]
	wantPDF := watcher.Item{
		Key:          "https://www.politiet.no/rad/menneskehandel/koordineringsenheten-mot-menneskehandel/rapporter/situasjonsbilde-2025.pdf",
		SourceID:     "politiet-kom",
		URL:          "https://www.politiet.no/rad/menneskehandel/koordineringsenheten-mot-menneskehandel/rapporter/situasjonsbilde-2025.pdf",
		Title:        "Situasjonsbilde 2025 (pdf)",
		Kind:         watcher.KindPage,
		Organisation: "Politiet",
		Region:       watcher.RegionNorway,
		Attachments:  []watcher.Attachment{{Name: "Situasjonsbilde 2025 (pdf)", URL: "https://www.politiet.no/rad/menneskehandel/koordineringsenheten-mot-menneskehandel/rapporter/situasjonsbilde-2025.pdf"}},
	}
	if !reflect.DeepEqual(pdf, wantPDF) {
		t.Errorf("pdf link item:\n got %+v\nwant %+v", pdf, wantPDF)
	}
	if k := first.Items[2].Key; k != "https://www.regjeringen.no/no/dokumenter/handlingsplan/id3160000/" {
		t.Errorf("key of a link with tracking parameters = %q", k)
	}
	if !first.Items[1].Published.Equal(osloMidnight(t, 2026, 3, 3)) || !first.Items[0].Published.IsZero() {
		t.Errorf("dates: only a link text with a date dates its item (%v, %v)", first.Items[1].Published, first.Items[0].Published)
	}

	// Unchanged page: the same body answers NotModified.
	same, err := kind.Crawl(context.Background(), newEnv(t, first.Validators), src)
	if err != nil {
		t.Fatal(err)
	}
	if !same.NotModified || len(same.Items) != 0 || same.PageHash != "" {
		t.Errorf("unchanged page: notModified %v, %d items, hash %q", same.NotModified, len(same.Items), same.PageHash)
	}

	// A link appears: it is one more item, and the hash moves.
	s.set("/kom", page{body: v2, contentType: "text/html; charset=utf-8"})
	changed, err := kind.Crawl(context.Background(), newEnv(t, first.Validators), src)
	if err != nil {
		t.Fatal(err)
	}
	if changed.NotModified || len(changed.Items) != 6 || changed.PageHash == first.PageHash || changed.PageHash == "" {
		t.Errorf("changed page: notModified %v, %d items, hash changed %v", changed.NotModified, len(changed.Items), changed.PageHash != first.PageHash)
	}
	if last := changed.Items[len(changed.Items)-1]; last.URL != "https://www.politiet.no/rad/menneskehandel/domsoversikt-2026/" {
		t.Errorf("new link item %+v", last)
	}
}

func TestPageCrawlRegionGone(t *testing.T) {
	s := newSite(t, map[string]page{"/p": {body: []byte(`<html><body><p>Ny layout</p></body></html>`), contentType: "text/html"}})
	kind, _ := KindFor("page")
	res, err := kind.Crawl(context.Background(), newEnv(t, nil), watcher.Source{ID: "p", URLs: []string{s.URL + "/p"}, Selectors: &watcher.Selectors{Region: ".article-body"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 0 || !reflect.DeepEqual(res.Problems, []string{"selector region matched nothing"}) {
		t.Errorf("%d items, problems %q", len(res.Items), res.Problems)
	}
}
