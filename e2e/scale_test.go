package e2e

import (
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestManySources measures the binary's peak memory over many sources on
// a local site: WATCHER_SCALE_SOURCES=1000 go test ./e2e -run ManySources -v.
// Four of five sources are RSS feeds of 50 items, the fifth an HTML
// listing of 50 items on three pages; they are spread over eight loopback
// addresses, so eight hosts are crawled at once. The first run stores
// every item; the second finds them all unchanged. Each run's peak RSS is
// logged and must stay under WATCHER_SCALE_MAX_MIB (default 200).
func TestManySources(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("WATCHER_SCALE_SOURCES"))
	if n <= 0 {
		t.Skip("set WATCHER_SCALE_SOURCES=1000 to measure memory over many sources")
	}
	limit := int64(200)
	if v, err := strconv.ParseInt(os.Getenv("WATCHER_SCALE_MAX_MIB"), 10, 64); err == nil && v > 0 {
		limit = v
	}
	const items = 50
	// Listen on every interface so that 127.0.0.2… reach the server too.
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
			return
		}
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/") // s/{i}/feed.xml
		if len(parts) != 3 || parts[0] != "s" {
			http.NotFound(w, r)
			return
		}
		base := "http://" + r.Host + "/s/" + parts[1]
		w.Header().Set("ETag", `"`+parts[1]+`-v1"`)
		if r.Header.Get("If-None-Match") == `"`+parts[1]+`-v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		switch parts[2] {
		case "feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Kilde %s</title><link>%s/</link>`, parts[1], base)
			for j := items; j >= 1; j-- {
				fmt.Fprintf(w, `<item><title>Sak %d fra kilde %s om arbeid mot menneskehandel</title><link>%s/item/%d.html</link><guid isPermaLink="false">%s-%d</guid><pubDate>%s</pubDate><description>%s</description></item>`,
					j, parts[1], base, j, parts[1], j, time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, j).Format(time.RFC1123Z),
					html.EscapeString(strings.Repeat("Ingress om saken, med litt tekst. ", 10)))
			}
			fmt.Fprint(w, `</channel></rss>`)
		case "list.html":
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			page = max(page, 1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html><head><title>Liste</title></head><body><main>`)
			for j := items - (page-1)*20; j > items-page*20 && j >= 1; j-- {
				fmt.Fprintf(w, `<article class="item"><a href="%s/item/%d.html"><h3>Sak %d fra kilde %s</h3></a><time datetime="2026-01-%02dT08:00:00Z">%d.01.2026</time><p>%s</p></article>`,
					base, j, j, parts[1], 1+j%28, 1+j%28, strings.Repeat("Tekst om saken. ", 12))
			}
			if page*20 < items {
				fmt.Fprintf(w, `<nav class="pagination"><a rel="next" href="%s/list.html?page=%d">Neste</a></nav>`, base, page+1)
			}
			fmt.Fprint(w, `</main></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Listener = l
	srv.Start()
	defer srv.Close()
	port := l.Addr().(*net.TCPAddr).Port

	var cfg strings.Builder
	cfg.WriteString("user_agent: watcher-e2e/1\ncontact: mailto:e2e@kom.test\nhost_delay: 0s\nallow_short_host_delay: true\ntimeout: 20s\nmax_retries: 0\nparallel: 8\nsources:\n")
	for i := range n {
		host := fmt.Sprintf("http://127.0.0.%d:%d/s/%d", 1+i%8, port, i)
		if i%5 == 4 {
			fmt.Fprintf(&cfg, "  - id: kilde-%d\n    name: Kilde %d\n    organisation: Test\n    region: norway\n    kind: html\n    url: %s/list.html\n    doc_kind: news\n    max_pages: 5\n    selectors:\n      item: article.item\n      title: h3\n      date: time\n      next: a[rel=next]\n", i, i, host)
			continue
		}
		fmt.Fprintf(&cfg, "  - id: kilde-%d\n    name: Kilde %d\n    organisation: Test\n    region: norway\n    kind: feed\n    url: %s/feed.xml\n    doc_kind: news\n", i, i, host)
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "watcher.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "watcher.db")
	for i, what := range []string{"first run (every item new)", "second run (every source unchanged)"} {
		start := time.Now()
		r := run(t, dir, nil, "run", "--config", cfgPath, "--db", db, "--no-alerts")
		took := time.Since(start)
		if r.exit != 0 {
			t.Fatalf("%s: %v", what, r)
		}
		stored := len(storedItems(t, db))
		fi, _ := os.Stat(db)
		_, total, _ := strings.Cut(r.stdout, "total (")
		total, _, _ = strings.Cut(total, "\n")
		t.Logf("%d sources, %s: peak RSS %.1f MiB, %d items stored, database %.1f MiB, %v\ntotal (%s",
			n, what, float64(r.maxRSS)/1024, stored, float64(fi.Size())/(1<<20), took.Round(time.Millisecond), total)
		if i == 0 && stored != n*items {
			t.Errorf("stored %d items, want %d", stored, n*items)
		}
		if r.maxRSS > limit<<10 {
			t.Errorf("%s: peak RSS %.1f MiB over %d MiB", what, float64(r.maxRSS)/1024, limit)
		}
	}
}

// TestDefaultConfigMemory measures the binary's peak memory for the
// default configuration (config/sources.yaml: every source, every kind)
// against a local imitation of the sites: every https://host/path of the
// configuration is rewritten to the local server as /host/path, which
// answers feeds with 100-item RSS (regjeringen.no's feeds hold the 100
// newest), Stortinget's export with the package's captured JSON, and
// every other page with a 200 KB HTML page of 100 relative links, so
// nothing points back at the real sites. Adapters that find no structure
// they know report layout problems; the figure is what the process needs
// to fetch and parse the default set at realistic sizes.
// WATCHER_MEMORY=1 go test ./e2e -run DefaultConfigMemory -v.
func TestDefaultConfigMemory(t *testing.T) {
	if os.Getenv("WATCHER_MEMORY") == "" {
		t.Skip("set WATCHER_MEMORY=1 to measure the default configuration's memory")
	}
	raw, err := os.ReadFile("../config/sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := os.ReadFile("../crawlers/norway/testdata/stortinget/sesjoner.json")
	if err != nil {
		t.Fatal(err)
	}
	hearings, err := os.ReadFile("../crawlers/norway/testdata/stortinget/horinger.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case p == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case strings.Contains(p, "sesjoner"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(sessions)
		case strings.Contains(p, "horinger") && r.URL.Query().Get("format") == "json":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(hearings)
		case strings.Contains(p, "rss") || strings.Contains(p, "feed"):
			base := "http://" + r.Host + p
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed</title><link>%s</link>`, base)
			for j := 100; j >= 1; j-- {
				fmt.Fprintf(w, `<item><title>Dokument %d om menneskehandel</title><link>%s/item/%d</link><guid isPermaLink="false">%s-%d</guid><pubDate>%s</pubDate><description>%s</description></item>`,
					j, base, j, p, j, time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, j).Format(time.RFC1123Z),
					html.EscapeString(strings.Repeat("Ingress om saken. ", 20)))
			}
			fmt.Fprint(w, `</channel></rss>`)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html lang="nb"><head><title>Side</title></head><body><main><article><h1>Side</h1>`)
			for j := range 100 {
				fmt.Fprintf(w, `<p><a href="item-%d.html">Dokument %d</a> %s</p>`, j, j, strings.Repeat("Tekst om arbeid mot menneskehandel. ", 50))
			}
			fmt.Fprint(w, `</article></main></body></html>`)
		}
	}))
	defer srv.Close()
	cfg := string(raw)
	cfg = strings.ReplaceAll(cfg, "https://", srv.URL+"/")
	cfg = strings.Replace(cfg, "\nhost_delay: 2s", "\nhost_delay: 0s\nallow_short_host_delay: true", 1)
	var lines []string
	for _, l := range strings.Split(cfg, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "delay:") {
			continue
		}
		lines = append(lines, l)
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "watcher.yaml")
	if err := os.WriteFile(cfgPath, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "watcher.db")
	for _, what := range []string{"first run", "second run"} {
		start := time.Now()
		r := run(t, dir, nil, "run", "--config", cfgPath, "--db", db, "--no-alerts")
		if r.exit != 0 && r.exit != 3 || r.killed {
			t.Fatalf("%s: %v", what, r)
		}
		table, _, _ := strings.Cut(r.stdout, "total (")
		t.Logf("default configuration, %s: exit %d, peak RSS %.1f MiB, %d items stored, %v\n%s",
			what, r.exit, float64(r.maxRSS)/1024, len(storedItems(t, db)), time.Since(start).Round(time.Millisecond), table)
		if r.maxRSS > 100<<10 {
			t.Errorf("%s: peak RSS %.1f MiB over 100 MiB", what, float64(r.maxRSS)/1024)
		}
	}
}
