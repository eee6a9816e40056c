package e2e

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"watcher"
	"watcher/state"
)

// hostileCase is one hostile or broken source, run by the binary in one
// run together with a good feed on the same site.
type hostileCase struct {
	name    string
	kind    string // feed, html or page
	path    string // served by handler
	handler http.HandlerFunc
	extra   string // more YAML for the source (indented four spaces)
	// want is the error class of the hostile source; "" means it must
	// succeed (exit 0).
	want watcher.ErrClass
	// alsoOK is another acceptable class (a truncated body may fail in the
	// transport or in the parser, depending on where it is cut).
	alsoOK watcher.ErrClass
	// maxRSS bounds the binary's peak resident memory, in MiB.
	maxRSS int64
	// timeout is the configured per-request timeout (default 30s: large
	// bodies must not fail on a loaded machine; the slow-body case sets a
	// short one to show it is enforced).
	timeout string
	// check looks at what the hostile source stored.
	check func(t *testing.T, items []watcher.Item)
}

const goodFeed = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>God</title><link>%[1]s/</link>
<item><title>Ny rapport om menneskehandel</title><link>%[1]s/good/1</link><guid isPermaLink="false">good-1</guid><pubDate>Mon, 02 Mar 2026 08:00:00 +0100</pubDate></item>
<item><title>Nytt veiledningshefte</title><link>%[1]s/good/2</link><guid isPermaLink="false">good-2</guid><pubDate>Tue, 03 Mar 2026 08:00:00 +0100</pubDate></item>
</channel></rss>`

func rssHeader(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
}

// feedOf is an RSS feed of the given <item> elements.
func feedOf(items ...string) string {
	return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><link>https://example.org/</link>` +
		strings.Join(items, "") + `</channel></rss>`
}

func hostileCases() []hostileCase {
	var cases []hostileCase
	add := func(c hostileCase) { cases = append(cases, c) }

	add(hostileCase{
		name: "invalid-xml", kind: "feed", path: "/bad.xml", want: watcher.ErrParse, maxRSS: 120,
		handler: func(w http.ResponseWriter, r *http.Request) {
			rssHeader(w)
			fmt.Fprint(w, "]]> {{ this is no XML at all }} <<<&&&\x00")
		},
	})
	add(hostileCase{
		name: "truncated-body", kind: "feed", path: "/truncated.xml", want: watcher.ErrNetwork, alsoOK: watcher.ErrParse, maxRSS: 120,
		handler: func(w http.ResponseWriter, r *http.Request) {
			rssHeader(w)
			body := feedOf(`<item><title>Første</title><link>https://example.org/a</link></item>`, `<item><title>Andre</title><link>https://example.org/b</link></item>`)
			// The header promises the whole feed; the connection closes halfway.
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			fmt.Fprint(w, body[:len(body)/2])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		},
	})
	add(hostileCase{
		name: "truncated-document", kind: "feed", path: "/cut.xml", want: watcher.ErrParse, alsoOK: "ok", maxRSS: 120,
		handler: func(w http.ResponseWriter, r *http.Request) {
			rssHeader(w)
			body := feedOf(`<item><title>Første</title><link>https://example.org/a</link></item>`, `<item><title>Andre</title><link>https://example.org/b</link></item>`)
			fmt.Fprint(w, body[:len(body)-40])
		},
	})
	add(hostileCase{
		name: "feed-50MB", kind: "feed", path: "/huge.xml", want: watcher.ErrTooLarge, maxRSS: 150,
		handler: func(w http.ResponseWriter, r *http.Request) {
			rssHeader(w)
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>`)
			item := []byte(`<item><title>` + strings.Repeat("menneskehandel ", 60) + `</title><link>https://example.org/x</link></item>`)
			chunk := bytes.Repeat(item, (1<<20)/len(item))
			for sent := 0; sent < 50<<20; sent += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			fmt.Fprint(w, `</channel></rss>`)
		},
	})
	add(hostileCase{
		name: "billion-laughs", kind: "feed", path: "/lol.xml", want: watcher.ErrParse, alsoOK: "ok", maxRSS: 120,
		handler: func(w http.ResponseWriter, r *http.Request) {
			rssHeader(w)
			var b strings.Builder
			b.WriteString(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">`)
			prev := "lol"
			for i := 1; i <= 9; i++ {
				name := fmt.Sprintf("lol%d", i)
				fmt.Fprintf(&b, `<!ENTITY %s "%s">`, name, strings.Repeat("&"+prev+";", 10))
				prev = name
			}
			b.WriteString(`]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>https://example.org/lol</link><description>&lol9;</description></item></channel></rss>`)
			fmt.Fprint(w, b.String())
		},
		check: func(t *testing.T, items []watcher.Item) {
			for _, it := range items {
				if len(it.Title) > 10000 || len(it.Summary) > 10000 {
					t.Errorf("entities were expanded: title of %d bytes", len(it.Title))
				}
			}
		},
	})
	add(hostileCase{
		name: "wrong-encoding", kind: "feed", path: "/latin.xml", maxRSS: 120,
		handler: func(w http.ResponseWriter, r *http.Request) {
			// Declared UTF-8, written in ISO-8859-1 ("Høring" with a raw 0xF8),
			// plus a UTF-16 byte order mark in the next title.
			rssHeader(w)
			body := feedOf(`<item><title>H`+"\xf8"+`ring om straffeloven</title><link>https://example.org/latin/1</link><guid>latin-1</guid></item>`,
				`<item><title>`+"\xff\xfe"+`Rapport</title><link>https://example.org/latin/2</link><guid>latin-2</guid></item>`)
			fmt.Fprint(w, body)
		},
		check: func(t *testing.T, items []watcher.Item) {
			if len(items) == 0 {
				t.Error("nothing stored from a feed with a few bad bytes")
			}
		},
	})
	add(hostileCase{
		name: "html-that-is-not-html", kind: "html", path: "/binary", want: watcher.ErrLayout, alsoOK: watcher.ErrParse, maxRSS: 120,
		extra: "    selectors:\n      item: ul.items > li\n",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			b := make([]byte, 256<<10)
			for i := range b {
				b[i] = byte(i*7 + i/251)
			}
			_, _ = w.Write([]byte("\x89PNG\r\n\x1a\n"))
			_, _ = w.Write(b)
		},
	})
	add(hostileCase{
		name: "page-with-100000-links", kind: "page", path: "/links", maxRSS: 200,
		extra: "    selectors:\n      region: main\n",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			var b strings.Builder
			b.WriteString(`<html><body><main><ul>`)
			for i := range 100000 {
				fmt.Fprintf(&b, `<li><a href="/doc/%d">Dokument %d</a></li>`, i, i)
			}
			b.WriteString(`</ul></main></body></html>`)
			fmt.Fprint(w, b.String())
		},
		check: func(t *testing.T, items []watcher.Item) {
			if len(items) == 0 || len(items) > 5000 {
				t.Errorf("%d items from a page of 100 000 links; want some, capped", len(items))
			}
		},
	})
	add(hostileCase{
		name: "listing-with-100000-items", kind: "html", path: "/biglist", maxRSS: 250,
		extra: "    selectors:\n      item: ul > li\n      next: a.next\n",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			var b strings.Builder
			b.WriteString(`<html><body><ul>`)
			for i := range 100000 {
				fmt.Fprintf(&b, `<li><a href="/doc/%d">Dokument %d</a> <time datetime="2026-03-02">2. mars 2026</time></li>`, i, i)
			}
			// The next page is the same page again.
			b.WriteString(`</ul><a class="next" href="/biglist?p=2">Neste</a></body></html>`)
			fmt.Fprint(w, b.String())
		},
		check: func(t *testing.T, items []watcher.Item) {
			if len(items) == 0 || len(items) > 5000 {
				t.Errorf("%d items from listing pages of 100 000 entries; want some, capped", len(items))
			}
		},
	})
	add(hostileCase{
		name: "redirect-to-other-schemes", kind: "feed", path: "/elsewhere", want: watcher.ErrHTTP, alsoOK: watcher.ErrNetwork, maxRSS: 120,
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "file:///etc/passwd")
			w.WriteHeader(http.StatusMovedPermanently)
		},
	})
	add(hostileCase{
		name: "redirect-loop", kind: "feed", path: "/loop", want: watcher.ErrHTTP, alsoOK: watcher.ErrNetwork, maxRSS: 120,
		handler: func(w http.ResponseWriter, r *http.Request) {
			n := r.URL.Query().Get("n")
			next := "/loop?n=x" + n
			if len(n) > 3 {
				next = "/loop" // and round again
			}
			http.Redirect(w, r, next, http.StatusFound)
		},
	})
	add(hostileCase{
		name: "slowloris", kind: "feed", path: "/slowloris", want: watcher.ErrTimeout, maxRSS: 120, timeout: "2s",
		handler: func(w http.ResponseWriter, r *http.Request) {
			rssHeader(w)
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>`)
			for {
				if _, err := w.Write([]byte("a")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		},
	})
	add(hostileCase{
		name: "script-and-data-links", kind: "page", path: "/scripts", maxRSS: 120,
		extra: "    selectors:\n      region: main\n",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><body><main>
<a href="javascript:alert(document.cookie)">Klikk</a>
<a href="JaVaScRiPt:alert(1)">Klikk 2</a>
<a href=" javascript:void(0)">Klikk 3</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Data</a>
<a href="vbscript:msgbox">VB</a>
<a href="mailto:a@example.org">Post</a>
<a href="/ekte/dokument">Ekte dokument</a>
</main></body></html>`)
		},
		check: func(t *testing.T, items []watcher.Item) {
			if len(items) != 1 || !strings.HasSuffix(items[0].URL, "/ekte/dokument") {
				t.Errorf("stored %v; want only the real document", urlsOf(items))
			}
		},
	})
	add(hostileCase{
		name: "script-links-in-feed", kind: "feed", path: "/scripts.xml", maxRSS: 120,
		handler: func(w http.ResponseWriter, r *http.Request) {
			rssHeader(w)
			fmt.Fprint(w, feedOf(
				`<item><title>Skript</title><link>javascript:alert(1)</link><guid isPermaLink="false">js-1</guid></item>`,
				`<item><title>Data</title><link>data:text/html,hei</link><guid isPermaLink="false">data-1</guid></item>`,
				`<item><title>Ekte</title><link>https://example.org/ekte</link><guid isPermaLink="false">ok-1</guid></item>`))
		},
	})
	add(hostileCase{
		name: "odd-bases", kind: "page", path: "/dir/sub/odd", maxRSS: 120,
		extra: "    selectors:\n      region: main\n",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><base href="../../x/y/"></head><body><main>
<a href="../../../../../../a">Over roten</a>
<a href="./b?c=1#frag">Med fragment</a>
<a href="//other.example.org/c">Protokollrelativ</a>
<a href="https://EXAMPLE.org:443/D/../e">Store bokstaver</a>
<a href="%zz">Ugyldig escape</a>
<a href="http://[::1">Ugyldig vert</a>
<a href="   ">Tom</a>
<a href="?q=1">Bare spørring</a>
</main></body></html>`)
		},
	})
	add(hostileCase{
		name: "dates-far-away", kind: "feed", path: "/dates.xml", maxRSS: 120,
		handler: func(w http.ResponseWriter, r *http.Request) {
			rssHeader(w)
			fmt.Fprint(w, feedOf(
				`<item><title>Gammel</title><link>https://example.org/d/1</link><pubDate>Mon, 01 Jan 0001 00:00:00 +0000</pubDate></item>`,
				`<item><title>Fremtid</title><link>https://example.org/d/2</link><pubDate>Fri, 31 Dec 9999 23:59:59 +1400</pubDate></item>`,
				`<item><title>Negativ</title><link>https://example.org/d/3</link><pubDate>-0044-03-15T12:00:00Z</pubDate></item>`,
				`<item><title>Stor</title><link>https://example.org/d/4</link><pubDate>31. desember 99999</pubDate></item>`,
				`<item><title>Epoke</title><link>https://example.org/d/5</link><pubDate>1970-01-01T00:00:00Z</pubDate></item>`))
		},
		check: func(t *testing.T, items []watcher.Item) {
			if len(items) != 5 {
				t.Errorf("stored %d of 5 items with odd dates", len(items))
			}
		},
	})
	add(hostileCase{
		name: "control-and-bidi-titles", kind: "feed", path: "/titles.xml", maxRSS: 120,
		handler: func(w http.ResponseWriter, r *http.Request) {
			rssHeader(w)
			fmt.Fprint(w, feedOf(
				"<item><title>Faktura\u202Efdp.exe</title><link>https://example.org/t/1</link></item>",
				"<item><title>Bjelle\x07 og tilbake\x08tegn</title><link>https://example.org/t/2</link></item>",
				"<item><title>&#x202E;Høring&#x2066;x&#x2069;&#1;</title><link>https://example.org/t/3</link></item>",
				"<item><title>Null\x00byte</title><link>https://example.org/t/4</link></item>"))
		},
		check: func(t *testing.T, items []watcher.Item) {
			if len(items) == 0 {
				t.Error("nothing stored")
			}
			for _, it := range items {
				if !cleanText(it.Title) {
					t.Errorf("title %q holds control or bidi characters", it.Title)
				}
			}
		},
	})
	return cases
}

func urlsOf(items []watcher.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.URL
	}
	return out
}

func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return false
		}
	}
	return true
}

// TestHostileSources runs each hostile source in one run of the binary
// with a good feed beside it: the binary must not crash, the hostile
// source must end with its error class (exit status 3) or succeed
// harmlessly (exit 0), the good feed's items must be stored, everything
// stored must be clean (absolute http(s) links, text without control
// characters), the database must pass state.Check, and the binary's peak
// memory must stay under the case's bound.
func TestHostileSources(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
			mux.HandleFunc("/good.xml", func(w http.ResponseWriter, r *http.Request) {
				rssHeader(w)
				fmt.Fprintf(w, goodFeed, "http://"+r.Host)
			})
			path, _, _ := strings.Cut(c.path, "?")
			mux.HandleFunc(path, c.handler)
			srv := httptest.NewServer(mux)
			// The slow-loris handler never ends on its own.
			t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
			dir := t.TempDir()
			cfg := fmt.Sprintf(`user_agent: watcher-e2e/1
contact: mailto:e2e@kom.test
host_delay: 0s
allow_short_host_delay: true
timeout: %[5]s
max_retries: 0
sources:
  - id: good
    name: God
    organisation: Test
    region: norway
    kind: feed
    url: %[1]s/good.xml
    doc_kind: news
  - id: hostile
    name: Fiendtlig
    organisation: Test
    region: norway
    kind: %[2]s
    url: %[1]s%[3]s
    doc_kind: news
%[4]s`, srv.URL, c.kind, c.path, c.extra, cmp.Or(c.timeout, "30s"))
			cfgPath := filepath.Join(dir, "watcher.yaml")
			if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			db := filepath.Join(dir, "watcher.db")
			r := run(t, dir, nil, "run", "--config", cfgPath, "--db", db, "--no-alerts")
			if strings.Contains(r.stderr, "panic:") || r.killed {
				t.Fatalf("the binary crashed: %v", r)
			}
			class := lastRunClass(t, db, "hostile")
			t.Logf("exit %d, class %q, peak RSS %.1f MiB\n%s", r.exit, class, float64(r.maxRSS)/1024, r.stdout)
			switch {
			case class == c.want || (class != "" && class == c.alsoOK) || (class == "" && c.alsoOK == "ok"):
			default:
				t.Errorf("hostile source ended with class %q, want %q (or %q)\n%v", class, c.want, c.alsoOK, r)
			}
			wantExit := 0
			if class != "" {
				wantExit = 3
			}
			if r.exit != wantExit {
				t.Errorf("exit status %d, want %d\n%v", r.exit, wantExit, r)
			}
			if good := lastRunClass(t, db, "good"); good != "" {
				t.Errorf("the good source failed beside the hostile one: %s", good)
			}
			items := storedItems(t, db)
			var hostile []watcher.Item
			goodN := 0
			for _, it := range items {
				if it.URL != "" {
					u, err := url.Parse(it.URL)
					if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
						t.Errorf("stored link %q is not an absolute http(s) URL", it.URL)
					}
				}
				if !cleanText(it.Title) {
					t.Errorf("stored title %q is not clean text", it.Title)
				}
				switch it.SourceID {
				case "good":
					goodN++
				case "hostile":
					hostile = append(hostile, it)
				}
			}
			if goodN != 2 {
				t.Errorf("%d items of the good source stored, want 2", goodN)
			}
			if c.check != nil {
				c.check(t, hostile)
			}
			if lim := c.maxRSS << 10; r.maxRSS > lim {
				t.Errorf("peak RSS %d KiB over the bound of %d MiB", r.maxRSS, c.maxRSS)
			}
			if err := state.Check(db); err != nil {
				t.Error(err)
			}
		})
	}
}

// lastRunClass is the error class of a source in the last run report.
func lastRunClass(t *testing.T, db, source string) watcher.ErrClass {
	t.Helper()
	st := openRO(t, db)
	defer st.Close()
	rep, ok, err := st.LastRun()
	if err != nil || !ok {
		t.Fatalf("no run report: %v", err)
	}
	for _, s := range rep.Sources {
		if s.SourceID == source {
			return s.ErrClass
		}
	}
	t.Fatalf("source %s is not in the run report", source)
	return ""
}
