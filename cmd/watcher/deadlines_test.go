package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
)

// hearingsSite plays the regjeringen.no hearings listing and the
// hearings' own pages, in the markup the regjeringen-hearings adapter
// reads. A test moves a deadline or changes a status between runs.
type hearingsSite struct {
	mu       sync.Mutex
	hearings []*siteHearing
}

type siteHearing struct {
	ID, Title, Ministry, Published, Deadline, Status, Ingress string // dates as 02.01.2006
}

func (s *hearingsSite) set(id string, f func(h *siteHearing)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.hearings {
		if h.ID == id {
			f(h)
		}
	}
}

func (s *hearingsSite) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
	mux.HandleFunc("/no/dokument/hoyringar/id1763/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="no"><body><p class="count">Viser 1-%d av %[1]d treff.</p><ul class="listing" id="searchResultsListing">`, len(s.hearings))
		for _, h := range s.hearings {
			fmt.Fprintf(w, `<li class="listItem"><h2 class="title"><a href="/no/dokumenter/h/id%s/">%s</a></h2>
<div class="info"><span class="date">%s</span><span class="type">Høring</span><span class="department">%s</span></div>
<p class="excerpts">%s</p><p class="event-details"><span class="event-details">Høringsfrist: %s</span><span class="event-details-open">Status: %s</span></p></li>`,
				h.ID, html.EscapeString(h.Title), h.Published, html.EscapeString(h.Ministry), html.EscapeString(h.Ingress), h.Deadline, h.Status)
		}
		fmt.Fprint(w, `</ul></body></html>`)
	})
	mux.HandleFunc("/no/dokumenter/h/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		id := strings.TrimPrefix(strings.Trim(strings.TrimPrefix(r.URL.Path, "/no/dokumenter/h/"), "/"), "id")
		i := slices.IndexFunc(s.hearings, func(h *siteHearing) bool { return h.ID == id })
		if i < 0 {
			http.NotFound(w, r)
			return
		}
		h := s.hearings[i]
		p := strings.Split(h.Published, ".")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="no"><head><meta name="DC.Title" content="%[1]s"><meta name="DC.Creator" content="%[2]s">
<meta name="DC.Date" content="%[3]s"><meta name="DC.Type" content="Horing"><meta name="DC.Language" content="nb-NO">
<meta property="og:url" content="http://%[7]s/no/dokumenter/h/id%[8]s/"></head><body>
<header class="article-header"><h1>%[1]s</h1></header>
<div class="article-info"><p><span class="type">Høring |</span><span class="date">Dato: %[9]s</span><span class="owner">| <a href="/no/dep/x/id1/">%[2]s</a></span></p></div>
<div class="article-ingress">%[4]s</div>
<div class="article-body"><div class="horing-meta"><p><strong>Status:</strong> %[5]s</p><p><strong>Høringsfrist:</strong> %[6]s</p></div>
<div id="horingsbrev"><div class="horing-ref">Vår ref.: 26/%[8]s</div><p>%[4]s</p></div></div></body></html>`,
			html.EscapeString(h.Title), html.EscapeString(h.Ministry), p[2]+"-"+p[1]+"-"+p[0], html.EscapeString(h.Ingress),
			h.Status, h.Deadline, r.Host, h.ID, h.Published)
	})
	return mux
}

func newHearingsSite() *hearingsSite {
	return &hearingsSite{hearings: []*siteHearing{
		{ID: "3100001", Title: "Høring – forslag til endringer i straffeloven om menneskehandel", Ministry: "Justis- og beredskapsdepartementet",
			Published: "09.11.2026", Deadline: "04.12.2026", Status: "På høring",
			Ingress: "Departementet foreslår å skjerpe straffene for menneskehandel og tvangsarbeid."},
		{ID: "3100002", Title: "Høring om beskyttelse for ofre for menneskehandel", Ministry: "Arbeids- og inkluderingsdepartementet",
			Published: "06.11.2026", Deadline: "10.12.2026", Status: "På høring",
			Ingress: "Forslag om oppholdstillatelse for ofre for menneskehandel."},
		{ID: "3100003", Title: "Høring – endringer i forskrift om utøvelse av fisket i sjøen", Ministry: "Nærings- og fiskeridepartementet",
			Published: "05.11.2026", Deadline: "01.12.2026", Status: "På høring",
			Ingress: "Departementet foreslår nye regler om redskapsbruk i kystfisket."},
	}}
}

func hearingsConfig(t *testing.T, base string) string {
	t.Helper()
	cfg := fmt.Sprintf(`
contact: mailto:test@watcher.invalid
host_delay: 0s
allow_short_host_delay: true
max_retries: 0
alerts:
  editor: [console]
  admin: [console]
  channels:
    - {name: console, type: console}
sources:
  - id: regjeringen-horinger
    name: Regjeringen – høringer
    organisation: Regjeringen
    region: norway
    kind: regjeringen-hearings
    url: %s/no/dokument/hoyringar/id1763/
    doc_kind: hearing
    language: nb
`, base)
	path := filepath.Join(t.TempDir(), "watcher.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// cli runs one command in-process at now and returns its standard
// output and its log.
func cli(t *testing.T, now time.Time, args ...string) (stdout, log string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := NewMain(&out, &errOut)
	m.Now = func() time.Time { return now }
	m.Getenv = func(string) string { return "" }
	err = m.Run(context.Background(), args)
	m.Close()
	return out.String(), errOut.String(), err
}

var alertSentRe = regexp.MustCompile(`msg="alert sent" alert=(\S+)`)

// TestDeadlinesOverSimulatedDays runs `watcher run` every morning for six
// weeks against a hearings listing in which a deadline moves, with a
// second run on one day, and checks what the editor gets: each alert
// once, on the right day, none after a deadline; the Norwegian texts with
// the right dates; `watcher deadlines` with the move; and a calendar
// whose events keep their UIDs.
func TestDeadlinesOverSimulatedDays(t *testing.T) {
	site := newHearingsSite()
	srv := httptest.NewServer(site.handler())
	defer srv.Close()
	cfg := hearingsConfig(t, srv.URL)
	db := filepath.Join(t.TempDir(), "watcher.db")
	oslo := osloLoc(t)
	common := []string{"--config", cfg, "--db", db}

	sentOn := map[string][]string{}
	var console strings.Builder
	run := func(now time.Time) {
		t.Helper()
		out, log, err := cli(t, now, append([]string{"run"}, common...)...)
		if err != nil {
			t.Fatalf("run on %s: %v\n%s%s", now.Format(time.DateOnly), err, out, log)
		}
		console.WriteString(out)
		for _, m := range alertSentRe.FindAllStringSubmatch(log, -1) {
			sentOn[m[1]] = append(sentOn[m[1]], now.In(oslo).Format(time.DateOnly))
		}
	}
	deadlines := func(now time.Time, args ...string) string {
		t.Helper()
		out, log, err := cli(t, now, append(append([]string{"deadlines"}, common...), args...)...)
		if err != nil {
			t.Fatalf("deadlines %v: %v\n%s", args, err, log)
		}
		return out
	}

	var table, icsBefore, icsAfter string
	icsFile := filepath.Join(t.TempDir(), "frister.ics")
	for d := time.Date(2026, 11, 10, 6, 0, 0, 0, oslo); d.Before(time.Date(2026, 12, 21, 0, 0, 0, 0, oslo)); d = d.AddDate(0, 0, 1) {
		if d.Day() == 25 && d.Month() == time.November {
			site.set("3100002", func(h *siteHearing) { h.Deadline = "17.12.2026" }) // the ministry extends it
		}
		run(d)
		switch {
		case d.Day() == 20 && d.Month() == time.November:
			deadlines(d, "--ics", icsFile)
			icsBefore = readFile(t, icsFile)
		case d.Day() == 27 && d.Month() == time.November:
			table = deadlines(d)
			deadlines(d, "--ics", icsFile)
			icsAfter = readFile(t, icsFile)
		case d.Day() == 30:
			run(d.Add(8 * time.Hour)) // a manual run the same afternoon
		}
	}

	want := map[string][]string{
		"new:regjeringen:3100001":                         {"2026-11-10"},
		"new:regjeringen:3100002":                         {"2026-11-10"},
		"reminder:regjeringen:3100001:2026-12-04:14":      {"2026-11-20"},
		"moved:regjeringen:3100002:2026-12-10:2026-12-17": {"2026-11-25"},
		"reminder:regjeringen:3100001:2026-12-04:7":       {"2026-11-27"},
		"reminder:regjeringen:3100001:2026-12-04:2":       {"2026-12-02"},
		"reminder:regjeringen:3100002:2026-12-17:14":      {"2026-12-03"},
		"reminder:regjeringen:3100002:2026-12-17:7":       {"2026-12-10"},
		"reminder:regjeringen:3100002:2026-12-17:2":       {"2026-12-15"},
	}
	for k, days := range want {
		if got := sentOn[k]; !slices.Equal(got, days) {
			t.Errorf("%s sent on %q, want %q", k, got, days)
		}
	}
	for k, days := range sentOn {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected alert %s sent on %q", k, days)
		}
	}

	// The texts the editor got, in Norwegian with the dates of Oslo.
	for _, s := range []string{
		"── Ny høring: Høring – forslag til endringer i straffeloven om menneskehandel ──",
		"Høringsfrist 4. desember 2026 (om 24 dager).",
		"Høringsfristen for «Høring om beskyttelse for ofre for menneskehandel» er flyttet fra 10. desember 2026 til 17. desember 2026 (om 22 dager).",
		"Påminnelse: høringsfristen for «Høring – forslag til endringer i straffeloven om menneskehandel» er 4. desember 2026 (om 7 dager).",
		"Påminnelse: høringsfristen for «Høring om beskyttelse for ofre for menneskehandel» er 17. desember 2026 (om 2 dager).",
	} {
		if !strings.Contains(console.String(), s) {
			t.Errorf("the alerts lack %q", s)
		}
	}
	if strings.Contains(console.String(), "fisket i sjøen") {
		t.Error("the unrelated hearing was announced")
	}

	// `watcher deadlines` on 27 November, as the editor reads it.
	t.Logf("watcher deadlines on 27 November:\n%s", table)
	for _, s := range []string{
		"FRIST", "DAGER", "STATUS", "DEPARTEMENT", "TITTEL", "LENKE",
		"4. desember 2026 ", "om 7 dager", "på høring",
		"17. desember 2026 (flyttet)", "om 20 dager",
		"3 høringer (2 relevante, merket *).",
		"Flyttede frister:\n- Høring om beskyttelse for ofre for menneskehandel: fra 10. desember 2026 til 17. desember 2026 (endret 25. november 2026)",
	} {
		if !strings.Contains(table, s) {
			t.Errorf("deadlines table lacks %q", s)
		}
	}
	checkColumns(t, table)

	// The calendar: the same UIDs on both days, the moved event moved.
	before, after := calendarEvents(t, icsBefore), calendarEvents(t, icsAfter)
	if !slices.Equal(sortedKeys(before), sortedKeys(after)) || len(before) != 3 {
		t.Errorf("calendar UIDs changed or missing: %v → %v", sortedKeys(before), sortedKeys(after))
	}
	if b, a := before["regjeringen:3100002@watcher"], after["regjeringen:3100002@watcher"]; b != "20261210" || a != "20261217" {
		t.Errorf("moved event: DTSTART %s → %s, want 20261210 → 20261217", b, a)
	}
}

// checkColumns checks that every row of a table starts each column where
// the header does.
func checkColumns(t *testing.T, table string) {
	t.Helper()
	lines := strings.Split(table, "\n")
	header := []rune(lines[0])
	var starts []int
	for i := 1; i < len(header); i++ {
		if header[i] != ' ' && header[i-1] == ' ' {
			starts = append(starts, i)
		}
	}
	for _, line := range lines[1:] {
		if !strings.Contains(line, "http") {
			continue // the footer
		}
		r := []rune(line)
		for _, s := range starts {
			if s >= len(r) || r[s] == ' ' || r[s-1] != ' ' {
				if s < len(r) && r[s] == ' ' && r[s-1] == ' ' {
					continue // an empty cell
				}
				t.Errorf("column at %d is not aligned in %q", s, line)
			}
		}
	}
}

// calendarEvents parses an iCalendar file with emersion/go-ical, another
// library than the one that writes it, and returns each event's start
// day by UID.
func calendarEvents(t *testing.T, data string) map[string]string {
	t.Helper()
	cal, err := ical.NewDecoder(strings.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("parse calendar: %v\n%s", err, data)
	}
	out := map[string]string{}
	for _, ev := range cal.Events() {
		uid, _ := ev.Props.Text(ical.PropUID)
		out[uid] = ev.Props.Get(ical.PropDateTimeStart).Value
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDeadlinesJSONAndErrors checks the machine-readable listing and the
// messages for wrong use.
func TestDeadlinesJSONAndErrors(t *testing.T) {
	site := newHearingsSite()
	srv := httptest.NewServer(site.handler())
	defer srv.Close()
	cfg := hearingsConfig(t, srv.URL)
	db := filepath.Join(t.TempDir(), "watcher.db")
	oslo := osloLoc(t)
	day := time.Date(2026, 11, 20, 6, 0, 0, 0, oslo)
	if out, log, err := cli(t, day, "run", "--config", cfg, "--db", db); err != nil {
		t.Fatalf("run: %v\n%s%s", err, out, log)
	}
	site.set("3100001", func(h *siteHearing) { h.Deadline = "11.12.2026" })
	if out, log, err := cli(t, day.AddDate(0, 0, 1), "run", "--config", cfg, "--db", db); err != nil {
		t.Fatalf("run: %v\n%s%s", err, out, log)
	}

	out, _, err := cli(t, day.AddDate(0, 0, 1), "deadlines", "--config", cfg, "--db", db, "--json", "--within", "19d")
	if err != nil {
		t.Fatal(err)
	}
	var rows []deadlineRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%s %s %d %t %d", r.Key, r.Day, r.DaysLeft, r.Relevant, len(r.Moved)))
	}
	wantRows := []string{
		"regjeringen:3100003 2026-12-01 10 false 0",
		"regjeringen:3100002 2026-12-10 19 true 0",
	}
	if !slices.Equal(got, wantRows) {
		t.Errorf("--within 19d rows (the 19th day included) %q, want %q", got, wantRows)
	}
	out, _, err = cli(t, day.AddDate(0, 0, 1), "deadlines", "--config", cfg, "--db", db, "--json", "--relevant")
	if err != nil {
		t.Fatal(err)
	}
	rows = nil
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1].Key != "regjeringen:3100001" || len(rows[1].Moved) != 1 ||
		rows[1].Moved[0].From != "2026-12-04" || rows[1].Moved[0].To != "2026-12-11" {
		t.Errorf("--relevant rows %+v, want the two relevant ones, the moved one last with its move 2026-12-04 → 2026-12-11", rows)
	}

	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"argument":     {[]string{"soon"}, "deadlines takes no arguments"},
		"bad span":     {[]string{"--within", "2 weeks"}, `--within "2 weeks": want 30d, 2w or a duration such as 72h`},
		"negative":     {[]string{"--within", "-3d"}, "want a number of days (30d) or weeks (2w)"},
		"unknown flag": {[]string{"--relevent"}, "flag provided but not defined: -relevent"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := cli(t, day, append([]string{"deadlines", "--config", cfg, "--db", db}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) || exitCode(context.Background(), err, &bytes.Buffer{}) != exitUsage {
				t.Errorf("err = %v, want a usage error with %q", err, tc.want)
			}
		})
	}

	// Nothing to show is said in Norwegian.
	out, _, err = cli(t, day.AddDate(1, 0, 0), "deadlines", "--config", cfg, "--db", db)
	if err != nil || out != "Ingen høringsfrister å vise.\n" {
		t.Errorf("a year later: %q, %v", out, err)
	}
}
