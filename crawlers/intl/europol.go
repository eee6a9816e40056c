package intl

import (
	"context"
	"net/url"
	"strings"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// Europol reads www.europol.europa.eu. Its RSS feed finds news but carries
// no dates; the newsroom page embeds its listing as JSON in
// window.SERVER_DATA, with Unix-second dates and summaries; the node API
// gives a new item's type, crime areas and introduction.
//
// Configuration: urls = [RSS feed, newsroom page] (either may be left out
// by giving only the feed); option node_api = the node API endpoint
// (default <origin of the first url>/cms/api/node). Items are keyed
// "europol:<site path>". An item stays undated until the listing or the
// node API supplies a date.
type Europol struct{}

func init() { crawlers.Register("europol", Europol{}) }

// Crawl implements crawlers.Kind.
func (Europol) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	c, err := newCrawl(ctx, env, src)
	if err != nil {
		return nil, err
	}
	eps := []entryPoint{{url: src.URLs[0], accept: acceptFeed, parse: c.europolFeed}}
	if len(src.URLs) > 1 {
		eps = append([]entryPoint{{url: src.URLs[1], accept: crawlers.AcceptHTML, parse: europolNewsroom}}, eps...)
	}
	entries, err := c.readAll(eps)
	if err != nil {
		return c.res, err
	}
	api := c.option("node_api", origin(src.URLs[0])+"/cms/api/node")
	for _, e := range entries {
		e.detail = nodeURL(api, strings.TrimPrefix(e.it.Key, "europol:"))
	}
	c.finish(entries, watcher.KindNews, enrichEuropol)
	return c.res, nil
}

// europolFeed maps the RSS feed: title, link and description, keyed by
// site path; a date only if the feed ever starts to carry one.
func (c *crawl) europolFeed(resp *fetch.Response) ([]*entry, error) {
	got, err := c.feedEntries(resp)
	if err != nil {
		return nil, err
	}
	out := got[:0]
	for _, e := range got {
		alias := aliasPath(e.it.URL)
		if alias == "" || e.it.Title == "" {
			continue
		}
		e.it.Key = crawlers.BoundKey("europol:" + alias)
		out = append(out, e)
	}
	return out, nil
}

// europolNewsroom maps the newsroom's embedded listing.
func europolNewsroom(resp *fetch.Response) ([]*entry, error) {
	list, err := EuropolListing(resp.Body)
	if err != nil {
		return nil, err
	}
	org := origin(crawlers.FinalURL(resp))
	out := make([]*entry, 0, len(list))
	for _, le := range list {
		out = append(out, europolListEntry(le, org))
	}
	return out, nil
}

// europolListEntry maps one SERVER_DATA listing item.
func europolListEntry(le EuropolEntry, origin string) *entry {
	e := &entry{it: watcher.Item{
		Key:     crawlers.BoundKey("europol:" + le.Alias),
		URL:     origin + le.Alias,
		Title:   le.Title,
		Summary: le.Summary,
		Kind:    europolKindFromPath(le.Alias),
	}}
	if le.Published > 0 {
		e.setDate(dates.Epoch(le.Published))
	}
	return e
}

// enrichEuropol reads the node API for a new item.
func enrichEuropol(c *crawl, e *entry) error {
	resp, err := c.get(e.detail, false, acceptJSON)
	if err != nil {
		return err
	}
	n, err := EuropolNodeInfo(resp.Body)
	if err != nil {
		return asParseError(e.detail, err)
	}
	applyEuropolNode(e, n)
	return nil
}

// applyEuropolNode maps the node API's answer onto an item.
func applyEuropolNode(e *entry, n EuropolNode) {
	if e.it.Title == "" {
		e.it.Title = n.Title
	}
	if e.it.Summary == "" {
		e.it.Summary = n.Summary
	}
	e.it.Text = crawlers.CutText(n.Text, maxText)
	if n.Type != "" {
		e.it.TypeRaw = n.Type
		if k := typeKind(n.Type); k != "" {
			e.it.Kind = k
		}
	}
	if len(n.CrimeAreas) > 0 {
		e.it.Tags = n.CrimeAreas
	}
	if e.it.Published.IsZero() && n.Published > 0 {
		e.setDate(dates.Epoch(n.Published))
	}
	if n.Changed > 0 {
		e.it.Updated = dates.Epoch(n.Changed)
	}
}

// nodeURL is the node API address for a site path.
func nodeURL(api, alias string) string {
	sep := "?"
	if strings.Contains(api, "?") {
		sep = "&"
	}
	return api + sep + "url=" + url.QueryEscape(alias)
}

// typeKind maps a site's own type label ("Press Release", "News article",
// "Main report") to a DocKind; "" when the label says nothing known.
func typeKind(t string) watcher.DocKind {
	t = strings.ToLower(t)
	switch {
	case strings.Contains(t, "press"), strings.Contains(t, "news"), strings.Contains(t, "article"):
		return watcher.KindNews
	case strings.Contains(t, "report"):
		return watcher.KindReport
	case strings.Contains(t, "event"), strings.Contains(t, "conference"):
		return watcher.KindEvent
	case strings.Contains(t, "publication"), strings.Contains(t, "document"), strings.Contains(t, "guide"):
		return watcher.KindPublication
	}
	return ""
}

// europolKindFromPath reads the kind from the site's sections.
func europolKindFromPath(alias string) watcher.DocKind {
	switch {
	case strings.HasPrefix(alias, "/publications-events/main-reports/"):
		return watcher.KindReport
	case strings.HasPrefix(alias, "/publications-events/publications/"):
		return watcher.KindPublication
	case strings.HasPrefix(alias, "/publications-events/events/"):
		return watcher.KindEvent
	}
	return ""
}
