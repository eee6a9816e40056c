package intl

import (
	"context"
	"slices"
	"strings"
	"testing"

	"watcher"
	"watcher/dates"
)

func TestUNODCItemURL(t *testing.T) {
	prefixes := []string{"/unodc/en/press/"}
	tests := map[string]bool{
		"https://www.unodc.org/unodc/en/press/releases/2023/July/slug.html":                 true,
		"https://www.unodc.org/unodc/en/press/releases/2023/Jul/slug.html":                  true,
		"https://www.unodc.org/unodc/fr/press/releases/2023/July/slug.html":                 false, // language path
		"https://www.unodc.org/southeastasiaandpacific/en/2023/07/workshop/story.html":      false, // field office
		"https://www.unodc.org/unodc/en/press/index.html":                                   false, // no year and month
		"https://www.unodc.org/unodc/en/press/releases/2023/Julyish/slug.html":              false, // not a month
		"https://www.unodc.org/unodc/en/frontpage/2023/July/story.html":                     false, // other section
		"https://elsewhere.example/unodc/en/press/releases/2023/July/slug.html":             false, // other host
		"https://www.unodc.org/unodc/en/press/releases/2023/July/slug.pdf":                  false,
		"https://www.unodc.org/unodc/en/press/releases/2023/July/sub/dir/slug.html":         false,
		"https://WWW.UNODC.ORG/unodc/en/press/releases/2023/July/upper-case-host.html":      true,
		"https://www.unodc.org/unodc/en/press/releases/2023/September/long-month-name.html": true,
	}
	for raw, want := range tests {
		if got := UNODCItemURL(mustURL(t, raw), "www.unodc.org", prefixes); got != want {
			t.Errorf("UNODCItemURL(%s) = %v, want %v", raw, got, want)
		}
	}
}

func TestPathPrefixes(t *testing.T) {
	got := pathPrefixes("", []string{"https://www.unodc.org/unodc/en/press/releases.html", "https://www.unodc.org/unodc/en/frontpage/index.html"})
	if !slices.Equal(got, []string{"/unodc/en/press/", "/unodc/en/frontpage/"}) {
		t.Errorf("default prefixes %v", got)
	}
	got = pathPrefixes(" /unodc/en/press/releases/ , /unodc/en/frontpage/", nil)
	if !slices.Equal(got, []string{"/unodc/en/press/releases/", "/unodc/en/frontpage/"}) {
		t.Errorf("configured prefixes %v", got)
	}
}

func TestDateline(t *testing.T) {
	tests := map[string]struct {
		lines []string
		want  string // YYYY-MM-DD in Oslo, "" for none
		lead  string
	}{
		"vienna": {
			lines: []string{"Title", "Vienna (Austria), 24 July 2023 – Fewer victims were detected."},
			want:  "2023-07-24", lead: "Fewer victims were detected.",
		},
		"after a caption": {
			lines: []string{"Photo: UNODC", "Bangkok (Thailand), 28 June 2023 - The campaign funded shelters."},
			want:  "2023-06-28", lead: "The campaign funded shelters.",
		},
		"no dateline, date in the lead": {
			lines: []string{"Short", "On 3 October 2023, the Inter-Agency Coordination Group met in New York to discuss survivors' voices."},
			want:  "2023-10-03", lead: "On 3 October 2023, the Inter-Agency Coordination Group met in New York to discuss survivors' voices.",
		},
		"no date": {
			lines: []string{"A story with no date at all in its opening paragraph, long enough to be taken as the lead."},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, lead, ok := Dateline(Page{Lines: tc.lines}, dates.Options{})
			if tc.want == "" {
				if ok {
					t.Errorf("got %v, want no date", got)
				}
				return
			}
			if !ok || got.In(dates.Oslo()).Format("2006-01-02") != tc.want || lead != tc.lead {
				t.Errorf("got %v %q %v, want %s %q", got, lead, ok, tc.want, tc.lead)
			}
		})
	}
}

func unodcSite(t *testing.T) *fixtureSite {
	site := newFixtureSite(t, "https://www.unodc.org")
	site.set("/unodc/en/press/releases.html", "unodc/releases.html")
	site.set("/unodc/en/press/releases/2023/July/unodc-global-report-on-trafficking-in-persons-2023.html", "unodc/pages/global-report.html")
	site.set("/unodc/en/press/releases/2023/July/world-day-against-trafficking-in-persons-2023.html", "unodc/pages/world-day.html")
	site.set("/unodc/en/press/releases/2023/June/blue-heart-campaign-supports-survivors.html", "unodc/pages/blue-heart.html")
	site.set("/unodc/en/press/releases/2023/August/unodc-and-interpol-launch-operation-against-trafficking.html", "unodc/pages/interpol.html")
	return site
}

func TestUNODCCrawl(t *testing.T) {
	site := unodcSite(t)
	src := watcher.Source{ID: "unodc", Organisation: "UNODC", Kind: "unodc", Language: "en", FollowItems: true,
		URLs: []string{site.url("/unodc/en/press/releases.html")}}
	first, second, req1, req2 := crawlTwice(t, site, UNODC{}, src, func() {
		site.set("/unodc/en/press/releases.html", "unodc/releases-2.html")
	})
	items := byKey(first.Items)
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3 (field office, French and story links skipped): %v", len(items), keys(first.Items))
	}
	worldDay := site.url("/unodc/en/press/releases/2023/July/world-day-against-trafficking-in-persons-2023.html")
	tests := map[string]struct {
		title   string
		day     string
		summary string
	}{
		site.url("/unodc/en/press/releases/2023/July/unodc-global-report-on-trafficking-in-persons-2023.html"): {
			"UNODC Global Report: trafficking victims detected less often as crises multiply", "2023-07-24",
			"The Global Report on Trafficking in Persons 2023 finds fewer victims detected and more impunity for traffickers across regions."},
		worldDay: {
			"World Day against Trafficking in Persons: reach every victim, leave no one behind", "2023-07-30",
			"On the World Day against Trafficking in Persons, UNODC calls on governments to reach every victim of trafficking and leave no one behind."},
		site.url("/unodc/en/press/releases/2023/June/blue-heart-campaign-supports-survivors.html"): {
			"Blue Heart Campaign supports survivors of trafficking in South-East Asia", "2023-06-28",
			"The Blue Heart Campaign against Human Trafficking has funded shelters and legal aid for survivors in five countries of South-East Asia."},
	}
	for key, w := range tests {
		it := items[key]
		if it.Title != w.title || it.Published.In(dates.Oslo()).Format("2006-01-02") != w.day || it.Summary != w.summary ||
			it.Kind != watcher.KindNews || it.Organisation != "UNODC" || it.Meta["date_precision"] != "" {
			t.Errorf("%s:\n got %q %v %q %q %v\nwant %q %s %q", key, it.Title, it.Published, it.Summary, it.Kind, it.Meta, w.title, w.day, w.summary)
		}
	}
	if len(withPrefix(req1, "/unodc/en/press/releases/")) != 3 {
		t.Errorf("first crawl item pages: %v", req1)
	}
	if got := withPrefix(req2, "/unodc/en/press/releases/"); !slices.Equal(got, []string{"/unodc/en/press/releases/2023/August/unodc-and-interpol-launch-operation-against-trafficking.html"}) {
		t.Errorf("second crawl item pages %v, want only the new one", got)
	}
	items2 := byKey(second.Items)
	if it := items2[worldDay]; !it.Published.Equal(items[worldDay].Published) || it.Meta["date_precision"] != "" {
		t.Errorf("a known item's day must survive the listing's month-only date: %v %v", it.Published, it.Meta)
	}
	if it := items2[site.url("/unodc/en/press/releases/2023/August/unodc-and-interpol-launch-operation-against-trafficking.html")]; !it.Published.Equal(oslo(2023, 8, 2)) {
		t.Errorf("new item: %+v", it)
	}
}

func TestUNODCMonthOnlyWithoutPages(t *testing.T) {
	site := unodcSite(t)
	src := watcher.Source{ID: "unodc", URLs: []string{site.url("/unodc/en/press/releases.html")}}
	res, err := UNODC{}.Crawl(context.Background(), testEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	it := byKey(res.Items)[site.url("/unodc/en/press/releases/2023/July/world-day-against-trafficking-in-persons-2023.html")]
	if !it.Published.Equal(oslo(2023, 7, 1)) || it.Meta["date_precision"] != "month" {
		t.Errorf("without item pages the URL's month stands in, marked: %v %v", it.Published, it.Meta)
	}
	if reqs := site.requests(); len(reqs) != 1 {
		t.Errorf("follow_items off: requests %v, want only the listing", reqs)
	}
}

func TestUNODCPathPrefixOption(t *testing.T) {
	site := unodcSite(t)
	src := watcher.Source{ID: "unodc", URLs: []string{site.url("/unodc/en/press/releases.html")},
		Options: map[string]string{"path_prefix": "/unodc/en/frontpage/, /unodc/fr/"}}
	res, err := UNODC{}.Crawl(context.Background(), testEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, it := range res.Items {
		titles = append(titles, it.Title)
	}
	slices.Sort(titles)
	if !slices.Equal(titles, []string{"A survivor speaks out", "Rapport mondial sur la traite des personnes 2023"}) {
		t.Errorf("titles %v", titles)
	}
}

func TestUNODCEmptyListingIsAProblem(t *testing.T) {
	site := newFixtureSite(t)
	site.set("/unodc/en/press/releases.html", "cbss/pages/generic.html")
	res, err := UNODC{}.Crawl(context.Background(), testEnv(t, nil), watcher.Source{ID: "unodc", URLs: []string{site.url("/unodc/en/press/releases.html")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 0 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0], "no items") {
		t.Errorf("items %v problems %v", keys(res.Items), res.Problems)
	}
}
