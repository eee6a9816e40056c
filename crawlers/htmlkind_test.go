package crawlers

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"watcher"
)

const listingPath = "/no/dokument/hoyringar/id1763/"

// listingItemPaths are the item pages the three listing fixtures link to,
// page by page.
var listingItemPaths = [][]string{
	{"/no/dokumenter/horing-menneskehandel/id3167072/", "/no/dokumenter/fagseminar-menneskehandel/id3167050/", "/no/dokumenter/horing-utlendingsforskrift/id3167001/"},
	{"/no/dokumenter/rapport-tvangsarbeid/id3166900/", "/no/dokumenter/horing-barnevern/id3166800/", "/no/dokumenter/handlingsplan-menneskehandel/id3166700/"},
	{"/no/dokumenter/nou-arbeidslivskriminalitet/id3166600/", "/no/dokumenter/horing-straffeprosess/id3166500/"},
}

// listingSite plays the hearings listing (three pages) and its item pages.
func listingSite(t *testing.T, etag string) *site {
	t.Helper()
	html := "text/html; charset=utf-8"
	pages := map[string]page{
		listingPath:             {body: readFixture(t, "listing_p1.html"), contentType: html, etag: etag},
		listingPath + "?page=2": {body: readFixture(t, "listing_p2.html"), contentType: html},
		listingPath + "?page=3": {body: readFixture(t, "listing_p3.html"), contentType: html},
	}
	for _, paths := range listingItemPaths {
		for _, p := range paths {
			pages[p] = page{contentType: html, body: []byte(`<html><body><div id="content"><h1>Side</h1><p>Teksten på siden.</p></div></body></html>`)}
		}
	}
	pages[listingItemPaths[0][0]] = page{body: readFixture(t, "item_hearing.html"), contentType: html}
	pages[listingItemPaths[0][1]] = page{body: readFixture(t, "item_event.html"), contentType: html}
	return newSite(t, pages)
}

func listingSource(s *site) watcher.Source {
	sel := regjeringenSelectors
	return watcher.Source{
		ID: "regjeringen-horinger", Kind: "html", Organisation: "Regjeringen", Region: watcher.RegionNorway, Language: "nb",
		URLs: []string{s.URL + listingPath}, Selectors: &sel, FollowItems: true,
	}
}

// storedItem is an item as an earlier run stored it from the listing
// fixtures: known, enriched (it has text).
func storedItem(t *testing.T, s *site, path, title string) watcher.Item {
	t.Helper()
	key, err := CanonicalURL(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return watcher.Item{Key: key, URL: s.URL + path, Title: title, Text: "Teksten på siden."}
}

// knownPage returns the stored items of one listing page, unchanged:
// the titles and dates the fixtures show.
func knownPage(t *testing.T, s *site, n int) []watcher.Item {
	type entry struct {
		title string
		day   int // of the date in July (>0) or June (<0); 0 undated
	}
	pages := [][]entry{
		{{"Høring – endringer i straffeloven om menneskehandel", 3}, {"Fagseminar om menneskehandel og arbeidsutnytting", 0}, {"Høyring – endringar i utlendingsforskrifta", 1}},
		{{"Rapport om tvangsarbeid i Norge", -26}, {"Høring om endringer i barnevernsloven", -24}, {"Handlingsplan mot menneskehandel", -20}},
		{{"NOU 2026: 7 Arbeidslivskriminalitet", -18}, {"Høring – endringer i straffeprosessloven", -15}},
	}
	var out []watcher.Item
	for i, p := range listingItemPaths[n] {
		e := pages[n][i]
		it := storedItem(t, s, p, e.title)
		switch {
		case e.day > 0:
			it.Published = osloMidnight(t, 2026, 7, e.day)
		case e.day < 0:
			it.Published = osloMidnight(t, 2026, 6, -e.day)
		}
		out = append(out, it)
	}
	return out
}

func TestHTMLCrawlFirstRun(t *testing.T) {
	s := listingSite(t, "")
	kind, ok := KindFor("html")
	if !ok {
		t.Fatal("html kind not registered")
	}
	res, err := kind.Crawl(context.Background(), newEnv(t, nil), listingSource(s))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 8 {
		t.Fatalf("got %d items, want 8", len(res.Items))
	}
	// Three listing pages and the eight item pages, each once.
	if res.Requests != 11 || s.requests() != 11 {
		t.Errorf("requests: result %d, server %d; want 11", res.Requests, s.requests())
	}
	for _, paths := range listingItemPaths {
		for _, p := range paths {
			if s.count(p) != 1 {
				t.Errorf("%s fetched %d times, want 1", p, s.count(p))
			}
		}
	}
	byKey := itemsByKey(res.Items)
	hearing := byKey[storedItem(t, s, listingItemPaths[0][0], "").Key]
	if hearing.Title != "Høring – endringer i straffeloven om menneskehandel" ||
		hearing.URL != s.URL+listingItemPaths[0][0] ||
		!hearing.Published.Equal(osloMidnight(t, 2026, 7, 3)) ||
		!hearing.Deadline.Equal(osloMidnight(t, 2026, 8, 7)) ||
		hearing.Summary != "Departementet foreslår endringer i straffeloven § 257." ||
		len(hearing.Attachments) != 2 || hearing.Attachments[0].URL != s.URL+"/contentassets/4f2c/horingsnotat.pdf" ||
		hearing.Meta["DC.Type"] != "Horing" || !strings.Contains(hearing.Text, "Høringsfristen er fredag 7. august 2026.") ||
		hearing.SourceID != "regjeringen-horinger" || hearing.Organisation != "Regjeringen" {
		t.Errorf("hearing not extracted and enriched as expected: %+v", hearing)
	}
	event := byKey[storedItem(t, s, listingItemPaths[0][1], "").Key]
	if !event.Published.Equal(osloMidnight(t, 2026, 7, 1)) || event.Event == nil || event.Event.Place != "Oslo kongressenter, Youngs gate 21" {
		t.Errorf("undated listing entry not dated and described from its page: %+v", event)
	}
	if !event.Deadline.IsZero() {
		t.Errorf("an event page's sign-up deadline became the item's deadline: %v", event.Deadline)
	}
	if want := "selector date matched nothing in 1 of 3 items"; len(res.Problems) != 1 || res.Problems[0] != want {
		t.Errorf("problems %q, want [%q]", res.Problems, want)
	}
}

func TestHTMLCrawlStopsAtKnown(t *testing.T) {
	tests := map[string]struct {
		known        func(t *testing.T, s *site) []watcher.Item
		listingPages int      // listing pages fetched
		itemPages    []string // item pages fetched
		items        int
	}{
		"first page all known": {
			known:        func(t *testing.T, s *site) []watcher.Item { return knownPage(t, s, 0) },
			listingPages: 1, items: 3,
		},
		"second page all known": {
			known:        func(t *testing.T, s *site) []watcher.Item { return knownPage(t, s, 1) },
			listingPages: 2, items: 6, itemPages: listingItemPaths[0],
		},
		"a changed title on page one": {
			known: func(t *testing.T, s *site) []watcher.Item {
				items := append(knownPage(t, s, 0), knownPage(t, s, 1)...)
				items[2].Title = "Høyring – utkast"
				return items
			},
			listingPages: 2, items: 6, itemPages: listingItemPaths[0][2:3],
		},
		"known but never enriched": {
			known: func(t *testing.T, s *site) []watcher.Item {
				items := append(knownPage(t, s, 0), knownPage(t, s, 1)...)
				items[1].Text = ""
				return items
			},
			listingPages: 1, items: 3, itemPages: listingItemPaths[0][1:2],
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := listingSite(t, "")
			kind, _ := KindFor("html")
			res, err := kind.Crawl(context.Background(), newEnv(t, nil, tc.known(t, s)...), listingSource(s))
			if err != nil {
				t.Fatal(err)
			}
			pages := 0
			for _, p := range []string{listingPath, listingPath + "?page=2", listingPath + "?page=3"} {
				pages += s.count(p)
			}
			if pages != tc.listingPages {
				t.Errorf("fetched %d listing pages, want %d", pages, tc.listingPages)
			}
			if got := s.requests() - pages; got != len(tc.itemPages) {
				t.Errorf("fetched %d item pages, want %d", got, len(tc.itemPages))
			}
			for _, p := range tc.itemPages {
				if s.count(p) != 1 {
					t.Errorf("%s fetched %d times, want 1", p, s.count(p))
				}
			}
			if len(res.Items) != tc.items {
				t.Errorf("%d items, want %d", len(res.Items), tc.items)
			}
		})
	}
}

func TestHTMLCrawlCaps(t *testing.T) {
	s := listingSite(t, "")
	src := listingSource(s)
	src.MaxPages, src.MaxItemPages = 2, 2
	kind, _ := KindFor("html")
	res, err := kind.Crawl(context.Background(), newEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	if s.count(listingPath+"?page=3") != 0 || len(res.Items) != 6 {
		t.Errorf("page cap: page 3 fetched %d times, %d items; want 0, 6", s.count(listingPath+"?page=3"), len(res.Items))
	}
	if res.Requests != 4 || s.requests() != 4 {
		t.Errorf("requests: result %d, server %d; want 2 listing + 2 item pages", res.Requests, s.requests())
	}
	want := []string{
		"selector date matched nothing in 1 of 3 items",
		fmt.Sprintf("listing %s: stopped at the cap of 2 pages with new entries on the last", s.URL+listingPath),
		"follow_items: cap of 2 item pages reached; 4 left for later runs",
	}
	if strings.Join(res.Problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n got %q\nwant %q", res.Problems, want)
	}
}

func TestHTMLCrawlNotModified(t *testing.T) {
	for name, etag := range map[string]string{"etag answers 304": `"p1-v1"`, "same body without validators": ""} {
		t.Run(name, func(t *testing.T) {
			s := listingSite(t, etag)
			src := listingSource(s)
			src.FollowItems = false
			kind, _ := KindFor("html")
			first, err := kind.Crawl(context.Background(), newEnv(t, nil), src)
			if err != nil {
				t.Fatal(err)
			}
			if first.NotModified || len(first.Items) != 8 || len(first.Validators) != 3 {
				t.Fatalf("first crawl: notModified %v, %d items, %d validators", first.NotModified, len(first.Items), len(first.Validators))
			}
			before := s.requests()
			second, err := kind.Crawl(context.Background(), newEnv(t, first.Validators), src)
			if err != nil {
				t.Fatal(err)
			}
			if !second.NotModified || len(second.Items) != 0 || second.Requests != 1 || s.requests()-before != 1 {
				t.Errorf("second crawl: notModified %v, %d items, %d requests (server %d); want true, 0, 1",
					second.NotModified, len(second.Items), second.Requests, s.requests()-before)
			}
			if want304 := etag != ""; (second.Status304 == 1) != want304 || len(second.Validators) != 1 {
				t.Errorf("second crawl: %d 304s, %d validators", second.Status304, len(second.Validators))
			}
		})
	}
}

func TestHTMLCrawlFailures(t *testing.T) {
	html := "text/html; charset=utf-8"
	s := newSite(t, map[string]page{
		"/list":        {body: []byte(`<ul><li><a href="/a">A</a></li></ul>`), contentType: html},
		"/a":           {body: []byte(`<p>a</p>`), contentType: html, status: 500},
		"/garbage":     {body: []byte("\x00\x01binary"), contentType: "application/octet-stream"},
		"/forbidden":   {body: []byte("no"), contentType: html, status: 403},
		"/only-broken": {body: []byte(`<ul><li><a href="/b">B</a></li></ul><a class="next" href="/missing">next</a>`), contentType: html},
	})
	sel := watcher.Selectors{Item: "li", Next: "a.next"}
	tests := map[string]struct {
		paths    []string
		follow   bool
		class    watcher.ErrClass
		items    int
		problems []string
	}{
		"listing missing":        {paths: []string{"/nope"}, class: watcher.ErrHTTP},
		"listing blocked":        {paths: []string{"/forbidden"}, class: watcher.ErrBlocked},
		"next page missing":      {paths: []string{"/only-broken"}, items: 1, problems: []string{"listing {site}/only-broken page 2: fetch {site}/missing: http (HTTP Not Found): unexpected status"}},
		"item page fails":        {paths: []string{"/list"}, follow: true, items: 1},
		"not html":               {paths: []string{"/garbage"}, problems: []string{"selector item matched nothing"}},
		"one start of two fails": {paths: []string{"/garbage", "/nope"}, problems: []string{"selector item matched nothing", "listing {site}/nope: fetch {site}/nope: http (HTTP Not Found): unexpected status"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			src := watcher.Source{ID: "x", Kind: "html", Selectors: &sel, FollowItems: tc.follow}
			for _, p := range tc.paths {
				src.URLs = append(src.URLs, s.URL+p)
			}
			kind, _ := KindFor("html")
			res, err := kind.Crawl(context.Background(), newEnv(t, nil), src)
			if Classify(err) != tc.class {
				t.Fatalf("err %v (class %q), want class %q", err, Classify(err), tc.class)
			}
			if len(res.Items) != tc.items {
				t.Errorf("%d items, want %d", len(res.Items), tc.items)
			}
			var want []string
			for _, p := range tc.problems {
				want = append(want, strings.ReplaceAll(p, "{site}", s.URL))
			}
			if tc.follow {
				if len(res.Problems) != 1 || !strings.HasPrefix(res.Problems[0], "item page "+s.URL+"/a: ") {
					t.Errorf("problems %q, want one for the failed item page", res.Problems)
				}
				return
			}
			if strings.Join(res.Problems, "\n") != strings.Join(want, "\n") {
				t.Errorf("problems:\n got %q\nwant %q", res.Problems, want)
			}
		})
	}
}

func TestHTMLCrawlConfig(t *testing.T) {
	kind, _ := KindFor("html")
	for name, src := range map[string]watcher.Source{
		"no selectors":     {ID: "x", URLs: []string{"http://127.0.0.1:1/"}},
		"invalid selector": {ID: "x", URLs: []string{"http://127.0.0.1:1/"}, Selectors: &watcher.Selectors{Item: "li[["}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := kind.Crawl(context.Background(), newEnv(t, nil), src)
			if Classify(err) != watcher.ErrLayout {
				t.Errorf("err %v (class %q), want class layout", err, Classify(err))
			}
		})
	}
}

func TestCrawlCanceled(t *testing.T) {
	s := listingSite(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range []string{"feed", "html", "page"} {
		t.Run(name, func(t *testing.T) {
			kind, _ := KindFor(name)
			src := listingSource(s)
			src.Kind = name
			_, err := kind.Crawl(ctx, newEnv(t, nil), src)
			if Classify(err) != watcher.ErrCanceled {
				t.Errorf("err %v (class %q), want class canceled", err, Classify(err))
			}
			if s.requests() != 0 {
				t.Errorf("a canceled crawl made %d requests", s.requests())
			}
		})
	}
}

func TestKindsRegistered(t *testing.T) {
	names := strings.Join(KindNames(), ",")
	for _, k := range []string{"feed", "html", "page"} {
		if !strings.Contains(","+names+",", ","+k+",") {
			t.Errorf("kind %q not registered (have %s)", k, names)
		}
	}
}
