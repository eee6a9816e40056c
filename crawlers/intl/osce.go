package intl

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// OSCE reads OSCE/ODIHR news listings. ODIHR's items are numeric nodes
// (odihr.osce.org/odihr/<id>, www.osce.org/odihr/<id>), keyed
// "osce:<id>" whichever host links them. The listing markup is not known
// from a capture: any link to a numeric node is an item, its card gives
// the title, a date and a teaser, and a new item's page gives the date
// when the card does not.
//
// Configuration: urls = listing pages; option scope = the CSS selector of
// the part of the page whose links are items (default "main", so that
// numeric nodes in the navigation are not taken for news).
type OSCE struct{}

func init() { crawlers.Register("osce", OSCE{}) }

// osceNode is the path of an ODIHR item.
var osceNode = regexp.MustCompile(`^/odihr/(\d+)/?$`)

// OSCEID returns the node id of an ODIHR item URL on an osce.org host or
// on the listing's own host (a mirror, a test server).
func OSCEID(u *url.URL, listingHost string) (string, bool) {
	h := strings.ToLower(u.Hostname())
	if h != "osce.org" && !strings.HasSuffix(h, ".osce.org") && !strings.EqualFold(h, listingHost) {
		return "", false
	}
	m := osceNode.FindStringSubmatch(u.Path)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// Crawl implements crawlers.Kind.
func (OSCE) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	c, err := newCrawl(ctx, env, src)
	if err != nil {
		return nil, err
	}
	entries, err := c.readAll(c.eachURL(crawlers.AcceptHTML, c.osceListing))
	if err != nil {
		return c.res, err
	}
	c.finish(entries, watcher.KindNews, enrichDated("article", ".node-content", "main"))
	return c.res, nil
}

// osceListing maps a listing page's node links.
func (c *crawl) osceListing(resp *fetch.Response) ([]*entry, error) {
	base := crawlers.ParseBase(crawlers.FinalURL(resp))
	host := ""
	if base != nil {
		host = base.Hostname()
	}
	links, err := ListingLinks(resp.Body, base, c.option("scope", "main"), func(u *url.URL, _ string) (string, bool) {
		_, ok := OSCEID(u, host)
		return u.Scheme + "://" + u.Host + strings.TrimRight(u.Path, "/"), ok
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
		if u, err := url.Parse(l.URL); err == nil {
			if id, ok := OSCEID(u, host); ok {
				e.it.Key = "osce:" + id
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// enrichDated is pageEnricher that also takes a date from a short line
// near the top of the content ("24 July 2023") when the page has no
// machine-readable one.
func enrichDated(content ...string) enricher {
	return func(c *crawl, e *entry) error {
		p, err := c.fetchPage(e.detail, content...)
		if err != nil {
			return err
		}
		applyPage(c, e, p)
		if e.it.Published.IsZero() || e.weakDate {
			if t, ok := topDate(p, c.dateOpt()); ok {
				e.setDate(t)
			}
		}
		return nil
	}
}

// topDate is the first date on a short line among the page's first lines,
// an event's "Date:" line excepted.
func topDate(p Page, opt dates.Options) (time.Time, bool) {
	for i, l := range p.Lines {
		if i >= 10 {
			break
		}
		if label, _, _ := strings.Cut(l, ":"); len(l) < 60 && !slices.Contains(dateLabels, strings.ToLower(strings.TrimSpace(label))) {
			if t, ok := dates.Find(l, opt); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}
