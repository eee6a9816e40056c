package crawlers

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"watcher"
	"watcher/dates"
)

// maxListingEntries bounds the entries read from one listing page, so a
// selector that matches every element of a huge page stays cheap.
const maxListingEntries = 1000

// ListingEntry is one item as a listing page shows it.
type ListingEntry struct {
	Title   string
	URL     string // absolute, without fragment; "" when the item has no usable link
	Date    time.Time
	DateRaw string
	Summary string
}

// listingSelectors are the compiled selectors of a listing.
type listingSelectors struct {
	item, title, link, date, summary, next cascadia.Selector
}

// compileSelectors compiles the listing selectors; an empty optional one
// stays nil, the link selector defaults to "a[href]".
func compileSelectors(sel watcher.Selectors) (listingSelectors, error) {
	var ls listingSelectors
	if strings.TrimSpace(sel.Item) == "" {
		return ls, fmt.Errorf("selectors: item selector is required")
	}
	link := sel.Link
	if strings.TrimSpace(link) == "" {
		link = "a[href]"
	}
	for _, s := range []struct {
		name, expr string
		dst        *cascadia.Selector
	}{
		{"item", sel.Item, &ls.item}, {"title", sel.Title, &ls.title}, {"link", link, &ls.link},
		{"date", sel.Date, &ls.date}, {"summary", sel.Summary, &ls.summary}, {"next", sel.Next, &ls.next},
	} {
		if strings.TrimSpace(s.expr) == "" {
			continue
		}
		c, err := cascadia.Compile(s.expr)
		if err != nil {
			return ls, fmt.Errorf("selectors: %s %q: %w", s.name, s.expr, err)
		}
		*s.dst = c
	}
	return ls, nil
}

// dateOptions are the date options of a source's selectors over the
// caller's defaults (the zone).
func dateOptions(sel watcher.Selectors, opt dates.Options) dates.Options {
	if sel.DateLayout != "" {
		opt.Layout = sel.DateLayout
	}
	if sel.DateOrder != "" {
		opt.Order = sel.DateOrder
	}
	return opt
}

// ExtractListing reads the entries of a listing page fetched from base.
// sel.DateLayout and sel.DateOrder override opt's; opt.Loc is the zone of
// dates without an offset. next is the absolute URL of the next page, ""
// when there is none. Problems report drift: an item selector that
// matched nothing, optional selectors that matched nothing in some items,
// dates that did not parse. err is only for selectors that do not compile.
func ExtractListing(body []byte, base string, sel watcher.Selectors, opt dates.Options) (items []ListingEntry, next string, problems []string, err error) {
	ls, err := compileSelectors(sel)
	if err != nil {
		return nil, "", nil, err
	}
	return extractListing(body, base, sel, ls, opt)
}

// extractListing is ExtractListing with sel already compiled to ls, for a
// crawl that reads several pages with the same selectors.
func extractListing(body []byte, base string, sel watcher.Selectors, ls listingSelectors, opt dates.Options) (items []ListingEntry, next string, problems []string, err error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, "", nil, &ParseError{URL: base, Err: err}
	}
	b := documentBase(doc, base)
	opt = dateOptions(sel, opt)
	nodes := doc.FindMatcher(ls.item)
	if nodes.Length() == 0 {
		problems = append(problems, "selector item matched nothing")
	}
	if nodes.Length() > maxListingEntries {
		problems = append(problems, fmt.Sprintf("selector item matched %d elements; read the first %d", nodes.Length(), maxListingEntries))
		nodes = nodes.Slice(0, maxListingEntries)
	}
	var miss missCounter
	var dateFails []string
	nodes.Each(func(_ int, s *goquery.Selection) {
		e, ok := listingEntry(s, b, ls, opt, &miss)
		if e.DateRaw != "" && e.Date.IsZero() {
			dateFails = append(dateFails, e.DateRaw)
		}
		if ok {
			items = append(items, e)
		}
	})
	problems = append(problems, miss.problems(sel, nodes.Length())...)
	problems = append(problems, dateProblems(dateFails)...)
	return items, nextLink(doc, b, ls.next, base), problems, nil
}

// missCounter counts, per optional selector, the items it matched nothing in.
type missCounter struct{ title, link, date, summary int }

func (m missCounter) problems(sel watcher.Selectors, total int) []string {
	var out []string
	for _, c := range []struct {
		name string
		set  bool
		n    int
	}{
		{"title", sel.Title != "", m.title}, {"link", true, m.link},
		{"date", sel.Date != "", m.date}, {"summary", sel.Summary != "", m.summary},
	} {
		if c.set && c.n > 0 {
			out = append(out, fmt.Sprintf("selector %s matched nothing in %d of %d items", c.name, c.n, total))
		}
	}
	return out
}

// dateProblems reports dates that did not parse, the first few verbatim.
func dateProblems(raw []string) []string {
	const show = 3
	var out []string
	for i, r := range raw {
		if i == show {
			out = append(out, fmt.Sprintf("date not parsed in %d more items", len(raw)-show))
			break
		}
		out = append(out, "date not parsed: "+capText(r, 80))
	}
	return out
}

// listingEntry reads one item element. An entry with neither title nor
// link is dropped (ok false).
func listingEntry(s *goquery.Selection, base *url.URL, ls listingSelectors, opt dates.Options, miss *missCounter) (ListingEntry, bool) {
	var e ListingEntry
	link := s.FindMatcher(ls.link).First()
	if link.Length() == 0 && goquery.NodeName(s) == "a" {
		link = s
	}
	if href, ok := link.Attr("href"); ok {
		e.URL, _ = ResolveLink(base, href)
	}
	if e.URL == "" {
		miss.link++
	}
	if ls.title != nil {
		if t := s.FindMatcher(ls.title).First(); t.Length() > 0 {
			e.Title = textOf(t)
		} else {
			miss.title++
		}
	}
	if e.Title == "" {
		e.Title = linkTitle(link)
	}
	if ls.date != nil {
		if d := s.FindMatcher(ls.date).First(); d.Length() > 0 {
			e.Date, e.DateRaw = elementDate(d, opt)
		} else {
			miss.date++
		}
	}
	if ls.summary != nil {
		if sm := s.FindMatcher(ls.summary).First(); sm.Length() > 0 {
			e.Summary = capText(textOf(sm), summaryCap)
		} else {
			miss.summary++
		}
	}
	return e, e.Title != "" || e.URL != ""
}

// linkTitle is a link's text, else its title attribute.
func linkTitle(a *goquery.Selection) string {
	if a.Length() == 0 {
		return ""
	}
	if t := textOf(a); t != "" {
		return t
	}
	t, _ := a.Attr("title")
	return CleanText(t)
}

// elementDate reads a date element: a datetime (or content) attribute on
// it or inside it wins over its text; text that is not a date by itself
// is searched for one ("Publisert 3. juli 2026 | Nyhet").
func elementDate(d *goquery.Selection, opt dates.Options) (time.Time, string) {
	for _, el := range []*goquery.Selection{d, d.Find("[datetime]").First()} {
		for _, attr := range []string{"datetime", "content"} {
			if v, ok := el.Attr(attr); ok && strings.TrimSpace(v) != "" {
				raw := CleanText(v)
				if t, err := dates.Parse(raw, opt); err == nil {
					return t, raw
				}
			}
		}
	}
	raw := textOf(d)
	if raw == "" {
		return time.Time{}, ""
	}
	if t, err := dates.Parse(raw, opt); err == nil {
		return t, raw
	}
	if t, ok := dates.Find(raw, opt); ok {
		return t, raw
	}
	return time.Time{}, raw
}

// nextLink is the absolute URL of the next listing page, "" when the
// selector is unset, matches nothing, or points back at this page.
func nextLink(doc *goquery.Document, base *url.URL, next cascadia.Selector, pageURL string) string {
	if next == nil {
		return ""
	}
	n := doc.FindMatcher(next).First()
	if goquery.NodeName(n) != "a" {
		n = n.Find("a[href]").First()
	}
	href, ok := n.Attr("href")
	if !ok {
		return ""
	}
	u, ok := ResolveLink(base, href)
	if !ok || sameDocument(u, pageURL) {
		return ""
	}
	return u
}

// sameDocument reports whether two URLs canonicalise to the same string.
func sameDocument(a, b string) bool {
	ca, err1 := CanonicalURL(a)
	cb, err2 := CanonicalURL(b)
	return err1 == nil && err2 == nil && ca == cb
}
