package intl

import (
	"context"
	"slices"
	"testing"
	"time"

	"watcher"
)

func TestOSCEID(t *testing.T) {
	tests := map[string]string{
		"https://odihr.osce.org/odihr/545012":       "545012",
		"https://www.osce.org/odihr/547635/":        "547635",
		"https://osce.org/odihr/1":                  "1",
		"https://www.osce.org/odihr/what-we-do":     "",
		"https://www.osce.org/odihr/547635/details": "",
		"https://example.org/odihr/547635":          "",
		"https://listing.test/odihr/42":             "42",
	}
	for raw, want := range tests {
		got, ok := OSCEID(mustURL(t, raw), "listing.test")
		if got != want || ok != (want != "") {
			t.Errorf("OSCEID(%s) = %q, %v; want %q", raw, got, ok, want)
		}
	}
}

func TestOSCECrawl(t *testing.T) {
	site := newFixtureSite(t, "https://www.osce.org", "https://odihr.osce.org")
	site.set("/odihr/news", "osce/news.html")
	site.set("/odihr/547635", "osce/pages/plain.html")
	site.set("/odihr/545012", "osce/pages/plain.html")
	site.set("/odihr/544000", "osce/pages/seminar.html")
	site.set("/odihr/544000/", "osce/pages/seminar.html")
	src := watcher.Source{ID: "osce", Organisation: "OSSE", Kind: "osce", Language: "en", FollowItems: true,
		URLs: []string{site.url("/odihr/news")}}
	first, _, req1, req2 := crawlTwice(t, site, OSCE{}, src, func() {})
	items := byKey(first.Items)
	if len(items) != 3 {
		t.Fatalf("got %v, want three nodes (navigation links skipped)", keys(first.Items))
	}
	tests := map[string]struct {
		title     string
		published time.Time
		summary   string
	}{
		"osce:547635": {"ODIHR launches guidance on human rights-based responses to trafficking in human beings", time.Date(2023, 7, 28, 8, 0, 0, 0, time.UTC),
			"The guidance helps OSCE participating States put the rights of survivors at the centre of anti-trafficking action."},
		"osce:545012": {"Survivors of trafficking share their experience with national referral mechanisms", oslo(2023, 6, 12),
			"Survivors, NGOs and officials from 12 countries met in Warsaw to improve referral of victims to assistance."},
		"osce:544000": {"ODIHR and Italy hold seminar on trafficking for forced criminality", oslo(2023, 5, 5),
			"Prosecutors, judges and police from across the OSCE region will discuss the non-punishment of victims of trafficking who were compelled to commit crimes."},
	}
	for key, w := range tests {
		it := items[key]
		if it.Title != w.title || !it.Published.Equal(w.published) || it.Summary != w.summary || it.Organisation != "OSSE" {
			t.Errorf("%s:\n got %q %v %q\nwant %q %v %q", key, it.Title, it.Published, it.Summary, w.title, w.published, w.summary)
		}
	}
	sem := items["osce:544000"]
	if want := (watcher.Event{Start: oslo(2023, 5, 23), End: oslo(2023, 5, 24), Place: "Ministry of Justice, Rome"}); sem.Event == nil || *sem.Event != want || sem.Kind != watcher.KindEvent {
		t.Errorf("seminar: kind %q event %+v, want %+v", sem.Kind, sem.Event, want)
	}
	if len(req1) != 4 {
		t.Errorf("first crawl requests %v", req1)
	}
	if !slices.Equal(req2, []string{"/odihr/news"}) {
		t.Errorf("second crawl requests %v, want the listing only", req2)
	}
}

func TestOSCEScopeOption(t *testing.T) {
	site := newFixtureSite(t, "https://www.osce.org", "https://odihr.osce.org")
	site.set("/odihr/news", "osce/news.html")
	src := watcher.Source{ID: "osce", URLs: []string{site.url("/odihr/news")}, Options: map[string]string{"scope": "body"}}
	res, err := OSCE{}.Crawl(context.Background(), testEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := byKey(res.Items)["osce:134"]; !ok || len(res.Items) != 4 {
		t.Errorf("scope body should take the navigation's node too: %v", keys(res.Items))
	}
}
