package intl

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// UNODC reads www.unodc.org's HTML listings (press releases, stories),
// whose items live at /<section>/<YYYY>/<Month>/<slug>.html. Links outside
// the configured path prefixes (field-office subsites, other languages)
// are skipped. The URL gives only the month; a new item's page gives the
// day in its dateline ("Vienna (Austria), 24 July 2023 – …").
//
// Configuration: urls = listing pages; option path_prefix = comma-separated
// path prefixes items must start with (default: each listing's directory,
// "/unodc/en/press/" for /unodc/en/press/releases.html).
type UNODC struct{}

func init() { crawlers.Register("unodc", UNODC{}) }

// Crawl implements crawlers.Kind.
func (UNODC) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	c, err := newCrawl(ctx, env, src)
	if err != nil {
		return nil, err
	}
	prefixes := pathPrefixes(c.option("path_prefix", ""), src.URLs)
	entries, err := c.readAll(c.eachURL(crawlers.AcceptHTML, func(resp *fetch.Response) ([]*entry, error) {
		return c.unodcListing(resp, prefixes)
	}))
	if err != nil {
		return c.res, err
	}
	c.finish(entries, watcher.KindNews, enrichUNODC)
	return c.res, nil
}

// pathPrefixes returns the configured prefixes, or each listing's directory.
func pathPrefixes(opt string, listings []string) []string {
	var out []string
	for p := range strings.SplitSeq(opt, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, l := range listings {
		if u := crawlers.ParseBase(l); u != nil {
			out = append(out, u.Path[:strings.LastIndexByte(u.Path, '/')+1])
		}
	}
	return out
}

// unodcItemPath is an item's path: …/<YYYY>/<Month>/<slug>.html.
var unodcItemPath = regexp.MustCompile(`/(\d{4})/([A-Za-z]+)/[^/]+\.html$`)

// UNODCItemURL reports whether u is an item under one of the prefixes on
// the listing's host.
func UNODCItemURL(u *url.URL, host string, prefixes []string) bool {
	if !strings.EqualFold(u.Hostname(), host) || !unodcItemPath.MatchString(u.Path) {
		return false
	}
	if _, p, ok := dates.FromURL(u.Path); !ok || p < dates.PrecisionMonth {
		return false
	}
	for _, p := range prefixes {
		if strings.HasPrefix(u.Path, p) {
			return true
		}
	}
	return false
}

// unodcListing maps a listing page's item links.
func (c *crawl) unodcListing(resp *fetch.Response, prefixes []string) ([]*entry, error) {
	base := crawlers.ParseBase(crawlers.FinalURL(resp))
	host := ""
	if base != nil {
		host = base.Hostname()
	}
	links, err := ListingLinks(resp.Body, base, "", func(u *url.URL, _ string) (string, bool) {
		return u.String(), UNODCItemURL(u, host, prefixes)
	})
	if err != nil {
		return nil, err
	}
	out := make([]*entry, 0, len(links))
	for _, l := range links {
		if l.Title == "" {
			continue
		}
		out = append(out, c.unodcEntry(l))
	}
	return out, nil
}

// unodcEntry maps one listing link: a date shown beside it wins, else the
// URL's month stands in until the page gives the day.
func (c *crawl) unodcEntry(l ListedLink) *entry {
	e := c.cardEntry(l)
	if e.it.Published.IsZero() {
		if t, p, ok := dates.FromURL(l.URL); ok && p >= dates.PrecisionMonth {
			e.setWeakDate(t)
		}
	}
	return e
}

// datelinePattern is "Vienna (Austria), 24 July 2023 – …": a place, a
// comma, the date, a dash.
var datelinePattern = regexp.MustCompile(`^[^,–—]{2,80},\s*(\d{1,2}\.?\s+\p{L}+\.?\s+\d{4})\s*[–—-]\s*`)

// Dateline returns the date of a press release's dateline and the
// paragraph without it. It looks at the first paragraphs, then for any
// date in the lead paragraph.
func Dateline(p Page, opt dates.Options) (t time.Time, lead string, ok bool) {
	for i, line := range p.Lines {
		if i >= 8 {
			break
		}
		if m := datelinePattern.FindStringSubmatchIndex(line); m != nil {
			if t, err := dates.Parse(line[m[2]:m[3]], opt); err == nil {
				return t, strings.TrimSpace(line[m[1]:]), true
			}
		}
	}
	lead = p.Lead(80)
	t, ok = dates.Find(lead, opt)
	return t, lead, ok
}

// enrichUNODC reads a new item's page for the day and the lead.
func enrichUNODC(c *crawl, e *entry) error {
	p, err := c.fetchPage(e.detail, "#content", ".main-content", "article", "main")
	if err != nil {
		return err
	}
	hadSummary := e.it.Summary != ""
	applyPage(c, e, p)
	t, lead, ok := Dateline(p, c.dateOpt())
	if ok && (e.it.Published.IsZero() || e.weakDate) {
		if e.weakDate && !nearMonth(t, e.it.Published) {
			c.problemf("unodc: dateline %s of %s is far from the month in its URL", t.Format(time.DateOnly), e.it.URL)
		} else {
			e.setDate(t)
		}
	}
	if lead != "" && !hadSummary {
		e.it.Summary = clip(lead, maxSummary)
	}
	return nil
}

// nearMonth reports whether t falls in the month that starts at month, or
// in the month before or after it (items are filed under a neighbouring
// month now and then).
func nearMonth(t, month time.Time) bool {
	return !t.Before(month.AddDate(0, -1, 0)) && t.Before(month.AddDate(0, 2, 0))
}
