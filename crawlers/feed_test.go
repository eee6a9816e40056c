package crawlers

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"watcher"
)

func TestParseFeedFixtures(t *testing.T) {
	loc := oslo(t)
	src := watcher.Source{ID: "src", Organisation: "Org", Region: watcher.RegionNorway, Language: "nb", DocKind: watcher.KindNews}
	type want struct {
		key, url, title, summary string
		published                time.Time
		tags                     []string
		attachments              []watcher.Attachment
	}
	tests := map[string]struct {
		file, feedURL string
		items         []want
		problems      []string
	}{
		"rss 2.0": {
			file: "rss2.xml", feedURL: "https://www.regjeringen.no/no/rss/Rss/2581966/",
			items: []want{{
				key:       "guid:3167072",
				url:       "https://www.regjeringen.no/no/dokumenter/horing-endringer-i-straffeloven-om-menneskehandel/id3167072/?utm_source=rss&utm_medium=feed",
				title:     "Høring – endringer i straffeloven om menneskehandel",
				summary:   "Justis- og beredskapsdepartementet sender på høring forslag til endringer i straffeloven § 257. Høringsfristen er 7. august 2026.",
				published: time.Date(2026, 7, 3, 9, 0, 0, 0, time.UTC),
				tags:      []string{"Høring", "Justis- og beredskapsdepartementet"},
				attachments: []watcher.Attachment{{Name: "horingsnotat.pdf",
					URL: "https://www.regjeringen.no/contentassets/4f2c/horingsnotat.pdf"}},
			}, {
				key:       "guid:3166001",
				url:       "https://www.regjeringen.no/no/dokumenter/rapport-tvangsarbeid/id3166001/",
				title:     "Tom & Jerry: ny rapport om tvangsarbeid",
				summary:   "Rapporten beskriver tvangsarbeid i Norge.",
				published: time.Date(2026, 7, 1, 7, 30, 0, 0, time.UTC),
				tags:      []string{"Rapport"},
			}, {
				// A permalink GUID is a URL key, canonicalised (/nn/ → /no/).
				key:   "https://www.regjeringen.no/no/dokumenter/handlingsplan/id3160000/",
				url:   "https://www.regjeringen.no/no/dokumenter/handlingsplan/id3160000/",
				title: "Handlingsplan mot menneskehandel",
			}},
		},
		"atom": {
			file: "atom.xml", feedURL: "https://www.frontex.europa.eu/media-centre/news/news-release/feed",
			items: []want{{
				key:       "guid:urn:uuid:8f1c2a70-1b6e-4c55-9e4b-2f2b9b8e3a11",
				url:       "https://www.frontex.europa.eu/media-centre/news/news-release/frontex-supports-joint-action-days-J6yq05",
				title:     "Frontex supports joint action days against trafficking",
				summary:   "During the operation, 32 victims of trafficking in human beings were identified.",
				published: time.Date(2025, 9, 18, 10, 35, 21, 0, time.UTC),
				tags:      []string{"Trafficking in human beings"},
				attachments: []watcher.Attachment{{Name: "THB_report_2025.pdf",
					URL: "https://www.frontex.europa.eu/assets/Publications/Risk_Analysis/THB_report_2025.pdf"}},
			}, {
				key:       "guid:tag:frontex.europa.eu,2025:Ab12Cd",
				url:       "https://www.frontex.europa.eu/media-centre/news/news-release/updated-only-Ab12Cd",
				title:     "Updated-only entry",
				summary:   "Plain text summary.",
				published: time.Date(2025, 9, 10, 10, 0, 0, 0, time.UTC),
			}},
		},
		"json feed": {
			file: "feed.json", feedURL: "https://cbss.org/feed/json/",
			items: []want{{
				key:       "https://cbss.org/?p=2231",
				url:       "https://cbss.org/2023/07/01/finland-takes-over-the-presidency-of-the-cbss/",
				title:     "Finland takes over the Presidency of the CBSS",
				summary:   "Finland takes over the Presidency of the Council of the Baltic Sea States.",
				published: time.Date(2023, 7, 1, 6, 0, 0, 0, time.UTC),
				tags:      []string{"Presidency", "TF-THB"},
				attachments: []watcher.Attachment{{Name: "priorities.pdf",
					URL: "https://cbss.org/wp-content/uploads/2023/07/priorities.pdf"}},
			}, {
				key:     "guid:cbss-2232",
				url:     "https://cbss.org/2023/06/20/expert-meeting/",
				title:   "Expert meeting on labour exploitation",
				summary: "The Task Force met in Riga.",
			}},
		},
		"norwegian dates gofeed cannot read": {
			file: "rss_nodate_no.xml", feedURL: "https://konfliktraadet.no/feed/",
			items: []want{
				{key: "guid:kr-1042", url: "https://konfliktraadet.no/nyheter/nytt-kurs/", title: "Nytt kurs for meglere",
					published: time.Date(2026, 7, 3, 8, 0, 0, 0, time.UTC)},
				{key: "guid:kr-1041", url: "https://konfliktraadet.no/nyheter/arsrapport-2025/", title: "Årsrapport 2025",
					published: time.Date(2026, 6, 30, 12, 15, 0, 0, time.UTC)},
				{key: "guid:kr-1040", url: "https://konfliktraadet.no/nyheter/uten-dato/", title: "Uten dato"},
				{key: "guid:kr-1039", url: "https://konfliktraadet.no/nyheter/odelagt/", title: "Ødelagt dato"},
			},
			problems: []string{"date not parsed: i forrige uke"},
		},
		"iso-8859-1 bytes": {
			file: "rss_latin1.xml", feedURL: "https://www.fafooestforum.no/feed",
			items: []want{{
				key:       "guid:fafo-1718",
				url:       "https://www.fafooestforum.no/arrangementer/seminar-arbeidsmarkedskriminalitet",
				title:     "Seminar: Arbeidsmarkedskriminalitet og menneskehandel - hva nå?",
				summary:   "Fafo Østforum inviterer til seminar om utnyttelse av utenlandske arbeidstakere i Norge. Påmelding innen 1. september.",
				published: time.Date(2026, 8, 20, 6, 0, 0, 0, time.UTC),
			}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			items, problems, err := ParseFeed(readFixture(t, tc.file), tc.feedURL, src, loc)
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			if !reflect.DeepEqual(problems, tc.problems) {
				t.Errorf("problems = %q, want %q", problems, tc.problems)
			}
			if len(items) != len(tc.items) {
				t.Fatalf("got %d items, want %d", len(items), len(tc.items))
			}
			for i, w := range tc.items {
				it := items[i]
				got := want{it.Key, it.URL, it.Title, it.Summary, it.Published, it.Tags, it.Attachments}
				if !reflect.DeepEqual(got, w) {
					t.Errorf("item %d:\n got %+v\nwant %+v", i, got, w)
				}
				if it.SourceID != "src" || it.Organisation != "Org" || it.Region != watcher.RegionNorway || it.Language != "nb" || it.Kind != watcher.KindNews {
					t.Errorf("item %d: source defaults not applied: %+v", i, it)
				}
			}
		})
	}
}

func TestParseFeedGarbage(t *testing.T) {
	src := watcher.Source{ID: "src"}
	tests := map[string]struct {
		body     string
		problems []string
		err      bool
	}{
		"html page":         {body: "<!doctype html><html><body><h1>Service unavailable</h1></body></html>", err: true},
		"plain text":        {body: "this is not a feed", err: true},
		"empty":             {body: "", err: true},
		"broken json":       {body: `{"version": "https://jsonfeed.org/version/1.1", "items": [`, err: true},
		"unclosed xml":      {body: `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</title><link>https://e.org/a</link></item`, err: true},
		"valid but empty":   {body: `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>https://e.org/</link></channel></rss>`, problems: []string{"feed has no items"}},
		"item without link": {body: `<rss version="2.0"><channel><item><description>no title, no link</description></item></channel></rss>`, problems: []string{"feed item without link, guid or title"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			items, problems, err := ParseFeed([]byte(tc.body), "https://e.org/feed", src, nil)
			if tc.err {
				if Classify(err) != watcher.ErrParse {
					t.Fatalf("err = %v (class %q), want class parse", err, Classify(err))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 0 || !reflect.DeepEqual(problems, tc.problems) {
				t.Errorf("items %d, problems %q; want 0, %q", len(items), problems, tc.problems)
			}
		})
	}
}

func TestUTF8Declared(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"decoded latin-1":               {`<?xml version="1.0" encoding="ISO-8859-1"?><rss>ø</rss>`, `<?xml version="1.0" encoding="UTF-8"?><rss>ø</rss>`},
		"single quotes":                 {"\ufeff <?xml version='1.0' encoding='windows-1252'?><a>æ</a>", "\ufeff <?xml version='1.0' encoding='UTF-8'?><a>æ</a>"},
		"already utf-8":                 {`<?xml version="1.0" encoding="utf-8"?><a/>`, `<?xml version="1.0" encoding="utf-8"?><a/>`},
		"no declaration":                {`<rss/>`, `<rss/>`},
		"lowering changes length":       {"<?xml İİİİ ENCODING='latin1'?><a>ø</a>", "<?xml İİİİ ENCODING='UTF-8'?><a>ø</a>"},
		"invalid bytes before encoding": {"<?xml \xff\xff\xff\xff\xff encoding='x'?>", "<?xml \xff\xff\xff\xff\xff encoding='x'?>"},
		"raw latin-1 bytes":             {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xf8</a>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xf8</a>"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := string(utf8Declared([]byte(tc.in))); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFeedCrawl(t *testing.T) {
	latin1 := readFixture(t, "rss_latin1.xml")
	s := newSite(t, map[string]page{
		"/rss":    {body: readFixture(t, "rss2.xml"), contentType: "application/rss+xml; charset=utf-8", etag: `"v1"`},
		"/atom":   {body: readFixture(t, "atom.xml"), contentType: "application/atom+xml"},
		"/latin1": {body: latin1, contentType: "application/rss+xml; charset=ISO-8859-1"},
		// The same entries again under another URL: the union holds them once.
		"/rss-copy": {body: readFixture(t, "rss2.xml"), contentType: "text/xml"},
	})
	src := watcher.Source{ID: "f", Kind: "feed", URLs: []string{s.URL + "/rss", s.URL + "/atom", s.URL + "/latin1", s.URL + "/rss-copy"}}
	kind, ok := KindFor("feed")
	if !ok {
		t.Fatal("feed kind not registered")
	}

	res, err := kind.Crawl(context.Background(), newEnv(t, nil), src)
	if err != nil {
		t.Fatal(err)
	}
	if res.NotModified || len(res.Items) != 3+2+1 || res.Requests != 4 || len(res.Validators) != 4 {
		t.Fatalf("first crawl: notModified %v, %d items, %d requests, %d validators; want false, 6, 4, 4",
			res.NotModified, len(res.Items), res.Requests, len(res.Validators))
	}
	if got := itemsByKey(res.Items)["guid:fafo-1718"].Title; got != "Seminar: Arbeidsmarkedskriminalitet og menneskehandel - hva nå?" {
		t.Errorf("latin-1 feed title through the fetcher = %q", got)
	}

	// Second run with the stored validators: the ETag gives a 304, the
	// others the same body. Nothing is parsed, nothing is new.
	res2, err := kind.Crawl(context.Background(), newEnv(t, res.Validators), src)
	if err != nil {
		t.Fatal(err)
	}
	if !res2.NotModified || len(res2.Items) != 0 || res2.Status304 != 1 || len(res2.Validators) != 4 {
		t.Errorf("second crawl: notModified %v, %d items, %d 304s, %d validators; want true, 0, 1, 4",
			res2.NotModified, len(res2.Items), res2.Status304, len(res2.Validators))
	}
	if s.count("/rss") != 2 {
		t.Errorf("/rss fetched %d times, want 2", s.count("/rss"))
	}
}

func TestFeedCrawlFailures(t *testing.T) {
	s := newSite(t, map[string]page{
		"/ok":      {body: readFixture(t, "atom.xml"), contentType: "application/atom+xml"},
		"/garbage": {body: []byte("<html><body>Maintenance</body></html>"), contentType: "text/html"},
	})
	kind, _ := KindFor("feed")
	tests := map[string]struct {
		paths    []string
		class    watcher.ErrClass
		items    int
		problems int
	}{
		"invalid feed":          {paths: []string{"/garbage"}, class: watcher.ErrParse},
		"missing feed":          {paths: []string{"/missing"}, class: watcher.ErrHTTP},
		"one of two fails":      {paths: []string{"/ok", "/missing"}, items: 2, problems: 1},
		"both fail, first wins": {paths: []string{"/garbage", "/missing"}, class: watcher.ErrParse, problems: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			src := watcher.Source{ID: "f", Kind: "feed"}
			for _, p := range tc.paths {
				src.URLs = append(src.URLs, s.URL+p)
			}
			res, err := kind.Crawl(context.Background(), newEnv(t, nil), src)
			if Classify(err) != tc.class {
				t.Fatalf("err = %v (class %q), want class %q", err, Classify(err), tc.class)
			}
			if len(res.Items) != tc.items || len(res.Problems) != tc.problems {
				t.Errorf("%d items, problems %q; want %d items, %d problems", len(res.Items), res.Problems, tc.items, tc.problems)
			}
		})
	}
}

// rssWithItems is an RSS 2.0 feed of n regjeringen-like items.
func rssWithItems(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Regjeringen</title><link>https://www.regjeringen.no/no/</link>`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<item><title>Høring nr. %d om menneskehandel</title><link>https://www.regjeringen.no/no/dokumenter/horing-%d/id%d/</link>`+
			`<description>&lt;p&gt;Departementet sender forslag nr. %d på høring. Høringsfristen er 7. august 2026.&lt;/p&gt;</description>`+
			`<guid isPermaLink="false">%d</guid><pubDate>Fri, 03 Jul 2026 11:00:00 +0200</pubDate><category>Høring</category></item>`, i, i, 3167000+i, i, 3167000+i)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func TestLatin1FixtureIsSingleByte(t *testing.T) {
	// The ISO-8859-1 fixture must really be single-byte encoded, or the
	// charset test above proves nothing.
	body := readFixture(t, "rss_latin1.xml")
	if !strings.Contains(string(body), "\xe5") {
		t.Fatal("rss_latin1.xml holds no ISO-8859-1 'å'")
	}
	dec, err := charmap.ISO8859_1.NewDecoder().Bytes(body)
	if err != nil || !strings.Contains(string(dec), "hva nå?") {
		t.Fatalf("fixture does not decode as ISO-8859-1: %v", err)
	}
}

func BenchmarkFeedParse(b *testing.B) {
	body := rssWithItems(100)
	src := watcher.Source{ID: "regjeringen-rss", DocKind: watcher.KindNews}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		items, _, err := ParseFeed(body, "https://www.regjeringen.no/no/rss/Rss/2581966/", src, nil)
		if err != nil || len(items) != 100 {
			b.Fatalf("%d items, %v", len(items), err)
		}
	}
}

// TestFeedUnchangedAndFailing: of a source's two feeds, one answers "not
// modified" and the other fails. The source failed (with the failing
// feed's class): it did not "suddenly yield nothing", which health would
// read as a broken layout.
func TestFeedUnchangedAndFailing(t *testing.T) {
	s := newSite(t, map[string]page{
		"/a": {body: readFixture(t, "rss2.xml"), contentType: "application/rss+xml", etag: `"a1"`},
		"/b": {body: readFixture(t, "atom.xml"), contentType: "application/atom+xml"},
	})
	src := watcher.Source{ID: "f", Kind: "feed", URLs: []string{s.URL + "/a", s.URL + "/b"}}
	kind, _ := KindFor("feed")
	first, err := kind.Crawl(context.Background(), newEnv(t, nil), src)
	if err != nil || len(first.Items) == 0 {
		t.Fatalf("first crawl: %d items, %v", len(first.Items), err)
	}
	s.set("/b", page{body: []byte("down"), contentType: "text/plain", status: http.StatusInternalServerError})
	res, err := kind.Crawl(context.Background(), newEnv(t, first.Validators), src)
	if Classify(err) != watcher.ErrHTTP {
		t.Fatalf("err = %v (class %q), want the failing feed's http error", err, Classify(err))
	}
	if res.NotModified || len(res.Items) != 0 || res.Status304 != 1 {
		t.Errorf("result: notModified %v, %d items, %d 304s; want false, 0, 1", res.NotModified, len(res.Items), res.Status304)
	}

	// With the other feed changed as well, the source succeeded in part:
	// the failure is a problem, not the source's error.
	s.set("/a", page{body: readFixture(t, "atom.xml"), contentType: "application/atom+xml", etag: `"a2"`})
	res, err = kind.Crawl(context.Background(), newEnv(t, first.Validators), src)
	if err != nil || len(res.Items) == 0 || len(res.Problems) != 1 {
		t.Errorf("partial: err %v, %d items, problems %q; want nil, items, one problem", err, len(res.Items), res.Problems)
	}
}

// TestFeedFailingKeepsNoValidator: of a source's two feeds, one serves a
// body that is no feed, with an ETag. The source succeeds in part, so its
// validators are stored; the failing feed's must not be among them, or
// the next run gets a 304 for it and takes the source for unchanged.
func TestFeedFailingKeepsNoValidator(t *testing.T) {
	s := newSite(t, map[string]page{
		"/ok":      {body: readFixture(t, "atom.xml"), contentType: "application/atom+xml", etag: `"ok1"`},
		"/garbage": {body: []byte("<html><body>Maintenance</body></html>"), contentType: "text/html", etag: `"g1"`},
	})
	src := watcher.Source{ID: "f", Kind: "feed", URLs: []string{s.URL + "/ok", s.URL + "/garbage"}}
	kind, _ := KindFor("feed")
	first, err := kind.Crawl(context.Background(), newEnv(t, nil), src)
	if err != nil || len(first.Problems) != 1 {
		t.Fatalf("first crawl: err %v, problems %q; want nil, one problem", err, first.Problems)
	}
	if len(first.Validators) != 1 || first.Validators[0].URL != s.URL+"/ok" {
		t.Errorf("first crawl kept validators %+v; want only the parsed feed's", first.Validators)
	}

	// Next run the good feed answers 304 and the failing one, read again,
	// is the only one with something to bring: the source fails with its
	// error instead of passing for "not modified".
	second, err := kind.Crawl(context.Background(), newEnv(t, first.Validators), src)
	if Classify(err) != watcher.ErrParse || !strings.Contains(err.Error(), "/garbage") {
		t.Errorf("second crawl: err %v (class %q); want the failing feed's parse error", err, Classify(err))
	}
	if second.Status304 != 1 || second.NotModified {
		t.Errorf("second crawl: %d 304s, notModified %v; want 1 (the good feed), false", second.Status304, second.NotModified)
	}
	if n := s.count("/garbage"); n != 2 {
		t.Errorf("/garbage fetched %d times, want 2", n)
	}
}
