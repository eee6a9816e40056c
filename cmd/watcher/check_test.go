package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
)

// Where the fixtures live, relative to this package.
const (
	realRegjeringen = "../../testdata/regjeringen/"     // byte-exact captures
	norwayFixtures  = "../../crawlers/norway/testdata/" // the Norwegian adapters' fixtures
	intlFixtures    = "../../crawlers/intl/testdata/"   // the international adapters' fixtures
	sourceFixtures  = "testdata/sources/"               // written for this test, see its README.md
)

// sourceFixture is the fixture web one configured source is checked
// against: every URL its adapter requests, at the address the embedded
// configuration gives, answered by a file.
type sourceFixture struct {
	// routes maps a URL (with its query) to the file that answers it.
	routes map[string]string
	// mirrors are directories holding <host>/<path> copies of pages
	// (index.html for a path ending in "/"), for URLs without a query that
	// routes does not name. testdata/sources/<id> is always one.
	mirrors []string
	// undated are the keys of items whose fixtures state no date.
	undated []string
	// consultations: every item must come with a deadline and a status.
	consultations bool
}

// checkFixtures holds one entry for every enabled source of the embedded
// configuration: a source added there without one fails
// TestCheckDefaultSources.
var checkFixtures = map[string]sourceFixture{
	"regjeringen-horinger-liste": {consultations: true, routes: regjeringen(map[string]string{
		"https://www.regjeringen.no/no/dokument/hoyringar/id1763/":        realRegjeringen + "hoyringar_id1763_page-001.html",
		"https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page=2": norwayFixtures + "listing_page2.html",
		realHearingURL: realRegjeringen + "hearing_id3167072.html",
	})},
	"regjeringen-horinger": {
		consultations: true,
		routes: regjeringen(map[string]string{
			"https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/h%C3%B8ringer": norwayFixtures + "feeds/horinger.xml",
			realHearingURL: realRegjeringen + "hearing_id3167072.html",
			// The same page under /nn/.
			"https://www.regjeringen.no/nn/dokumenter/hoyring-tiltak-mot-arbeidslivskriminalitet/id3165877/": hearingPages + "hoyring-tiltak-mot-arbeidslivskriminalitet/id3165877/index.html",
		}),
	},
	"regjeringen-rapporter": {routes: regjeringen(map[string]string{
		"https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/rapporter": sourceFixtures + "regjeringen-rapporter/rss.xml",
	})},
	"regjeringen-planer": {routes: regjeringen(map[string]string{
		"https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/planer": sourceFixtures + "regjeringen-planer/rss.xml",
	})},
	"regjeringen-proposisjoner": {routes: regjeringen(map[string]string{
		"https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/proposisjoner": sourceFixtures + "regjeringen-proposisjoner/rss.xml",
	})},
	"regjeringen-nouer": {routes: regjeringen(map[string]string{
		"https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/nouer": sourceFixtures + "regjeringen-nouer/rss.xml",
	})},
	"regjeringen-meldinger": {routes: regjeringen(map[string]string{
		"https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/meldinger": sourceFixtures + "regjeringen-meldinger/rss.xml",
	})},
	"regjeringen-kalender": {routes: regjeringen(map[string]string{
		"https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=aktuelt/kalender": norwayFixtures + "feeds/kalender.xml",
		"https://www.regjeringen.no/no/aktuelt/webinar-om-identifisering/id3170100/":   norwayFixtures + "event_labels.html",
	})},
	"regjeringen-jd": {
		routes: regjeringen(map[string]string{
			"https://www.regjeringen.no/no/rss/Rss/2581966/?owner=463":                                            norwayFixtures + "feeds/jd.xml",
			"https://www.regjeringen.no/no/dokumenter/hoyring-tiltak-mot-arbeidslivskriminalitet/id3165877/?ch=2": hearingPages + "hoyring-tiltak-mot-arbeidslivskriminalitet/id3165877/index.html",
		}),
	},
	"regjeringen-bfd": {
		routes: regjeringen(map[string]string{
			"https://www.regjeringen.no/no/rss/Rss/2581966/?owner=298": sourceFixtures + "regjeringen-bfd/rss.xml",
		}),
		mirrors: []string{sourceFixtures + "regjeringen-horinger-liste"},
	},
	"stortinget-horinger": {consultations: true, routes: map[string]string{
		"https://data.stortinget.no/eksport/sesjoner?format=json":                    norwayFixtures + "stortinget/sesjoner.json",
		"https://data.stortinget.no/eksport/horinger?sesjonid=2025-2026&format=json": sourceFixtures + "stortinget-horinger/horinger.json",
	}},
	"lovdata-lovtidend": {routes: map[string]string{
		"https://lovdata.no/feed?data=LTI&type=RSS": sourceFixtures + "lovdata-lovtidend/rss.xml",
	}},
	"lovdata-avgjorelser": {routes: map[string]string{
		"https://lovdata.no/feed?data=newJudgements&type=RSS": sourceFixtures + "lovdata-avgjorelser/rss.xml",
	}},
	"politiet-kom": {undated: []string{
		// Links whose text states no date.
		"https://www.politiet.no/globalassets/dokumenter/menneskehandel/kom-arsrapport-2025.pdf",
		"https://www.politiet.no/rad/menneskehandel/koordineringsenheten-mot-menneskehandel/domsoversikt-2024/",
		"https://www.politiet.no/rad/menneskehandel/koordineringsenheten-mot-menneskehandel/nyhetsbrev/",
	}},
	"europol-nyheter": {routes: merge(map[string]string{
		"https://www.europol.europa.eu/cms/api/rss/news":     intlFixtures + "europol/rss.xml",
		"https://www.europol.europa.eu/media-press/newsroom": intlFixtures + "europol/newsroom.html",
	}, europolNodes(
		"34-arrests-in-action-day-against-trafficking-in-human-beings-for-labour-exploitation",
		"human-trafficking-ring-dismantled-in-spain-and-romania",
		"victims-of-sexual-exploitation-identified-in-joint-action-days",
		"criminal-networks-recruit-victims-online-europol-warns",
	))},
	"frontex-nyheter": {routes: merge(map[string]string{
		"https://www.frontex.europa.eu/media-centre/news/news-release/feed": intlFixtures + "frontex/feed.xml",
		"https://www.frontex.europa.eu/publications/":                       sourceFixtures + "frontex-nyheter/publications.html",
	}, pages("https://www.frontex.europa.eu/media-centre/news/news-release/", "", intlFixtures+"frontex/pages/",
		"frontex-hosts-conference-on-trafficking-in-human-beings-at-eu-borders-Hq7Lm2",
		"frontex-supports-member-states-in-identifying-victims-of-trafficking-at-the-borders-J6yq05",
		"frontex-publishes-annual-risk-analysis-report",
	), pages("https://www.frontex.europa.eu/media-centre/news/news-release/", "/", intlFixtures+"frontex/pages/",
		"joint-action-days-mobility-123-suspected-traffickers-arrested-Kp2x9Q",
	), pages("https://www.frontex.europa.eu/publications/", "", intlFixtures+"frontex/pages/",
		"risk-analysis-for-2025-2026-vp0TZ7", "handbook-on-risk-profiles-of-trafficking-in-human-beings-Ab12Cd",
	))},
	"cbss-nyheter": {routes: map[string]string{
		"https://cbss.org/feed/": sourceFixtures + "cbss-nyheter/feed.xml",
		"https://cbss.org/2023/07/03/task-force-against-trafficking-in-human-beings-meets-in-helsinki/": intlFixtures + "cbss/pages/task-force.html",
		"https://cbss.org/2023/07/01/finland-takes-over-the-presidency-of-the-cbss/":                    intlFixtures + "cbss/pages/generic.html",
		"https://cbss.org/2023/06/20/guidelines-on-the-identification-of-child-victims-of-trafficking/": intlFixtures + "cbss/pages/generic.html",
	}},
	"unodc-pressemeldinger": {routes: map[string]string{
		"https://www.unodc.org/unodc/en/press/releases.html":                                                              intlFixtures + "unodc/releases.html",
		"https://www.unodc.org/unodc/en/press/releases/2023/July/unodc-global-report-on-trafficking-in-persons-2023.html": intlFixtures + "unodc/pages/global-report.html",
		"https://www.unodc.org/unodc/en/press/releases/2023/July/world-day-against-trafficking-in-persons-2023.html":      intlFixtures + "unodc/pages/world-day.html",
		"https://www.unodc.org/unodc/en/press/releases/2023/June/blue-heart-campaign-supports-survivors.html":             intlFixtures + "unodc/pages/blue-heart.html",
	}},
	"greta-nyheter": {routes: map[string]string{
		"https://www.coe.int/en/web/anti-human-trafficking/news":                   intlFixtures + "coe/greta.html",
		"https://www.coe.int/en/web/anti-human-trafficking/news?delta=20&start=20": intlFixtures + "coe/greta-page2.html",
		"https://www.coe.int/en/web/anti-human-trafficking/news?delta=20&start=40": sourceFixtures + "greta-nyheter/greta-page3.html",
	}},
	"eu-home-affairs": {routes: map[string]string{
		"https://home-affairs.ec.europa.eu/node/2/rss_en":                                                                          intlFixtures + "euhome/rss.xml",
		"https://home-affairs.ec.europa.eu/news/eu-anti-trafficking-day-conference-2024-10-01_en":                                  intlFixtures + "euhome/pages/conference.html",
		"https://home-affairs.ec.europa.eu/news/commission-publishes-fifth-progress-report-trafficking-human-beings-2025-01-20_en": intlFixtures + "euhome/pages/report.html",
	}},
	"odihr-nyheter": {routes: map[string]string{
		"https://www.osce.org/odihr/news":     intlFixtures + "osce/news.html",
		"https://www.osce.org/odihr/547635":   intlFixtures + "osce/pages/plain.html",
		"https://odihr.osce.org/odihr/545012": intlFixtures + "osce/pages/plain.html",
		"https://www.osce.org/odihr/544000":   intlFixtures + "osce/pages/seminar.html",
	}},
	"icat-arrangementer": {routes: map[string]string{
		"https://icat.un.org/events":                                              intlFixtures + "icat/events.html",
		"https://icat.un.org/events/10-2023/icat-principals-meeting":              intlFixtures + "icat/pages/principals.html",
		"https://icat.un.org/events/06-2023/webinar-survivor-informed-approaches": intlFixtures + "icat/pages/webinar.html",
		"https://icat.un.org/events/05-2023/side-event-ccpcj":                     intlFixtures + "icat/pages/side-event.html",
	}},
}

// realHearingURL is the hearing captured byte for byte.
const realHearingURL = "https://www.regjeringen.no/no/dokumenter/kort-horing-avskogingsforordningen-og-forbud-mot-eksport-til-tredjeland/id3167072/"

// hearingPages holds the synthetic hearing pages of the listing's hearings.
const hearingPages = sourceFixtures + "regjeringen-horinger-liste/www.regjeringen.no/no/dokumenter/"

// europolNodes routes the node API's answers for newsroom items.
func europolNodes(slugs ...string) map[string]string {
	m := map[string]string{}
	for _, slug := range slugs {
		m["https://www.europol.europa.eu/cms/api/node?url="+url.QueryEscape("/media-press/newsroom/news/"+slug)] =
			intlFixtures + "europol/node/" + slug + ".json"
	}
	return m
}

// pages routes prefix+name+suffix to dir+name+".html" for each name.
func pages(prefix, suffix, dir string, names ...string) map[string]string {
	m := map[string]string{}
	for _, n := range names {
		m[prefix+n+suffix] = dir + n + ".html"
	}
	return m
}

// merge returns the union of route tables.
func merge(tables ...map[string]string) map[string]string {
	m := map[string]string{}
	for _, t := range tables {
		maps.Copy(m, t)
	}
	return m
}

// regjeringen adds the site's real robots.txt to routes.
func regjeringen(routes map[string]string) map[string]string {
	routes["https://www.regjeringen.no/robots.txt"] = realRegjeringen + "robots.txt"
	return routes
}

// fixtureWeb is a base transport that answers a source's requests from
// its fixture files, and notes every URL it had no file for. robots.txt
// without a file is answered 404 (no rules), as the robots.txt of most
// hosts here is not known.
type fixtureWeb struct {
	fx sourceFixture

	mu      sync.Mutex
	missing []string
	used    map[string]bool // routes requested
}

func (w *fixtureWeb) RoundTrip(req *http.Request) (*http.Response, error) {
	file := w.file(req.URL.String(), req.URL.Host, req.URL.Path, req.URL.RawQuery)
	if file == "" {
		if req.URL.Path != "/robots.txt" {
			w.mu.Lock()
			w.missing = append(w.missing, req.URL.String())
			w.mu.Unlock()
		}
		return fixtureResponse(req, http.StatusNotFound, "text/plain", []byte("no fixture")), nil
	}
	body, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	// The Norwegian adapters' feeds name their site BASE.
	body = bytes.ReplaceAll(body, []byte("BASE/"), []byte(req.URL.Scheme+"://"+req.URL.Host+"/"))
	return fixtureResponse(req, http.StatusOK, fixtureType(file), body), nil
}

// file returns the fixture file of a URL, or "".
func (w *fixtureWeb) file(rawURL, host, urlPath, query string) string {
	if f, ok := w.fx.routes[rawURL]; ok {
		w.mu.Lock()
		w.used[rawURL] = true
		w.mu.Unlock()
		return f
	}
	if query != "" {
		return ""
	}
	for _, dir := range w.fx.mirrors {
		p := filepath.Join(dir, host, filepath.FromSlash(path.Clean("/"+urlPath)))
		if strings.HasSuffix(urlPath, "/") {
			p = filepath.Join(p, "index.html")
		}
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

func fixtureType(file string) string {
	switch filepath.Ext(file) {
	case ".xml":
		return "application/rss+xml; charset=utf-8"
	case ".json":
		return "application/json; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "text/html; charset=utf-8"
}

func fixtureResponse(req *http.Request, status int, ctype string, body []byte) *http.Response {
	return &http.Response{StatusCode: status, Status: strconv.Itoa(status) + " " + http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {ctype}}, ContentLength: int64(len(body)),
		Body: io.NopCloser(bytes.NewReader(body)), Request: req}
}

// checkNow is the day the fixture web is crawled and checked.
var checkNow = time.Date(2026, 7, 5, 6, 0, 0, 0, time.UTC)

// sourceWARC crawls src once against its fixture web through a Fetcher
// that archives every response, as `watcher run --archive` would, and
// returns the WARC file. It fails the test for every URL the adapter
// requested that the fixtures do not answer, and for every route it did
// not request (the adapter stopped reading something it used to).
func sourceWARC(t *testing.T, cfg *config.Config, src watcher.Source, fx sourceFixture) string {
	t.Helper()
	fx.mirrors = append([]string{sourceFixtures + src.ID}, fx.mirrors...)
	web := &fixtureWeb{fx: fx, used: map[string]bool{}}
	dir := t.TempDir()
	f, err := fetch.New(fetch.Options{UserAgent: cfg.UserAgentString(), ArchiveDir: dir, Transport: web,
		MaxRetries: -1, Now: func() time.Time { return checkNow }})
	if err != nil {
		t.Fatal(err)
	}
	kind, ok := crawlers.KindFor(src.Kind)
	if !ok {
		t.Fatalf("kind %q is not registered", src.Kind)
	}
	env := &crawlers.Env{Fetch: f, Known: func(string) (watcher.Item, bool) { return watcher.Item{}, false },
		Now: func() time.Time { return checkNow }, Loc: cfg.SourceLocation(src)}
	if _, err := kind.Crawl(context.Background(), env, src); err != nil {
		t.Errorf("crawl while archiving: %v", err)
	}
	warc := f.ArchivePath()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for _, u := range web.missing {
		t.Errorf("the adapter requested %s, which no fixture answers", u)
	}
	for u := range fx.routes {
		if !web.used[u] {
			t.Errorf("the adapter never requested %s", u)
		}
	}
	return warc
}

// TestCheckDefaultSources runs `watcher check ID --replay --json` for
// every enabled source of the embedded configuration against its
// fixtures at the configured URLs: each must yield items with key, title,
// URL and (where the fixture has one) a date, with no problem (every
// selector, JSON path and date matched), no error, and robots.txt
// allowing every URL.
func TestCheckDefaultSources(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	var enabled []string
	for _, s := range cfg.Sources {
		if !s.Disabled {
			enabled = append(enabled, s.ID)
		}
	}
	var covered []string
	for id := range checkFixtures {
		covered = append(covered, id)
	}
	sort.Strings(enabled)
	sort.Strings(covered)
	for _, id := range enabled {
		if _, ok := checkFixtures[id]; !ok {
			t.Errorf("enabled source %s has no fixture in checkFixtures", id)
		}
	}
	for _, id := range covered {
		if !slices.Contains(enabled, id) {
			t.Errorf("checkFixtures names %s, which is not an enabled source of the default configuration", id)
		}
	}
	for _, src := range cfg.Sources {
		fx, ok := checkFixtures[src.ID]
		if !ok {
			continue
		}
		t.Run(src.ID, func(t *testing.T) {
			warc := sourceWARC(t, cfg, src, fx)
			out, err := runCLI(t, checkNow, "check", src.ID, "--replay", warc, "--json")
			if err != nil {
				t.Fatalf("check: %v\n%s", err, out)
			}
			var rep checkReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("check --json: %v\n%s", err, out)
			}
			assertCheckReport(t, src, fx, rep)
		})
	}
}

func assertCheckReport(t *testing.T, src watcher.Source, fx sourceFixture, rep checkReport) {
	t.Helper()
	if rep.Source.ID != src.ID || rep.Error != "" || rep.ErrClass != "" {
		t.Errorf("source %q, error %q (%s)", rep.Source.ID, rep.Error, rep.ErrClass)
	}
	for _, p := range rep.Problems {
		t.Errorf("problem: %s", p)
	}
	if len(rep.Robots) != len(src.URLs) {
		t.Errorf("%d robots decisions for %d URLs", len(rep.Robots), len(src.URLs))
	}
	for _, d := range rep.Robots {
		if !d.Allowed || d.Error != "" {
			t.Errorf("robots.txt: %s allowed=%v %s", d.URL, d.Allowed, d.Error)
		}
	}
	if len(rep.Responses) == 0 {
		t.Error("no responses recorded")
	}
	for _, r := range rep.Responses {
		if r.Error != "" || r.Status != http.StatusOK && !strings.HasSuffix(r.URL, "/robots.txt") {
			t.Errorf("response %d %s %s", r.Status, r.URL, r.Error)
		}
	}
	if rep.Count == 0 || rep.Count != len(rep.Items) {
		t.Fatalf("count %d, %d items", rep.Count, len(rep.Items))
	}
	keys := map[string]bool{}
	for _, it := range rep.Items {
		if it.Key == "" || it.Title == "" || !strings.HasPrefix(it.URL, "https://") || it.SourceID != src.ID {
			t.Errorf("item key %q title %q url %q source %q", it.Key, it.Title, it.URL, it.SourceID)
		}
		if keys[it.Key] {
			t.Errorf("key %s twice", it.Key)
		}
		keys[it.Key] = true
		if undated := slices.Contains(fx.undated, it.Key); undated != it.Published.IsZero() {
			t.Errorf("item %s: published %v, listed as undated: %v", it.Key, it.Published, undated)
		}
		if fx.consultations && (it.Deadline.IsZero() || it.Status == watcher.StatusNone || it.StatusRaw == "") {
			t.Errorf("consultation %s: deadline %v, status %q (%q)", it.Key, it.Deadline, it.Status, it.StatusRaw)
		}
	}
	t.Logf("%s: %d items", src.ID, rep.Count)
}

// checkWARC builds the WARC of one source of the default configuration.
func checkWARC(t *testing.T, id string) string {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range cfg.Sources {
		if src.ID == id {
			return sourceWARC(t, cfg, src, checkFixtures[id])
		}
	}
	t.Fatalf("no source %s in the default configuration", id)
	return ""
}

// TestCheckHumanOutput reads `watcher check` as a person would: the
// source, robots.txt's decision, each response with its status, the item
// count, every field of the first items with dates in Europe/Oslo, and
// the verdict on selectors and dates.
func TestCheckHumanOutput(t *testing.T) {
	warc := checkWARC(t, "regjeringen-horinger-liste")
	out, err := runCLI(t, checkNow, "check", "--show", "2", "regjeringen-horinger-liste", "--replay", warc)
	if err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
	for _, want := range []string{
		"source regjeringen-horinger-liste: Regjeringen – høringer (liste) (kind regjeringen-hearings)\n",
		"robots.txt:\n  allowed    https://www.regjeringen.no/no/dokument/hoyringar/id1763/\n",
		"responses (28):\n  200 GET https://www.regjeringen.no/robots.txt\n  200 GET https://www.regjeringen.no/no/dokument/hoyringar/id1763/\n",
		"  200 GET https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page=2\n",
		"items: 25 (every field of the first 2; times in Europe/Oslo)\n",
		"\nitem 2\n  key           regjeringen:3167072\n",
		"  url           " + realHearingURL + "\n",
		"  kind          hearing — site type: Høring\n",
		"  ministries    Klima- og miljødepartementet\n",
		"  published     2026-07-03\n",
		"  updated       2026-07-03 16:00\n",
		"  deadline      2026-08-07\n",
		"  status        open — site text: På høring\n",
		"  reference     26/2371\n",
		"  attachments   Høringsnotat - Avskogingsforordningen – eksport til tredjeland - 03.07.2026.pdf <https://www.regjeringen.no/contentassets/",
		"  meta          DC.Creator = Klima- og miljødepartementet\n                DC.Date = 2026-07-03\n",
		"\n… and 23 more (--show N prints more)\n",
		"\nno problems: every selector and date matched\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "item 3\n") || strings.Contains(out, "error") {
		t.Errorf("more than --show items, or an error:\n%s", out)
	}
}

// TestCheckReplayMissing checks a source against a WARC that lacks its
// URLs: robots.txt missing from the archive means no rules, the feed
// missing from it is an error of class not_archived, and both responses
// are listed.
func TestCheckReplayMissing(t *testing.T) {
	warc := checkWARC(t, "lovdata-lovtidend")
	feed := "https://www.regjeringen.no/no/rss/Rss/2581966/?documentType=dokumenter/rapporter"
	out, err := runCLI(t, checkNow, "check", "--json", "--replay", warc, "regjeringen-rapporter")
	if err == nil {
		t.Fatalf("check of a source the WARC lacks succeeded:\n%s", out)
	}
	var rep checkReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("check --json: %v\n%s", err, out)
	}
	if rep.ErrClass != watcher.ErrNotArchived || !strings.Contains(rep.Error, "not in the WARC archive") || rep.Count != 0 {
		t.Errorf("error %q (%s), %d items", rep.Error, rep.ErrClass, rep.Count)
	}
	if len(rep.Robots) != 1 || !rep.Robots[0].Allowed {
		t.Errorf("robots: %+v", rep.Robots)
	}
	want := []seenResponse{
		{Method: "GET", URL: "https://www.regjeringen.no/robots.txt", Status: http.StatusNotFound},
		{Method: "GET", URL: feed},
	}
	if len(rep.Responses) != len(want) {
		t.Fatalf("responses %+v, want %+v", rep.Responses, want)
	}
	for i, r := range rep.Responses {
		if r.Method != want[i].Method || r.URL != want[i].URL || r.Status != want[i].Status {
			t.Errorf("response %d: %+v, want %+v", i, r, want[i])
		}
	}
	if !strings.Contains(rep.Responses[1].Error, "not in the WARC archive") {
		t.Errorf("the missing feed's response: %+v", rep.Responses[1])
	}
}

func TestPrintCheck(t *testing.T) {
	oslo := osloLoc(t)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	src := watcher.Source{ID: "icat-arrangementer", Name: "ICAT – events", Kind: "icat", TimeZone: "America/New_York",
		URLs: []string{"https://icat.un.org/events"}}
	item := watcher.Item{
		Key: "k1", Title: "ICAT Principals meet", URL: "https://icat.un.org/events/10-2023/principals",
		AltURLs:   []string{"https://icat.un.org/a", "https://icat.un.org/b"},
		Published: time.Date(2023, 10, 3, 0, 0, 0, 0, ny),
		Deadline:  time.Date(2023, 9, 25, 14, 0, 0, 0, oslo),
		Event:     &watcher.Event{Start: time.Date(2023, 10, 3, 9, 30, 0, 0, ny), Place: "New York"},
		Text:      strings.Repeat("ord ", 100),
		Meta:      map[string]string{"z": "last", "a": "first"},
	}
	tests := map[string]struct {
		rep  checkReport
		show int
		want []string
		not  []string
	}{
		"fields": {
			rep:  checkReport{Source: src, Items: []watcher.Item{item}, Count: 1},
			show: 5,
			want: []string{
				"source icat-arrangementer: ICAT – events (kind icat)\n  url     https://icat.un.org/events\n",
				"responses (0):\n",
				"items: 1 (every field of the first 1; times in Europe/Oslo)\n",
				"  alt urls      https://icat.un.org/a\n                https://icat.un.org/b\n",
				"  published     2023-10-03\n",       // a date where the site is
				"  deadline      2023-09-25 14:00\n", // a time, in Oslo
				"  event start   2023-10-03 15:30\n", // 09:30 in New York
				"  event place   New York\n",
				"… (399 characters)\n", // 100 words, spaces collapsed
				"  meta          a = first\n                z = last\n",
				"no problems: every selector and date matched\n",
			},
			not: []string{"updated", "event end", "error"},
		},
		"problems and responses": {
			rep: checkReport{Source: src, Count: 0, Problems: []string{"selector item matched nothing", `date "soon" did not parse`},
				Robots:    []robotsDecision{{URL: "https://icat.un.org/events", Allowed: false}},
				Responses: []seenResponse{{Method: "GET", URL: "https://icat.un.org/robots.txt", Status: 200}, {Method: "GET", URL: "https://icat.un.org/x", Error: "connection refused"}}},
			want: []string{
				"  DISALLOWED https://icat.un.org/events\n",
				"responses (2):\n  200 GET https://icat.un.org/robots.txt\n  ERR GET https://icat.un.org/x: connection refused\n",
				"items: 0\n",
				"problems (2):\n  - selector item matched nothing\n  - date \"soon\" did not parse\n",
			},
			not: []string{"no problems"},
		},
		"error": {
			rep:  checkReport{Source: src, Error: "fetch https://icat.un.org/events: http (HTTP Not Found)", ErrClass: watcher.ErrHTTP},
			want: []string{"problems: none before the error below\n", "\nerror (http): fetch https://icat.un.org/events: http (HTTP Not Found)\n"},
			not:  []string{"no problems"},
		},
		"show": {
			rep:  checkReport{Source: src, Items: []watcher.Item{item, item, item}, Count: 3},
			show: 1,
			want: []string{"items: 3 (every field of the first 1; times in Europe/Oslo)\n", "\n… and 2 more (--show N prints more)\n"},
			not:  []string{"item 2\n"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			printCheck(&b, tc.rep, tc.show, oslo, ny)
			out := b.String()
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
		})
	}
}

// TestCheckShowsSiteDates checks ICAT, whose dates are days in New York,
// as a person reads it: a date stays that day, not 06:00 in Oslo.
func TestCheckShowsSiteDates(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(cfg.Sources, func(s watcher.Source) bool { return s.ID == "icat-arrangementer" })
	if i < 0 || cfg.Sources[i].TimeZone != "America/New_York" {
		t.Fatal("the default configuration has no icat-arrangementer in America/New_York")
	}
	src := cfg.Sources[i]
	out, err := runCLI(t, checkNow, "check", src.ID, "--replay", sourceWARC(t, cfg, src, checkFixtures[src.ID]))
	if err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
	for _, want := range []string{"  published     2023-10-03\n", "  event start   2023-10-03\n", "  event end     2023-06-15\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
