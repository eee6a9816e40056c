package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/crawlers/fetch"
)

// captures are the real regjeringen.no responses, byte for byte, at the
// URLs they were captured from.
var captures = map[string]string{
	"https://www.regjeringen.no/robots.txt":                    "robots.txt",
	"https://www.regjeringen.no/no/dokument/hoyringar/id1763/": "hoyringar_id1763_page-001.html",
	"https://www.regjeringen.no/no/dokumenter/kort-horing-avskogingsforordningen-og-forbud-mot-eksport-til-tredjeland/id3167072/": "hearing_id3167072.html",
}

// captureTransport answers the captured URLs from files and 404s the rest,
// so a run through the fetcher archives exactly the captures.
type captureTransport struct{ dir string }

func (c captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	name, ok := captures[req.URL.String()]
	if !ok {
		return &http.Response{StatusCode: 404, Status: "404 Not Found", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"text/plain"}}, Body: io.NopCloser(strings.NewReader("not captured")), Request: req}, nil
	}
	body, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		return nil, err
	}
	ct := "text/html; charset=utf-8"
	if strings.HasSuffix(name, ".txt") {
		ct = "text/plain"
	}
	return &http.Response{StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {ct}, "Cache-Control": {"public,max-age=15"}}, ContentLength: int64(len(body)),
		Body: io.NopCloser(bytes.NewReader(body)), Request: req}, nil
}

// realWARC writes the captures into a WARC file through the fetcher's own
// archive, as `watcher run --archive` would have on the day.
func realWARC(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	f, err := fetch.New(fetch.Options{
		UserAgent: "watcher-test", ArchiveDir: dir, Transport: captureTransport{dir: "../../crawlers/norway/testdata/real"},
		Now: func() time.Time { return time.Date(2026, 7, 4, 8, 41, 54, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	for u := range captures {
		if strings.HasSuffix(u, "robots.txt") {
			continue
		}
		if _, err := f.Get(context.Background(), fetch.Request{URL: u}); err != nil {
			t.Fatalf("archive %s: %v", u, err)
		}
	}
	path := f.ArchivePath()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReplayRealRegjeringen(t *testing.T) {
	warc := realWARC(t)
	cfgPath := filepath.Join(t.TempDir(), "sources.yaml")
	os.WriteFile(cfgPath, []byte(`contact: mailto:test@watcher.invalid
sources:
  - id: regjeringen-horinger-liste
    name: Regjeringen – høringer
    organisation: Regjeringen
    region: norway
    kind: regjeringen-hearings
    url: https://www.regjeringen.no/no/dokument/hoyringar/id1763/
    doc_kind: hearing
    max_pages: 1
    max_item_pages: 30
`), 0o644)
	db := filepath.Join(t.TempDir(), "watcher.db")
	now := time.Date(2026, 7, 5, 6, 0, 0, 0, time.UTC)
	out, err := runCLI(t, now, "run", "--config", cfgPath, "--db", db, "--replay", warc, "--no-alerts")
	// Hearing pages other than the one captured are not in the archive:
	// reported as problems, the listing's hearings are stored all the same.
	if err != nil && !strings.Contains(err.Error(), "sources failed") {
		t.Fatalf("replay run: %v\n%s", err, out)
	}
	out, err = runCLI(t, now, "items", "--config", cfgPath, "--db", db, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var items []watcher.Item
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("items --json: %v", err)
	}
	if len(items) != 20 {
		t.Fatalf("replay stored %d items, want the listing's 20", len(items))
	}
	for _, it := range items {
		if it.Deadline.IsZero() || it.Status == watcher.StatusNone || !strings.HasPrefix(it.Key, "regjeringen:") {
			t.Errorf("hearing %s %q: deadline %v status %q", it.Key, it.Title, it.Deadline, it.Status)
		}
		if it.Key == "regjeringen:3167072" {
			if it.Deadline.In(osloLoc(t)).Format("2006-01-02") != "2026-08-07" || it.Reference == "" || len(it.Attachments) == 0 {
				t.Errorf("the captured hearing lacks page fields: %+v", it)
			}
		}
	}
}

// TestArchiveThenReplay records a run against a local site, then replays
// it with the site gone and gets the same items.
func TestArchiveThenReplay(t *testing.T) {
	s := newSite()
	srv := newTestServer(t, s)
	cfg := writeConfig(t, srv)
	archive := t.TempDir()
	db1 := filepath.Join(t.TempDir(), "a.db")
	day := time.Date(2026, 9, 18, 6, 0, 0, 0, time.UTC)
	if _, err := runCLI(t, day, "run", "--config", cfg, "--db", db1, "--archive", archive, "--no-alerts"); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(archive, "*.warc.gz"))
	if len(files) != 1 {
		t.Fatalf("archive files: %v", files)
	}
	closeTestServer(srv)
	db2 := filepath.Join(t.TempDir(), "b.db")
	if _, err := runCLI(t, day, "run", "--config", cfg, "--db", db2, "--replay", files[0], "--no-alerts"); err != nil {
		t.Fatalf("replay: %v", err)
	}
	a, b := storedItems(t, db1), storedItems(t, db2)
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("recorded %d items, replayed %d", len(a), len(b))
	}
	for k, it := range a {
		got, ok := b[k]
		if !ok || got.Title != it.Title || !got.Published.Equal(it.Published) || !got.Deadline.Equal(it.Deadline) {
			t.Errorf("item %s differs after replay: %+v vs %+v", k, it, got)
		}
	}
}
