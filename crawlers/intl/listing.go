package intl

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"watcher"
	"watcher/crawlers"
	"watcher/dates"
)

// ListedLink is one item link of a listing page, with the text of the
// largest element around it that holds no other item's link: its card,
// row or list entry.
type ListedLink struct {
	URL     string
	Title   string   // the link's text (a heading in the card when the link says only "Read more")
	Lines   []string // the card's text, one line per block element
	DateRaw string   // a datetime attribute inside the card, if any
}

// genericLinkText is link text that names no item.
var genericLinkText = regexp.MustCompile(`(?i)^(read more|more|les mer|läs mer|lire la suite|en savoir plus|details|continue reading|»|›|→)$`)

// ItemLink decides whether a link (absolute URL, link text) is an item of
// the listing, and returns the URL that identifies it (cleaned of session
// parameters, say), so that links to one item group together.
type ItemLink func(u *url.URL, text string) (string, bool)

// ListingLinks returns, in page order and once per item, the links inside
// scope (a CSS selector; "" for the whole page) that item accepts.
func ListingLinks(body []byte, base *url.URL, scope string, item ItemLink) ([]ListedLink, error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("read listing: %w", err)
	}
	root := doc.Selection
	if scope != "" {
		if s := doc.Find(scope).First(); s.Length() > 0 {
			root = s
		}
	}
	linkOf := map[*html.Node]string{}
	var order []string
	anchors := map[string][]*goquery.Selection{}
	root.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		link, ok := crawlers.ResolveLink(base, a.AttrOr("href", ""))
		if !ok {
			return
		}
		u, err := url.Parse(link)
		if err != nil {
			return
		}
		abs, ok := item(u, crawlers.CleanText(a.Text()))
		if !ok {
			return
		}
		linkOf[a.Nodes[0]] = abs
		if _, seen := anchors[abs]; !seen {
			order = append(order, abs)
		}
		anchors[abs] = append(anchors[abs], a)
	})
	out := make([]ListedLink, 0, len(order))
	for _, u := range order {
		card := cardOf(anchors[u][0], root, linkOf, u)
		l := ListedLink{URL: u, Title: linkTitle(anchors[u], card), Lines: crawlers.TextLines(card)}
		l.DateRaw = strings.TrimSpace(card.Find("time[datetime]").First().AttrOr("datetime", ""))
		out = append(out, l)
	}
	return out, nil
}

// maxCardText bounds a card's text: a listing with a single item must not
// take the whole page for its card, and dates from the page around it.
const maxCardText = 3000

// cardOf widens from the anchor to its ancestors while they hold no link
// to another matched item and stay card-sized, stopping below root.
// Both tests stop early: the text past maxCardText and the links past the
// first other item's are never looked at, so a listing of n cards costs
// about n cards' reading, not n whole listings'.
func cardOf(a, root *goquery.Selection, linkOf map[*html.Node]string, self string) *goquery.Selection {
	card := a
	for {
		parent := card.Parent()
		if parent.Length() == 0 || parent.Nodes[0] == root.Nodes[0] || goquery.NodeName(parent) == "body" ||
			textOver(parent.Nodes[0], maxCardText) || holdsOther(parent.Nodes[0], linkOf, self) {
			return card
		}
		card = parent
	}
}

// textOver reports whether the text under n (every text node, as
// goquery's Text joins them) is longer than max bytes.
func textOver(n *html.Node, max int) bool {
	size := 0
	var over func(*html.Node) bool
	over = func(n *html.Node) bool {
		if n.Type == html.TextNode {
			size += len(n.Data)
			return size > max
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if over(c) {
				return true
			}
		}
		return false
	}
	return over(n)
}

// holdsOther reports whether n holds a link to a matched item other than
// self.
func holdsOther(n *html.Node, linkOf map[*html.Node]string, self string) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if u, ok := linkOf[c]; ok && u != self || holdsOther(c, linkOf, self) {
			return true
		}
	}
	return false
}

// linkTitle picks the most descriptive text among an item's links, else
// the card's first heading, else a link's title attribute.
func linkTitle(as []*goquery.Selection, card *goquery.Selection) string {
	for _, a := range as {
		if t := crawlers.CleanText(a.Text()); t != "" && !genericLinkText.MatchString(t) {
			return t
		}
	}
	if h := crawlers.CleanText(card.Find("h1, h2, h3, h4, h5").First().Text()); h != "" {
		return h
	}
	for _, a := range as {
		if t := crawlers.CleanText(a.AttrOr("title", "")); t != "" {
			return t
		}
	}
	return ""
}

// linesAfter returns the card's lines after the one equal to title,
// dropping generic link texts: a teaser, a date line, a place.
func (l ListedLink) linesAfter() []string {
	var out []string
	seen := false
	for _, line := range l.Lines {
		switch {
		case !seen:
			seen = line == l.Title
		case !genericLinkText.MatchString(line):
			out = append(out, line)
		}
	}
	if !seen {
		for _, line := range l.Lines {
			if line != l.Title && !genericLinkText.MatchString(line) {
				out = append(out, line)
			}
		}
	}
	return out
}

// cardEntry maps a listing card: its link and title, a date (a datetime
// attribute, else the first short line that holds one, before or after the
// title) and a teaser (the first line after the title long enough to be
// one).
func (c *crawl) cardEntry(l ListedLink) *entry {
	e := &entry{it: watcher.Item{URL: l.URL, Title: l.Title}, detail: l.URL}
	if l.DateRaw != "" {
		if t, err := dates.Parse(l.DateRaw, c.dateOpt()); err == nil {
			e.setDate(t)
		}
	}
	for _, line := range l.Lines {
		if e.it.Published.IsZero() && line != l.Title && len(line) < 60 {
			if t, ok := dates.Find(line, c.dateOpt()); ok {
				e.setDate(t)
			}
		}
	}
	for _, line := range l.linesAfter() {
		if len(line) >= 40 && !(len(line) < 60 && hasDate(line, c.dateOpt())) {
			e.it.Summary = clip(line, maxSummary)
			break
		}
	}
	return e
}

func hasDate(s string, opt dates.Options) bool {
	_, ok := dates.Find(s, opt)
	return ok
}
