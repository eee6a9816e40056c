package intl

import (
	"context"
	"slices"
	"testing"
	"time"

	"watcher"
)

func TestFrontexID(t *testing.T) {
	tests := map[string]struct {
		url  string
		want string
	}{
		"news id":            {"https://www.frontex.europa.eu/media-centre/news/news-release/frontex-supports-member-states-J6yq05", "J6yq05"},
		"trailing slash":     {"https://www.frontex.europa.eu/media-centre/news/news-release/joint-action-days-Kp2x9Q/", "Kp2x9Q"},
		"publication":        {"https://www.frontex.europa.eu/publications/risk-analysis-for-2025-2026-vp0TZ7", "vp0TZ7"},
		"query ignored":      {"https://www.frontex.europa.eu/publications/x-vp0TZ7?lang=en", "vp0TZ7"},
		"slug word, no id":   {"https://www.frontex.europa.eu/media-centre/news/news-release/annual-risk-analysis-report", ""},
		"seven characters":   {"https://www.frontex.europa.eu/media-centre/news/news-release/slug-Ab12Cd9", ""},
		"no dash":            {"https://www.frontex.europa.eu/media-centre/news/news-release/", ""},
		"digits only is id":  {"https://www.frontex.europa.eu/media-centre/news/news-release/slug-123456", "123456"},
		"not a url at all ;": {"%zz", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := FrontexID(tc.url)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("FrontexID(%q) = %q, %v; want %q", tc.url, got, ok, tc.want)
			}
		})
	}
}

func TestFrontexListing(t *testing.T) {
	base := mustURL(t, "https://www.frontex.europa.eu/publications/")
	got, err := FrontexListing(readFixture(t, "frontex/publications.html"), base)
	if err != nil {
		t.Fatal(err)
	}
	want := []FrontexEntry{
		{Title: "Risk Analysis for 2025/2026", URL: "https://www.frontex.europa.eu/publications/risk-analysis-for-2025-2026-vp0TZ7", DateRaw: "2025-06-12",
			Summary: "The annual overview of threats at the external borders, including trafficking in human beings."},
		{Title: "Handbook on risk profiles of trafficking in human beings", URL: "https://www.frontex.europa.eu/publications/handbook-on-risk-profiles-of-trafficking-in-human-beings-Ab12Cd", DateRaw: "2024-07-18",
			Summary: "A practical guide for border guards on the risk profiles of victims and traffickers."},
		{Title: "Leaflet: know your rights", URL: "https://www.frontex.europa.eu/publications/undated-leaflet-Zz9Yy8", DateRaw: "sometime soon"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func frontexSite(t *testing.T) *fixtureSite {
	site := newFixtureSite(t, "https://www.frontex.europa.eu")
	site.set("/media-centre/news/news-release/feed", "frontex/feed.xml")
	site.set("/publications/", "frontex/publications.html")
	for _, p := range []string{
		"frontex-hosts-conference-on-trafficking-in-human-beings-at-eu-borders-Hq7Lm2",
		"frontex-supports-member-states-in-identifying-victims-of-trafficking-at-the-borders-J6yq05",
		"joint-action-days-mobility-123-suspected-traffickers-arrested-Kp2x9Q",
		"frontex-publishes-annual-risk-analysis-report",
		"frontex-and-europol-sign-joint-plan-against-trafficking-networks-XyZ123",
	} {
		site.set("/media-centre/news/news-release/"+p, "frontex/pages/"+p+".html")
		site.set("/media-centre/news/news-release/"+p+"/", "frontex/pages/"+p+".html")
	}
	for _, p := range []string{"risk-analysis-for-2025-2026-vp0TZ7", "handbook-on-risk-profiles-of-trafficking-in-human-beings-Ab12Cd", "undated-leaflet-Zz9Yy8"} {
		site.set("/publications/"+p, "frontex/pages/"+p+".html")
	}
	return site
}

func TestFrontexCrawl(t *testing.T) {
	site := frontexSite(t)
	src := watcher.Source{
		ID: "frontex", Organisation: "Frontex", Kind: "frontex", Language: "en", FollowItems: true,
		URLs: []string{site.url("/media-centre/news/news-release/feed"), site.url("/publications/")},
	}
	first, second, req1, req2 := crawlTwice(t, site, Frontex{}, src, func() {
		site.set("/media-centre/news/news-release/feed", "frontex/feed-2.xml")
	})
	items := byKey(first.Items)
	if len(items) != 7 {
		t.Fatalf("got %d items, want 7: %v", len(items), keys(first.Items))
	}
	type want struct {
		title     string
		published time.Time
		kind      watcher.DocKind
	}
	wants := map[string]want{
		"frontex:J6yq05": {"Frontex supports Member States in identifying victims of trafficking at the borders", time.Date(2025, 9, 18, 10, 35, 21, 0, time.UTC), watcher.KindNews},
		"frontex:Kp2x9Q": {"Joint Action Days Mobility: 123 suspected traffickers arrested", time.Date(2025, 9, 10, 8, 0, 0, 0, time.UTC), watcher.KindNews},
		"frontex:vp0TZ7": {"Risk Analysis for 2025/2026", oslo(2025, 6, 12), watcher.KindPublication},
		"frontex:Ab12Cd": {"Handbook on risk profiles of trafficking in human beings", oslo(2024, 7, 18), watcher.KindPublication},
		"frontex:Zz9Yy8": {"Leaflet: know your rights", oslo(2025, 5, 8), watcher.KindPublication},
		site.url("/media-centre/news/news-release/frontex-publishes-annual-risk-analysis-report"): {
			"Frontex publishes its annual risk analysis report", time.Date(2025, 9, 1, 10, 0, 0, 0, time.UTC), watcher.KindNews},
	}
	for key, w := range wants {
		it, ok := items[key]
		if !ok {
			t.Errorf("no item %s", key)
			continue
		}
		if it.Title != w.title || !it.Published.Equal(w.published) || it.Kind != w.kind || it.Organisation != "Frontex" {
			t.Errorf("%s: got title %q published %v kind %q org %q; want %q %v %q", key, it.Title, it.Published, it.Kind, it.Organisation, w.title, w.published, w.kind)
		}
	}
	if it := items["frontex:J6yq05"]; !slices.Equal(it.Tags, []string{"Trafficking in human beings", "Training"}) ||
		it.Summary != "A new training course helps border guards spot the signs of trafficking in human beings." {
		t.Errorf("J6yq05 tags/summary: %q %q", it.Tags, it.Summary)
	}

	conf := items["frontex:Hq7Lm2"]
	wantEv := watcher.Event{
		Start: oslo(2025, 10, 14), End: oslo(2025, 10, 15),
		Place:     "Frontex headquarters, Warsaw",
		SignupURL: "https://events.frontex.europa.eu/thb-conference-2025/registration",
	}
	if conf.Event == nil || *conf.Event != wantEv {
		t.Errorf("conference event = %+v, want %+v", conf.Event, wantEv)
	}
	if conf.Kind != watcher.KindEvent {
		t.Errorf("conference kind %q, want event", conf.Kind)
	}

	if got := len(withPrefix(req1, "/media-centre/news/news-release/")) + len(withPrefix(req1, "/publications/")); got != 2+7 {
		t.Errorf("first crawl: %d requests, want 2 entry points and 7 item pages: %v", got, req1)
	}
	pages := slices.DeleteFunc(slices.Clone(req2), func(p string) bool {
		return p == "/media-centre/news/news-release/feed" || p == "/publications/"
	})
	if !slices.Equal(pages, []string{"/media-centre/news/news-release/frontex-and-europol-sign-joint-plan-against-trafficking-networks-XyZ123"}) {
		t.Errorf("second crawl fetched item pages %v, want only the new one", pages)
	}
	if _, ok := byKey(second.Items)["frontex:XyZ123"]; !ok || len(second.Items) != 8 {
		t.Errorf("second crawl: %v", keys(second.Items))
	}
	if conf2 := byKey(second.Items)["frontex:Hq7Lm2"]; conf2.Event == nil || *conf2.Event != wantEv {
		t.Errorf("known conference lost its event: %+v", conf2.Event)
	}
}

func TestFrontexMalformedFeed(t *testing.T) {
	site := newFixtureSite(t)
	site.setRoute("/feed", route{file: "frontex/publications.html", ctype: "application/rss+xml"})
	_, err := Frontex{}.Crawl(context.Background(), testEnv(t, nil), watcher.Source{ID: "frontex", URLs: []string{site.url("/feed")}})
	if err == nil {
		t.Fatal("want a parse error for HTML served as a feed")
	}
}
