package fetch

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nlnwa/gowarc/v3"

	"watcher"
)

// archiveRun fetches paths from a test site with ArchiveDir set and
// returns the WARC file and the responses.
func archiveRun(t *testing.T, clock *fakeClock, s *site, paths []string) (string, map[string]*Response) {
	t.Helper()
	dir := t.TempDir()
	f := newTestFetcher(t, clock, Options{ArchiveDir: dir})
	got := map[string]*Response{}
	for _, p := range paths {
		resp, err := f.Get(context.Background(), Request{URL: s.URL + p})
		if err != nil {
			t.Fatalf("archive run %s: %v", p, err)
		}
		got[p] = resp
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 {
		t.Fatalf("archive dir holds %v, want one WARC file", files)
	}
	if f.ArchivePath() != files[0] {
		t.Errorf("ArchivePath = %q, want %q", f.ArchivePath(), files[0])
	}
	return files[0], got
}

func warcSite(t *testing.T, clock *fakeClock) *site {
	s := newSite(t, clock, "User-agent: *\nDisallow: /private\n")
	s.handle("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("ETag", `"abc"`)
		_, _ = w.Write(gzipBytes(t, []byte("<h1>H\xf8ring om bl\xe5b\xe6r</h1>")))
	})
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>` + "\xe6\xf8\xe5</title></rss>"))
	})
	s.handle("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed", http.StatusMovedPermanently)
	})
	s.handle("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write([]byte("%PDF-1.4\n\x00\x01\xff binary"))
	})
	s.handle("/private", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("secret")) })
	return s
}

func TestWARCRoundTrip(t *testing.T) {
	clock := newFakeClock()
	s := warcSite(t, clock)
	paths := []string{"/latin1", "/feed", "/moved", "/pdf"}
	file, live := archiveRun(t, clock, s, paths)
	if !regexp.MustCompile(`^watcher-20260704T080000Z\.warc\.gz$`).MatchString(filepath.Base(file)) {
		t.Errorf("WARC file name %q, want watcher-<UTC timestamp>.warc.gz", filepath.Base(file))
	}
	s.Close() // replay must not need the network

	f := newTestFetcher(t, clock, Options{Replay: []string{file}})
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			resp, err := f.Get(context.Background(), Request{URL: s.URL + p})
			if err != nil {
				t.Fatal(err)
			}
			want := live[p]
			if !bytes.Equal(resp.Body, want.Body) {
				t.Errorf("replayed body %q, live body %q", resp.Body, want.Body)
			}
			if resp.Status != want.Status || resp.FinalURL != want.FinalURL || resp.ContentType != want.ContentType ||
				resp.Charset != want.Charset || resp.WireBytes != want.WireBytes || resp.Validator.BodyHash != want.Validator.BodyHash ||
				resp.Validator.ETag != want.Validator.ETag {
				t.Errorf("replayed %+v\nlive     %+v", resp, want)
			}
		})
	}
	if !strings.Contains(string(live["/latin1"].Body), "Høring om blåbær") {
		t.Errorf("live body not decoded: %q", live["/latin1"].Body)
	}
	// Archived robots.txt still applies in replay.
	_, err := f.Get(context.Background(), Request{URL: s.URL + "/private"})
	wantClass(t, err, watcher.ErrRobots)
}

func TestWARCRecords(t *testing.T) {
	clock := newFakeClock()
	s := warcSite(t, clock)
	file, _ := archiveRun(t, clock, s, []string{"/latin1"})
	r, err := gowarc.NewWarcFileReader(file, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var kinds []string
	var latin1 []byte
	for rec, err := range r.Records() {
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Validation) > 0 {
			t.Errorf("record %s: validation findings %v", rec.WarcRecord.Type(), rec.Validation)
		}
		target := rec.WarcRecord.WarcHeader().Get(gowarc.WarcTargetURI)
		kinds = append(kinds, rec.WarcRecord.Type().String()+" "+strings.TrimPrefix(target, s.URL))
		if rec.WarcRecord.Type() == gowarc.Response && strings.HasSuffix(target, "/latin1") {
			raw, err := rec.WarcRecord.Block().RawBytes()
			if err != nil {
				t.Fatal(err)
			}
			latin1, _ = io.ReadAll(raw)
		}
		_ = rec.Close()
	}
	want := []string{"warcinfo ", "request /robots.txt", "response /robots.txt", "request /latin1", "response /latin1"}
	if strings.Join(kinds, "|") != strings.Join(want, "|") {
		t.Errorf("records = %q, want %q", kinds, want)
	}
	// The response is kept as received: status line, headers, gzip body.
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(latin1)), nil)
	if err != nil {
		t.Fatalf("archived response does not parse: %v\n%q", err, latin1)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(body, gzipBytes(t, []byte("<h1>H\xf8ring om bl\xe5b\xe6r</h1>"))) {
		t.Errorf("archived response: %d %v %q", resp.StatusCode, resp.Header, body)
	}
}

func TestReplayUnknownURL(t *testing.T) {
	clock := newFakeClock()
	s := warcSite(t, clock)
	file, _ := archiveRun(t, clock, s, []string{"/feed"})
	s.Close()
	f := newTestFetcher(t, clock, Options{Replay: []string{file}})
	u := s.URL + "/never-fetched"
	_, err := f.Get(context.Background(), Request{URL: u})
	fe := wantClass(t, err, watcher.ErrNotArchived)
	if !strings.Contains(fe.Error(), "not in the WARC archive: "+u) {
		t.Errorf("error %q", fe)
	}
	// Another host: its robots.txt is not archived either, which counts
	// as absent, so the page itself is what is missing.
	_, err = f.Get(context.Background(), Request{URL: "http://elsewhere.invalid/page"})
	wantClass(t, err, watcher.ErrNotArchived)
	if len(f.RobotsFetched()) != 0 {
		t.Error("a robots.txt missing from the archive must not be offered for persisting")
	}
}

func TestReplayLatestRecordWins(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	n := 0
	s.handle("/news", func(w http.ResponseWriter, r *http.Request) {
		n++
		_, _ = w.Write([]byte("version " + string(rune('0'+n))))
	})
	dir := t.TempDir()
	f := newTestFetcher(t, clock, Options{ArchiveDir: dir})
	for i := 0; i < 2; i++ {
		if _, err := f.Get(context.Background(), Request{URL: s.URL + "/news"}); err != nil {
			t.Fatal(err)
		}
		_ = clock.Sleep(context.Background(), 60e9)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	r := newTestFetcher(t, clock, Options{Replay: []string{f.ArchivePath()}})
	resp, err := r.Get(context.Background(), Request{URL: s.URL + "/news"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "version 2" {
		t.Errorf("replayed %q, want the latest capture", resp.Body)
	}
}

func TestArchiveTooLargeIsTruncatedRecord(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "")
	s.handle("/big", func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush() // chunked: no Content-Length to refuse on
		_, _ = w.Write(bytes.Repeat([]byte("x"), 3000))
	})
	dir := t.TempDir()
	f := newTestFetcher(t, clock, Options{ArchiveDir: dir, BodyCap: 1000})
	_, err := f.Get(context.Background(), Request{URL: s.URL + "/big"})
	wantClass(t, err, watcher.ErrTooLarge)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := gowarc.NewWarcFileReader(f.ArchivePath(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	found := false
	for rec, err := range r.Records() {
		if err != nil {
			t.Fatal(err)
		}
		h := rec.WarcRecord.WarcHeader()
		if rec.WarcRecord.Type() == gowarc.Response && strings.HasSuffix(h.Get(gowarc.WarcTargetURI), "/big") {
			found = h.Get(gowarc.WarcTruncated) == "length"
		}
		_ = rec.Close()
	}
	if !found {
		t.Error("an over-cap response must be archived with WARC-Truncated: length")
	}
}
