package intl

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
)

func TestEUHomeListing(t *testing.T) {
	got, err := EUHomeListing(readFixture(t, "euhome/listing.html"), mustURL(t, "https://home-affairs.ec.europa.eu/whats-new/news_en"))
	if err != nil {
		t.Fatal(err)
	}
	want := []EUHomeEntry{
		{
			Title:   "Commission publishes the fifth progress report on trafficking in human beings",
			URL:     "https://home-affairs.ec.europa.eu/news/commission-publishes-fifth-progress-report-trafficking-human-beings-2025-01-20_en",
			DateRaw: "2025-01-20T09:00:00Z", Type: "News article",
			Summary: "The report shows that sexual exploitation remains the most common form of trafficking in the EU, while labour exploitation is rising.",
		},
		{
			Title:   "New rules to fight trafficking in human beings enter into force",
			URL:     "https://home-affairs.ec.europa.eu/news/new-rules-to-fight-trafficking-enter-into-force-2024-12-05_en",
			DateRaw: "2024-12-05", Type: "Press release",
			Summary: "The revised Anti-Trafficking Directive makes forced marriage and illegal adoption forms of exploitation.",
		},
		{
			Title: "An item whose date is missing", URL: "https://home-affairs.ec.europa.eu/news/undated-item_en", Type: "News article",
		},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func euHomeSite(t *testing.T) *fixtureSite {
	site := newFixtureSite(t, "https://home-affairs.ec.europa.eu")
	site.set("/node/2/rss_en", "euhome/rss.xml")
	site.set("/whats-new/news_en", "euhome/listing.html")
	site.set("/news/eu-anti-trafficking-day-conference-2024-10-01_en", "euhome/pages/conference.html")
	site.set("/news/commission-publishes-fifth-progress-report-trafficking-human-beings-2025-01-20_en", "euhome/pages/report.html")
	site.set("/news/new-rules-to-fight-trafficking-enter-into-force-2024-12-05_en", "euhome/pages/report.html")
	site.set("/news/undated-item_en", "euhome/pages/report.html")
	return site
}

func TestEUHomeFeed(t *testing.T) {
	site := euHomeSite(t)
	src := watcher.Source{ID: "eu-home", Organisation: "EU-kommisjonen", Kind: "eu-home", Language: "en", FollowItems: true,
		URLs: []string{site.url("/node/2/rss_en")}}
	first, second, _, req2 := crawlTwice(t, site, EUHome{}, src, func() {})
	items := byURL(first.Items)
	if _, ok := byKey(first.Items)["guid:60112 at "+site.url("")]; !ok {
		t.Errorf("feed items are keyed by their GUID: %v", keys(first.Items))
	}
	report := items[site.url("/news/commission-publishes-fifth-progress-report-trafficking-human-beings-2025-01-20_en")]
	if report.Title != "Commission publishes the fifth progress report on trafficking in human beings" ||
		!report.Published.Equal(time.Date(2025, 1, 20, 9, 0, 0, 0, time.UTC)) || report.Organisation != "EU-kommisjonen" ||
		report.Kind != watcher.KindNews || !strings.Contains(report.Text, "staff working document") {
		t.Errorf("report: %+v", report)
	}
	conf := items[site.url("/news/eu-anti-trafficking-day-conference-2024-10-01_en")]
	want := watcher.Event{Start: oslo(2024, 10, 18, 9, 30), Place: "Charlemagne building, Brussels, and online",
		SignupURL: "https://ec.europa.eu/eusurvey/runner/AntiTraffickingDay2024"}
	if conf.Event == nil || *conf.Event != want || conf.Kind != watcher.KindEvent {
		t.Errorf("conference: kind %q event %+v, want %+v", conf.Kind, conf.Event, want)
	}
	if !slices.Equal(req2, []string{"/node/2/rss_en"}) {
		t.Errorf("second crawl of an unchanged feed requested %v, want the feed alone", req2)
	}
	if len(second.Items) != 2 {
		t.Errorf("second crawl: %v", keys(second.Items))
	}
}

func TestEUHomeListingMode(t *testing.T) {
	site := euHomeSite(t)
	src := watcher.Source{ID: "eu-home", Organisation: "EU-kommisjonen", Kind: "eu-home",
		URLs: []string{site.url("/whats-new/news_en")}, Options: map[string]string{"mode": "listing"}}
	res, err := EUHome{}.Crawl(context.Background(), testEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	items := byKey(res.Items)
	if len(items) != 3 {
		t.Fatalf("got %v", keys(res.Items))
	}
	rules := items[site.url("/news/new-rules-to-fight-trafficking-enter-into-force-2024-12-05_en")]
	if !rules.Published.Equal(oslo(2024, 12, 5)) || rules.TypeRaw != "Press release" || rules.Kind != watcher.KindNews {
		t.Errorf("rules: %+v", rules)
	}
	if undated := items[site.url("/news/undated-item_en")]; !undated.Published.IsZero() {
		t.Errorf("an item without a date must stay undated: %v", undated.Published)
	}
}

func TestEUHomeBadMode(t *testing.T) {
	site := euHomeSite(t)
	src := watcher.Source{ID: "eu-home", URLs: []string{site.url("/node/2/rss_en")}, Options: map[string]string{"mode": "scrape"}}
	if _, err := (EUHome{}).Crawl(context.Background(), testEnv(t, nil), src); err == nil || !strings.Contains(err.Error(), "scrape") {
		t.Errorf("err = %v, want one naming the bad mode", err)
	}
	if reqs := site.requests(); len(reqs) != 0 {
		t.Errorf("a misconfigured source must not fetch: %v", reqs)
	}
}
