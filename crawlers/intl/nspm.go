package intl

import (
	"context"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// NSPM reads the pages of Sweden's national coordination against
// prostitution and human trafficking. What is known of the site is that its
// pages end with "Publiceringsdatum: 16 mars 2023"; the listing is read
// generically: links inside the listing's main content (option scope,
// default "main") that lie under the configured path prefixes (option
// path_prefix, default the listing's directory) are items, and a new
// item's page gives its date. Linked PDFs are publications.
//
// Configuration: urls = listing pages; options scope, path_prefix.
type NSPM struct{}

func init() { crawlers.Register("nspm", NSPM{}) }

// Crawl implements crawlers.Kind.
func (NSPM) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	c, err := newCrawl(ctx, env, src)
	if err != nil {
		return nil, err
	}
	prefixes := pathPrefixes(c.option("path_prefix", ""), src.URLs)
	scope := c.option("scope", "main")
	entries, err := c.readAll(c.eachURL(crawlers.AcceptHTML, func(resp *fetch.Response) ([]*entry, error) {
		return c.nspmListing(resp, scope, prefixes)
	}))
	if err != nil {
		return c.res, err
	}
	c.finish(entries, watcher.KindNews, enrichNSPM)
	return c.res, nil
}

// NSPMItemURL reports whether u is an item of a listing at listing: the
// same host, under a prefix, not the listing itself, an HTML page or a PDF.
func NSPMItemURL(u, listing *url.URL, prefixes []string) bool {
	if listing == nil || !strings.EqualFold(u.Hostname(), listing.Hostname()) || u.Path == listing.Path {
		return false
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case "", ".html", ".htm", ".pdf":
	default:
		return false
	}
	for _, p := range prefixes {
		if strings.HasPrefix(u.Path, p) && strings.TrimRight(u.Path, "/") != strings.TrimRight(p, "/") {
			return true
		}
	}
	return false
}

// nspmListing maps a listing page's item links.
func (c *crawl) nspmListing(resp *fetch.Response, scope string, prefixes []string) ([]*entry, error) {
	base := crawlers.ParseBase(crawlers.FinalURL(resp))
	links, err := ListingLinks(resp.Body, base, scope, func(u *url.URL, _ string) (string, bool) {
		u.RawQuery = ""
		return u.String(), NSPMItemURL(u, base, prefixes)
	})
	if err != nil {
		return nil, err
	}
	out := make([]*entry, 0, len(links))
	for _, l := range links {
		if l.Title == "" {
			continue
		}
		e := c.cardEntry(l)
		if strings.EqualFold(path.Ext(l.URL), ".pdf") {
			e.it.Kind = watcher.KindPublication
			e.detail = ""
		}
		if e.it.Published.IsZero() {
			if t, p, ok := dates.FromURL(l.URL); ok && p == dates.PrecisionDay {
				e.setDate(t)
			} else if ok && p == dates.PrecisionMonth {
				e.setWeakDate(t)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

var (
	publishedLabel = regexp.MustCompile(`(?i)^(?:publiceringsdatum|publicerad|publicerat|publicerades)\b`)
	updatedLabel   = regexp.MustCompile(`(?i)^(?:senast uppdaterad|uppdaterad|senast ändrad|ändrad)\b`)
)

// PageDates reads the dates a Swedish page states in its footer:
// "Publiceringsdatum: 16 mars 2023", "Senast uppdaterad: 2 maj 2023".
// The last such line of the page wins, since the footer comes last.
func PageDates(p Page, opt dates.Options) (published, updated time.Time) {
	for _, l := range p.All {
		switch {
		case publishedLabel.MatchString(l):
			if t, ok := dates.Find(l, opt); ok {
				published = t
			}
		case updatedLabel.MatchString(l):
			if t, ok := dates.Find(l, opt); ok {
				updated = t
			}
		}
	}
	return published, updated
}

// enrichNSPM reads a new item's page: text, lead, and the footer dates.
func enrichNSPM(c *crawl, e *entry) error {
	p, err := c.fetchPage(e.detail, "main article", "main", "#content")
	if err != nil {
		return err
	}
	applyPage(c, e, p)
	published, updated := PageDates(p, c.dateOpt())
	if !published.IsZero() && (e.it.Published.IsZero() || e.weakDate) {
		e.setDate(published)
	}
	if !updated.IsZero() {
		e.it.Updated = updated
	}
	return nil
}
