package intl

import (
	"slices"
	"testing"
	"time"

	"watcher"
)

func TestCoESlugAndLink(t *testing.T) {
	tests := map[string]struct {
		raw, slug, clean string
	}{
		"dash form with portlet parameters": {
			raw:   "https://www.coe.int/en/web/anti-human-trafficking/-/greta-publishes-report?_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_aBc_redirect=https%3A%2F%2Fwww.coe.int&p_p_id=x&p_p_lifecycle=0#top",
			slug:  "greta-publishes-report",
			clean: "https://www.coe.int/en/web/anti-human-trafficking/-/greta-publishes-report",
		},
		"content form": {
			raw:   "https://www.coe.int/en/web/anti-human-trafficking/home/-/asset_publisher/xYz123/content/greta-publishes-report?_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_xYz123_assetEntryId=987&inheritRedirect=false",
			slug:  "greta-publishes-report",
			clean: "https://www.coe.int/en/web/anti-human-trafficking/home/-/asset_publisher/xYz123/content/greta-publishes-report",
		},
		"other parameters kept": {
			raw:   "https://www.coe.int/en/web/portal/-/Some-News?lang=en&p_l_back_url=%2F",
			slug:  "some-news",
			clean: "https://www.coe.int/en/web/portal/-/Some-News?lang=en",
		},
		"a section page": {
			raw:   "https://www.coe.int/en/web/anti-human-trafficking/news",
			clean: "https://www.coe.int/en/web/anti-human-trafficking/news",
		},
		"asset publisher without content": {
			raw:   "https://www.coe.int/en/web/portal/home/-/asset_publisher",
			clean: "https://www.coe.int/en/web/portal/home/-/asset_publisher",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := CoELink(tc.raw); got != tc.clean {
				t.Errorf("CoELink = %s, want %s", got, tc.clean)
			}
			if got := CoESlug(tc.raw); got != tc.slug {
				t.Errorf("CoESlug = %q, want %q", got, tc.slug)
			}
		})
	}
}

func TestCoEListing(t *testing.T) {
	base := mustURL(t, "https://www.coe.int/en/web/anti-human-trafficking/news")
	got, err := CoEListing(readFixture(t, "coe/greta.html"), base)
	if err != nil {
		t.Fatal(err)
	}
	want := []CoEEntry{
		{
			Title: "GRETA publishes its fourth report on Norway", Slug: "greta-publishes-its-fourth-report-on-norway",
			URL:       "https://www.coe.int/en/web/anti-human-trafficking/-/greta-publishes-its-fourth-report-on-norway",
			Languages: "EN FR", DateRaw: "24 September 2024", Body: "GRETA", Place: "Strasbourg",
			Teaser: "In its fourth evaluation report on Norway, GRETA welcomes the national action plan but urges the authorities to improve the identification of victims of trafficking for labour exploitation.",
		},
		{
			Title: "Committee of the Parties adopts recommendations to Norway and Poland", Slug: "committee-of-the-parties-adopts-recommendations-to-norway-and-poland",
			URL:       "https://www.coe.int/en/web/anti-human-trafficking/-/committee-of-the-parties-adopts-recommendations-to-norway-and-poland",
			Languages: "EN FR", DateRaw: "24 september 2024", Body: "Committee of the Parties", Place: "Strasbourg",
			Teaser: "The Committee of the Parties to the Convention on Action against Trafficking in Human Beings adopted recommendations based on GRETA reports.",
		},
		{
			Title: "Conference on trafficking in human beings for labour exploitation", Slug: "conference-on-trafficking-for-labour-exploitation",
			URL:       "https://www.coe.int/en/web/anti-human-trafficking/-/conference-on-trafficking-for-labour-exploitation",
			Languages: "EN FR", DateRaw: "29 APRIL 2024", Body: "Anti-Trafficking Convention", Place: "Lisbon",
			Teaser: "Experts from 30 member states will discuss supply chains and labour inspections.",
		},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func coeSite(t *testing.T) *fixtureSite {
	site := newFixtureSite(t, "https://www.coe.int")
	site.set("/en/web/anti-human-trafficking/news", "coe/greta.html")
	site.set("/en/web/anti-human-trafficking/news?delta=20&start=20", "coe/greta-page2.html")
	site.set("/en/web/portal/newsroom", "coe/portal.html")
	for _, slug := range []string{
		"greta-publishes-its-fourth-report-on-norway", "committee-of-the-parties-adopts-recommendations-to-norway-and-poland",
		"greta-elects-its-president", "monitoring-mechanism-enters-into-force", "greta-launches-fifth-evaluation-round",
	} {
		site.set("/en/web/anti-human-trafficking/-/"+slug, "coe/pages/article.html")
	}
	site.set("/en/web/anti-human-trafficking/-/conference-on-trafficking-for-labour-exploitation", "coe/pages/conference.html")
	site.set("/en/web/portal/-/secretary-general-visits-oslo", "coe/pages/article.html")
	site.set("/en/web/portal/home/-/asset_publisher/xYz123/content/greta-publishes-its-fourth-report-on-norway", "coe/pages/article.html")
	return site
}

func TestCoECrawl(t *testing.T) {
	site := coeSite(t)
	src := watcher.Source{
		ID: "greta", Organisation: "GRETA/Europarådet", Kind: "coe", Language: "en", FollowItems: true, MaxPages: 3,
		AlwaysRelevant: true,
		URLs:           []string{site.url("/en/web/anti-human-trafficking/news"), site.url("/en/web/portal/newsroom")},
	}
	first, second, req1, req2 := crawlTwice(t, site, CoE{}, src, func() {
		site.set("/en/web/anti-human-trafficking/news", "coe/greta-2.html")
	})
	items := byKey(first.Items)
	if len(items) != 6 {
		t.Fatalf("got %d items, want 6 (the Norway report once): %v", len(items), keys(first.Items))
	}
	norway := items["coe:greta-publishes-its-fourth-report-on-norway"]
	if norway.URL != site.url("/en/web/anti-human-trafficking/-/greta-publishes-its-fourth-report-on-norway") ||
		!slices.Equal(norway.AltURLs, []string{site.url("/en/web/portal/home/-/asset_publisher/xYz123/content/greta-publishes-its-fourth-report-on-norway")}) {
		t.Errorf("one item for the news on two sub-sites: url %s alt %v", norway.URL, norway.AltURLs)
	}
	if norway.Title != "GRETA publishes its fourth report on Norway" || !norway.Published.Equal(oslo(2024, 9, 24)) ||
		!slices.Equal(norway.Tags, []string{"GRETA"}) || norway.Meta["place"] != "Strasbourg" || norway.Kind != watcher.KindNews ||
		norway.Organisation != "GRETA/Europarådet" {
		t.Errorf("norway: %+v", norway)
	}
	dates := map[string]time.Time{
		"coe:committee-of-the-parties-adopts-recommendations-to-norway-and-poland": oslo(2024, 9, 24),
		"coe:conference-on-trafficking-for-labour-exploitation":                    oslo(2024, 4, 29),
		"coe:greta-elects-its-president":                                           oslo(2009, 9, 30),
		"coe:monitoring-mechanism-enters-into-force":                               oslo(2012, 5, 30),
		"coe:secretary-general-visits-oslo":                                        oslo(2024, 9, 2),
	}
	for key, want := range dates {
		if got := items[key].Published; !got.Equal(want) {
			t.Errorf("%s: published %v, want %v", key, got, want)
		}
	}
	conf := items["coe:conference-on-trafficking-for-labour-exploitation"]
	wantEv := watcher.Event{Start: oslo(2024, 10, 3), End: oslo(2024, 10, 4), Place: "Palácio Foz, Lisbon",
		SignupURL: site.url("/en/web/anti-human-trafficking/conference-2024-registration")}
	if conf.Event == nil || *conf.Event != wantEv || conf.Kind != watcher.KindEvent {
		t.Errorf("conference: kind %q event %+v, want %+v", conf.Kind, conf.Event, wantEv)
	}

	listings := []string{
		"/en/web/anti-human-trafficking/news",
		"/en/web/anti-human-trafficking/news?delta=20&start=20",
		"/en/web/anti-human-trafficking/news?delta=20&start=40", // the site ignores start: nothing new, stop
		"/en/web/portal/newsroom",
		"/en/web/portal/newsroom?delta=20&start=20",
	}
	for _, l := range listings {
		if !slices.Contains(req1, l) {
			t.Errorf("first crawl did not request %s: %v", l, req1)
		}
	}
	if len(req1) != len(listings)+6 {
		t.Errorf("first crawl: %d requests, want %d listings and 6 item pages: %v", len(req1), len(listings), req1)
	}
	wantReq2 := []string{
		"/en/web/anti-human-trafficking/-/greta-launches-fifth-evaluation-round",
		"/en/web/anti-human-trafficking/news",
		"/en/web/anti-human-trafficking/news?delta=20&start=20",
		"/en/web/portal/newsroom",
	}
	if !slices.Equal(req2, wantReq2) {
		t.Errorf("second crawl requested %v, want %v", req2, wantReq2)
	}
	items2 := byKey(second.Items)
	if got := items2["coe:greta-publishes-its-fourth-report-on-norway"]; !slices.Equal(got.AltURLs, norway.AltURLs) {
		t.Errorf("second crawl alt urls %v", got.AltURLs)
	}
	if got := items2["coe:conference-on-trafficking-for-labour-exploitation"]; got.Event == nil || *got.Event != wantEv || got.Kind != watcher.KindEvent {
		t.Errorf("known conference lost its event: %+v", got)
	}
}

func TestReadCoECard(t *testing.T) {
	tests := map[string]struct {
		title string
		lines []string
		want  CoEEntry
	}{
		"documented order": {
			title: "GRETA publishes its report",
			lines: []string{"EN FR", "GRETA publishes its report", "GRETA 29 APRIL 2024 Strasbourg", "The report covers labour exploitation.", "Read More"},
			want:  CoEEntry{Languages: "EN FR", Body: "GRETA", DateRaw: "29 APRIL 2024", Place: "Strasbourg", Teaser: "The report covers labour exploitation."},
		},
		"a number and a year are not a date": {
			title: "Recommendations adopted",
			lines: []string{"Recommendations adopted", "Adopted 12 recommendations 2024 in total", "Committee of the Parties 30.05.2012 Strasbourg"},
			want:  CoEEntry{Body: "Committee of the Parties", DateRaw: "30.05.2012", Place: "Strasbourg", Teaser: "Adopted 12 recommendations 2024 in total"},
		},
		"title not on a line of its own": {
			title: "Short title",
			lines: []string{"FR EN", "30.09.09", "Teaser text"},
			want:  CoEEntry{Languages: "FR EN", DateRaw: "30.09.09", Teaser: "Teaser text"},
		},
		"no date": {
			title: "Undated",
			lines: []string{"Undated", "Only a teaser."},
			want:  CoEEntry{Teaser: "Only a teaser."},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := CoEEntry{Title: tc.title}
			readCoECard(&got, tc.lines)
			tc.want.Title = tc.title
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
