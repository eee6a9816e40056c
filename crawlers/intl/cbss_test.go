package intl

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/crawlers"
)

func TestWordPressID(t *testing.T) {
	tests := map[string]struct {
		guid string
		want string
	}{
		"post":       {"https://cbss.org/?p=24817", "24817"},
		"page id":    {"https://cbss.org/?page_id=12", ""},
		"permalink":  {"https://cbss.org/2023/07/01/finland/", ""},
		"not number": {"https://cbss.org/?p=abc", ""},
		"empty":      {"", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := wordpressID(tc.guid)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("wordpressID(%q) = %q, %v; want %q", tc.guid, got, ok, tc.want)
			}
		})
	}
}

func TestWordPressSummary(t *testing.T) {
	tests := map[string]string{
		"The Task Force met in Helsinki […] The post Task Force meets appeared first on CBSS.":  "The Task Force met in Helsinki",
		"Finland took over the Presidency. The post Finland takes over appeared first on CBSS.": "Finland took over the Presidency.",
		"Nothing to strip here.": "Nothing to strip here.",
		"Ends with a mark [...]": "Ends with a mark",
	}
	for in, want := range tests {
		if got := wordpressSummary(in); got != want {
			t.Errorf("wordpressSummary(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWordPressPosts(t *testing.T) {
	posts, err := WordPressPosts(readFixture(t, "cbss/posts.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 4 || posts[0].ID != 24817 || posts[0].DateGMT != "2023-07-03T09:12:44" ||
		posts[0].Link != "https://cbss.org/2023/07/03/task-force-against-trafficking-in-human-beings-meets-in-helsinki/" ||
		posts[1].Title.Rendered != "Finland takes over the Presidency of the CBSS &#8211; priorities for 2023&#8211;2024" {
		t.Errorf("posts: %+v", posts)
	}
	for _, bad := range []string{`{"code":"rest_no_route"}`, `<html>`, ``} {
		if _, err := WordPressPosts([]byte(bad)); err == nil {
			t.Errorf("WordPressPosts(%q): want an error", bad)
		}
	}
}

// cbssSite serves the feed, the REST API and every post page.
func cbssSite(t *testing.T) *fixtureSite {
	site := newFixtureSite(t, "https://cbss.org")
	site.set("/feed/", "cbss/feed.xml")
	site.set("/wp-json/wp/v2/posts", "cbss/posts.json")
	site.set("/2023/07/03/task-force-against-trafficking-in-human-beings-meets-in-helsinki/", "cbss/pages/task-force.html")
	site.set("/publications/baltic-sea-region-thb-report-2023/", "cbss/pages/publication.html")
	for _, p := range []string{
		"/2023/07/01/finland-takes-over-the-presidency-of-the-cbss/",
		"/2023/06/20/guidelines-on-the-identification-of-child-victims-of-trafficking/",
		"/2023/07/10/ministers-adopt-declaration-on-trafficking-for-labour-exploitation/",
	} {
		site.set(p, "cbss/pages/generic.html")
	}
	return site
}

func cbssSource(site *fixtureSite) watcher.Source {
	return watcher.Source{
		ID: "cbss", Organisation: "Østersjørådet (CBSS)", Kind: "cbss", Language: "en", FollowItems: true,
		URLs: []string{site.url("/feed/")},
	}
}

func TestCBSSFeed(t *testing.T) {
	site := cbssSite(t)
	first, second, _, req2 := crawlTwice(t, site, CBSS{}, cbssSource(site), func() {
		site.set("/feed/", "cbss/feed-2.xml")
	})
	items := byKey(first.Items)
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3: %v", len(items), keys(first.Items))
	}
	tf := items["cbss:24817"]
	if tf.Title != "Task Force against Trafficking in Human Beings meets in Helsinki" ||
		tf.URL != site.url("/2023/07/03/task-force-against-trafficking-in-human-beings-meets-in-helsinki/") ||
		!tf.Published.Equal(time.Date(2023, 7, 3, 9, 12, 44, 0, time.UTC)) ||
		!slices.Equal(tf.Tags, []string{"News", "Trafficking in Human Beings"}) ||
		tf.Summary != "The Task Force against Trafficking in Human Beings (TF-THB) gathered national experts to discuss labour exploitation in the Baltic Sea Region" ||
		tf.Organisation != "Østersjørådet (CBSS)" || tf.Kind != watcher.KindNews {
		t.Errorf("task force item: %+v", tf)
	}
	if !strings.Contains(tf.Text, "adopted a work plan") {
		t.Errorf("text from the article body missing: %q", tf.Text)
	}
	if g := items["cbss:24702"]; !g.Published.Equal(oslo(2023, 6, 20)) {
		t.Errorf("undated post: published %v, want the day in its URL", g.Published)
	}
	if !slices.ContainsFunc(first.Problems, func(p string) bool { return strings.Contains(p, "sometime in June") }) {
		t.Errorf("the unreadable feed date should be a problem: %v", first.Problems)
	}
	pages := slices.DeleteFunc(slices.Clone(req2), func(p string) bool { return p == "/feed/" })
	if !slices.Equal(pages, []string{"/2023/07/10/ministers-adopt-declaration-on-trafficking-for-labour-exploitation/"}) {
		t.Errorf("second crawl fetched %v, want only the new post's page", pages)
	}
	if len(second.Items) != 4 {
		t.Errorf("second crawl: %v", keys(second.Items))
	}
}

func TestCBSSFallsBackToRESTAPI(t *testing.T) {
	tests := map[string]route{
		"server error":        {status: http.StatusInternalServerError},
		"challenge page":      {file: "cbss/challenge.html", status: http.StatusForbidden},
		"challenge with 200":  {file: "cbss/challenge.html"},
		"invalid xml":         {file: "cbss/posts.json", ctype: "application/rss+xml"},
		"html page as a feed": {file: "cbss/pages/generic.html"},
	}
	for name, feed := range tests {
		t.Run(name, func(t *testing.T) {
			site := cbssSite(t)
			site.setRoute("/feed/", feed)
			src := cbssSource(site)
			src.FollowItems = false
			src.Options = map[string]string{"per_page": "4"}
			res, err := CBSS{}.Crawl(context.Background(), testEnv(t, nil), src)
			if err != nil {
				t.Fatal(err)
			}
			reqs := site.requests()
			if !slices.Contains(reqs, "/wp-json/wp/v2/posts?per_page=4") {
				t.Errorf("requests %v: want the REST API with per_page=4", reqs)
			}
			items := byKey(res.Items)
			if len(items) != 4 {
				t.Fatalf("got %d items, want 4: %v", len(items), keys(res.Items))
			}
			if it := items["cbss:24817"]; !it.Published.Equal(time.Date(2023, 7, 3, 9, 12, 44, 0, time.UTC)) ||
				it.Summary != "The Task Force against Trafficking in Human Beings (TF-THB) gathered national experts to discuss labour exploitation in the Baltic Sea Region" {
				t.Errorf("24817 from the API: %+v", it)
			}
			if it := items["cbss:24790"]; it.Title != "Finland takes over the Presidency of the CBSS – priorities for 2023–2024" ||
				!it.Published.Equal(oslo(2023, 7, 1, 8, 0)) {
				t.Errorf("24790 (local date only): %q %v", it.Title, it.Published)
			}
			if it := items["cbss:24702"]; !it.Published.Equal(oslo(2023, 6, 20)) {
				t.Errorf("24702 (no date): published %v, want the URL's day", it.Published)
			}
			if it := items["cbss:24650"]; it.Kind != watcher.KindPublication {
				t.Errorf("publication kind %q", it.Kind)
			}
			if len(res.Problems) == 0 || !strings.Contains(res.Problems[len(res.Problems)-1], "read ") {
				t.Errorf("the feed failure should be reported: %v", res.Problems)
			}
		})
	}
}

func TestCBSSBothFail(t *testing.T) {
	site := newFixtureSite(t)
	site.setRoute("/feed/", route{status: http.StatusInternalServerError})
	site.setRoute("/wp-json/wp/v2/posts", route{file: "cbss/challenge.html", status: http.StatusForbidden})
	_, err := CBSS{}.Crawl(context.Background(), testEnv(t, nil), watcher.Source{ID: "cbss", URLs: []string{site.url("/feed/")}})
	if err == nil {
		t.Fatal("want an error when feed and API both fail")
	}
	if !strings.Contains(err.Error(), "wp-json") || crawlers.Classify(err) != watcher.ErrHTTP {
		t.Errorf("err %v (class %s): want both failures, classed by the feed's", err, crawlers.Classify(err))
	}
}

func TestCBSSPublicationDateFromPage(t *testing.T) {
	site := cbssSite(t)
	c, err := newCrawl(context.Background(), testEnv(t, nil), cbssSource(site))
	if err != nil {
		t.Fatal(err)
	}
	link := site.url("/publications/baltic-sea-region-thb-report-2023/")
	e := &entry{it: watcher.Item{URL: link, Title: "Human trafficking in the Baltic Sea Region: situation report 2023"}, detail: link}
	if err := enrichCBSS(c, e); err != nil {
		t.Fatal(err)
	}
	if !e.it.Published.Equal(oslo(2023, 6, 12)) {
		t.Errorf("published %v, want the page's \"Published June 12, 2023\"", e.it.Published)
	}
	if !strings.Contains(e.it.Text, "eleven member states") || e.it.Summary == "" {
		t.Errorf("text %q summary %q", e.it.Text, e.it.Summary)
	}
}
