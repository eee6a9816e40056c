package intl

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// Accept headers for the other formats the adapters read (HTML:
// crawlers.AcceptHTML).
const (
	acceptFeed = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
	acceptJSON = "application/json,*/*;q=0.5"
)

// errNoURL is returned for a source configured without the URLs its kind needs.
var errNoURL = errors.New("intl: source has no url")

// crawl is the bookkeeping of one Crawl call: it fetches through the
// environment's Fetcher, counts what the Result reports, and enriches new
// items within the item-page budget.
type crawl struct {
	ctx       context.Context
	env       *crawlers.Env
	src       watcher.Source
	res       *crawlers.Result
	tz        *time.Location // crawlers.SourceLoc; nil: the dates package's default (Europe/Oslo)
	pagesLeft int            // item pages this crawl may still fetch
	skipped   int            // new items left unenriched because the budget ran out
}

func newCrawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawl, error) {
	if env == nil || env.Fetch == nil {
		return nil, fmt.Errorf("crawl %s: no fetcher in the environment", src.ID)
	}
	if len(src.URLs) == 0 || strings.TrimSpace(src.URLs[0]) == "" {
		return nil, fmt.Errorf("crawl %s: %w", src.ID, errNoURL)
	}
	// A source without max_item_pages gets the html kind's cap: a first
	// run over a long listing stays polite, and later runs only ever meet
	// a few new items.
	budget := src.MaxItemPages
	if budget <= 0 {
		budget = crawlers.DefaultMaxItemPages
	}
	return &crawl{ctx: ctx, env: env, src: src, res: &crawlers.Result{}, pagesLeft: budget, tz: crawlers.SourceLoc(env, src)}, nil
}

// dateOpt is the dates package's reading of this source's dates.
func (c *crawl) dateOpt() dates.Options { return dates.Options{Loc: c.tz} }

// get fetches one URL and counts it (crawlers.Result.Get).
func (c *crawl) get(rawURL string, conditional bool, accept string) (*fetch.Response, error) {
	return c.res.Get(c.ctx, c.env.Fetch, fetch.Request{URL: rawURL, Conditional: conditional, Accept: accept})
}

// unchanged reports whether a conditional fetch found nothing new.
func unchanged(resp *fetch.Response) bool { return resp.NotModified || resp.SameBody }

// keep records an entry point's validators, to be stored with the items.
func (c *crawl) keep(resp *fetch.Response) {
	if resp != nil && resp.Validator.URL != "" {
		c.res.Validators = append(c.res.Validators, resp.Validator)
	}
}

// problemf records a sign of drift or a partial failure.
func (c *crawl) problemf(format string, args ...any) {
	c.res.Problems = append(c.res.Problems, fmt.Sprintf(format, args...))
}

// asParseError marks err as a body that could not be read as what it
// should be, unless it is already classified (a fetch or parse error).
func asParseError(rawURL string, err error) error {
	var fe *fetch.FetchError
	var pe *crawlers.ParseError
	if errors.As(err, &fe) || errors.As(err, &pe) {
		return err
	}
	return &crawlers.ParseError{URL: rawURL, Err: err}
}

// option returns the source's adapter option, or def.
func (c *crawl) option(name, def string) string {
	if v := strings.TrimSpace(c.src.Options[name]); v != "" {
		return v
	}
	return def
}

// intOption returns a positive integer option, or def.
func (c *crawl) intOption(name string, def int) int {
	v, err := strconv.Atoi(c.option(name, ""))
	if err != nil || v <= 0 {
		return def
	}
	return v
}

// entry is one item as a listing, feed or API shows it, before enrichment.
type entry struct {
	it watcher.Item
	// weakDate is true when Published is only as precise as a URL's month:
	// a date read from the item itself, or stored for it, wins.
	weakDate bool
	// detail is the page or JSON to read for a new item ("" for none).
	detail string
	// from is the entry point (listing, feed) the entry was read from.
	from string
}

// setWeakDate sets a month-precision date from the URL, marking it so.
func (e *entry) setWeakDate(t time.Time) {
	e.it.Published = t
	e.weakDate = true
	setMeta(&e.it, "date_precision", "month")
}

// setDate sets a date read from the item itself, replacing a weak one.
func (e *entry) setDate(t time.Time) {
	if t.IsZero() {
		return
	}
	e.it.Published = t
	if e.weakDate {
		e.weakDate = false
		delete(e.it.Meta, "date_precision")
	}
}

// enricher reads a new item's own page or JSON and fills in what the
// listing lacked. It fetches through c.
type enricher func(c *crawl, e *entry) error

// finish turns entries into the Result's items: entries with the same key
// are merged (the same news under several addresses is one item), known
// items carry forward what earlier enrichment found, and new items are
// enriched while the item-page budget lasts.
func (c *crawl) finish(entries []*entry, defKind watcher.DocKind, enrich enricher) {
	merged := c.dedupe(entries)
	for _, e := range merged {
		if k, ok := c.env.Stored(e.it.Key); ok {
			carryKnown(e, k)
		} else if enrich != nil && c.src.FollowItems && e.detail != "" {
			c.enrichOne(e, enrich)
		}
		c.defaults(&e.it, defKind)
		c.res.Items = append(c.res.Items, e.it)
	}
	if c.skipped > 0 {
		c.problemf("item page budget reached: %d new items not enriched", c.skipped)
	}
}

func (c *crawl) enrichOne(e *entry, enrich enricher) {
	if c.pagesLeft <= 0 {
		c.skipped++
		return
	}
	c.pagesLeft--
	if err := enrich(c, e); err != nil {
		if c.ctx.Err() != nil {
			return
		}
		c.problemf("enrich %s: %s: %v", e.detail, crawlers.Classify(err), err)
	}
}

// dedupe keys every entry and merges entries with the same key, keeping
// the first one's order.
func (c *crawl) dedupe(entries []*entry) []*entry {
	byKey := map[string]*entry{}
	var out []*entry
	for _, e := range entries {
		if e == nil || e.it.URL == "" && e.it.Key == "" {
			continue
		}
		if e.it.Key == "" {
			e.it.Key = crawlers.ItemKey("", e.it.GUID, e.it.URL)
		}
		if e.it.Key == "" {
			e.it.Key = crawlers.FallbackKey(e.it.Title, e.it.Published)
		}
		if e.it.Key == "" {
			c.problemf("item without url, guid or title dropped")
			continue
		}
		if first, ok := byKey[e.it.Key]; ok {
			mergeEntry(first, e)
			continue
		}
		byKey[e.it.Key] = e
		out = append(out, e)
	}
	return out
}

// mergeEntry folds a second sighting of the same item into the first:
// its addresses join AltURLs, and it fills what the first lacks.
func mergeEntry(dst, src *entry) {
	addAlt(&dst.it, src.it.URL)
	for _, u := range src.it.AltURLs {
		addAlt(&dst.it, u)
	}
	dst.takeDate(src.it.Published, src.weakDate)
	fillFrom(&dst.it, src.it)
	if dst.detail == "" {
		dst.detail = src.detail
	}
}

// carryKnown keeps what the stored item already knows and this sighting
// does not: fields only enrichment supplies, a real date where the listing
// gave a month, and every address the item was seen under.
func carryKnown(e *entry, k watcher.Item) {
	if k.URL != "" && k.URL != e.it.URL {
		addAlt(&e.it, k.URL)
	}
	for _, u := range k.AltURLs {
		addAlt(&e.it, u)
	}
	if k.Event != nil && e.it.Event != nil && e.weakDate && k.Meta["date_precision"] == "" {
		// The stored event was dated from its page; the listing only knows the month.
		ev := *e.it.Event
		ev.Start, ev.End = k.Event.Start, k.Event.End
		e.it.Event = &ev
	}
	e.takeDate(k.Published, k.Meta["date_precision"] != "")
	fillFrom(&e.it, k)
}

// takeDate adopts another sighting's date when e has none, or only a weak
// one and the other is real. A real date of e's own is never replaced.
func (e *entry) takeDate(t time.Time, weak bool) {
	if t.IsZero() || !(e.it.Published.IsZero() || e.weakDate && !weak) {
		return
	}
	if weak {
		e.setWeakDate(t)
		return
	}
	e.setDate(t)
}

// fillFrom copies into it the descriptive fields it lacks from o.
func fillFrom(it *watcher.Item, o watcher.Item) {
	if it.Title == "" {
		it.Title = o.Title
	}
	if it.GUID == "" {
		it.GUID = o.GUID
	}
	if it.Summary == "" {
		it.Summary = o.Summary
	}
	if it.Text == "" {
		it.Text = o.Text
	}
	if it.Kind == "" {
		it.Kind = o.Kind
	}
	if it.TypeRaw == "" {
		it.TypeRaw = o.TypeRaw
	}
	if it.Language == "" {
		it.Language = o.Language
	}
	if len(it.Tags) == 0 {
		it.Tags = slices.Clone(o.Tags)
	}
	if it.Updated.IsZero() {
		it.Updated = o.Updated
	}
	if o.Event != nil {
		it.Event = fillEvent(it.Event, *o.Event)
	}
	for k, v := range o.Meta {
		if _, ok := it.Meta[k]; !ok && k != "date_precision" { // the date's own rules set it
			setMeta(it, k, v)
		}
	}
}

// fillEvent returns ev with the fields it lacks taken from o (a copy: the
// stored item's event is never shared).
func fillEvent(ev *watcher.Event, o watcher.Event) *watcher.Event {
	if ev == nil {
		return &o
	}
	out := *ev
	if out.Start.IsZero() {
		out.Start, out.End = o.Start, o.End
	}
	if out.End.IsZero() && out.Start.Equal(o.Start) {
		out.End = o.End
	}
	if out.Place == "" {
		out.Place = o.Place
	}
	if out.SignupURL == "" {
		out.SignupURL = o.SignupURL
	}
	return &out
}

// defaults fills the fields every item of the source shares.
func (c *crawl) defaults(it *watcher.Item, defKind watcher.DocKind) {
	it.SourceID = c.src.ID
	if it.Organisation == "" {
		it.Organisation = c.src.Organisation
	}
	if it.Region == "" {
		it.Region = c.src.Region
		if it.Region == "" {
			it.Region = watcher.RegionInternational
		}
	}
	if it.Language == "" {
		it.Language = c.src.Language
	}
	if it.Kind == "" {
		it.Kind = c.src.DocKind
		if it.Kind == "" {
			it.Kind = defKind
		}
	}
	it.AltURLs = slices.DeleteFunc(it.AltURLs, func(u string) bool { return u == it.URL })
}

// publicationsKind is the kind of an item on a site that files its
// publications under /publications/ (CBSS, Frontex): a publication there,
// "" (the source's kind) elsewhere.
func publicationsKind(link string) watcher.DocKind {
	if strings.Contains(link, "/publications/") {
		return watcher.KindPublication
	}
	return ""
}

// addAlt adds u to it.AltURLs unless it is the item's URL or already there.
func addAlt(it *watcher.Item, u string) {
	if u == "" || u == it.URL || slices.Contains(it.AltURLs, u) {
		return
	}
	it.AltURLs = append(it.AltURLs, u)
}

func setMeta(it *watcher.Item, k, v string) {
	if v == "" {
		return
	}
	if it.Meta == nil {
		it.Meta = map[string]string{}
	}
	it.Meta[k] = v
}

// origin returns scheme://host of a URL.
func origin(raw string) string {
	u := crawlers.ParseBase(raw)
	if u == nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// entryPoint is one URL a crawl starts from and how to read it.
type entryPoint struct {
	url    string
	accept string
	parse  func(resp *fetch.Response) ([]*entry, error)
}

// eachURL is one entry point per configured URL, all read alike.
func (c *crawl) eachURL(accept string, parse func(resp *fetch.Response) ([]*entry, error)) []entryPoint {
	eps := make([]entryPoint, 0, len(c.src.URLs))
	for _, u := range c.src.URLs {
		eps = append(eps, entryPoint{url: u, accept: accept, parse: parse})
	}
	return eps
}

// readAll fetches each entry point conditionally and parses those that
// changed. A failing entry point is a problem, not the end of the crawl;
// readAll returns an error (all of them, joined) only when every entry
// point that had something to bring failed: those that answered
// "unchanged" do not count, as in crawlers.PartialFailure (a source whose
// only changed entry point answered 500 is unreachable, not unchanged).
// When none changed, the result is marked NotModified.
func (c *crawl) readAll(eps []entryPoint) ([]*entry, error) {
	var (
		entries []*entry
		errs    []error
		same    int
	)
	for _, ep := range eps {
		got, notModified, err := c.readOne(ep)
		switch {
		case err != nil:
			errs = append(errs, err)
			c.problemf("%s: %s: %v", ep.url, crawlers.Classify(err), err)
		case notModified:
			same++
		default:
			entries = append(entries, got...)
		}
		if c.ctx.Err() != nil {
			return nil, c.ctx.Err()
		}
	}
	if len(errs) > 0 && len(errs) == len(eps)-same {
		c.res.Problems = nil // the error says it
		return nil, errors.Join(errs...)
	}
	c.res.NotModified = same > 0 && same == len(eps)
	return entries, nil
}

// readOne fetches and parses one entry point. Validators are kept only for
// a body that parsed, so a failure is retried in full next time.
func (c *crawl) readOne(ep entryPoint) ([]*entry, bool, error) {
	resp, err := c.get(ep.url, true, ep.accept)
	if err != nil {
		return nil, false, err
	}
	if unchanged(resp) {
		return nil, true, nil
	}
	got, err := ep.parse(resp)
	if err != nil {
		return nil, false, asParseError(ep.url, err)
	}
	if len(got) == 0 {
		c.problemf("%s: no items found (layout changed?)", ep.url)
	}
	for _, e := range got {
		e.from = ep.url
	}
	c.keep(resp)
	return got, false, nil
}
