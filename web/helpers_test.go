package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/digest"
	"watcher/runner"
	"watcher/state"
)

var oslo = mustLoc("Europe/Oslo")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// testNow is the clock of the UI tests: in the third quarter of 2026.
var testNow = time.Date(2026, 8, 15, 10, 0, 0, 0, oslo)

func osloDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, oslo) }

// testConfigYAML configures three sources; their URLs are never fetched
// by the UI tests (the job is a stub there).
const testConfigYAML = `
contact: mailto:redaksjon@watcher.invalid
time_zone: Europe/Oslo
host_delay: 0s
allow_short_host_delay: true
parallel: 1
serve:
  schedule: "0 6 * * *"
  jitter: 10m
sources:
  - id: regjeringen-horinger
    name: Regjeringen – høringer
    organisation: Justis- og beredskapsdepartementet
    region: norway
    kind: feed
    url: http://127.0.0.1:9/regjeringen.xml
  - id: unodc-nyheter
    name: UNODC – nyheter
    organisation: UNODC
    region: international
    kind: feed
    language: en
    url: http://127.0.0.1:9/unodc.xml
  - id: politiet
    name: Politiet – nyheter
    organisation: Politiet
    region: norway
    kind: feed
    url: http://127.0.0.1:9/politiet.xml
`

func testConfig(t testing.TB, yaml string) *config.Config {
	t.Helper()
	cfg, err := config.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openStore(t testing.TB, path string, now func() time.Time) *state.Store {
	t.Helper()
	st, err := state.Open(path, state.Options{Timeout: time.Second, Now: now, Logger: discardLog()})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return st
}

// Keys of the seeded items.
const (
	keyHearing  = "regjeringen:1001"
	keyReport   = "regjeringen:1002"
	keyGlobal   = "unodc:2001"
	keyScript   = "unodc:2002"
	keyDrugs    = "unodc:2003"
	scriptTitle = `<script>alert(1)</script> UNODC lanserer kampanje`
)

func match(term string, w float64) []watcher.Match {
	return []watcher.Match{{Term: term, Matched: term, Field: "title", Snippet: "… " + term + " …", Weight: w}}
}

// seed stores five items of the third quarter of 2026, then moves the
// hearing's deadline so it has a change history.
func seed(t testing.TB, st *state.Store) {
	t.Helper()
	norway := []watcher.Item{
		{
			Key: keyHearing, SourceID: "regjeringen-horinger", URL: "https://www.regjeringen.no/no/dokumenter/horing-menneskehandel/id1001/",
			Title: "Høring om endringer i straffeloven om menneskehandel", Summary: "Departementet foreslår endringer.",
			Kind: watcher.KindHearing, Organisation: "Justis- og beredskapsdepartementet", Region: watcher.RegionNorway, Language: "nb",
			Ministries: []string{"Justis- og beredskapsdepartementet"}, Published: osloDate(2026, 7, 10),
			Deadline: osloDate(2026, 9, 1), Status: watcher.StatusOpen, Reference: "26/1234",
			Attachments: []watcher.Attachment{{Name: "Høringsnotat", URL: "https://www.regjeringen.no/contentassets/1001/horingsnotat.pdf"}},
			Relevance:   watcher.Relevance{Score: 8.5, Relevant: true, Matches: match("menneskehandel", 5)},
		},
		{
			Key: keyReport, SourceID: "regjeringen-horinger", URL: "https://www.regjeringen.no/no/dokumenter/rapport-tvangsarbeid/id1002/",
			Title: "Rapport om tvangsarbeid i Norge", Kind: watcher.KindReport, Region: watcher.RegionNorway, Language: "nb",
			Organisation: "Arbeids- og inkluderingsdepartementet", Published: osloDate(2026, 7, 20),
			Relevance: watcher.Relevance{Score: 6, Relevant: true, Matches: match("tvangsarbeid", 4)},
		},
	}
	intl := []watcher.Item{
		{
			Key: keyGlobal, SourceID: "unodc-nyheter", URL: "https://www.unodc.org/unodc/en/glotip-2026.html",
			Title: "Global Report on Trafficking in Persons 2026", Kind: watcher.KindReport, Region: watcher.RegionInternational,
			Organisation: "UNODC", Language: "en", Published: osloDate(2026, 8, 1),
			Relevance: watcher.Relevance{Score: 9, Relevant: true, Matches: match("trafficking in persons", 6)},
		},
		{
			Key: keyScript, SourceID: "unodc-nyheter", URL: "https://www.unodc.org/unodc/en/campaign.html",
			Title: scriptTitle, Summary: `<img src=x onerror=alert(2)> kampanje`, Kind: watcher.KindNews, Region: watcher.RegionInternational,
			Organisation: "UNODC", Language: "en", Published: osloDate(2026, 8, 5),
			Relevance: watcher.Relevance{Score: 5, Relevant: true, Matches: match("trafficking", 3)},
		},
		{
			Key: keyDrugs, SourceID: "unodc-nyheter", URL: "https://www.unodc.org/unodc/en/drugs.html",
			Title: "World Drug Report 2026", Kind: watcher.KindReport, Region: watcher.RegionInternational,
			Organisation: "UNODC", Language: "en", Published: osloDate(2026, 8, 3),
			Relevance: watcher.Relevance{Score: 0.5},
		},
	}
	seen := osloDate(2026, 8, 1).Add(6 * time.Hour)
	for _, b := range []state.SourceBatch{
		{SourceID: "regjeringen-horinger", Seen: seen, Items: norway},
		{SourceID: "unodc-nyheter", Seen: seen, Items: intl},
	} {
		if _, err := st.ApplyBatch(b); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	moved := norway[0]
	moved.Deadline = osloDate(2026, 9, 15)
	if _, err := st.ApplyBatch(state.SourceBatch{SourceID: "regjeringen-horinger", Seen: seen.Add(48 * time.Hour), Items: []watcher.Item{moved}}); err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// fakeJob is a RunFunc that stores a run report covering its sources, and
// can be held in the middle of a run.
type fakeJob struct {
	st    *state.Store
	now   func() time.Time
	hold  chan struct{} // when set, each run waits for it to close
	start chan struct{} // when set, receives once per run as it starts

	mu      sync.Mutex
	calls   [][]string
	running int
	maxPar  int
	failAll bool
	runErr  error // when set, the run itself fails (as when the store does) and stores nothing
}

func (f *fakeJob) Run(ctx context.Context, sources []watcher.Source) (*runner.Result, error) {
	f.mu.Lock()
	ids := make([]string, len(sources))
	for i, s := range sources {
		ids[i] = s.ID
	}
	f.calls = append(f.calls, ids)
	f.running++
	f.maxPar = max(f.maxPar, f.running)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.running--
		f.mu.Unlock()
	}()
	if f.start != nil {
		f.start <- struct{}{}
	}
	if f.hold != nil {
		select {
		case <-f.hold:
		case <-ctx.Done():
		}
	}
	if f.runErr != nil {
		return nil, f.runErr
	}
	rep := watcher.RunReport{Started: f.now(), Finished: f.now().Add(time.Minute)}
	for _, id := range ids {
		line := watcher.SourceReport{SourceID: id, New: 2, Changed: 1, Pages: 3, NotModified: 1, Bytes: 2048, Health: watcher.HealthHealthy}
		if f.failAll || id == "politiet" {
			line.ErrClass, line.Error, line.Health = watcher.ErrTimeout, "timeout", watcher.HealthUnreachable
		}
		rep.Sources = append(rep.Sources, line)
	}
	if err := f.st.PutRun(rep); err != nil {
		return nil, err
	}
	return &runner.Result{Report: rep}, nil
}

func (f *fakeJob) Calls() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]string(nil), f.calls...)
}

// fixture is a server over a seeded store in a temporary directory.
type fixture struct {
	t     *testing.T
	cfg   *config.Config
	store *state.Store
	path  string
	job   *fakeJob
	srv   *Server
	ts    *httptest.Server
	now   time.Time
}

type fixtureOpts struct {
	token  string
	noSeed bool
	hold   bool
}

func newFixture(t *testing.T, o fixtureOpts) *fixture {
	t.Helper()
	f := &fixture{t: t, now: testNow, cfg: testConfig(t, testConfigYAML)}
	f.path = filepath.Join(t.TempDir(), "watcher.db")
	clock := func() time.Time { return f.now }
	f.store = openStore(t, f.path, clock)
	t.Cleanup(func() { _ = f.store.Close() })
	if !o.noSeed {
		seed(t, f.store)
	}
	f.job = &fakeJob{st: f.store, now: clock}
	if o.hold {
		f.job.hold = make(chan struct{})
		f.job.start = make(chan struct{}, 10)
	}
	srv, err := New(Options{Config: f.cfg, Store: f.store, Run: f.job.Run, Token: o.token, Now: clock,
		Rand: func(n int64) int64 { return n / 2 }, Log: discardLog(), Version: "test", NoSchedule: true})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv.sec.fail = func() {}
	f.srv = srv
	f.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		if f.job.hold != nil {
			select {
			case <-f.job.hold:
			default:
				close(f.job.hold)
			}
		}
		f.ts.Close()
		srv.Close()
	})
	return f
}

// client is a browser-like client: it keeps cookies and does not follow
// redirects, so tests see them.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	hdr  http.Header
}

func (f *fixture) client() *client { return newClient(f.t, f.ts.URL) }

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, hdr: http.Header{}, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	*http.Response
	Body string
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	for k, v := range c.hdr {
		req.Header[k] = v
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "text/html")
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("read %s: %v", req.URL, err)
	}
	return response{res, string(b)}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf loads a page and returns the CSRF token its forms carry.
func (c *client) csrf() string {
	c.t.Helper()
	res := c.get("/sources")
	m := csrfRE.FindStringSubmatch(res.Body)
	if m == nil {
		c.t.Fatalf("no CSRF token on /sources (status %d)", res.StatusCode)
	}
	return m[1]
}

// submit posts a form with a valid CSRF token and expects a redirect; it
// returns the redirect's msg code.
func (c *client) submit(path string, form url.Values) string {
	c.t.Helper()
	form.Set("csrf", c.csrf())
	res := c.post(path, form)
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("POST %s %v: status %d, want 303\n%s", path, form, res.StatusCode, res.Body)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		c.t.Fatal(err)
	}
	return loc.Query().Get("msg")
}

func (f *fixture) decision(key string) (watcher.Decision, bool) {
	f.t.Helper()
	ds, err := f.store.Decisions(digest.QuarterName(f.now, oslo))
	if err != nil {
		f.t.Fatal(err)
	}
	for _, d := range ds {
		if d.Key == key {
			return d, true
		}
	}
	return watcher.Decision{}, false
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("must: %v", err))
	}
	return v
}
