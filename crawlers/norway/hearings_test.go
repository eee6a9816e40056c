package norway

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
)

const (
	listingPath = "/no/dokument/hoyringar/id1763/"
	realPath    = "/no/dokumenter/kort-horing-avskogingsforordningen-og-forbud-mot-eksport-til-tredjeland/id3167072/"
	htmlType    = "text/html; charset=utf-8"
)

// syntheticHearingPage is a hearing page for the listing entries that have
// no capture: no h1 (so the listing's title stays), a structured deadline
// of its own (so the page's deadline wins), a reference, one attachment,
// three consultees and the response form.
func syntheticHearingPage(path string) []byte {
	return titledHearingPage(path, "", "nb")
}

// titledHearingPage is syntheticHearingPage with an h1 (none for "") and
// a language.
func titledHearingPage(path, title, lang string) []byte {
	id := PageID(path)
	h1 := ""
	if title != "" {
		h1 = `<header class="article-header"><h1>` + title + `</h1></header>`
	}
	return []byte(fmt.Sprintf(`<!DOCTYPE html><html lang="%[4]s"><head>
<meta name="DC.Date" content="2026-06-20"><meta name="DC.Type" content="Horing"><meta name="DC.Language" content="%[4]s-NO">
<meta property="og:url" content="https://www.regjeringen.no%[1]s"></head><body>%[3]s
<div class="article-info"><p><span class="type">Høring |</span><span class="owner">| <a href="/no/dep/x/">Finansdepartementet</a></span></p></div>
<div class="article-ingress">Ingress fra siden %[2]s.</div>
<div class="article-body"><div class="horing-meta"><p><strong>Status:</strong> På høring</p><p><strong>Høringsfrist:</strong> 30.09.2026</p></div>
<div id="horingsbrev"><div class="horing-ref">Vår ref.: 26/%[2]s</div><p>Høringsbrev.</p></div>
<div id="horingsnotater"><p><a title="Høringsnotat %[2]s.pdf" href="/contentassets/abc%[2]s/horingsnotat.pdf">Høringsnotat</a></p></div>
<div id="horingsinstanser"><p>Politidirektoratet</p><p>Utlendingsdirektoratet</p><p>KS</p></div>
<a class="btn-cta" href="https://svar.regjeringen.no/nb/registrer_horingsuttalelse/H%[2]s/">Send inn høringssvar</a>
</div></body></html>`, path, id, h1, lang))
}

// newHearingsSite serves the real listing page 1, the synthetic page 2,
// the real hearing page at its original path, synthetic pages for every
// other listed hearing and the real robots.txt.
func newHearingsSite(t *testing.T) *testSite {
	t.Helper()
	site := newTestSite(t)
	site.handle("/robots.txt", "text/plain", readTestdata(t, "real/robots.txt"))
	site.handle(listingPath, htmlType, readTestdata(t, "real/hoyringar_id1763_page-001.html"))
	site.handle(listingPath+"?page=2", htmlType, readTestdata(t, "listing_page2.html"))
	for _, name := range []string{"real/hoyringar_id1763_page-001.html", "listing_page2.html"} {
		hs, _, _, _ := ParseHearingListing(readTestdata(t, name), site.URL+listingPath, osloLoc)
		for _, h := range hs {
			path := strings.TrimPrefix(h.URL, site.URL)
			site.handle(path, htmlType, syntheticHearingPage(path))
		}
	}
	site.handle(realPath, htmlType, readTestdata(t, "real/hearing_id3167072.html"))
	return site
}

func hearingsSource(site *testSite) watcher.Source {
	return watcher.Source{
		ID: "regjeringen-horinger", Name: "Regjeringen: høringer", Kind: KindHearings,
		Organisation: "Regjeringen", Region: watcher.RegionNorway,
		URLs: []string{site.URL + listingPath}, DocKind: watcher.KindHearing, Language: "nb",
	}
}

// hearingPageHits counts the requests for hearing pages in hits.
func hearingPageHits(hits map[string]int) (n int, paths []string) {
	for k, c := range hits {
		if strings.HasPrefix(k, "/no/dokumenter/") {
			n += c
			paths = append(paths, k)
		}
	}
	return n, paths
}

func TestHearingsCrawlEndToEnd(t *testing.T) {
	site := newHearingsSite(t)
	src := hearingsSource(site)
	now := time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)
	ctx := context.Background()

	// First run: nothing known. Both listing pages and every hearing page.
	res, err := hearingsKind{}.Crawl(ctx, testEnv(t, now, nil), src)
	if err != nil {
		t.Fatalf("first crawl: %v", err)
	}
	// The synthetic pages have no h1: that drift is reported, once per page.
	for _, p := range res.Problems {
		if !strings.HasSuffix(p, ": page: no title (header.article-header > h1)") || strings.Contains(p, "id3167072") {
			t.Errorf("unexpected problem: %q", p)
		}
	}
	if len(res.Problems) != 24 {
		t.Errorf("%d problems, want 24 (one per synthetic page)", len(res.Problems))
	}
	hits := site.takeHits()
	if hits[listingPath] != 1 || hits[listingPath+"?page=2"] != 1 {
		t.Errorf("listing requests = %v", hits)
	}
	if hits["/robots.txt"] == 0 {
		t.Errorf("robots.txt was not asked: %v", hits)
	}
	if n, _ := hearingPageHits(hits); n != 25 {
		t.Errorf("hearing pages fetched = %d, want 25 (every new hearing once)", n)
	}
	if res.Requests != 27 {
		t.Errorf("Requests = %d, want 27 (2 listing + 25 hearing pages; robots.txt excluded)", res.Requests)
	}
	items := byKey(t, res.Items)
	if len(items) != 25 {
		t.Fatalf("got %d items, want 25", len(items))
	}
	for _, it := range res.Items {
		if it.Kind != watcher.KindHearing || it.Region != watcher.RegionNorway || it.SourceID != src.ID ||
			it.Title == "" || it.URL == "" || it.Published.IsZero() || it.Deadline.IsZero() ||
			it.Status == watcher.StatusNone || it.Organisation == "" || it.Meta[MetaListing] == "" {
			t.Errorf("incomplete item %+v", it)
		}
	}

	real := items["regjeringen:3167072"]
	if real.URL != realHearingURL || real.Reference != "26/2371" || real.Consultees != 135 ||
		len(real.Attachments) != 1 || real.StatusRaw != "På høring" ||
		!real.Deadline.Equal(day(t, "2026-08-07")) || real.Organisation != "Klima- og miljødepartementet" {
		t.Errorf("the captured hearing: %+v", real)
	}
	if real.ResponseURL != "https://svar.regjeringen.no/nb/registrer_horingsuttalelse/H3167072/" {
		t.Errorf("response url = %q", real.ResponseURL)
	}
	synth := items["regjeringen:3168525"]
	if synth.Title != "Høyring – framlegg om presiseringar i reglane om Nav si opplysingsplikt overfor skattestyresmaktene" {
		t.Errorf("title of a page without h1 = %q, want the listing's", synth.Title)
	}
	if !synth.Deadline.Equal(day(t, "2026-09-30")) || synth.Reference != "26/3168525" {
		t.Errorf("page fields did not win: deadline %v, reference %q", synth.Deadline, synth.Reference)
	}
	if synth.Language != "nb" || synth.Summary != "Ingress fra siden 3168525." {
		t.Errorf("language/summary from the page = %q/%q", synth.Language, synth.Summary)
	}
	old := items["regjeringen:3120500"]
	if old.Meta[MetaListing] == "" || !strings.Contains(old.Meta[MetaListing], "Ferdigbehandlet") {
		t.Errorf("fingerprint of the page-2 hearing = %q", old.Meta[MetaListing])
	}

	// Second run: everything known and unchanged. Page 1 only, no hearing pages.
	res, err = hearingsKind{}.Crawl(ctx, testEnv(t, now, items), src)
	if err != nil {
		t.Fatalf("second crawl: %v", err)
	}
	hits = site.takeHits()
	if n, paths := hearingPageHits(hits); n != 0 || hits[listingPath+"?page=2"] != 0 || hits[listingPath] != 1 {
		t.Errorf("second crawl requests: %v (hearing pages %v)", hits, paths)
	}
	if res.Requests != 1 || len(res.Items) != 20 {
		t.Errorf("second crawl: %d requests, %d items; want 1 and 20", res.Requests, len(res.Items))
	}
	if got := byKey(t, res.Items)["regjeringen:3167072"]; got.Reference != "26/2371" || got.Consultees != 135 {
		t.Errorf("an unchanged hearing lost its page fields: %+v", got)
	}

	// Third run: the captured hearing's deadline moved, in the listing and
	// on its page. Its page, and only its page, is read again.
	listing := bytes.Replace(readTestdata(t, "real/hoyringar_id1763_page-001.html"),
		[]byte("Høringsfrist: 07.08.2026"), []byte("Høringsfrist: 21.08.2026"), 1)
	site.handle(listingPath, htmlType, listing)
	page := bytes.Replace(readTestdata(t, "real/hearing_id3167072.html"),
		[]byte("<strong>Høringsfrist:</strong> 07.08.2026"), []byte("<strong>Høringsfrist:</strong> 21.08.2026"), 1)
	site.handle(realPath, htmlType, page)
	res, err = hearingsKind{}.Crawl(ctx, testEnv(t, now, items), src)
	if err != nil {
		t.Fatalf("third crawl: %v", err)
	}
	hits = site.takeHits()
	if n, paths := hearingPageHits(hits); n != 1 || hits[realPath] != 1 {
		t.Errorf("third crawl read hearing pages %v, want only %s", paths, realPath)
	}
	moved := byKey(t, res.Items)["regjeringen:3167072"]
	if !moved.Deadline.Equal(day(t, "2026-08-21")) || !strings.Contains(moved.Meta[MetaListing], "2026-08-21") {
		t.Errorf("moved deadline = %v, fingerprint %q", moved.Deadline, moved.Meta[MetaListing])
	}
}

func TestHearingsCrawlCaps(t *testing.T) {
	site := newHearingsSite(t)
	src := hearingsSource(site)
	src.MaxPages = 1
	src.MaxItemPages = 3
	now := time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)
	res, err := hearingsKind{}.Crawl(context.Background(), testEnv(t, now, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	hits := site.takeHits()
	if hits[listingPath+"?page=2"] != 0 {
		t.Errorf("page 2 read despite max_pages 1")
	}
	if n, _ := hearingPageHits(hits); n != 3 {
		t.Errorf("hearing pages read = %d, want 3 (max_item_pages)", n)
	}
	if len(res.Items) != 20 {
		t.Fatalf("items = %d, want 20", len(res.Items))
	}
	withPrint := 0
	for _, it := range res.Items {
		if it.Meta[MetaListing] != "" {
			withPrint++
		}
		if it.Deadline.IsZero() || it.Status == watcher.StatusNone {
			t.Errorf("item without page lost its listing fields: %+v", it)
		}
	}
	if withPrint != 3 {
		t.Errorf("%d items carry the listing fingerprint, want the 3 read (the rest are read next run)", withPrint)
	}
}

func TestHearingsCrawlFailures(t *testing.T) {
	now := time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)
	t.Run("listing down", func(t *testing.T) {
		site := newTestSite(t)
		site.handleStatus(listingPath, 503, htmlType, []byte("down"))
		_, err := hearingsKind{}.Crawl(context.Background(), testEnv(t, now, nil), hearingsSource(site))
		if err == nil {
			t.Fatal("no error for a listing answering 503")
		}
	})
	t.Run("hearing page missing", func(t *testing.T) {
		site := newHearingsSite(t)
		site.handleStatus(realPath, 404, htmlType, []byte("gone"))
		res, err := hearingsKind{}.Crawl(context.Background(), testEnv(t, now, nil), hearingsSource(site))
		if err != nil {
			t.Fatal(err)
		}
		if !containsPrefix(res.Problems, "hearing regjeringen:3167072: ") {
			t.Errorf("problems = %q", res.Problems)
		}
		it := byKey(t, res.Items)["regjeringen:3167072"]
		if it.Meta[MetaListing] != "" || it.Deadline.IsZero() {
			t.Errorf("hearing whose page failed: fingerprint %q, deadline %v", it.Meta[MetaListing], it.Deadline)
		}
	})
}

func TestMergeHearingPageMinistries(t *testing.T) {
	joint := []string{"Landbruks- og matdepartementet", "Helse- og omsorgsdepartementet", "Klima- og miljødepartementet"}
	tests := map[string]struct {
		listing, page, want []string
	}{
		"page names the first of a joint hearing": {joint, joint[:1], joint},
		"page names another ministry":             {joint[:1], []string{"Finansdepartementet"}, []string{"Finansdepartementet"}},
		"page names more":                         {joint[:1], joint, joint},
		"page names none":                         {joint[:2], nil, joint[:2]},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			it := watcher.Item{Ministries: tc.listing, Organisation: tc.listing[0]}
			got := mergeHearingPage(it, HearingPage{ArticlePage: ArticlePage{Ministries: tc.page}}, true)
			if !slices.Equal(got.Ministries, tc.want) || got.Organisation != tc.want[0] {
				t.Errorf("ministries %q, organisation %q; want %q", got.Ministries, got.Organisation, tc.want)
			}
		})
	}
}

func TestHearingsCrawlStopsPagesWhenBlocked(t *testing.T) {
	site := newHearingsSite(t)
	// The first hearing of the listing answers a challenge.
	site.handleStatus("/no/dokumenter/hoyring-framlegg-om-presiseringar-i-reglane-om-nav-si-opplysingsplikt-overfor-skattestyresmaktene/id3168525/",
		403, htmlType, []byte("<html><title>Just a moment...</title></html>"))
	now := time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)
	res, err := hearingsKind{}.Crawl(context.Background(), testEnv(t, now, nil), hearingsSource(site))
	if err != nil {
		t.Fatal(err)
	}
	if n, paths := hearingPageHits(site.takeHits()); n != 1 {
		t.Errorf("hearing pages asked after a 403: %v", paths)
	}
	if len(res.Items) != 25 || !containsPrefix(res.Problems, "hearing regjeringen:3168525: ") {
		t.Errorf("items %d, problems %q", len(res.Items), res.Problems)
	}
}
