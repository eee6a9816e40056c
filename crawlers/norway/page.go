package norway

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"watcher"
	"watcher/crawlers"
	"watcher/dates"
)

// ArticlePage is what any regjeringen.no document page says about itself:
// the light extraction used to enrich feed items.
type ArticlePage struct {
	ID         string // numeric page id, from og:url or base
	URL        string // canonical (og:url; the site has no rel=canonical)
	Title      string
	Summary    string // div.article-ingress
	TypeRaw    string // div.article-info span.type ("Høring", "Rapport")
	DCType     string // meta DC.Type ("Horing", "Rapport")
	Ministries []string
	Published  time.Time // DC.Date, else "Dato: 03.07.2026"
	Updated    time.Time // meta last-modified
	Language   string    // nb, nn, en
	Event      *watcher.Event
	Meta       map[string]string // DC.*, og:url, ld.type, ownerid
	Text       string            // ingress and body text, capped
}

// HearingPage is a hearing's own page: the article fields and the
// consultation's.
type HearingPage struct {
	ArticlePage
	Deadline    time.Time
	DeadlineRaw string // the label line or the prose sentence's date
	// DeadlineFromProse is true when the page had no structured deadline
	// and it was read from the hearing letter's prose.
	DeadlineFromProse bool
	Status            watcher.Status
	StatusRaw         string
	Reference         string // "Vår ref.: 26/2371" → "26/2371"
	Attachments       []watcher.Attachment
	Consultees        int
	ResponseURL       string // svar.regjeringen.no/<lang>/registrer_horingsuttalelse/H<id>/
}

// metaNames are the <meta name> values kept in ArticlePage.Meta.
var metaNames = []string{
	"DC.Type", "DC.Date", "DC.Creator", "DC.Language", "DC.Subject",
	"DC.Identifier.URL", "ownerid", "authorshortname",
}

// ParseArticlePage reads a regjeringen.no document page. base is the URL it
// was fetched from, loc the time zone of its dates.
func ParseArticlePage(body []byte, base string, loc *time.Location) (ArticlePage, []string) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return ArticlePage{}, []string{fmt.Sprintf("page: parse html: %v", err)}
	}
	return parseArticle(doc, base, oslo(loc))
}

func parseArticle(doc *goquery.Document, base string, loc *time.Location) (ArticlePage, []string) {
	var p ArticlePage
	var probs []string
	p.Meta = map[string]string{}
	for _, name := range metaNames {
		if v := metaContent(doc, "name", name); v != "" {
			p.Meta[name] = v
		}
	}
	p.URL = absURL(base, metaContent(doc, "property", "og:url"))
	if p.URL != "" {
		p.Meta["og:url"] = p.URL
	} else {
		p.URL = base
	}
	p.ID = PageID(p.URL)
	if p.ID == "" {
		p.ID = PageID(base)
	}
	ld := parseJSONLD(doc)
	if ld.Type != "" {
		p.Meta["ld.type"] = ld.Type
	}
	p.Title = crawlers.FirstNonEmpty(crawlers.CleanText(doc.Find("header.article-header > h1").First().Text()),
		metaContent(doc, "name", "DC.Title"), metaContent(doc, "property", "og:title"), ld.Name)
	if p.Title == "" {
		probs = append(probs, "page: no title (header.article-header > h1)")
	}
	p.Summary = crawlers.FirstNonEmpty(crawlers.CleanText(doc.Find("div.article-ingress").First().Text()),
		metaContent(doc, "name", "DC.Description"), ld.Description)
	info := doc.Find("div.article-info").First()
	p.TypeRaw = strings.Trim(crawlers.CleanText(info.Find("span.type").First().Text()), "| ")
	p.DCType = p.Meta["DC.Type"]
	p.Ministries = pageMinistries(doc, info)
	p.Language = crawlers.FirstNonEmpty(langCode(p.Meta["DC.Language"]), langCode(ld.Language),
		langCode(doc.Find("html").AttrOr("lang", "")))
	probs = append(probs, p.readDates(doc, info, loc)...)
	// A hearing letter's labelled lines are no event's; JSON-LD still counts.
	p.Event = parseEvent(doc, ld, base, loc, kindFromDCType(p.DCType) != watcher.KindHearing)
	// The consultee list is names, not content: kept out of the text that
	// relevance reads.
	body := doc.Find("div.article-body").First().Clone()
	body.Find("#horingsinstanser").Remove()
	p.Text = crawlers.CutText(strings.Join(append([]string{p.Summary}, crawlers.TextLines(body)...), "\n"), maxText)
	return p, probs
}

func (p *ArticlePage) readDates(doc *goquery.Document, info *goquery.Selection, loc *time.Location) []string {
	var probs []string
	raw := p.Meta["DC.Date"]
	if raw == "" {
		raw = afterLabel(crawlers.CleanText(info.Find("span.date").First().Text()))
	}
	if raw == "" {
		probs = append(probs, "page: no date (meta DC.Date, div.article-info span.date)")
	} else if t, err := dates.Parse(raw, dates.Options{Loc: loc}); err != nil {
		probs = append(probs, fmt.Sprintf("page: date %q: %v", raw, err))
	} else {
		p.Published = t
	}
	// The modification stamp is a bonus: no problem when it is missing.
	if raw := crawlers.FirstNonEmpty(metaContent(doc, "name", "last-modified"), metaContent(doc, "name", "revised")); raw != "" {
		if t, err := dates.Parse(raw, dates.Options{Loc: loc}); err == nil {
			p.Updated = t
		}
	}
	return probs
}

// pageMinistries reads the owning ministries: the article-info owner links,
// else DC.Creator.
func pageMinistries(doc *goquery.Document, info *goquery.Selection) []string {
	var out []string
	info.Find("span.owner a").Each(func(_ int, a *goquery.Selection) {
		if t := crawlers.CleanText(a.Text()); t != "" {
			out = append(out, t)
		}
	})
	if len(out) == 0 {
		out = splitList(metaContent(doc, "name", "DC.Creator"))
	}
	return out
}

func metaContent(doc *goquery.Document, attr, name string) string {
	return crawlers.CleanText(doc.Find(fmt.Sprintf("meta[%s=%q]", attr, name)).First().AttrOr("content", ""))
}
