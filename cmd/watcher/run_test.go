package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/state"
)

// site plays three sources on one local server: an RSS feed with ETags, a
// paged HTML listing with item pages (no validators, like regjeringen.no),
// and a page whose links are watched. It counts requests per path.
type site struct {
	mu        sync.Mutex
	feedTitle string // title of the feed's first item
	deadline  string // deadline on item page 3
	broken    bool   // the "bad" source answers 500
	redesign  bool   // the listing's markup changed (its selectors match nothing)
	hits      map[string]int
	cond      int // conditional requests received
	notMod    int // 304s sent
}

func newSite() *site {
	return &site{feedTitle: "Handlingsplan mot menneskehandel", deadline: "07.08.2026", hits: map[string]int{}}
}

func (s *site) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		title := s.feedTitle
		s.mu.Unlock()
		body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Nyheter</title><link>http://%[1]s/</link>
<item><title>%[2]s</title><link>http://%[1]s/news/1</link><guid isPermaLink="false">n-1</guid><pubDate>Thu, 17 Sep 2026 11:00:00 +0200</pubDate><description>Regjeringen legger fram en ny handlingsplan.</description></item>
<item><title>Rapport om tvangsarbeid</title><link>http://%[1]s/news/2</link><guid isPermaLink="false">n-2</guid><pubDate>Wed, 16 Sep 2026 09:00:00 +0200</pubDate><description>En rapport.</description></item>
<item><title>Fiskeriforskriften endres</title><link>http://%[1]s/news/3</link><guid isPermaLink="false">n-3</guid><pubDate>Tue, 15 Sep 2026 09:00:00 +0200</pubDate><description>Endringer.</description></item>
</channel></rss>`, r.Host, title)
		etag := fmt.Sprintf(`"%x"`, len(body)+int(title[0]))
		s.mu.Lock()
		if r.Header.Get("If-None-Match") != "" {
			s.cond++
		}
		s.mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			s.mu.Lock()
			s.notMod++
			s.mu.Unlock()
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, body)
	})
	mux.HandleFunc("/list", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page := r.URL.Query().Get("page")
		var from, next int
		switch page {
		case "", "1":
			from, next = 1, 2
		case "2":
			from, next = 4, 0
		default:
			http.NotFound(w, r)
			return
		}
		s.mu.Lock()
		itemClass := "hit"
		if s.redesign {
			itemClass = "card"
		}
		s.mu.Unlock()
		fmt.Fprint(w, `<!doctype html><html><body><main><ul class="results">`)
		for i := from; i < from+3; i++ {
			fmt.Fprintf(w, `<li class="`+itemClass+`"><h2><a href="/doc/%d">Dokument %d om utnyttelse</a></h2><span class="date">%02d.09.2026</span><p class="ingress">Ingress %d.</p></li>`, i, i, 20-i, i)
		}
		fmt.Fprint(w, `</ul>`)
		if next > 0 {
			fmt.Fprintf(w, `<a class="next" href="/list?page=%d">Neste</a>`, next)
		}
		fmt.Fprint(w, `</main></body></html>`)
	})
	mux.HandleFunc("/doc/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		deadline := s.deadline
		s.mu.Unlock()
		id := strings.TrimPrefix(r.URL.Path, "/doc/")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		extra := ""
		if id == "3" {
			extra = "<p>Høringsfrist: " + deadline + "</p>"
		}
		fmt.Fprintf(w, `<!doctype html><html><head><title>Dokument %s</title></head><body><article><h1>Dokument %s om utnyttelse</h1><time datetime="2026-09-1%sT08:00:00Z">1%s.09.2026</time><p>Tekst om menneskehandel.</p>%s<a href="/files/%s.pdf">Rapport (PDF)</a></article></body></html>`, id, id, id, id, extra, id)
	})
	mux.HandleFunc("/kom", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><body><nav><a href="/om">Om oss</a></nav><main><h1>KOM</h1><ul><li><a href="/files/statusrapport-2025.pdf">Statusrapport 2025</a></li><li><a href="/rettsavgjorelser">Oversikt over rettsavgjørelser</a></li><li><a href="javascript:void(0)">Skriv ut</a></li></ul></main></body></html>`)
	})
	mux.HandleFunc("/bad.xml", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		broken := s.broken
		s.mu.Unlock()
		if broken {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>B</title><item><title>Europol-rapport om menneskehandel</title><link>http://%s/b/1</link><guid>b-1</guid></item></channel></rss>`, r.Host)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	})
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *site) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits = map[string]int{}
	s.cond, s.notMod = 0, 0
}

func writeConfig(t *testing.T, base string) string {
	t.Helper()
	cfg := fmt.Sprintf(`
contact: mailto:test@watcher.invalid
host_delay: 0s
allow_short_host_delay: true
max_retries: 1
alerts:
  editor: [console]
  admin: [console]
  channels:
    - name: console
      type: console
sources:
  - id: nyheter
    name: Nyheter
    organisation: Regjeringen
    region: norway
    kind: feed
    url: %[1]s/feed.xml
    doc_kind: news
  - id: liste
    name: Dokumentliste
    organisation: Justis- og beredskapsdepartementet
    region: norway
    kind: html
    url: %[1]s/list
    follow_items: true
    selectors:
      item: li.hit
      title: h2 a
      link: h2 a
      date: span.date
      summary: p.ingress
      next: a.next
  - id: kom
    name: KOM
    organisation: Politiet
    region: norway
    kind: page
    url: %[1]s/kom
    selectors:
      region: main
  - id: bad
    name: Sometimes failing
    organisation: Europol
    region: international
    kind: feed
    url: %[1]s/bad.xml
`, base)
	path := filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runCLI runs one watcher command in-process and returns its error and output.
func runCLI(t *testing.T, now time.Time, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := NewMain(&out, &errOut)
	m.Now = func() time.Time { return now }
	m.Getenv = func(string) string { return "" }
	err := m.Run(context.Background(), args)
	m.Close()
	if testing.Verbose() {
		t.Logf("watcher %s\n%s%s", strings.Join(args, " "), out.String(), errOut.String())
	}
	return out.String(), err
}

func storedItems(t *testing.T, db string) map[string]watcher.Item {
	t.Helper()
	st, err := state.Open(db, state.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	items, err := st.Items(state.Query{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]watcher.Item{}
	for _, it := range items {
		if _, dup := out[it.Key]; dup {
			t.Errorf("item %s stored twice", it.Key)
		}
		out[it.Key] = it
	}
	return out
}

func TestRunEndToEnd(t *testing.T) {
	s := newSite()
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	cfg := writeConfig(t, srv.URL)
	db := filepath.Join(t.TempDir(), "watcher.db")
	day := time.Date(2026, 9, 18, 6, 0, 0, 0, time.UTC)

	// First run: every item once.
	out, err := runCLI(t, day, "run", "--config", cfg, "--db", db)
	if err != nil {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	items := storedItems(t, db)
	perSource := map[string]int{}
	for _, it := range items {
		perSource[it.SourceID]++
	}
	want := map[string]int{"nyheter": 3, "liste": 6, "kom": 2, "bad": 1}
	for src, n := range want {
		if perSource[src] != n {
			t.Errorf("source %s: %d items stored, want %d (all: %v)", src, perSource[src], n, perSource)
		}
	}
	if got := s.count("/doc/1") + s.count("/doc/6"); got != 2 {
		t.Errorf("item pages fetched %d times on the first run, want each once", got)
	}
	var doc3 watcher.Item
	for _, it := range items {
		if strings.HasSuffix(it.URL, "/doc/3") {
			doc3 = it
		}
	}
	if doc3.Deadline.IsZero() || doc3.Deadline.In(osloLoc(t)).Format("2006-01-02") != "2026-08-07" {
		t.Errorf("doc 3 deadline = %v, want 2026-08-07 from its page", doc3.Deadline)
	}
	if len(doc3.Attachments) != 1 {
		t.Errorf("doc 3 attachments = %v, want the PDF", doc3.Attachments)
	}
	if !strings.Contains(out, "total (4 sources, 0 failed)") {
		t.Errorf("report lacks the totals line:\n%s", out)
	}

	// Second run, nothing changed: nothing stored, the feed asked conditionally,
	// no item page fetched again.
	s.reset()
	out, err = runCLI(t, day.Add(24*time.Hour), "run", "--config", cfg, "--db", db)
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	if len(storedItems(t, db)) != len(items) {
		t.Errorf("second run changed the item count")
	}
	// Only feed.xml sends an ETag: exactly one conditional request, one 304.
	if s.notMod != 1 || s.cond != 1 {
		t.Errorf("second run: %d conditional requests, %d answered 304; want 1 and 1 (feed.xml)", s.cond, s.notMod)
	}
	for i := 1; i <= 6; i++ {
		if n := s.count(fmt.Sprintf("/doc/%d", i)); n != 0 {
			t.Errorf("item page %d fetched again on an unchanged run", i)
		}
	}
	if s.count("/list") != 1 {
		t.Errorf("listing fetched %d times on an unchanged run, want page 1 only", s.count("/list"))
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) > 3 && (f[0] == "nyheter" || f[0] == "liste" || f[0] == "kom") && (f[1] != "0" || f[2] != "0") {
			t.Errorf("unchanged run reported new or changed items: %q", line)
		}
	}

	// A title changes at the feed: exactly that change is recorded.
	s.mu.Lock()
	s.feedTitle = "Ny handlingsplan mot menneskehandel"
	s.broken = true
	s.mu.Unlock()
	out, err = runCLI(t, day.Add(48*time.Hour), "run", "--config", cfg, "--db", db)
	if err == nil || !strings.Contains(err.Error(), "1 of 4 sources failed") {
		t.Fatalf("third run: err = %v, want 1 of 4 sources failed\n%s", err, out)
	}
	if code := exitCode(context.Background(), err, &bytes.Buffer{}); code != exitPartial {
		t.Errorf("exit code = %d, want %d", code, exitPartial)
	}
	st, err := state.Open(db, state.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var changes []watcher.Change
	all, _ := st.Items(state.Query{})
	for _, it := range all {
		h, err := st.History(it.Key)
		if err != nil {
			t.Fatal(err)
		}
		changes = append(changes, h...)
	}
	if len(changes) != 1 || changes[0].Field != "title" || changes[0].New != "Ny handlingsplan mot menneskehandel" {
		t.Errorf("changes = %+v, want exactly the one title change", changes)
	}
	h, ok, _ := st.Health("bad")
	if !ok || h.State != watcher.HealthUnreachable || h.FailureStreak != 1 {
		t.Errorf("bad source health = %+v, want unreachable with streak 1", h)
	}
	if len(all) != len(items) {
		t.Errorf("items after the failing run: %d, want %d (nothing lost)", len(all), len(items))
	}
}

func TestRunLockedDatabase(t *testing.T) {
	s := newSite()
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	cfg := writeConfig(t, srv.URL)
	db := filepath.Join(t.TempDir(), "watcher.db")
	st, err := state.Open(db, state.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = runCLI(t, time.Now(), "run", "--config", cfg, "--db", db)
	if err == nil || !strings.Contains(err.Error(), "in use by another watcher process") {
		t.Fatalf("err = %v, want the database-in-use error", err)
	}
	if code := exitCode(context.Background(), err, &bytes.Buffer{}); code != exitFailure {
		t.Errorf("exit code = %d, want %d", code, exitFailure)
	}
}

func TestRunBadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte("contact: mailto:a@b.invalid\nsources:\n  - id: x\n    name: X\n    organisation: Y\n    region: norway\n    kind: fead\n    url: https://example.org/\n"), 0o644)
	_, err := runCLI(t, time.Now(), "run", "--config", path, "--db", filepath.Join(t.TempDir(), "w.db"))
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:7") || !strings.Contains(err.Error(), "fead") {
		t.Fatalf("err = %v, want file:line and the bad kind", err)
	}
}

func TestItemsJSON(t *testing.T) {
	s := newSite()
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	cfg := writeConfig(t, srv.URL)
	db := filepath.Join(t.TempDir(), "watcher.db")
	if _, err := runCLI(t, time.Date(2026, 9, 18, 6, 0, 0, 0, time.UTC), "run", "--config", cfg, "--db", db, "--only", "nyheter"); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, time.Now(), "items", "--config", cfg, "--db", db, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got []watcher.Item
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("items --json is not a JSON array: %v\n%s", err, out)
	}
	if len(got) != 3 {
		t.Fatalf("items --json: %d items, want 3", len(got))
	}
	for _, it := range got {
		if it.Key == "" || it.Title == "" || it.URL == "" || it.FirstSeen.IsZero() {
			t.Errorf("item lacks fields: %+v", it)
		}
	}
}

func osloLoc(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var testServers = map[string]*httptest.Server{}

// newTestServer starts a site and returns its base URL; it is closed when
// the test ends (or earlier with closeTestServer).
func newTestServer(t *testing.T, s *site) string {
	srv := httptest.NewServer(s.handler())
	t.Cleanup(srv.Close)
	testServers[srv.URL] = srv
	return srv.URL
}

func closeTestServer(base string) {
	if srv, ok := testServers[base]; ok {
		srv.Close()
		delete(testServers, base)
	}
}

// TestLayoutChangeTurnsSourceBroken: a listing whose markup changes
// between runs turns its source broken, reported once to the admin, while
// the other sources go on; the old markup back turns it well again,
// reported once.
func TestLayoutChangeTurnsSourceBroken(t *testing.T) {
	s := newSite()
	base := newTestServer(t, s)
	cfg := writeConfig(t, base)
	db := filepath.Join(t.TempDir(), "watcher.db")
	day := time.Date(2026, 9, 18, 6, 0, 0, 0, time.UTC)
	healthAlerts := func(out string) []string {
		var subjects []string
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "── Kilden «Dokumentliste» er nå") {
				subjects = append(subjects, line)
			}
		}
		return subjects
	}
	health := func() watcher.Health {
		st, err := state.Open(db, state.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		h, _, _ := st.Health("liste")
		return h
	}
	if _, err := runCLI(t, day, "run", "--config", cfg, "--db", db); err != nil {
		t.Fatal(err)
	}
	if h := health(); h.State != watcher.HealthHealthy {
		t.Fatalf("after the first run: %q, want healthy", h.State)
	}

	s.mu.Lock()
	s.redesign = true
	s.mu.Unlock()
	var reported []string
	for i := 1; i <= 2; i++ { // two runs with the new layout: one report
		out, err := runCLI(t, day.AddDate(0, 0, i), "run", "--config", cfg, "--db", db)
		if err != nil {
			t.Fatalf("run %d with the new layout: %v (the other sources must go on)\n%s", i, err, out)
		}
		if h := health(); h.State != watcher.HealthBroken {
			t.Fatalf("run %d with the new layout: %q, want broken", i, h.State)
		}
		reported = append(reported, healthAlerts(out)...)
		if !strings.Contains(out, "nyheter") {
			t.Errorf("the other sources are missing from the report")
		}
	}
	if len(reported) != 1 || !strings.Contains(reported[0], "ødelagt") {
		t.Errorf("broken reported %d times (%q), want once", len(reported), reported)
	}

	s.mu.Lock()
	s.redesign = false
	s.mu.Unlock()
	reported = nil
	for i := 3; i <= 4; i++ {
		out, err := runCLI(t, day.AddDate(0, 0, i), "run", "--config", cfg, "--db", db)
		if err != nil {
			t.Fatal(err)
		}
		reported = append(reported, healthAlerts(out)...)
	}
	if h := health(); runnerTroubled(h.State) {
		t.Errorf("after the layout came back: %q, want healthy or quiet", h.State)
	}
	if len(reported) != 1 {
		t.Errorf("recovery reported %d times (%q), want once", len(reported), reported)
	}
}

func runnerTroubled(s watcher.HealthState) bool {
	return s != watcher.HealthHealthy && s != watcher.HealthQuiet
}

// TestRunAllSourcesDown: when no site answers (here: nothing listens), the
// run says all sources failed, exits 3, and records each source as
// unreachable, not as blocked by robots.txt, although the unreachable
// robots.txt is what kept the pages from being requested.
func TestRunAllSourcesDown(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	cfg := writeConfig(t, base)
	db := filepath.Join(t.TempDir(), "watcher.db")
	out, err := runCLI(t, time.Now(), "run", "--config", cfg, "--db", db, "--no-alerts")
	if err == nil || !strings.Contains(err.Error(), "all 4 sources failed") {
		t.Fatalf("err = %v, want all 4 sources failed\n%s", err, out)
	}
	if code := exitCode(context.Background(), err, &bytes.Buffer{}); code != exitPartial {
		t.Errorf("exit code = %d, want %d", code, exitPartial)
	}
	st, err := state.Open(db, state.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range []string{"nyheter", "liste", "kom", "bad"} {
		h, ok, err := st.Health(id)
		if err != nil || !ok {
			t.Fatalf("%s: no health stored (%v)", id, err)
		}
		if h.State != watcher.HealthUnreachable || h.LastErrClass != watcher.ErrNetwork {
			t.Errorf("%s: health %s (%s: %s), want unreachable (network)", id, h.State, h.LastErrClass, h.LastError)
		}
	}
}
