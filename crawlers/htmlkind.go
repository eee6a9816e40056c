package crawlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gocolly/colly/v2"

	"watcher"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

func init() { Register("html", htmlKind{}) }

// Defaults of the html kind's caps.
const (
	DefaultMaxPages     = 5  // listing pages walked per start URL and run
	DefaultMaxItemPages = 30 // item pages fetched per source and run
)

// AcceptHTML is the Accept header of requests for HTML pages.
const AcceptHTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"

// ErrConfig marks a source whose configuration cannot work (an html
// source without selectors). Classify reports it as watcher.ErrLayout:
// the structure the source expects cannot be found.
var ErrConfig = errors.New("crawlers: source configuration")

// htmlKind walks listing pages described by CSS selectors.
type htmlKind struct{}

// Crawl walks each start URL of src: page 1 conditionally (unchanged means
// NotModified and no walk), then the next pages while a page holds an
// entry the store does not know, or knows with another title or date, up
// to src.MaxPages. With src.FollowItems it then fetches the item pages of
// new and changed entries, then of known entries whose page was never read
// (the stored item has no Text: a backlog left by an earlier run's cap),
// up to src.MaxItemPages, and enriches them from ExtractPage. Known,
// enriched, unchanged entries are never fetched.
func (htmlKind) Crawl(ctx context.Context, env *Env, src watcher.Source) (*Result, error) {
	if src.Selectors == nil {
		return &Result{}, fmt.Errorf("source %s: the html kind needs selectors: %w", src.ID, ErrConfig)
	}
	ls, err := compileSelectors(*src.Selectors)
	if err != nil {
		return &Result{}, fmt.Errorf("source %s: %w: %w", src.ID, ErrConfig, err)
	}
	w := newWalker(ctx, env, src, ls)
	var errs []error
	for _, start := range src.URLs {
		if err := w.walk(start); err != nil {
			errs = append(errs, err)
		}
	}
	w.res.NotModified = len(src.URLs) > 0 && w.unchanged == len(src.URLs)
	w.follow()
	w.res.Items = w.items()
	w.res.Problems = uniqueStrings(w.res.Problems)
	return w.res, PartialFailure(w.res, errs, len(src.URLs)-w.unchanged)
}

// entryState is what the store makes of a listing entry.
type entryState int

const (
	entryKnown      entryState = iota // stored, same title and date
	entryNew                          // not stored
	entryChanged                      // stored with another title or date
	entryUnenriched                   // stored, but its page was never read
)

// pending is one item found in the walk, waiting for enrichment.
type pending struct {
	item  watcher.Item
	state entryState
}

// walker is one html crawl. colly runs synchronously, so cur is the one
// request in flight and callbacks need no locking.
type walker struct {
	env     *Env
	src     watcher.Source
	sel     watcher.Selectors
	ls      listingSelectors // sel compiled once per crawl
	opt     dates.Options
	c       *colly.Collector
	res     *Result
	found   []*pending
	byKey   map[string]*pending
	visited map[string]bool
	cur     *visit

	unchanged int // start URLs that answered "not modified"
}

// visit is the outcome of one request.
type visit struct {
	role        string // "listing" or "item"
	target      *pending
	conditional bool
	seen        bool // a callback saw the outcome
	notModified bool
	fresh       bool   // the listing page held a new or changed entry
	next        string // the listing's next page
	err         error
}

func newWalker(ctx context.Context, env *Env, src watcher.Source, ls listingSelectors) *walker {
	w := &walker{
		env: env, src: src, sel: *src.Selectors, ls: ls,
		opt:     dates.Options{Loc: SourceLoc(env, src)},
		res:     &Result{},
		byKey:   map[string]*pending{},
		visited: map[string]bool{},
	}
	w.c = colly.NewCollector(
		colly.IgnoreRobotsTxt(), // the transport applies robots.txt itself
		colly.MaxBodySize(0),    // the transport caps bodies
		colly.Async(false),
		colly.AllowURLRevisit(), // revisits are decided here, by canonical URL
		colly.StdlibContext(ctx),
	)
	w.c.WithTransport(env.Fetch.RoundTripper())
	w.c.SetRequestTimeout(0) // the fetcher bounds each attempt; host delays may wait longer
	w.c.OnRequest(func(*colly.Request) { w.res.Requests++ })
	w.c.OnResponse(w.onResponse)
	w.c.OnError(w.onError)
	return w
}

// walk follows one listing from its start URL.
func (w *walker) walk(start string) error {
	u := start
	for page := 1; u != ""; page++ {
		if page > w.maxPages() {
			w.problem(fmt.Sprintf("listing %s: stopped at the cap of %d pages with new entries on the last", start, w.maxPages()))
			return nil
		}
		key := canonicalOr(u)
		if w.visited[key] {
			return nil
		}
		w.visited[key] = true
		v := w.request(u, &visit{role: "listing"}, page == 1)
		switch {
		case v.err != nil && page == 1:
			return fmt.Errorf("listing %s: %w", u, v.err)
		case v.err != nil:
			w.problem(fmt.Sprintf("listing %s page %d: %v", start, page, v.err))
			return nil
		case v.notModified:
			w.unchanged++
			return nil
		case !v.fresh:
			return nil
		}
		u = v.next
	}
	return nil
}

// follow fetches the pages of new, changed and never-enriched entries,
// in that order, within the item page cap.
func (w *walker) follow() {
	if !w.src.FollowItems {
		return
	}
	budget, left := w.maxItemPages(), 0
	for _, state := range []entryState{entryNew, entryChanged, entryUnenriched} {
		for _, p := range w.found {
			if p.state != state || p.item.URL == "" || isDocumentURL(p.item.URL) || w.visited[canonicalOr(p.item.URL)] {
				continue
			}
			if budget == 0 {
				left++
				continue
			}
			budget--
			w.visited[canonicalOr(p.item.URL)] = true
			if v := w.request(p.item.URL, &visit{role: "item", target: p}, false); v.err != nil {
				w.problem(fmt.Sprintf("item page %s: %v", p.item.URL, v.err))
			}
		}
	}
	if left > 0 {
		w.problem(fmt.Sprintf("follow_items: cap of %d item pages reached; %d left for later runs", w.maxItemPages(), left))
	}
}

// request makes one GET through colly; the callbacks fill v.
func (w *walker) request(u string, v *visit, conditional bool) *visit {
	hdr := http.Header{}
	hdr.Set("Accept", AcceptHTML)
	if conditional {
		hdr.Set(fetch.HeaderConditional, "1")
	}
	v.conditional = conditional
	w.cur = v
	err := w.c.Request(http.MethodGet, u, nil, nil, hdr)
	w.cur = nil
	if err != nil && !v.seen {
		v.err = err // refused before it was sent (a URL colly cannot parse)
	}
	return v
}

func (w *walker) onResponse(r *colly.Response) {
	v := w.cur
	if v == nil {
		return
	}
	v.seen = true
	w.res.Bytes += int64(len(r.Body))
	if r.Headers != nil {
		w.takeValidator(*r.Headers)
	}
	pageURL := r.Request.URL.String()
	switch v.role {
	case "listing":
		if v.conditional && r.Headers != nil && r.Headers.Get(fetch.HeaderSameBody) == "1" {
			v.notModified = true
			return
		}
		w.onListing(v, r.Body, pageURL)
	case "item":
		info := ExtractPage(r.Body, pageURL, w.sel, w.opt)
		enrich(&v.target.item, info)
		for _, p := range info.Problems {
			w.problem(p)
		}
	}
}

func (w *walker) onError(r *colly.Response, err error) {
	v := w.cur
	if v == nil {
		return
	}
	v.seen = true
	if r != nil && r.StatusCode == http.StatusNotModified {
		w.res.Status304++
		if r.Headers != nil {
			w.takeValidator(*r.Headers)
		}
		v.notModified = true
		return
	}
	var fe *fetch.FetchError
	switch {
	case errors.As(err, &fe):
		err = fe // the fetcher's classified error, without the client's "Get url:" wrapping
	case r != nil && r.StatusCode != 0:
		err = StatusError(r.Request.URL.String(), r.StatusCode)
	}
	v.err = err
}

// takeValidator keeps the validator the fetcher sent along.
func (w *walker) takeValidator(h http.Header) {
	raw := h.Get(fetch.HeaderValidator)
	if raw == "" {
		return
	}
	var val watcher.Validator
	if err := json.Unmarshal([]byte(raw), &val); err != nil {
		w.problem("validator header not read: " + err.Error())
		return
	}
	w.res.Validators = append(w.res.Validators, val)
}

// onListing reads one listing page and decides whether its next page is
// worth a request.
func (w *walker) onListing(v *visit, body []byte, pageURL string) {
	entries, next, problems, err := extractListing(body, pageURL, w.sel, w.ls, w.opt)
	for _, p := range problems {
		w.problem(p)
	}
	if err != nil {
		v.err = err
		return
	}
	for _, e := range entries {
		it := listingItem(w.src, e)
		if it.Key == "" || w.byKey[it.Key] != nil {
			continue
		}
		p := &pending{item: it, state: w.judge(it)}
		w.byKey[it.Key] = p
		w.found = append(w.found, p)
		if p.state == entryNew || p.state == entryChanged {
			v.fresh = true
		}
	}
	v.next = next
}

// judge compares a listing entry with what the store holds.
func (w *walker) judge(it watcher.Item) entryState {
	stored, ok := w.env.Stored(it.Key)
	switch {
	case !ok:
		return entryNew
	case stored.Title != it.Title:
		return entryChanged
	case !it.Published.IsZero() && !sameDay(stored.Published, it.Published, w.opt.Loc):
		return entryChanged
	case stored.Text == "":
		return entryUnenriched
	}
	return entryKnown
}

func sameDay(a, b time.Time, loc *time.Location) bool {
	if loc == nil {
		loc = dates.Oslo()
	}
	return a.In(loc).Format(time.DateOnly) == b.In(loc).Format(time.DateOnly)
}

func (w *walker) items() []watcher.Item {
	out := make([]watcher.Item, 0, len(w.found))
	for _, p := range w.found {
		out = append(out, p.item)
	}
	return out
}

func (w *walker) problem(p string) { w.res.Problems = append(w.res.Problems, p) }

func (w *walker) maxPages() int {
	if w.src.MaxPages > 0 {
		return w.src.MaxPages
	}
	return DefaultMaxPages
}

func (w *walker) maxItemPages() int {
	if w.src.MaxItemPages > 0 {
		return w.src.MaxItemPages
	}
	return DefaultMaxItemPages
}

// listingItem maps a listing entry to an Item of src.
func listingItem(src watcher.Source, e ListingEntry) watcher.Item {
	it := watcher.Item{
		SourceID:     src.ID,
		URL:          e.URL,
		Title:        e.Title,
		Summary:      e.Summary,
		Published:    e.Date,
		Kind:         src.DocKind,
		Organisation: src.Organisation,
		Region:       src.Region,
		Language:     src.Language,
	}
	canonical, _ := CanonicalURL(e.URL)
	if it.Key = ItemKey("", "", canonical); it.Key == "" {
		it.Key = FallbackKey(e.Title, e.Date)
	}
	if e.URL != "" && isDocumentURL(e.URL) {
		it.Attachments = []watcher.Attachment{{Name: e.Title, URL: e.URL}}
	}
	return it
}

// enrich folds what an item's page says into the listing's item. The
// listing's own title, summary and date stay (so a later run compares
// like with like); the page fills what the listing lacked and adds text,
// deadline, attachments, event and meta.
func enrich(it *watcher.Item, info PageInfo) {
	it.Text = info.Text
	if it.Title == "" {
		it.Title = info.Title
	}
	if it.Summary == "" {
		it.Summary = info.Description
	}
	if it.Published.IsZero() {
		it.Published = info.Published
	}
	// A page that announces an event states sign-up deadlines, not
	// consultation deadlines, unless the item is a hearing.
	if !info.Deadline.IsZero() && (info.Event == nil || it.Kind == watcher.KindHearing) {
		it.Deadline = info.Deadline
	}
	if len(info.Attachments) > 0 {
		it.Attachments = info.Attachments
	}
	if info.Event != nil {
		it.Event = info.Event
	}
	if len(info.Meta) > 0 {
		it.Meta = info.Meta
	}
}

func canonicalOr(u string) string {
	if c, err := CanonicalURL(u); err == nil {
		return c
	}
	return u
}

func uniqueStrings(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
