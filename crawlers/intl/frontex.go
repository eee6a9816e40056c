package intl

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// Frontex reads www.frontex.europa.eu: its news-release feed (ISO-8601
// dates) and, when configured, more feeds or listing pages (publications).
// Every item URL ends in a stable 6-character id ("…-J6yq05"), used as the
// key "frontex:J6yq05" because slugs change; URLs without one fall back to
// the generic chain (GUID, canonical URL).
//
// Configuration: urls = feeds or listing pages, each read as a feed when it
// answers with one, else as an HTML listing (article h3 a, span.date).
// Items under /publications/ are publications, the rest news.
type Frontex struct{}

func init() { crawlers.Register("frontex", Frontex{}) }

// Crawl implements crawlers.Kind.
func (Frontex) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	c, err := newCrawl(ctx, env, src)
	if err != nil {
		return nil, err
	}
	entries, err := c.readAll(c.eachURL(acceptFeed, c.frontexParse))
	if err != nil {
		return c.res, err
	}
	c.finish(entries, watcher.KindNews, enrichDated("article", "div.text-content"))
	return c.res, nil
}

// frontexIDPattern is the id at the end of a Frontex URL's last segment.
var frontexIDPattern = regexp.MustCompile(`-([A-Za-z0-9]{6})/?$`)

// FrontexID returns the 6-character id a Frontex URL ends with. A suffix
// of lower-case letters only is taken for a word of the slug, not an id
// ("…-border"): ids are random and nearly always hold a digit or a capital.
func FrontexID(rawURL string) (string, bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", false
	}
	m := frontexIDPattern.FindStringSubmatch(path.Base(strings.TrimRight(u.Path, "/")))
	if m == nil || strings.ToLower(m[1]) == m[1] && !strings.ContainsAny(m[1], "0123456789") {
		return "", false
	}
	return m[1], true
}

// frontexParse reads one Frontex entry point, feed or listing.
func (c *crawl) frontexParse(resp *fetch.Response) ([]*entry, error) {
	if looksLikeFeed(resp.ContentType, resp.Body) {
		got, err := c.feedEntries(resp)
		if err != nil {
			return nil, err
		}
		for _, e := range got {
			frontexIdentify(e)
		}
		return got, nil
	}
	base := crawlers.ParseBase(crawlers.FinalURL(resp))
	list, err := FrontexListing(resp.Body, base)
	if err != nil {
		return nil, err
	}
	out := make([]*entry, 0, len(list))
	for _, le := range list {
		out = append(out, c.frontexListEntry(le))
	}
	return out, nil
}

// frontexIdentify keys an entry by the id its URL ends with, and marks
// publications. Without an id the generic key stands.
func frontexIdentify(e *entry) {
	if id, ok := FrontexID(e.it.URL); ok {
		e.it.Key = "frontex:" + id
	}
	if k := publicationsKind(e.it.URL); k != "" {
		e.it.Kind = k
	}
}

// FrontexEntry is one item of a Frontex HTML listing.
type FrontexEntry struct {
	Title   string
	URL     string
	DateRaw string // "2024-07-18", as shown
	Summary string
}

// FrontexListing reads a Frontex listing page: article elements with the
// title link in h3 and the date in span.date.
func FrontexListing(body []byte, base *url.URL) ([]FrontexEntry, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("frontex listing: %w", err)
	}
	var out []FrontexEntry
	doc.Find("article").Each(func(_ int, art *goquery.Selection) {
		a := art.Find("h3 a[href], h2 a[href]").First()
		link, ok := crawlers.ResolveLink(base, a.AttrOr("href", ""))
		title := crawlers.CleanText(a.Text())
		if !ok || title == "" {
			return
		}
		date := art.Find("time[datetime]").First().AttrOr("datetime", "")
		if date == "" {
			date = crawlers.CleanText(art.Find("span.date, .date").First().Text())
		}
		out = append(out, FrontexEntry{
			Title:   title,
			URL:     link,
			DateRaw: date,
			Summary: crawlers.CleanText(art.Find("p").First().Text()),
		})
	})
	return out, nil
}

// frontexListEntry maps one listing item.
func (c *crawl) frontexListEntry(le FrontexEntry) *entry {
	e := &entry{it: watcher.Item{URL: le.URL, Title: le.Title, Summary: le.Summary}, detail: le.URL}
	frontexIdentify(e)
	if le.DateRaw != "" {
		if t, err := dates.Parse(le.DateRaw, c.dateOpt()); err == nil {
			e.setDate(t)
		} else {
			c.problemf("frontex: date %q of %s: %v", le.DateRaw, le.URL, err)
		}
	}
	return e
}
