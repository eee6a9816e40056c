package intl

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// CoE reads the Council of Europe's Liferay news listings (GRETA and the
// anti-trafficking pages on www.coe.int). A listing card reads: languages
// ("EN FR"), title, "<body> <D Month YYYY> <place>", teaser, "Read More".
// The same news is published on several CoE sub-sites under different
// URLs; its slug is the same, so the key is "coe:<slug>" and the other
// addresses become AltURLs. Liferay's portlet parameters are removed from
// every URL.
//
// Configuration: urls = listing pages; max_pages = pages walked per listing
// (default 3) while new items keep appearing; option delta = page size
// (default 20). Listings are paged with ?delta=<delta>&start=<n>.
type CoE struct{}

func init() { crawlers.Register("coe", CoE{}) }

// defaultCoEPages is how many listing pages are walked when the source sets
// no max_pages.
const defaultCoEPages = 3

// Crawl implements crawlers.Kind.
func (CoE) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	c, err := newCrawl(ctx, env, src)
	if err != nil {
		return nil, err
	}
	entries, err := c.readAll(c.eachURL(crawlers.AcceptHTML, c.coeListing))
	if err != nil {
		return c.res, err
	}
	for _, u := range src.URLs {
		// Page on only from a first page read this run (not unchanged,
		// not failed).
		if slices.ContainsFunc(entries, func(e *entry) bool { return e.from == u }) {
			entries = append(entries, c.coeMorePages(u, entries)...)
		}
	}
	c.finish(entries, watcher.KindNews, pageEnricher(".journal-content-article", ".asset-full-content", ".portlet-body"))
	return c.res, nil
}

// coeMorePages walks a listing's further pages while each brings an item
// neither stored nor seen earlier in this crawl.
func (c *crawl) coeMorePages(listing string, seen []*entry) []*entry {
	keys := map[string]bool{}
	fresh := false
	for _, e := range seen {
		keys[e.it.Key] = true
		if _, ok := c.env.Stored(e.it.Key); !ok && e.from == listing {
			fresh = true
		}
	}
	maxPages := c.src.MaxPages
	if maxPages <= 0 {
		maxPages = defaultCoEPages
	}
	delta := c.intOption("delta", 20)
	var out []*entry
	for page := 1; page < maxPages && fresh; page++ {
		u := pagedURL(listing, delta, page*delta)
		resp, err := c.get(u, false, crawlers.AcceptHTML)
		if err != nil {
			c.problemf("%s: %s: %v", u, crawlers.Classify(err), err)
			break
		}
		got, err := c.coeListing(resp)
		if err != nil {
			c.problemf("%s: %s: %v", u, crawlers.Classify(asParseError(u, err)), err)
			break
		}
		fresh = false
		for _, e := range got {
			e.from = listing
			if keys[e.it.Key] {
				continue
			}
			keys[e.it.Key] = true
			out = append(out, e)
			if _, ok := c.env.Stored(e.it.Key); !ok {
				fresh = true
			}
		}
	}
	return out
}

// pagedURL sets Liferay's paging parameters on a listing URL.
func pagedURL(listing string, delta, start int) string {
	u, err := url.Parse(listing)
	if err != nil {
		return listing
	}
	q := u.Query()
	q.Set("delta", strconv.Itoa(delta))
	q.Set("start", strconv.Itoa(start))
	u.RawQuery = q.Encode()
	return u.String()
}

// coeListing maps one listing page. Cards without a date are reported:
// every CoE news card shows one, so their absence means the layout moved.
func (c *crawl) coeListing(resp *fetch.Response) ([]*entry, error) {
	list, err := CoEListing(resp.Body, crawlers.ParseBase(crawlers.FinalURL(resp)))
	if err != nil {
		return nil, err
	}
	out := make([]*entry, 0, len(list))
	undated := 0
	for _, ce := range list {
		if ce.DateRaw == "" {
			undated++
		}
		out = append(out, c.coeEntry(ce))
	}
	if undated > 0 {
		c.problemf("%s: %d of %d cards without a date", resp.URL, undated, len(list))
	}
	return out, nil
}

// CoEEntry is one card of a Council of Europe listing.
type CoEEntry struct {
	Title     string
	URL       string // without Liferay parameters
	Slug      string
	Languages string // "EN FR"
	DateRaw   string // "24 September 2024", "30.05.2012"
	Body      string // the CoE body named before the date ("GRETA")
	Place     string // named after the date ("Strasbourg")
	Teaser    string
}

var (
	languagesLine = regexp.MustCompile(`^[A-Z]{2}(?:\s+[A-Z]{2})*$`)
	coeDateToken  = regexp.MustCompile(`\b(\d{1,2}\s+\p{L}+\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{2,4})\b`)
)

// CoEListing reads the cards of a Liferay asset-publisher listing.
func CoEListing(body []byte, base *url.URL) ([]CoEEntry, error) {
	links, err := ListingLinks(body, base, "", coeItemLink)
	if err != nil {
		return nil, err
	}
	out := make([]CoEEntry, 0, len(links))
	for _, l := range links {
		if l.Title == "" {
			continue
		}
		ce := CoEEntry{Title: l.Title, URL: l.URL, Slug: CoESlug(l.URL)}
		readCoECard(&ce, l.Lines)
		out = append(out, ce)
	}
	return out, nil
}

// coeItemLink accepts links to news assets (…/-/<slug>, …/content/<slug>),
// but not the card's language links ("EN", "FR").
func coeItemLink(u *url.URL, text string) (string, bool) {
	if languagesLine.MatchString(text) {
		return "", false
	}
	clean := CoELink(u.String())
	return clean, CoESlug(clean) != ""
}

// readCoECard reads the card's lines after the title (all of them when
// the title is not a line of its own): the date line, then the teaser.
func readCoECard(ce *CoEEntry, lines []string) {
	start := slices.Index(lines, ce.Title) + 1
	var teaser []string
	for i, line := range lines {
		switch {
		case languagesLine.MatchString(line):
			if ce.Languages == "" {
				ce.Languages = line
			}
		case i < start, line == ce.Title, genericLinkText.MatchString(line):
		case ce.DateRaw == "" && splitCoEDateLine(ce, line):
		default:
			teaser = append(teaser, line)
		}
	}
	ce.Teaser = strings.Join(teaser, " ")
}

// splitCoEDateLine splits "GRETA 24 September 2024 Strasbourg" into body,
// date and place. It reports false when the line holds no real date
// ("12 recommendations 2024" is not one).
func splitCoEDateLine(ce *CoEEntry, line string) bool {
	for _, m := range coeDateToken.FindAllStringIndex(line, -1) {
		if _, err := dates.Parse(line[m[0]:m[1]], dates.Options{}); err != nil {
			continue
		}
		ce.Body = strings.TrimSpace(line[:m[0]])
		ce.DateRaw = line[m[0]:m[1]]
		ce.Place = strings.TrimSpace(line[m[1]:])
		return true
	}
	return false
}

// liferayParam reports whether a query parameter is Liferay portlet state.
func liferayParam(key string) bool {
	k := strings.ToLower(key)
	return strings.HasPrefix(k, "_com_liferay_") || strings.Contains(k, "_instance_") ||
		strings.HasPrefix(k, "p_p_") || strings.HasPrefix(k, "p_l_") || strings.HasPrefix(k, "p_r_p_") ||
		k == "inheritredirect" || k == "redirect"
}

// CoELink removes Liferay's portlet parameters and the fragment from a
// Council of Europe URL.
func CoELink(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for k := range q {
		if liferayParam(k) {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	u.Fragment = ""
	return u.String()
}

// CoESlug returns the news asset's slug: the path segment after "/-/" or
// "/content/", lower-cased; "" for other pages.
func CoESlug(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	p := strings.TrimRight(u.Path, "/")
	for _, sep := range []string{"/-/", "/content/"} {
		if i := strings.LastIndex(p, sep); i >= 0 {
			slug := p[i+len(sep):]
			if slug != "" && !strings.Contains(slug, "/") && slug != "asset_publisher" {
				return strings.ToLower(slug)
			}
		}
	}
	return ""
}

// coeEntry maps one card.
func (c *crawl) coeEntry(ce CoEEntry) *entry {
	e := &entry{it: watcher.Item{
		Key:     crawlers.BoundKey("coe:" + ce.Slug),
		URL:     ce.URL,
		Title:   ce.Title,
		Summary: clip(ce.Teaser, maxSummary),
	}, detail: ce.URL}
	if ce.Body != "" {
		e.it.Tags = []string{ce.Body}
	}
	setMeta(&e.it, "place", ce.Place)
	setMeta(&e.it, "languages", ce.Languages)
	if ce.DateRaw != "" {
		if t, err := dates.Parse(ce.DateRaw, c.dateOpt()); err == nil {
			e.setDate(t)
		} else {
			c.problemf("coe: date %q of %s: %v", ce.DateRaw, ce.URL, err)
		}
	}
	return e
}
