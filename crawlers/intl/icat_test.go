package intl

import (
	"context"
	"slices"
	"testing"

	"watcher"
)

func icatSite(t *testing.T) *fixtureSite {
	site := newFixtureSite(t, "https://icat.un.org")
	site.set("/events", "icat/events.html")
	site.set("/events/10-2023/icat-principals-meeting", "icat/pages/principals.html")
	site.set("/events/06-2023/webinar-survivor-informed-approaches", "icat/pages/webinar.html")
	site.set("/events/05-2023/side-event-ccpcj", "icat/pages/side-event.html")
	site.set("/events/11-2023/icat-launches-survivor-advisory-board", "icat/pages/advisory-board.html")
	return site
}

func TestICATCrawl(t *testing.T) {
	site := icatSite(t)
	src := watcher.Source{ID: "icat", Organisation: "ICAT", Kind: "icat", Language: "en", FollowItems: true, URLs: []string{site.url("/events")}}
	first, second, req1, req2 := crawlTwice(t, site, ICAT{}, src, func() { site.set("/events", "icat/events-2.html") })
	items := byURL(first.Items)
	if len(items) != 3 {
		t.Fatalf("got %v", keys(first.Items))
	}
	tests := map[string]watcher.Event{
		"/events/10-2023/icat-principals-meeting":              {Start: oslo(2023, 10, 3)},
		"/events/06-2023/webinar-survivor-informed-approaches": {Start: oslo(2023, 6, 14), End: oslo(2023, 6, 15), Place: "Online (Zoom)", SignupURL: site.url("/webinar-registration")},
		"/events/05-2023/side-event-ccpcj":                     {Start: oslo(2023, 5, 22)},
	}
	for path, want := range tests {
		it := items[site.url(path)]
		if it.Kind != watcher.KindEvent || it.Event == nil || *it.Event != want || !it.Published.Equal(want.Start) ||
			it.Meta["date_precision"] != "" || it.Organisation != "ICAT" || it.Key != site.url(path) {
			t.Errorf("%s: key %s kind %q published %v meta %v event %+v, want %+v", path, it.Key, it.Kind, it.Published, it.Meta, it.Event, want)
		}
	}
	if len(req1) != 4 {
		t.Errorf("first crawl requests %v", req1)
	}
	if want := []string{"/events", "/events/11-2023/icat-launches-survivor-advisory-board"}; !slices.Equal(req2, want) {
		t.Errorf("second crawl requests %v, want %v", req2, want)
	}
	items2 := byURL(second.Items)
	if it := items2[site.url("/events/10-2023/icat-principals-meeting")]; it.Event == nil || !it.Event.Start.Equal(oslo(2023, 10, 3)) || !it.Published.Equal(oslo(2023, 10, 3)) {
		t.Errorf("a known event's day must survive the URL's month: %+v %v", it.Event, it.Published)
	}
	if it := items2[site.url("/events/11-2023/icat-launches-survivor-advisory-board")]; it.Event == nil || !it.Event.Start.Equal(oslo(2023, 11, 9)) {
		t.Errorf("new event: %+v", it.Event)
	}
}

func TestICATMonthFallback(t *testing.T) {
	site := icatSite(t)
	src := watcher.Source{ID: "icat", URLs: []string{site.url("/events")}}
	res, err := ICAT{}.Crawl(context.Background(), testEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	it := byURL(res.Items)[site.url("/events/10-2023/icat-principals-meeting")]
	if it.Event == nil || !it.Event.Start.Equal(oslo(2023, 10, 1)) || it.Meta["date_precision"] != "month" {
		t.Errorf("without the page, the URL's month stands in, marked: %+v %v", it.Event, it.Meta)
	}
	side := byURL(res.Items)[site.url("/events/05-2023/side-event-ccpcj")]
	if side.Event == nil || !side.Event.Start.Equal(oslo(2023, 5, 22)) || side.Meta["date_precision"] != "" {
		t.Errorf("a date shown in the listing beats the URL: %+v %v", side.Event, side.Meta)
	}
}
