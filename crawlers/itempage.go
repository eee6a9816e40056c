package crawlers

import (
	"bytes"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"watcher"
	"watcher/dates"
)

// PageInfo is what an item's own page says about it.
type PageInfo struct {
	Title       string // og:title, else the first h1, else <title>
	Description string // og:description, else meta description
	Text        string // the content's text, capped
	Published   time.Time
	DateRaw     string // the string Published was read from
	Deadline    time.Time
	Attachments []watcher.Attachment
	Event       *watcher.Event    // nil unless the page states when or where
	Meta        map[string]string // DC.* and og:type
	Canonical   string            // og:url or <link rel=canonical>, absolute
	Problems    []string
}

// ExtractPage reads an item page fetched from base. The content is
// sel.Content when it matches, else the page's article, main or body. The
// date comes from, in order: meta article:published_time, DC.Date,
// time[datetime], JSON-LD datePublished, and a date in the content text.
// The deadline is searched in the content text, anchored on that date.
func ExtractPage(body []byte, base string, sel watcher.Selectors, opt dates.Options) PageInfo {
	var info PageInfo
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		info.Problems = append(info.Problems, "page not parsed: "+err.Error())
		return info
	}
	b := documentBase(doc, base)
	opt = dateOptions(sel, opt)
	root, problem := contentRoot(doc, sel.Content)
	if problem != "" {
		info.Problems = append(info.Problems, problem)
	}
	metas := readMetas(doc)
	ld := readJSONLD(doc)

	info.Text = capText(textOf(root), textCap)
	info.Title = FirstNonEmpty(metas.get("og:title"), textOf(doc.Find("h1").First()), textOf(doc.Find("title").First()))
	info.Description = capText(FirstNonEmpty(metas.get("og:description"), metas.get("description")), summaryCap)
	info.Event = pageEvent(ld, TextLines(root), opt)
	info.Published, info.DateRaw = pageDate(doc, root, metas, ld, info.Text, opt)
	if info.DateRaw == "" && info.Event != nil && info.Published.Equal(info.Event.Start) {
		// The first date in an event page's text is when it happens.
		info.Published = time.Time{}
	}
	info.Deadline, _ = dates.ParseDeadline(info.Text, info.Published, opt)
	info.Attachments = pageAttachments(root, b)
	info.Meta = metas.meta()
	if c, ok := ResolveLink(b, FirstNonEmpty(metas.get("og:url"), attrOf(doc.Find(`link[rel="canonical"]`).First(), "href"))); ok {
		info.Canonical = c
	}
	return info
}

// contentRoot is the part of the page that holds the item.
func contentRoot(doc *goquery.Document, content string) (*goquery.Selection, string) {
	var problem string
	if strings.TrimSpace(content) != "" {
		m, err := cascadia.Compile(content)
		switch {
		case err != nil:
			problem = "selector content " + content + " is invalid: " + err.Error()
		default:
			if s := doc.FindMatcher(m); s.Length() > 0 {
				return s, ""
			}
			problem = "selector content matched nothing"
		}
	}
	for _, f := range []string{"article", "main", "[role=main]", "body"} {
		if s := doc.Find(f).First(); s.Length() > 0 {
			return s, problem
		}
	}
	return doc.Selection, problem
}

// pageMetas holds a page's <meta> values by lower-cased name or property
// (the first occurrence wins) and the spelling the page used.
type pageMetas struct {
	values map[string]string
	names  map[string]string
}

func readMetas(doc *goquery.Document) pageMetas {
	m := pageMetas{values: map[string]string{}, names: map[string]string{}}
	doc.Find("meta[content]").Each(func(_ int, s *goquery.Selection) {
		name := FirstNonEmpty(attrOf(s, "property"), attrOf(s, "name"), attrOf(s, "itemprop"))
		key := strings.ToLower(name)
		if _, dup := m.values[key]; name == "" || dup {
			return
		}
		m.values[key] = CleanText(attrOf(s, "content"))
		m.names[key] = name
	})
	return m
}

func (m pageMetas) get(key string) string { return m.values[key] }

// meta keeps the DC.* and DCTERMS.* metadata, under the names the page
// uses, and og:type.
func (m pageMetas) meta() map[string]string {
	out := map[string]string{}
	for k, v := range m.values {
		if v != "" && (k == "og:type" || strings.HasPrefix(k, "dc.") || strings.HasPrefix(k, "dcterms.")) {
			out[m.names[k]] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// pageDateMetas are the meta names that carry a publication date, best first.
var pageDateMetas = []string{"article:published_time", "dc.date", "dc.date.issued", "dc.date.created", "dcterms.issued", "dcterms.date", "datepublished"}

func pageDate(doc *goquery.Document, root *goquery.Selection, metas pageMetas, ld jsonLD, text string, opt dates.Options) (time.Time, string) {
	var cands []string
	for _, name := range pageDateMetas {
		cands = append(cands, metas.get(name))
	}
	cands = append(cands,
		attrOf(root.Find("time[datetime]").First(), "datetime"),
		attrOf(doc.Find("time[datetime]").First(), "datetime"),
		ld.datePublished)
	for _, c := range cands {
		if c == "" {
			continue
		}
		if t, err := dates.Parse(c, opt); err == nil {
			return t, c
		}
	}
	if t, ok := dates.Find(text, opt); ok {
		return t, ""
	}
	return time.Time{}, ""
}

// pageAttachments are the links in root to PDFs and office documents,
// named by their title attribute, else their text, else the file name.
func pageAttachments(root *goquery.Selection, base *url.URL) []watcher.Attachment {
	var set attachmentSet
	root.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		u, ok := ResolveLink(base, attrOf(a, "href"))
		if !ok || !isDocumentURL(u) {
			return
		}
		set.add(FirstNonEmpty(CleanText(attrOf(a, "title")), textOf(a)), u)
	})
	return set.list
}

func attrOf(s *goquery.Selection, name string) string {
	v, _ := s.Attr(name)
	return strings.TrimSpace(v)
}

// FirstNonEmpty returns the first of ss that is not blank, trimmed; ""
// when all are blank.
func FirstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
