package intl

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"watcher"
	"watcher/crawlers"
	"watcher/dates"
)

func TestServerData(t *testing.T) {
	tests := map[string]struct {
		page    string
		want    string
		wantErr bool
	}{
		"plain": {
			page: `<script>window.SERVER_DATA={"a":1};</script>`,
			want: `{"a":1}`,
		},
		"spaces and newline": {
			page: "<script>window.SERVER_DATA =\n {\"a\":[1,{\"b\":2}]} ;</script>",
			want: `{"a":[1,{"b":2}]}`,
		},
		"closing braces and }; inside strings": {
			page: `<script>window.SERVER_DATA={"s":"a }; b","t":"{{","u":"}"};var x={};</script>`,
			want: `{"s":"a }; b","t":"{{","u":"}"}`,
		},
		"escaped quotes and backslashes": {
			page: `<script>window.SERVER_DATA={"s":"say \"};\" now","p":"C:\\\\dir\\\\","q":"\\"};x();</script>`,
			want: `{"s":"say \"};\" now","p":"C:\\\\dir\\\\","q":"\\"}`,
		},
		"comparison before the assignment": {
			page: `<script>if (window.SERVER_DATA === undefined) {}</script><script>window.SERVER_DATA={"k":"v"};</script>`,
			want: `{"k":"v"}`,
		},
		"no marker": {
			page:    `<html><body>nothing here</body></html>`,
			wantErr: true,
		},
		"not an object": {
			page:    `<script>window.SERVER_DATA=JSON.parse("{}");</script>`,
			wantErr: true,
		},
		"truncated": {
			page:    `<script>window.SERVER_DATA={"a":{"b":"c"`,
			wantErr: true,
		},
		"unbalanced bracket": {
			page:    `<script>window.SERVER_DATA={"a":[1}]};</script>`,
			wantErr: true,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ServerData([]byte(tc.page))
			if tc.wantErr {
				if err == nil {
					t.Fatalf("got %q, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestServerDataNoMarkerIsSentinel(t *testing.T) {
	_, err := ServerData([]byte("<html></html>"))
	if !errors.Is(err, ErrNoServerData) {
		t.Errorf("err = %v, want ErrNoServerData", err)
	}
}

func TestEuropolListing(t *testing.T) {
	got, err := EuropolListing(readFixture(t, "europol/newsroom.html"))
	if err != nil {
		t.Fatal(err)
	}
	want := []EuropolEntry{
		{
			Title:     "34 arrests in action day against trafficking in human beings for labour exploitation",
			Alias:     "/media-press/newsroom/news/34-arrests-in-action-day-against-trafficking-in-human-beings-for-labour-exploitation",
			Published: 1696320000,
			Summary:   `Law enforcement authorities from 14 countries targeted networks exploiting workers; the operation was code-named "SEASON };" and ran {3–4 October}.`,
		},
		{
			Title:     "Victims of sexual exploitation identified in joint action days across 27 countries",
			Alias:     "/media-press/newsroom/news/victims-of-sexual-exploitation-identified-in-joint-action-days",
			Published: 1695292200,
			Summary:   `Police checked more than 12 000 persons and identified 212 possible victims of trafficking in human beings. Path: C:\\cases\\2023`,
		},
		{
			Title:     "Criminal networks recruit trafficking victims online, Europol warns",
			Alias:     "/media-press/newsroom/news/criminal-networks-recruit-victims-online-europol-warns",
			Published: 1694509200,
			Summary:   "A new intelligence notification describes how traffickers use job advertisements and dating applications.",
		},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestEuropolListingMalformed(t *testing.T) {
	tests := map[string]string{
		"no server data":    `<html><body><div id="app"></div></body></html>`,
		"invalid json":      `<script>window.SERVER_DATA={"NodeLoader":{"node":{"lists":[{"items":[{"title":1,}]}]}}};</script>`,
		"no NodeLoader":     `<script>window.SERVER_DATA={"config":{}};</script>`,
		"no lists":          `<script>window.SERVER_DATA={"NodeLoader":{"node":{"title":"x"}}};</script>`,
		"published is text": `<script>window.SERVER_DATA={"NodeLoader":{"node":{"lists":[{"items":[{"title":"t","alias":"/a","published":"yesterday"}]}]}}};</script>`,
	}
	for name, page := range tests {
		t.Run(name, func(t *testing.T) {
			if got, err := EuropolListing([]byte(page)); err == nil {
				t.Errorf("got %+v, want an error", got)
			}
		})
	}
}

func TestEuropolNodeInfo(t *testing.T) {
	tests := map[string]struct {
		file string
		want EuropolNode
	}{
		"top level": {
			file: "europol/node/34-arrests-in-action-day-against-trafficking-in-human-beings-for-labour-exploitation.json",
			want: EuropolNode{
				Title:      "34 arrests in action day against trafficking in human beings for labour exploitation",
				Summary:    "Law enforcement authorities from 14 countries targeted criminal networks exploiting workers in agriculture and construction.",
				Type:       "Press Release",
				CrimeAreas: []string{"Trafficking in human beings", "Forgery of documents"},
				Published:  1696320000,
				Changed:    1696406400,
			},
		},
		"under node, summary and string date": {
			file: "europol/node/human-trafficking-ring-dismantled-in-spain-and-romania.json",
			want: EuropolNode{
				Title:      "Human trafficking ring dismantled in Spain and Romania",
				Summary:    "The criminal network recruited young women in Romania with false promises of work & forced them into prostitution in Spain.",
				Type:       "Press Release",
				CrimeAreas: []string{"Trafficking in human beings"},
				Published:  1695910500,
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := EuropolNodeInfo(readFixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != tc.want.Title || got.Summary != tc.want.Summary || got.Type != tc.want.Type ||
				got.Published != tc.want.Published || got.Changed != tc.want.Changed ||
				!slices.Equal(got.CrimeAreas, tc.want.CrimeAreas) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if !strings.HasPrefix(got.Text, got.Summary) || len(got.Text) <= len(got.Summary) {
				t.Errorf("Text %q should be the summary followed by the body", got.Text)
			}
		})
	}
	for name, body := range map[string]string{"not json": "<html>", "empty object": "{}", "array": "[]"} {
		t.Run(name, func(t *testing.T) {
			if _, err := EuropolNodeInfo([]byte(body)); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestNodeURL(t *testing.T) {
	got := nodeURL("https://www.europol.europa.eu/cms/api/node", "/media-press/newsroom/news/a b")
	want := "https://www.europol.europa.eu/cms/api/node?url=%2Fmedia-press%2Fnewsroom%2Fnews%2Fa+b"
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got := nodeURL("https://x.test/api?lang=en", "/a"); got != "https://x.test/api?lang=en&url=%2Fa" {
		t.Errorf("with query: got %s", got)
	}
}

// europolSite serves the feed, the newsroom and the node API.
func europolSite(t *testing.T) *fixtureSite {
	site := newFixtureSite(t, "https://www.europol.europa.eu")
	site.set("/cms/api/rss/news", "europol/rss.xml")
	site.set("/media-press/newsroom", "europol/newsroom.html")
	for _, slug := range []string{
		"34-arrests-in-action-day-against-trafficking-in-human-beings-for-labour-exploitation",
		"human-trafficking-ring-dismantled-in-spain-and-romania",
		"victims-of-sexual-exploitation-identified-in-joint-action-days",
		"criminal-networks-recruit-victims-online-europol-warns",
		"europol-and-frontex-step-up-joint-work-against-migrant-smuggling-and-trafficking",
	} {
		site.set("/cms/api/node?url="+url.QueryEscape("/media-press/newsroom/news/"+slug), "europol/node/"+slug+".json")
	}
	return site
}

func europolSource(site *fixtureSite) watcher.Source {
	return watcher.Source{
		ID: "europol", Organisation: "Europol", Region: watcher.RegionInternational, Kind: "europol",
		URLs:        []string{site.url("/cms/api/rss/news"), site.url("/media-press/newsroom")},
		Language:    "en",
		FollowItems: true,
	}
}

func TestEuropolCrawl(t *testing.T) {
	site := europolSite(t)
	src := europolSource(site)
	first, second, req1, req2 := crawlTwice(t, site, Europol{}, src, func() {
		site.set("/media-press/newsroom", "europol/newsroom-2.html")
	})

	if len(first.Problems) != 0 {
		t.Errorf("first crawl problems: %v", first.Problems)
	}
	items := byKey(first.Items)
	const arrests = "europol:/media-press/newsroom/news/34-arrests-in-action-day-against-trafficking-in-human-beings-for-labour-exploitation"
	const ring = "europol:/media-press/newsroom/news/human-trafficking-ring-dismantled-in-spain-and-romania"
	if len(items) != 4 {
		t.Fatalf("first crawl: %d items, want 4 (3 in the newsroom, 1 more in the feed): %v", len(items), keys(first.Items))
	}
	a := items[arrests]
	if a.Title != "34 arrests in action day against trafficking in human beings for labour exploitation" ||
		a.URL != site.url("/media-press/newsroom/news/34-arrests-in-action-day-against-trafficking-in-human-beings-for-labour-exploitation") ||
		!a.Published.Equal(dates.Epoch(1696320000)) ||
		a.TypeRaw != "Press Release" || a.Kind != watcher.KindNews ||
		!slices.Equal(a.Tags, []string{"Trafficking in human beings", "Forgery of documents"}) ||
		a.Organisation != "Europol" || a.SourceID != "europol" || a.Region != watcher.RegionInternational ||
		a.GUID != "28631 at "+site.url("") {
		t.Errorf("arrests item: %+v", a)
	}
	if !strings.Contains(a.Summary, `code-named "SEASON };"`) {
		t.Errorf("listing summary should win over the feed's: %q", a.Summary)
	}
	if !strings.Contains(a.Text, "480 workplaces") {
		t.Errorf("text from the node body missing: %q", a.Text)
	}
	r := items[ring]
	if !r.Published.Equal(dates.Epoch(1695910500)) {
		t.Errorf("feed-only item: published %v, want the node API's date", r.Published)
	}
	if r.Summary == "" || !slices.Equal(r.Tags, []string{"Trafficking in human beings"}) {
		t.Errorf("feed-only item: %+v", r)
	}

	wantReq1 := 2 + 4 // feed, newsroom, one node per item
	if len(req1) != wantReq1 || first.Requests != wantReq1 {
		t.Errorf("first crawl requested %d (counted %d), want %d: %v", len(req1), first.Requests, wantReq1, req1)
	}
	nodes := withPrefix(req2, "/cms/api/node")
	wantNode := "/cms/api/node?url=" + url.QueryEscape("/media-press/newsroom/news/europol-and-frontex-step-up-joint-work-against-migrant-smuggling-and-trafficking")
	if len(nodes) != 1 || nodes[0] != wantNode {
		t.Errorf("second crawl fetched nodes %v, want only the new item's %s", nodes, wantNode)
	}
	items2 := byKey(second.Items)
	if len(items2) != 5 {
		t.Errorf("second crawl: %d items, want 5", len(items2))
	}
	if got := items2[ring]; !got.Published.Equal(r.Published) || got.Summary != r.Summary || !slices.Equal(got.Tags, r.Tags) {
		t.Errorf("known feed-only item lost what its node gave: %+v", got)
	}
	if got := items2[arrests]; !slices.Equal(got.Tags, a.Tags) || got.Text != a.Text || got.TypeRaw != a.TypeRaw {
		t.Errorf("known item lost its enrichment: %+v", got)
	}
}

func TestEuropolUndatedWithoutNode(t *testing.T) {
	site := europolSite(t)
	src := europolSource(site)
	src.URLs = src.URLs[:1] // feed only
	src.FollowItems = false
	res, err := Europol{}.Crawl(context.Background(), testEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 3 {
		t.Fatalf("got %d items, want 3", len(res.Items))
	}
	for _, it := range res.Items {
		if !it.Published.IsZero() {
			t.Errorf("%s: published %v; a feed without dates must leave items undated", it.Key, it.Published)
		}
	}
}

func TestEuropolNodeFailureIsAProblem(t *testing.T) {
	site := newFixtureSite(t, "https://www.europol.europa.eu")
	site.set("/cms/api/rss/news", "europol/rss.xml")
	site.set("/media-press/newsroom", "europol/newsroom.html")
	site.set("/cms/api/node", "europol/newsroom.html") // HTML where JSON belongs
	res, err := Europol{}.Crawl(context.Background(), testEnv(t, nil), europolSource(site))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 4 {
		t.Errorf("got %d items, want 4 despite the node failures", len(res.Items))
	}
	parseProblems := 0
	for _, p := range res.Problems {
		if strings.Contains(p, string(watcher.ErrParse)) {
			parseProblems++
		}
	}
	if parseProblems != 4 {
		t.Errorf("problems %v: want 4 parse problems", res.Problems)
	}
}

func TestEuropolEntryPointsFail(t *testing.T) {
	site := newFixtureSite(t)
	site.setRoute("/cms/api/rss/news", route{status: 500})
	site.setRoute("/media-press/newsroom", route{file: "europol/rss.xml", ctype: "text/html"})
	_, err := Europol{}.Crawl(context.Background(), testEnv(t, nil), europolSource(site))
	if err == nil {
		t.Fatal("want an error when every entry point fails")
	}
	if c := crawlers.Classify(err); c != watcher.ErrHTTP {
		t.Errorf("class %q, want http (a fetch failure outranks a parse failure)", c)
	}
}

func keys(items []watcher.Item) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.Key)
	}
	return out
}

func TestEuropolNotModified(t *testing.T) {
	site := europolSite(t)
	site.setRoute("/cms/api/rss/news", route{file: "europol/rss.xml", etag: `"rss-1"`})
	site.setRoute("/media-press/newsroom", route{file: "europol/newsroom.html", etag: `"newsroom-1"`})
	src := europolSource(site)
	first, err := Europol{}.Crawl(context.Background(), testEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Validators) != 2 {
		t.Fatalf("validators %+v, want one per entry point", first.Validators)
	}
	site.requests()

	known := byKey(first.Items)
	res, err := Europol{}.Crawl(context.Background(), testEnvValidators(t, known, first.Validators), src)
	if err != nil {
		t.Fatal(err)
	}
	if !res.NotModified || len(res.Items) != 0 || res.Status304 != 2 || res.Requests != 2 {
		t.Errorf("unchanged site: NotModified %v items %d 304s %d requests %d", res.NotModified, len(res.Items), res.Status304, res.Requests)
	}
	site.requests()

	site.setRoute("/media-press/newsroom", route{file: "europol/newsroom-2.html", etag: `"newsroom-2"`})
	res, err = Europol{}.Crawl(context.Background(), testEnvValidators(t, known, first.Validators), src)
	if err != nil {
		t.Fatal(err)
	}
	if res.NotModified || len(res.Items) != 4 || res.Status304 != 1 || len(res.Validators) != 1 {
		t.Errorf("newsroom changed: NotModified %v items %v 304s %d validators %+v", res.NotModified, keys(res.Items), res.Status304, res.Validators)
	}
}

// TestEuropolUnchangedAndFailing: of the two entry points, the feed
// answers "not modified" and the newsroom fails. The source failed, with
// the newsroom's class: it is not "unchanged", which would hide the
// failure behind a quiet source.
func TestEuropolUnchangedAndFailing(t *testing.T) {
	site := europolSite(t)
	site.setRoute("/cms/api/rss/news", route{file: "europol/rss.xml", etag: `"rss-1"`})
	src := europolSource(site)
	src.FollowItems = false
	first, err := Europol{}.Crawl(context.Background(), testEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	site.setRoute("/media-press/newsroom", route{status: 500})
	res, err := Europol{}.Crawl(context.Background(), testEnvValidators(t, byKey(first.Items), first.Validators), src)
	if c := crawlers.Classify(err); c != watcher.ErrHTTP {
		t.Fatalf("err %v (class %q), want the newsroom's http error", err, c)
	}
	if res.NotModified || len(res.Items) != 0 || res.Status304 != 1 {
		t.Errorf("NotModified %v items %v 304s %d; want false, none, 1", res.NotModified, keys(res.Items), res.Status304)
	}
}
