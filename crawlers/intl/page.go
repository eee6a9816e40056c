package intl

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"watcher"
	"watcher/crawlers"
	"watcher/dates"
)

// Page is what the package reads from an item's own HTML page.
type Page struct {
	Title string   // og:title, else the first h1, else <title>
	Lines []string // text of the main content, one line per block element
	// DateRaw is a machine-readable publication date from the page's
	// metadata (article:published_time, DC.date…) or its first
	// time[datetime], as written; "" when there is none.
	DateRaw string
	Links   []Link // links inside the main content, absolute
	Meta    map[string]string
	// All is the text of the whole body, one line per block element, for
	// facts that sit outside the main content (a date in the page footer).
	All []string
}

// Link is one link of a page.
type Link struct {
	Text string
	URL  string
}

// genericContent is where an item page's text usually is, best first.
var genericContent = []string{"main article", "article", "main", "[role=main]", "#content", ".content", "body"}

// dateMetas are the metadata that carry a page's publication date.
var dateMetas = []string{
	`meta[property="article:published_time"]`, `meta[name="article:published_time"]`,
	`meta[name="DC.date"]`, `meta[name="dcterms.date"]`, `meta[name="DC.Date"]`,
	`meta[name="dcterms.created"]`, `meta[itemprop="datePublished"]`, `meta[name="date"]`,
}

// ReadPage reads an item page. content lists CSS selectors for the main
// content, tried in order before the generic ones; the first that matches
// an element with text wins.
func ReadPage(body []byte, base *url.URL, content ...string) (Page, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return Page{}, fmt.Errorf("read page: %w", err)
	}
	var p Page
	p.Title = crawlers.CleanText(doc.Find(`meta[property="og:title"]`).AttrOr("content", ""))
	if p.Title == "" {
		p.Title = crawlers.CleanText(doc.Find("h1").First().Text())
	}
	if p.Title == "" {
		p.Title = crawlers.CleanText(doc.Find("title").First().Text())
	}
	for _, sel := range dateMetas {
		if v := strings.TrimSpace(doc.Find(sel).First().AttrOr("content", "")); v != "" {
			p.DateRaw = v
			break
		}
	}
	main := mainContent(doc, content)
	if p.DateRaw == "" {
		p.DateRaw = strings.TrimSpace(main.Find("time[datetime]").First().AttrOr("datetime", ""))
	}
	p.Lines = crawlers.TextLines(main)
	p.All = crawlers.TextLines(doc.Find("body"))
	main.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		if u, ok := crawlers.ResolveLink(base, a.AttrOr("href", "")); ok {
			p.Links = append(p.Links, Link{Text: crawlers.CleanText(a.Text()), URL: u})
		}
	})
	if d := crawlers.CleanText(doc.Find(`meta[name="description"]`).AttrOr("content", "")); d != "" {
		p.Meta = map[string]string{"description": d}
	}
	return p, nil
}

// mainContent returns the first selector's match that has text.
func mainContent(doc *goquery.Document, content []string) *goquery.Selection {
	for _, sel := range slices.Concat(content, genericContent) {
		if s := doc.Find(sel).First(); s.Length() > 0 && strings.TrimSpace(s.Text()) != "" {
			return s
		}
	}
	return doc.Selection
}

// maxText caps Item.Text: enough for relevance scoring, small enough for
// the store.
const maxText = 20000

// Text joins the page's lines, capped for Item.Text.
func (p Page) Text() string { return crawlers.CutText(strings.Join(p.Lines, "\n"), maxText) }

// Lead returns the first line of at least min bytes: the paragraph that
// opens the article, past headings, bylines and date lines.
func (p Page) Lead(min int) string {
	for _, l := range p.Lines {
		if len(l) >= min && l != p.Title {
			return l
		}
	}
	return ""
}

// maxSummary caps a summary taken from a page's lead paragraph.
const maxSummary = 1000

// fetchPage fetches and reads an item page.
func (c *crawl) fetchPage(rawURL string, content ...string) (Page, error) {
	resp, err := c.get(rawURL, false, crawlers.AcceptHTML)
	if err != nil {
		return Page{}, err
	}
	p, err := ReadPage(resp.Body, crawlers.ParseBase(crawlers.FinalURL(resp)), content...)
	if err != nil {
		return Page{}, asParseError(rawURL, err)
	}
	return p, nil
}

// pageEnricher enriches a new item from its own page, reading the main
// content from the given selectors (then the generic ones).
func pageEnricher(content ...string) enricher {
	return func(c *crawl, e *entry) error {
		p, err := c.fetchPage(e.detail, content...)
		if err != nil {
			return err
		}
		applyPage(c, e, p)
		return nil
	}
}

// applyPage fills an item from its page: the text for relevance, the lead
// as summary when the listing had none, the page's machine-readable date
// when the listing had none (or only the URL's month), and the event
// details an announcement states.
func applyPage(c *crawl, e *entry, p Page) {
	e.it.Text = p.Text()
	if e.it.Title == "" {
		e.it.Title = p.Title
	}
	if e.it.Summary == "" {
		e.it.Summary = clip(crawlers.FirstNonEmpty(p.Lead(80), p.Meta["description"]), maxSummary)
	}
	if e.it.Published.IsZero() || e.weakDate {
		if t, err := dates.Parse(p.DateRaw, c.dateOpt()); err == nil {
			e.setDate(t)
		}
	}
	if ev := EventFrom(e.it.Title, p, c.dateOpt()); ev != nil {
		e.it.Event = ev
		if e.it.Kind == "" && !ev.Start.IsZero() {
			e.it.Kind = watcher.KindEvent
		}
	}
}
