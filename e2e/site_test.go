package e2e

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeSite plays several sources on one httptest server: two RSS feeds, a
// slow RSS feed, an HTML listing of three pages whose items have their own
// pages, and a watched page. Its content has two generations: generation 1
// adds items to every source and changes the title of one item in three
// of them, so a run over generation 1 records new items and changes.
//
// Sources are reached under two host names (127.0.0.1 and localhost) so
// that the binary crawls two hosts in parallel.
type fakeSite struct {
	srv  *httptest.Server
	gen  atomic.Int32
	slow atomic.Int64 // nanoseconds of pause in the middle of the slow feed's body

	reqs   atomic.Int64 // requests since the last arm()
	killAt atomic.Int64 // kill the target at this request number (0: never)
	target atomic.Pointer[proc]
	killed atomic.Bool
}

func newFakeSite(t *testing.T) *fakeSite {
	s := &fakeSite{}
	s.slow.Store(int64(40 * time.Millisecond))
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// port is the server's port.
func (s *fakeSite) port() string {
	return s.srv.URL[strings.LastIndexByte(s.srv.URL, ':')+1:]
}

// hostA and hostB are the two names of the site.
func (s *fakeSite) hostA() string { return "http://127.0.0.1:" + s.port() }
func (s *fakeSite) hostB() string { return "http://localhost:" + s.port() }

// arm resets the request count and kills p when request n arrives.
func (s *fakeSite) arm(p *proc, n int64) {
	s.reqs.Store(0)
	s.killed.Store(false)
	s.target.Store(p)
	s.killAt.Store(n)
}

// fixture item ids per source and generation.
func (s *fakeSite) ids(source string, gen int32) []string {
	var n, extra int
	prefix := map[string]string{"hearings": "h", "news": "n", "slow": "s", "listing": "l", "watch": "w"}[source]
	switch source {
	case "hearings":
		n, extra = 4, 2
	case "news":
		n, extra = 5, 1
	case "slow":
		n, extra = 3, 1
	case "listing":
		n, extra = 9, 1
	case "watch":
		n, extra = 4, 1
	}
	if gen > 0 {
		n += extra
	}
	out := make([]string, 0, n)
	// New items come first, as sites list the newest first.
	for i := n; i >= 1; i-- {
		out = append(out, prefix+strconv.Itoa(i))
	}
	return out
}

// changed lists the ids whose title generation 1 changes.
var changed = map[string]bool{"h2": true, "n1": true, "l8": true}

func title(id string, gen int32) string {
	t := "Rapport om arbeid mot menneskehandel nr. " + id
	if strings.HasPrefix(id, "h") {
		t = "Høring om tiltak mot menneskehandel " + id
	}
	if gen > 0 && changed[id] {
		t += " (revidert)"
	}
	return t
}

// day is a stable day of the month (and minute) for an item: its number.
func day(id string) int {
	n, _ := strconv.Atoi(id[1:])
	return 1 + n%27
}

// itemURL is where the item id lives on host base.
func itemURL(base, id string) string { return base + "/items/" + id }

// expected returns the URLs each source offers in generation gen.
func (s *fakeSite) expected(gen int32) map[string][]string {
	out := map[string][]string{}
	for src, base := range map[string]string{"hearings": s.hostA(), "news": s.hostA(), "listing": s.hostA(), "slow": s.hostB(), "watch": s.hostB()} {
		for _, id := range s.ids(src, gen) {
			out[src] = append(out[src], itemURL(base, id))
		}
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

func (s *fakeSite) serve(w http.ResponseWriter, r *http.Request) {
	n := s.reqs.Add(1)
	if k := s.killAt.Load(); k > 0 && n == k {
		s.killed.Store(true)
		s.target.Load().kill()
		// Hold the request until the dead client's connection closes.
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
		return
	}
	gen := s.gen.Load()
	base := "http://" + r.Host
	switch p := r.URL.Path; {
	case p == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	case p == "/feeds/hearings.xml":
		s.rss(w, base, "hearings", gen, 0)
	case p == "/feeds/news.xml":
		s.rss(w, base, "news", gen, 0)
	case p == "/slow/feed.xml":
		s.rss(w, base, "slow", gen, time.Duration(s.slow.Load()))
	case strings.HasPrefix(p, "/list/"):
		page, _ := strconv.Atoi(strings.TrimPrefix(p, "/list/"))
		s.listing(w, base, gen, page)
	case strings.HasPrefix(p, "/items/"):
		id := strings.TrimPrefix(p, "/items/")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="nb"><head><title>%s</title><meta property="article:published_time" content="2026-03-02T08:00:00+01:00"></head><body><main><article><h1>%s</h1><p>Tekst om saken %s.</p></article></main></body></html>`,
			html.EscapeString(title(id, gen)), html.EscapeString(title(id, gen)), id)
	case p == "/watch":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>Side</title></head><body><nav><a href="/">Hjem</a></nav><main><h1>Publikasjoner</h1><ul>`)
		for _, id := range s.ids("watch", gen) {
			fmt.Fprintf(w, `<li><a href="/items/%s">%s</a></li>`, id, html.EscapeString(title(id, gen)))
		}
		fmt.Fprint(w, `</ul></main></body></html>`)
	default:
		http.NotFound(w, r)
	}
}

func (s *fakeSite) rss(w http.ResponseWriter, base, source string, gen int32, pause time.Duration) {
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>%s</title><link>%s/</link>`, source, base)
	for i, id := range s.ids(source, gen) {
		if pause > 0 && i == 1 {
			w.(http.Flusher).Flush()
			time.Sleep(pause)
		}
		fmt.Fprintf(w, `<item><title>%s</title><link>%s</link><guid isPermaLink="false">%s-%s</guid><pubDate>Mon, 02 Mar 2026 08:%02d:00 +0100</pubDate><description>Om %s.</description></item>`,
			html.EscapeString(title(id, gen)), itemURL(base, id), source, id, day(id), id)
	}
	fmt.Fprint(w, `</channel></rss>`)
}

// listing serves page (1-based) of the listing: three items a page.
func (s *fakeSite) listing(w http.ResponseWriter, base string, gen int32, page int) {
	ids := s.ids("listing", gen)
	const per = 3
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<!doctype html><html><head><title>Nyheter</title></head><body><ul class="items">`)
	for i := (page - 1) * per; i >= 0 && i < page*per && i < len(ids); i++ {
		fmt.Fprintf(w, `<li><a href="/items/%s">%s</a> <time datetime="2026-03-%02d">%d. mars 2026</time></li>`,
			ids[i], html.EscapeString(title(ids[i], gen)), day(ids[i]), day(ids[i]))
	}
	fmt.Fprint(w, `</ul>`)
	if page*per < len(ids) {
		fmt.Fprintf(w, `<a class="next" href="/list/%d">Neste</a>`, page+1)
	}
	fmt.Fprint(w, `</body></html>`)
}

// webhook receives alerts, counts them by key, and can kill the target
// while a delivery is in progress (before answering) or right after
// answering it.
type webhook struct {
	srv    *httptest.Server
	mu     sync.Mutex
	counts map[string]int
	n      atomic.Int64
	// blockAt: kill the target when delivery n arrives, before answering.
	// afterAt: answer delivery n, then kill the target.
	blockAt, afterAt atomic.Int64
	target           atomic.Pointer[proc]
	killed           atomic.Bool
}

func newWebhook(t *testing.T) *webhook {
	h := &webhook{counts: map[string]int{}}
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *webhook) arm(p *proc, blockAt, afterAt int64) {
	h.n.Store(0)
	h.killed.Store(false)
	h.target.Store(p)
	h.blockAt.Store(blockAt)
	h.afterAt.Store(afterAt)
}

func (h *webhook) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var a struct {
		Key string `json:"key"`
	}
	if err := json.Unmarshal(body, &a); err != nil || a.Key == "" {
		http.Error(w, "bad alert", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.counts[a.Key]++
	h.mu.Unlock()
	n := h.n.Add(1)
	if n == h.blockAt.Load() {
		h.killed.Store(true)
		h.target.Load().kill()
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
		return
	}
	w.WriteHeader(http.StatusNoContent)
	if n == h.afterAt.Load() {
		w.(http.Flusher).Flush()
		h.killed.Store(true)
		h.target.Load().kill()
	}
}

func (h *webhook) snapshot() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]int, len(h.counts))
	for k, v := range h.counts {
		out[k] = v
	}
	return out
}

// writeConfig writes the configuration of the fake site's five sources
// and the webhook channel, and returns its path.
func writeConfig(t *testing.T, dir string, s *fakeSite, hook *webhook) string {
	t.Helper()
	cfg := fmt.Sprintf(`user_agent: watcher-e2e/1
contact: mailto:e2e@kom.test
host_delay: 0s
allow_short_host_delay: true
timeout: 5s
max_retries: 0
parallel: 4
sources:
  - id: hearings
    name: Høringer
    organisation: Testdepartementet
    region: norway
    kind: feed
    url: %[1]s/feeds/hearings.xml
    doc_kind: hearing
    language: nb
    always_relevant: true
  - id: news
    name: Nyheter
    organisation: Testdepartementet
    region: norway
    kind: feed
    url: %[1]s/feeds/news.xml
    doc_kind: news
    language: nb
  - id: listing
    name: Liste
    organisation: Testdirektoratet
    region: norway
    kind: html
    url: %[1]s/list/1
    doc_kind: report
    language: nb
    follow_items: true
    max_pages: 5
    selectors:
      item: ul.items > li
      title: a
      link: a
      date: time
      next: a.next
  - id: slow
    name: Treg
    organisation: Testbyrået
    region: international
    kind: feed
    url: %[2]s/slow/feed.xml
    doc_kind: news
    language: en
  - id: watch
    name: Side
    organisation: Testbyrået
    region: international
    kind: page
    url: %[2]s/watch
    doc_kind: publication
    language: nb
    selectors:
      region: main
alerts:
  editor: [hook]
  channels:
    - name: hook
      type: webhook
      url: %[3]s/hook
`, s.hostA(), s.hostB(), hook.srv.URL)
	path := filepath.Join(dir, "watcher.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
