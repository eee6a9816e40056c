package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRescoreAfterProfileChange edits a copy of the shipped topic
// profile, as the editor would, and checks that rescore recomputes the
// stored verdicts, names the items whose verdict changed, and that an open
// consultation that became relevant is announced once by the next run.
func TestRescoreAfterProfileChange(t *testing.T) {
	site := newHearingsSite()
	srv := httptest.NewServer(site.handler())
	defer srv.Close()
	dir := t.TempDir()
	shipped, err := os.ReadFile("../../config/topics.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(shipped), "\nterms:\n", "\nterms:\n  - term: fiske\n    weight: 5\n    prefix: true\n", 1)
	if edited == string(shipped) {
		t.Fatal("the shipped profile has no terms: list")
	}
	topics := filepath.Join(dir, "topics.yaml")
	if err := os.WriteFile(topics, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	base := hearingsConfig(t, srv.URL)
	cfgText, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	withTopics := filepath.Join(dir, "watcher.yaml")
	if err := os.WriteFile(withTopics, []byte("topics_file: "+topics+"\n"+string(cfgText)), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "watcher.db")
	day := time.Date(2026, 11, 20, 6, 0, 0, 0, osloLoc(t))
	const fishing = "regjeringen:3100003"

	mustCLI := func(now time.Time, args ...string) string {
		t.Helper()
		out, log, err := cli(t, now, args...)
		if err != nil {
			t.Fatalf("watcher %v: %v\n%s%s", args, err, out, log)
		}
		return out
	}
	mustCLI(day, "run", "--config", base, "--db", db)
	if storedItems(t, db)[fishing].Relevance.Relevant {
		t.Fatal("the fisheries hearing is relevant under the shipped profile")
	}

	out := mustCLI(day, "rescore", "--config", withTopics, "--db", db)
	for _, want := range []string{
		"rescored 3 items", "1 became relevant, 0 no longer relevant",
		"became relevant:\n  " + fishing, "fisket i sjøen", "deadline 2026-12-01",
		"1 open consultation became relevant",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rescore output lacks %q:\n%s", want, out)
		}
	}
	it := storedItems(t, db)[fishing]
	if !it.Relevance.Relevant || len(it.Relevance.Matches) == 0 || it.Relevance.Matches[0].Term != "fiske" {
		t.Errorf("after rescore: %+v, want relevant through the new term", it.Relevance)
	}
	if out := mustCLI(day, "rescore", "--config", withTopics, "--db", db); !strings.Contains(out, "rescored 0 items") {
		t.Errorf("a second rescore with the same profile rewrote items:\n%s", out)
	}

	// The next runs announce it once.
	var announced int
	for d := 1; d <= 3; d++ {
		out := mustCLI(day.AddDate(0, 0, d), "run", "--config", withTopics, "--db", db)
		announced += strings.Count(out, "Ny høring: Høring – endringer i forskrift om utøvelse av fisket i sjøen")
	}
	if announced != 1 {
		t.Errorf("the newly relevant hearing was announced %d times, want once", announced)
	}

	out = mustCLI(day.AddDate(0, 0, 4), "rescore", "--config", base, "--db", db)
	if !strings.Contains(out, "0 became relevant, 1 no longer relevant") || !strings.Contains(out, "no longer relevant:\n  "+fishing) {
		t.Errorf("back to the shipped profile:\n%s", out)
	}
	if storedItems(t, db)[fishing].Relevance.Relevant {
		t.Error("still relevant after going back to the shipped profile")
	}
}
