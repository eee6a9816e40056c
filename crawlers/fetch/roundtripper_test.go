package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gocolly/colly/v2"

	"watcher"
)

func TestRoundTripper(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "User-agent: *\nDisallow: /private\n")
	s.handle("/latin1", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v7"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("ETag", `"v7"`)
		_, _ = w.Write(gzipBytes(t, []byte("<p>P\xe5 h\xf8ring</p>")))
	})
	s.handle("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/latin1", http.StatusFound) })
	s.handle("/gone", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) })

	var stored watcher.Validator
	f := newTestFetcher(t, clock, Options{Validators: func(u string) (watcher.Validator, bool) {
		return stored, stored.URL == u
	}})
	client := &http.Client{Transport: f.RoundTripper()}

	resp, body := rtGet(t, client, s.URL+"/old", nil)
	if string(body) != "<p>På høring</p>" {
		t.Errorf("body %q, want decoded UTF-8", body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q, want charset rewritten to utf-8", ct)
	}
	if resp.Header.Get("Content-Encoding") != "" {
		t.Error("Content-Encoding kept on a decoded body")
	}
	if resp.Request.URL.String() != s.URL+"/latin1" {
		t.Errorf("final request URL %s: the client did not follow the redirect", resp.Request.URL)
	}
	if resp.Header.Get(HeaderSameBody) != "" {
		t.Error("Same-Body on a first fetch")
	}
	if err := json.Unmarshal([]byte(resp.Header.Get(HeaderValidator)), &stored); err != nil {
		t.Fatalf("validator header %q: %v", resp.Header.Get(HeaderValidator), err)
	}
	if stored.URL != s.URL+"/latin1" || stored.ETag != `"v7"` || len(stored.BodyHash) != 64 {
		t.Errorf("validator %+v", stored)
	}

	// Unconditional again: same body.
	resp, _ = rtGet(t, client, s.URL+"/latin1", nil)
	if resp.Header.Get(HeaderSameBody) != "1" {
		t.Error("Same-Body missing for an unchanged body")
	}
	// Conditional: 304, and our header is not sent.
	resp, body = rtGet(t, client, s.URL+"/latin1", http.Header{HeaderConditional: {"1"}, "Accept-Language": {"nb"}})
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("conditional: %d %q, want 304", resp.StatusCode, body)
	}
	last := s.requests()[len(s.requests())-1]
	if last.Header.Get(HeaderConditional) != "" || last.Header.Get("If-None-Match") != `"v7"` || last.Header.Get("Accept-Language") != "nb" || last.UA != testUA {
		t.Errorf("sent headers %v", last.Header)
	}

	for path, class := range map[string]watcher.ErrClass{"/private": watcher.ErrRobots, "/gone": watcher.ErrHTTP} {
		_, err := client.Get(s.URL + path)
		var fe *FetchError
		if !errors.As(err, &fe) || fe.Class != class {
			t.Errorf("%s: error %v, want a *FetchError of class %s", path, err, class)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/latin1", strings.NewReader("x"))
	if _, err := client.Do(req); err == nil {
		t.Error("POST went through")
	}
}

func rtGet(t *testing.T, c *http.Client, u string, h http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// TestRoundTripperWithColly is the way the HTML adapters use it.
func TestRoundTripperWithColly(t *testing.T) {
	clock := newFakeClock()
	s := newSite(t, clock, "User-agent: *\nDisallow: /private\n")
	s.handle("/list", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		_, _ = w.Write([]byte(`<ul><li><a href="/private/1">H` + "\xf8ring 1</a></li><li><a href=\"/item/2\">\x93Sitat\x94</a></li></ul>"))
	})
	s.handle("/item/2", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<h1>item</h1>")) })
	f := newTestFetcher(t, clock, Options{})

	c := colly.NewCollector()
	c.WithTransport(f.RoundTripper())
	var titles, visited []string
	var failed []watcher.ErrClass
	c.OnHTML("li a", func(e *colly.HTMLElement) {
		titles = append(titles, e.Text)
		_ = e.Request.Visit(e.Attr("href"))
	})
	c.OnResponse(func(r *colly.Response) { visited = append(visited, r.Request.URL.Path) })
	c.OnError(func(r *colly.Response, err error) {
		var fe *FetchError
		if errors.As(err, &fe) {
			failed = append(failed, fe.Class)
		}
	})
	if err := c.Visit(s.URL + "/list"); err != nil {
		t.Fatal(err)
	}
	if strings.Join(titles, "|") != "Høring 1|“Sitat”" {
		t.Errorf("titles %q", titles)
	}
	if strings.Join(visited, "|") != "/list|/item/2" {
		t.Errorf("visited %q", visited)
	}
	if len(failed) != 1 || failed[0] != watcher.ErrRobots {
		t.Errorf("errors %v, want one robots refusal", failed)
	}
}
