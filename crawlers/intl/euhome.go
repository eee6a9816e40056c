package intl

import (
	"bytes"
	"context"
	"fmt"
	"net/url"

	"github.com/PuerkitoBio/goquery"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// EUHome reads the European Commission's Home Affairs site
// (home-affairs.ec.europa.eu): its RSS feed by default, or with option
// mode: listing its news listing in the Europa Component Library markup
// (article.ecl-content-item). Items are keyed by GUID or canonical URL.
//
// Configuration: urls = the feed (or, in listing mode, the listing pages).
type EUHome struct{}

func init() { crawlers.Register("eu-home", EUHome{}) }

// Crawl implements crawlers.Kind.
func (EUHome) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	c, err := newCrawl(ctx, env, src)
	if err != nil {
		return nil, err
	}
	parse, accept := c.feedEntries, acceptFeed
	switch mode := c.option("mode", "feed"); mode {
	case "feed":
	case "listing":
		parse, accept = c.euHomeListing, crawlers.AcceptHTML
	default:
		return nil, fmt.Errorf("crawl %s: option mode %q: want feed or listing", src.ID, mode)
	}
	entries, err := c.readAll(c.eachURL(accept, parse))
	if err != nil {
		return c.res, err
	}
	c.finish(entries, watcher.KindNews, pageEnricher(".ecl-page-body", "#main-content", "main"))
	return c.res, nil
}

// EUHomeEntry is one card of an ECL news listing.
type EUHomeEntry struct {
	Title   string
	URL     string
	DateRaw string // time[datetime]
	Summary string
	Type    string // primary meta: "News article", "Press release"
}

// EUHomeListing reads an ECL listing: article.ecl-content-item cards with
// the link in .ecl-content-block__title > a, the date in time[datetime]
// and the teaser in .ecl-content-block__description.
func EUHomeListing(body []byte, base *url.URL) ([]EUHomeEntry, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("ecl listing: %w", err)
	}
	var out []EUHomeEntry
	doc.Find("article.ecl-content-item").Each(func(_ int, art *goquery.Selection) {
		a := art.Find(".ecl-content-block__title > a, .ecl-content-block__title a").First()
		link, ok := crawlers.ResolveLink(base, a.AttrOr("href", ""))
		title := crawlers.CleanText(a.Text())
		if !ok || title == "" {
			return
		}
		t := art.Find("time[datetime]").First()
		out = append(out, EUHomeEntry{
			Title:   title,
			URL:     link,
			DateRaw: crawlers.FirstNonEmpty(t.AttrOr("datetime", ""), crawlers.CleanText(t.Text())),
			Summary: crawlers.CleanText(art.Find(".ecl-content-block__description").First().Text()),
			Type:    crawlers.CleanText(art.Find(".ecl-content-block__primary-meta-item").First().Text()),
		})
	})
	return out, nil
}

// euHomeListing maps an ECL listing page.
func (c *crawl) euHomeListing(resp *fetch.Response) ([]*entry, error) {
	list, err := EUHomeListing(resp.Body, crawlers.ParseBase(crawlers.FinalURL(resp)))
	if err != nil {
		return nil, err
	}
	out := make([]*entry, 0, len(list))
	for _, le := range list {
		e := &entry{it: watcher.Item{URL: le.URL, Title: le.Title, Summary: le.Summary, TypeRaw: le.Type, Kind: typeKind(le.Type)}, detail: le.URL}
		if le.DateRaw != "" {
			if t, err := dates.Parse(le.DateRaw, c.dateOpt()); err == nil {
				e.setDate(t)
			} else {
				c.problemf("eu-home: date %q of %s: %v", le.DateRaw, le.URL, err)
			}
		}
		out = append(out, e)
	}
	return out, nil
}
