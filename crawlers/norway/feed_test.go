package norway

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"watcher"
	"watcher/crawlers"
)

const (
	hearingsFeedPath = "/no/rss/Rss/2581966/?documentType=dokumenter/h%C3%B8ringer"
	ownerFeedPath    = "/no/rss/Rss/2581966/?owner=463"
	nnHearingPath    = "/nn/dokumenter/hoyring-tiltak-mot-arbeidslivskriminalitet/id3165877/"
	newsPath         = "/no/aktuelt/ny-handlingsplan-mot-menneskehandel/id3168600/"
	rssType          = "application/rss+xml; charset=utf-8"
)

const newsPage = `<!DOCTYPE html><html lang="nb"><head>
<meta name="DC.Date" content="2026-07-02"><meta name="DC.Type" content="Nyhet"><meta name="DC.Language" content="nb-NO">
<meta name="DC.Creator" content="Justis- og beredskapsdepartementet">
<meta property="og:url" content="https://www.regjeringen.no/no/aktuelt/ny-handlingsplan-mot-menneskehandel/id3168600/"></head><body>
<header class="article-header"><h1>Ny handlingsplan mot menneskehandel</h1></header>
<div class="article-info"><p><span class="type">Nyhet |</span><span class="date">Dato: 02.07.2026</span>
<span class="owner">| <a href="/no/dep/jd/id463/">Justis- og beredskapsdepartementet</a></span></p></div>
<div class="article-ingress">Regjeringen legger fram en ny handlingsplan mot menneskehandel.</div>
<div class="article-body"><p>Handlingsplanen har 40 tiltak.</p></div></body></html>`

// feedFixture reads a feed fixture with its links pointing at site.
func feedFixture(t *testing.T, site *testSite, name string) []byte {
	t.Helper()
	return bytes.ReplaceAll(readTestdata(t, "feeds/"+name), []byte("BASE"), []byte(site.URL))
}

func newFeedSite(t *testing.T) *testSite {
	t.Helper()
	site := newTestSite(t)
	site.handle(hearingsFeedPath, rssType, feedFixture(t, site, "horinger.xml"))
	site.handle(ownerFeedPath, rssType, feedFixture(t, site, "jd.xml"))
	site.handle(realPath, htmlType, readTestdata(t, "real/hearing_id3167072.html"))
	site.handle(nnHearingPath, htmlType, titledHearingPage(nnHearingPath, "Høyring – tiltak mot arbeidslivskriminalitet", "nn"))
	site.handle(newsPath, htmlType, []byte(newsPage))
	return site
}

func feedSource(site *testSite, id string, paths ...string) watcher.Source {
	src := watcher.Source{
		ID: id, Kind: KindFeed, Organisation: "Regjeringen", Region: watcher.RegionNorway,
		DocKind: watcher.KindNews, Language: "nb", FollowItems: true,
	}
	for _, p := range paths {
		src.URLs = append(src.URLs, site.URL+p)
	}
	return src
}

func TestFeedCrawlKeysAndEnrichment(t *testing.T) {
	site := newFeedSite(t)
	now := time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)
	src := feedSource(site, "regjeringen-rss", hearingsFeedPath, ownerFeedPath)
	res, err := feedKind{}.Crawl(context.Background(), testEnv(t, now, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 {
		t.Errorf("problems: %q", res.Problems)
	}
	items := byKey(t, res.Items)
	if len(items) != 3 {
		t.Fatalf("items %v, want 3 (one page in two feeds and two paths is one item)", keysOf(items))
	}
	if res.Requests != 5 || len(res.Validators) != 2 {
		t.Errorf("requests %d, validators %d; want 5 (2 feeds, 3 pages) and 2", res.Requests, len(res.Validators))
	}

	h := items["regjeringen:3167072"]
	if h.Kind != watcher.KindHearing || !h.Deadline.Equal(day(t, "2026-08-07")) || h.Status != watcher.StatusOpen ||
		h.Reference != "26/2371" || h.Consultees != 135 || h.Organisation != "Klima- og miljødepartementet" {
		t.Errorf("hearing from the feed, enriched: %+v", h)
	}
	if !h.Published.Equal(time.Date(2026, 7, 3, 14, 0, 55, 0, time.UTC)) {
		t.Errorf("published = %v, want the feed's pubDate", h.Published)
	}

	nn := items["regjeringen:3165877"]
	if nn.URL != site.URL+nnHearingPath || nn.Language != "nn" || nn.Kind != watcher.KindHearing {
		t.Errorf("nynorsk hearing: url %q lang %q kind %q", nn.URL, nn.Language, nn.Kind)
	}
	if !slices.Contains(nn.AltURLs, site.URL+"/no/dokumenter/hoyring-tiltak-mot-arbeidslivskriminalitet/id3165877/?ch=2") {
		t.Errorf("the /no/ link of the same page is not among its alternatives: %q", nn.AltURLs)
	}
	if !nn.Deadline.Equal(day(t, "2026-09-30")) || nn.StatusRaw != "På høring" {
		t.Errorf("nynorsk hearing deadline/status = %v %q", nn.Deadline, nn.StatusRaw)
	}

	news := items["regjeringen:3168600"]
	if news.Kind != watcher.KindNews || news.Organisation != "Justis- og beredskapsdepartementet" || news.TypeRaw != "Nyhet" {
		t.Errorf("news: kind %q org %q type %q", news.Kind, news.Organisation, news.TypeRaw)
	}
	if news.Summary != "Regjeringen legger fram en ny handlingsplan mot menneskehandel." {
		t.Errorf("news summary = %q", news.Summary)
	}
	if !slices.Contains(news.AltURLs, site.URL+"/en/aktuelt/new-action-plan-against-human-trafficking/id3168600/") {
		t.Errorf("the /en/ item without guid is not folded into its page: %q", news.AltURLs)
	}

	// A second run with everything known reads the feeds but no pages, and
	// keeps what the pages gave.
	site.takeHits()
	res, err = feedKind{}.Crawl(context.Background(), testEnv(t, now, items), src)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 2 {
		t.Errorf("second run made %d requests, want 2 (the feeds only): %v", res.Requests, site.takeHits())
	}
	again := byKey(t, res.Items)["regjeringen:3167072"]
	if !again.Deadline.Equal(day(t, "2026-08-07")) || again.Reference != "26/2371" || again.Organisation != "Klima- og miljødepartementet" {
		t.Errorf("known hearing lost its page fields: %+v", again)
	}
}

func TestFeedKeysAcrossSources(t *testing.T) {
	site := newFeedSite(t)
	now := time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)
	hearings := feedSource(site, "regjeringen-horinger-rss", hearingsFeedPath)
	owner := feedSource(site, "regjeringen-jd-rss", ownerFeedPath)
	owner.FollowItems = false
	a, err := feedKind{}.Crawl(context.Background(), testEnv(t, now, nil), hearings)
	if err != nil {
		t.Fatal(err)
	}
	b, err := feedKind{}.Crawl(context.Background(), testEnv(t, now, nil), owner)
	if err != nil {
		t.Fatal(err)
	}
	fromHearings, fromOwner := byKey(t, a.Items)["regjeringen:3165877"], byKey(t, b.Items)["regjeringen:3165877"]
	if fromHearings.Key == "" || fromOwner.Key == "" {
		t.Fatalf("keys: hearings feed %v, owner feed %v", keysOf(byKey(t, a.Items)), keysOf(byKey(t, b.Items)))
	}
	if fromHearings.URL == fromOwner.URL {
		t.Errorf("the fixtures should link the page under two paths")
	}
	if b.Requests != 1 {
		t.Errorf("owner feed without follow_items made %d requests, want 1", b.Requests)
	}
	if fromOwner.Kind != watcher.KindNews {
		t.Errorf("owner feed item kind = %q, want the source's doc_kind", fromOwner.Kind)
	}
}

func TestFeedNotModifiedAndEmpty(t *testing.T) {
	now := time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)
	t.Run("304", func(t *testing.T) {
		site := newFeedSite(t)
		site.handleETag(hearingsFeedPath, rssType, feedFixture(t, site, "horinger.xml"), `"v1"`)
		src := feedSource(site, "regjeringen-horinger-rss", hearingsFeedPath)
		vals := map[string]watcher.Validator{src.URLs[0]: {URL: src.URLs[0], ETag: `"v1"`}}
		res, err := feedKind{}.Crawl(context.Background(), testEnvValidators(t, now, nil, vals), src)
		if err != nil {
			t.Fatal(err)
		}
		if !res.NotModified || res.Status304 != 1 || len(res.Items) != 0 || res.Requests != 1 {
			t.Errorf("not modified %v, 304s %d, items %d, requests %d", res.NotModified, res.Status304, len(res.Items), res.Requests)
		}
	})
	t.Run("empty feed", func(t *testing.T) {
		site := newFeedSite(t)
		const path = "/no/rss/Rss/2581966/?documentType=dokumenter/hoeringer"
		site.handle(path, rssType, feedFixture(t, site, "empty.xml"))
		res, err := feedKind{}.Crawl(context.Background(), testEnv(t, now, nil), feedSource(site, "x", path))
		if err != nil {
			t.Fatal(err)
		}
		want := "feed " + site.URL + path + ": " + emptyFeedProblem
		if !slices.Equal(res.Problems, []string{want}) {
			t.Errorf("problems = %q, want [%q]", res.Problems, want)
		}
	})
	t.Run("not a feed", func(t *testing.T) {
		site := newFeedSite(t)
		site.handle(hearingsFeedPath, htmlType, []byte("<html><body>Just a moment...</body></html>"))
		_, err := feedKind{}.Crawl(context.Background(), testEnv(t, now, nil), feedSource(site, "x", hearingsFeedPath))
		if err == nil {
			t.Error("no error for a feed URL answering HTML")
		}
	})
}

func TestFeedDocKind(t *testing.T) {
	tests := map[string]struct {
		url     string
		options map[string]string
		want    watcher.DocKind
	}{
		"hearings, escaped":      {url: "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/h%C3%B8ringer", want: watcher.KindHearing},
		"reports":                {url: "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/rapporter", want: watcher.KindReport},
		"plans":                  {url: "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/planer", want: watcher.KindPlan},
		"white papers":           {url: "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/meldinger", want: watcher.KindProposition},
		"nou":                    {url: "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/nouer", want: watcher.KindNOU},
		"calendar":               {url: "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=aktuelt/kalender", want: watcher.KindEvent},
		"news":                   {url: "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=aktuelt/nyheter", want: watcher.KindNews},
		"owner feed: mixed":      {url: "https://www.regjeringen.no/no/rss/Rss/2581966/?owner=463", want: ""},
		"option wins":            {url: "https://www.regjeringen.no/no/rss/Rss/2581966/?owner=463", options: map[string]string{"document_type": "dokumenter/proposisjoner"}, want: watcher.KindProposition},
		"unknown value: no kind": {url: "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/tull", want: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := feedDocKind(watcher.Source{Options: tc.options}, tc.url); got != tc.want {
				t.Errorf("feedDocKind = %q, want %q", got, tc.want)
			}
		})
	}
}

func keysOf(m map[string]watcher.Item) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestPathLanguage(t *testing.T) {
	for link, want := range map[string]string{
		"https://www.regjeringen.no/nn/dokumenter/x/id1/": "nn",
		"https://www.regjeringen.no/en/aktuelt/x/id1/":    "en",
		"https://www.regjeringen.no/no/dokumenter/x/id1/": "nb",
	} {
		if got := pathLanguage(link, ""); got != want {
			t.Errorf("pathLanguage(%q) = %q, want %q", link, got, want)
		}
	}
}

func TestOwnerFeedKindFromPage(t *testing.T) {
	site := newFeedSite(t)
	const noPath = "/no/dokumenter/hoyring-tiltak-mot-arbeidslivskriminalitet/id3165877/"
	site.handle(noPath+"?ch=2", htmlType, titledHearingPage(noPath, "Høyring – tiltak mot arbeidslivskriminalitet", "nn"))
	src := feedSource(site, "regjeringen-jd-rss", ownerFeedPath)
	src.DocKind = watcher.KindNews
	now := time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)
	res, err := feedKind{}.Crawl(context.Background(), testEnv(t, now, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	items := byKey(t, res.Items)
	h := items["regjeringen:3165877"]
	if h.Kind != watcher.KindHearing || !h.Deadline.Equal(day(t, "2026-09-30")) || h.Status != watcher.StatusOpen || h.Reference != "26/3165877" {
		t.Errorf("hearing in an owner feed: kind %q deadline %v status %q ref %q", h.Kind, h.Deadline, h.Status, h.Reference)
	}
	if n := items["regjeringen:3168600"]; n.Kind != watcher.KindNews || !n.Deadline.IsZero() {
		t.Errorf("news in an owner feed: kind %q deadline %v", n.Kind, n.Deadline)
	}
}

func TestCalendarFeedEvent(t *testing.T) {
	site := newTestSite(t)
	const feedPath = "/no/rss/Rss/2581966/?documentType=aktuelt/kalender"
	site.handle(feedPath, rssType, feedFixture(t, site, "kalender.xml"))
	site.handle("/no/aktuelt/webinar-om-identifisering/id3170100/", htmlType, readTestdata(t, "event_labels.html"))
	src := feedSource(site, "regjeringen-kalender", feedPath)
	src.DocKind = ""
	now := time.Date(2026, 8, 26, 8, 0, 0, 0, time.UTC)
	res, err := feedKind{}.Crawl(context.Background(), testEnv(t, now, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	it := byKey(t, res.Items)["regjeringen:3170100"]
	if it.Kind != watcher.KindEvent || it.Event == nil {
		t.Fatalf("calendar item: kind %q, event %+v", it.Kind, it.Event)
	}
	start := time.Date(2026, 9, 12, 10, 0, 0, 0, osloLoc)
	if !it.Event.Start.Equal(start) || it.Event.Place != "Digitalt (Teams)" || it.Event.SignupURL != "https://skjema.example.no/webinar-2026" {
		t.Errorf("event = %+v", it.Event)
	}
	if it.Language != "nn" || it.Organisation != "Barne- og familiedepartementet" {
		t.Errorf("language/organisation from the page = %q/%q", it.Language, it.Organisation)
	}
}

func TestFeedPartialFailure(t *testing.T) {
	site := newFeedSite(t)
	site.handleStatus(ownerFeedPath, 500, htmlType, []byte("feil"))
	now := time.Date(2026, 7, 4, 8, 0, 0, 0, time.UTC)
	src := feedSource(site, "regjeringen-rss", hearingsFeedPath, ownerFeedPath)
	res, err := feedKind{}.Crawl(context.Background(), testEnv(t, now, nil), src)
	if err != nil {
		t.Fatalf("one feed of two failed: err %v, want problems only", err)
	}
	if len(res.Items) != 2 || !containsPrefix(res.Problems, "feed "+site.URL+ownerFeedPath+": ") {
		t.Errorf("items %d, problems %q", len(res.Items), res.Problems)
	}
	if len(res.Validators) != 0 {
		t.Errorf("validators kept after a failed feed: %+v", res.Validators)
	}
	src.URLs = src.URLs[1:]
	res, err = feedKind{}.Crawl(context.Background(), testEnv(t, now, nil), src)
	if crawlers.Classify(err) != watcher.ErrHTTP || len(res.Problems) != 0 {
		t.Errorf("the only feed failed: err %v (class %q), problems %q", err, crawlers.Classify(err), res.Problems)
	}
}
