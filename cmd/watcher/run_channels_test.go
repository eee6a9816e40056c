package main

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunRefusesMissingSecretBeforeCrawling: a channel whose secret
// variable is unset is a configuration error found at start (as
// docs/ALERTS.md promises), before an hour of crawling: the run used to
// crawl and store, then fail to build its channels, log it, and exit 0
// with every alert left undelivered, run after run.
func TestRunRefusesMissingSecretBeforeCrawling(t *testing.T) {
	s := newSite()
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	cfgPath := writeConfig(t, srv.URL)
	b, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	withHook := strings.Replace(string(b), `  editor: [console]
  admin: [console]
  channels:
`, `  editor: [teams]
  admin: [console]
  channels:
    - name: teams
      type: webhook
      url: https://hooks.example.invalid/x
      token_env: WATCHER_TEAMS_TOKEN
`, 1)
	if withHook == string(b) {
		t.Fatal("the test configuration's alerts section changed")
	}
	if err := os.WriteFile(cfgPath, []byte(withHook), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "watcher.db")

	_, err = runCLI(t, time.Now(), "run", "--config", cfgPath, "--db", db)
	if err == nil || !strings.Contains(err.Error(), "WATCHER_TEAMS_TOKEN") {
		t.Fatalf("err = %v, want the unset variable named", err)
	}
	if code := exitCode(context.Background(), err, &bytes.Buffer{}); code != exitFailure {
		t.Errorf("exit code %d, want %d", code, exitFailure)
	}
	if n := s.count("/feed.xml"); n != 0 {
		t.Errorf("crawled before checking the channels (%d feed requests)", n)
	}

	// --no-alerts needs no channel: it runs.
	if _, err := runCLI(t, time.Now(), "run", "--config", cfgPath, "--db", db, "--no-alerts"); err != nil && !errors.Is(err, errPartial) {
		t.Errorf("--no-alerts: %v", err)
	}
}

// TestServeRefusesMissingSecret: `watcher serve` checks its channels at
// start too, before taking the database lock or listening.
func TestServeRefusesMissingSecret(t *testing.T) {
	cfgPath := writeConfig(t, "http://127.0.0.1:1")
	b, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	withMail := strings.Replace(string(b), `  channels:
`, `  channels:
    - name: mail
      type: smtp
      host: smtp.example.invalid
      username: watcher
      password_env: WATCHER_TEST_SMTP_PASSWORD
      from: w@example.invalid
      to: [kom@example.invalid]
`, 1)
	if withMail == string(b) {
		t.Fatal("the test configuration's alerts section changed")
	}
	if err := os.WriteFile(cfgPath, []byte(withMail), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "watcher.db")
	// Were the check missing, serve would start: the deadline ends it.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out bytes.Buffer
	m := NewMain(&out, &out)
	m.Getenv = func(string) string { return "" }
	err = m.Run(ctx, []string{"serve", "--config", cfgPath, "--db", db, "--addr", "127.0.0.1:0", "--no-schedule"})
	m.Close()
	if err == nil || !strings.Contains(err.Error(), "WATCHER_TEST_SMTP_PASSWORD") {
		t.Fatalf("err = %v, want the unset variable named", err)
	}
	if _, statErr := os.Stat(db); statErr == nil {
		t.Error("the database was opened before the channels were checked")
	}
}
