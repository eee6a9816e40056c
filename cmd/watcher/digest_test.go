package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/state"
)

// digestConfig writes a small configuration for the digest and decide
// commands.
func digestConfig(t *testing.T) string {
	t.Helper()
	const cfg = `
contact: mailto:test@watcher.invalid
sources:
  - id: unodc
    name: UNODC – news
    organisation: UNODC
    region: international
    kind: feed
    url: https://www.unodc.org/rss.xml
    doc_kind: report
    language: en
  - id: politiet
    name: Politiet – nyheter
    organisation: Politiet
    region: norway
    kind: feed
    url: https://www.politiet.no/rss.xml
    doc_kind: news
    language: nb
`
	path := filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var digestNow = time.Date(2023, 10, 2, 7, 0, 0, 0, time.UTC)

// digestDB writes a database with three items of 2023Q3.
func digestDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "watcher.db")
	st, err := state.Open(path, state.Options{Now: func() time.Time { return digestNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	day := func(m time.Month, d int) time.Time { return time.Date(2023, m, d, 0, 0, 0, 0, time.UTC) }
	items := []watcher.Item{
		{Key: "unodc:1", SourceID: "unodc", URL: "https://www.unodc.org/1", Title: "Global report", Kind: watcher.KindReport,
			Organisation: "UNODC", Published: day(8, 1), Relevance: watcher.Relevance{Score: 3, Relevant: true}},
		{Key: "unodc:2", SourceID: "unodc", URL: "https://www.unodc.org/2", Title: "Toolkit", Kind: watcher.KindReport,
			Organisation: "UNODC", Published: day(9, 1), Relevance: watcher.Relevance{Score: 2, Relevant: true}},
		{Key: "politiet:1", SourceID: "politiet", URL: "https://www.politiet.no/1", Title: "Trafikk", Kind: watcher.KindNews,
			Organisation: "Politiet", Published: day(7, 3), Relevance: watcher.Relevance{Score: 0.1}},
	}
	for _, it := range items {
		if _, err := st.ApplyBatch(state.SourceBatch{SourceID: it.SourceID, Seen: it.Published, Items: []watcher.Item{it}}); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// watcherCLI runs one command in-process against cfg and db.
func watcherCLI(t *testing.T, cfg, db string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := NewMain(&out, &errOut)
	m.Now = func() time.Time { return digestNow }
	m.Getenv = func(string) string { return "" }
	full := append([]string{args[0], "--config", cfg, "--db", db, "--log-level", "warn"}, args[1:]...)
	err := m.Run(context.Background(), full)
	m.Close()
	if testing.Verbose() {
		t.Logf("watcher %s\n%s%s", strings.Join(full, " "), out.String(), errOut.String())
	}
	return out.String(), err
}

func listDecisions(t *testing.T, cfg, db string) map[string]watcher.Decision {
	t.Helper()
	out, err := watcherCLI(t, cfg, db, "decide", "--period", "2023Q3", "--list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var ds []watcher.Decision
	if err := json.Unmarshal([]byte(out), &ds); err != nil {
		t.Fatalf("decide --list --json: %v\n%s", err, out)
	}
	m := map[string]watcher.Decision{}
	for _, d := range ds {
		m[d.Key] = d
	}
	return m
}

func TestDecideRoundTrip(t *testing.T) {
	cfg, db := digestConfig(t), digestDB(t)
	steps := []struct {
		args []string
		out  string
	}{
		{[]string{"--period", "2023Q3", "--exclude", "--reason", "Dublett", "unodc:2"}, `2023Q3 unodc:2: exclude, reason "Dublett"`},
		{[]string{"--period", "2023-Q3", "unodc:1", "--heading", "Ny rapport", "--section", "Verdt å merke seg", "--order", "2"}, `2023Q3 unodc:1: section verdt, order 2, heading "Ny rapport"`},
		{[]string{"--period", "2023Q3", "--include", "politiet:1"}, "2023Q3 politiet:1: include"},
		{[]string{"--period", "2023Q3", "--text", "Egen tekst, se her.", "unodc:1"}, `text "Egen tekst, se her."`},
		{[]string{"--period", "2023Q3", "--section", "aktiviteter", "--heading", "Fagdag", "--text", "Fagdag i Bergen.", "manual:fagdag"}, "2023Q3 manual:fagdag: section aktiviteter"},
	}
	for _, s := range steps {
		out, err := watcherCLI(t, cfg, db, append([]string{"decide"}, s.args...)...)
		if err != nil || !strings.Contains(out, s.out) {
			t.Fatalf("decide %v = %q, %v; want output containing %q", s.args, out, err, s.out)
		}
	}
	ds := listDecisions(t, cfg, db)
	if d := ds["unodc:2"]; d.State != watcher.DecisionExclude || d.Reason != "Dublett" || d.Period != "2023Q3" || !d.At.Equal(digestNow) {
		t.Errorf("unodc:2 = %+v", d)
	}
	if d := ds["unodc:1"]; d.Section != "verdt" || d.Heading != "Ny rapport" || d.Text != "Egen tekst, se her." || d.Order != 2 {
		t.Errorf("unodc:1 = %+v; the later --text must keep the earlier heading, section and order", d)
	}
	if d := ds["manual:fagdag"]; d.Section != "aktiviteter" || d.Heading != "Fagdag" {
		t.Errorf("manual:fagdag = %+v", d)
	}

	// The draft follows the decisions.
	outFile := filepath.Join(t.TempDir(), "utkast.html")
	if _, err := watcherCLI(t, cfg, db, "digest", "--quarter", "2023Q3", "-o", outFile); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="nb">`, "Ny rapport", "Egen tekst, <a href=\"https://www.unodc.org/1\">se her</a>.", "Trafikk", "Fagdag i Bergen."} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the HTML draft (html chosen by -o's extension) lacks %q", want)
		}
	}
	if strings.Contains(string(html), "Toolkit") {
		t.Error("the excluded item is in the draft")
	}

	// Back to the rules: --include=false leaves nothing, so the decision goes.
	if out, err := watcherCLI(t, cfg, db, "decide", "--period", "2023Q3", "--include=false", "politiet:1"); err != nil || !strings.Contains(out, "back to the rules") {
		t.Errorf("--include=false: %q, %v", out, err)
	}
	if out, err := watcherCLI(t, cfg, db, "decide", "--period", "2023Q3", "--clear", "unodc:2"); err != nil || !strings.Contains(out, "decision removed") {
		t.Errorf("--clear: %q, %v", out, err)
	}
	ds = listDecisions(t, cfg, db)
	if _, ok := ds["politiet:1"]; ok {
		t.Error("politiet:1 still has a decision")
	}
	if _, ok := ds["unodc:2"]; ok {
		t.Error("unodc:2 still has a decision")
	}
	if len(ds) != 2 {
		t.Errorf("decisions left: %v", ds)
	}
}

func TestDecideRefuses(t *testing.T) {
	cfg, db := digestConfig(t), digestDB(t)
	tests := map[string][]string{
		"no period":             {"--exclude", "unodc:1"},
		"bad period":            {"--period", "2023Q5", "--exclude", "unodc:1"},
		"unknown item":          {"--period", "2023Q3", "--exclude", "unodc:404"},
		"unknown section":       {"--period", "2023Q3", "--section", "sport", "unodc:1"},
		"include and exclude":   {"--period", "2023Q3", "--include", "--exclude", "unodc:1"},
		"nothing to decide":     {"--period", "2023Q3", "unodc:1"},
		"clear with a change":   {"--period", "2023Q3", "--clear", "--exclude", "unodc:1"},
		"two keys":              {"--period", "2023Q3", "--exclude", "unodc:1", "unodc:2"},
		"same as itself":        {"--period", "2023Q3", "--same-as", "unodc:1", "unodc:1"},
		"same as unknown":       {"--period", "2023Q3", "--same-as", "unodc:404", "unodc:1"},
		"url on an item":        {"--period", "2023Q3", "--url", "https://example.org", "unodc:1"},
		"manual without place":  {"--period", "2023Q3", "--heading", "X", "manual:x"},
		"manual with a bad url": {"--period", "2023Q3", "--section", "egne", "--heading", "X", "--url", "javascript:x", "manual:x"},
		"manual url no host":    {"--period", "2023Q3", "--section", "egne", "--heading", "X", "--url", "https://", "manual:x"},
		"negative order":        {"--period", "2023Q3", "--order", "-1", "unodc:1"},
		"list with a key":       {"--period", "2023Q3", "--list", "unodc:1"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			out, err := watcherCLI(t, cfg, db, append([]string{"decide"}, args...)...)
			if !errors.Is(err, errUsage) {
				t.Errorf("decide %v = %q, %v; want a usage error", args, out, err)
			}
		})
	}
	if ds := listDecisions(t, cfg, db); len(ds) != 0 {
		t.Errorf("refused commands stored %v", ds)
	}
}

func TestDigestCommand(t *testing.T) {
	cfg, db := digestConfig(t), digestDB(t)
	notes := filepath.Join(t.TempDir(), "notater.md")
	if err := os.WriteFile(notes, []byte("## Egne publikasjoner\n### Statusrapport\nVi publiserte statusrapporten.\nhttps://www.politiet.no/kom\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := watcherCLI(t, cfg, db, "digest", "--from", "2023-07-01", "--to", "30.09.2023", "--notes", notes, "--provenance")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"**juli–september 2023**",
		"**Statusrapport**\\\nVi publiserte statusrapporten. [Se her](https://www.politiet.no/kom).",
		"UNODC publiserte i august rapporten «Global report», [se her](https://www.unodc.org/1).",
		"_Kilde: UNODC – news, først sett 1. august 2023",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the Markdown draft lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Trafikk") {
		t.Error("the irrelevant item is in the draft")
	}
	ds := listDecisions(t, cfg, db)
	if d, ok := ds["manual:notes-egne-statusrapport"]; !ok || d.Section != "egne" || d.URL != "https://www.politiet.no/kom" {
		t.Errorf("the notes were not stored as a decision: %v", ds)
	}

	tmpl := filepath.Join(t.TempDir(), "kort.tmpl")
	if err := os.WriteFile(tmpl, []byte("{{.PeriodText}}:{{range .Sections}} {{.ID}}={{.Len}}{{end}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = watcherCLI(t, cfg, db, "digest", "--quarter", "2023Q3", "--template", tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if want := "juli–september 2023: egne=1 aktiviteter=0 verdt=0 norske=0 internasjonale=2 arrangementer=0\n"; out != want {
		t.Errorf("--template: %q, want %q", out, want)
	}

	for name, args := range map[string][]string{
		"no period":       {},
		"both periods":    {"--quarter", "2023Q3", "--from", "2023-07-01", "--to", "2023-09-30"},
		"half a range":    {"--from", "2023-07-01"},
		"backwards range": {"--from", "2023-09-30", "--to", "2023-07-01"},
		"bad quarter":     {"--quarter", "Q3"},
		"bad format":      {"--quarter", "2023Q3", "--format", "pdf"},
		"stray argument":  {"--quarter", "2023Q3", "extra"},
		"unparsable date": {"--from", "i fjor", "--to", "2023-09-30"},
	} {
		if _, err := watcherCLI(t, cfg, db, append([]string{"digest"}, args...)...); !errors.Is(err, errUsage) {
			t.Errorf("digest %s: %v, want a usage error", name, err)
		}
	}
}

// TestDecideFindsTheItem lets the editor name an item by its address or
// its site id, and says which keys come close to a mistyped one.
func TestDecideFindsTheItem(t *testing.T) {
	cfg, db := digestConfig(t), digestDB(t)
	// Steps in order: each builds on the decisions before it.
	for _, tc := range []struct {
		name string
		args []string
		out  string
	}{
		{"by address", []string{"--exclude", "https://www.unodc.org/2"}, "2023Q3 unodc:2: exclude"},
		{"by address, other scheme", []string{"--include", "http://www.unodc.org/1/"}, "2023Q3 unodc:1: include"},
		{"by the site's id", []string{"--reason", "Dublett", "2"}, `2023Q3 unodc:2: exclude, reason "Dublett"`},
		{"same as, by address", []string{"--same-as", "https://www.unodc.org/2", "unodc:1"}, "2023Q3 unodc:1: include, same as unodc:2"},
		{"clear, by address", []string{"--clear", "https://www.unodc.org/1"}, "2023Q3 unodc:1: decision removed"},
	} {
		out, err := watcherCLI(t, cfg, db, append([]string{"decide", "--period", "2023Q3"}, tc.args...)...)
		if err != nil || !strings.Contains(out, tc.out) {
			t.Errorf("%s: decide %v = %q, %v; want %q", tc.name, tc.args, out, err, tc.out)
		}
	}
	if ds := listDecisions(t, cfg, db); len(ds) != 1 || ds["unodc:2"].Reason != "Dublett" {
		t.Errorf("decisions after the steps: %v", ds)
	}
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"typo in a key":      {[]string{"--exclude", "unodc:3"}, `no item has the key "unodc:3"; did you mean unodc:1 or unodc:2?`},
		"id of two items":    {[]string{"--exclude", "1"}, `"1" fits several items: politiet:1, unodc:1; give the key`},
		"unknown address":    {[]string{"--exclude", "https://www.unodc.org/9"}, `no item has the key "https://www.unodc.org/9"`},
		"typo in a flag":     {[]string{"--exlude", "unodc:1"}, "flag provided but not defined: -exlude; did you mean --exclude?"},
		"flag after the key": {[]string{"unodc:1", "--sektion", "verdt"}, "did you mean --section?"},
		"no such quarter":    {[]string{"--period", "2023Q5", "--exclude", "unodc:1"}, "there is no quarter 5: a year has Q1 (January–March) to Q4 (October–December)"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := watcherCLI(t, cfg, db, append([]string{"decide"}, append([]string{"--period", "2023Q3"}, tc.args...)...)...)
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("decide %v: %v; want a usage error with %q", tc.args, err, tc.want)
			}
		})
	}
}

// TestDigestErrorsSayWhatToDo checks the messages for the mistakes an
// editor makes with the digest's period.
func TestDigestErrorsSayWhatToDo(t *testing.T) {
	cfg, db := digestConfig(t), digestDB(t)
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"no quarter 5":        {[]string{"--quarter", "2023Q5"}, `--quarter "2023Q5": there is no quarter 5`},
		"no year":             {[]string{"--quarter", "Q3"}, "want a year and a quarter, as in 2023Q3"},
		"quarter as argument": {[]string{"2023Q3"}, "did you mean --quarter 2023Q3?"},
		"typo in a flag":      {[]string{"--qarter", "2023Q3"}, "did you mean --quarter?"},
		"range backwards":     {[]string{"--from", "2023-09-30", "--to", "2023-07-01"}, "period ends (2023-07-01) before it begins (2023-09-30)"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := watcherCLI(t, cfg, db, append([]string{"digest"}, tc.args...)...)
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("digest %v: %v; want a usage error with %q", tc.args, err, tc.want)
			}
		})
	}
}

// TestPrintDecisions checks the table of decide --list: each decision in
// one line, its time in the configured zone, "-" when it has none.
func TestPrintDecisions(t *testing.T) {
	oslo := osloLoc(t)
	ds := []watcher.Decision{
		{Period: "2023Q3", Key: "unodc:1", State: watcher.DecisionInclude, Section: "internasjonalt", At: time.Date(2023, 10, 2, 7, 5, 0, 0, time.UTC)},
		{Period: "2023Q3", Key: "manual:fagdag", Heading: "Fagdag"},
	}
	var b strings.Builder
	printDecisions(&b, ds, oslo)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := []string{
		"KEY            DECISION                         AT",
		"unodc:1        include, section internasjonalt  2023-10-02 09:05",
		`manual:fagdag  heading "Fagdag"                 -`,
		"2 decisions",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), b.String())
	}
	for i := range want {
		if strings.TrimRight(lines[i], " ") != want[i] {
			t.Errorf("line %d %q, want %q", i+1, lines[i], want[i])
		}
	}
}
