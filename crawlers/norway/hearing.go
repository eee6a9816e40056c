package norway

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"watcher"
	"watcher/crawlers"
	"watcher/dates"
)

var referenceRe = regexp.MustCompile(`(?i)vår\s+ref(?:\.|eranse)?\s*:?\s*([0-9A-Za-z][0-9A-Za-z/.\-]*[0-9A-Za-z])`)

// ParseHearingPage reads a hearing's own page on regjeringen.no. base is
// the URL it was fetched from, loc the time zone of its dates. The
// structured fields (div.horing-meta) win; an older page that gives the
// deadline only in the hearing letter's prose ("Høringsfristen er fredag
// 7. september 2012.") has it read from there. The related items in the
// sidebar (aside .article-related) are other pages with their own ids and
// are never read as part of the hearing.
func ParseHearingPage(body []byte, base string, loc *time.Location) (HearingPage, []string) {
	loc = oslo(loc)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return HearingPage{}, []string{fmt.Sprintf("page: parse html: %v", err)}
	}
	doc.Find("aside .article-related").Remove()
	var p HearingPage
	var probs []string
	p.ArticlePage, probs = parseArticle(doc, base, loc)
	probs = append(probs, p.readMeta(doc, loc)...)
	letter := doc.Find("#horingsbrev").First()
	if p.Deadline.IsZero() {
		probs = append(probs, p.proseDeadline(doc, letter, loc)...)
	}
	p.Reference = pageReference(letter)
	p.Attachments = pageAttachments(doc, base)
	p.Consultees = len(crawlers.TextLines(doc.Find("#horingsinstanser").First()))
	if href, ok := doc.Find("a.btn-cta[href]").First().Attr("href"); ok {
		p.ResponseURL = absURL(base, href)
	}
	if p.StatusRaw == "" {
		probs = append(probs, "page: no status (div.horing-meta)")
	}
	if p.Deadline.IsZero() {
		probs = append(probs, "page: no deadline (div.horing-meta, nor in the hearing letter)")
	}
	return p, probs
}

// readMeta reads div.horing-meta's labelled lines: "Status: På høring",
// "Høringsfrist: 07.08.2026" (or their nynorsk forms).
func (p *HearingPage) readMeta(doc *goquery.Document, loc *time.Location) []string {
	var probs []string
	doc.Find("div.horing-meta p").Each(func(_ int, s *goquery.Selection) {
		line := crawlers.CleanText(s.Text())
		value := afterLabel(line)
		label := crawlers.CleanText(s.Find("strong").First().Text())
		if label == "" {
			label, _, _ = strings.Cut(line, ":")
		}
		label = strings.ToLower(strings.TrimSuffix(crawlers.CleanText(label), ":"))
		switch {
		case label == "status":
			p.StatusRaw = value
			st, ok := HearingStatus(value)
			if !ok {
				probs = append(probs, fmt.Sprintf("page: unknown status %q", value))
			}
			p.Status = st
		case isDeadlineLabel(label):
			p.DeadlineRaw = line
			t, err := dates.Parse(value, dates.Options{Loc: loc})
			if err != nil {
				probs = append(probs, fmt.Sprintf("page: deadline %q: %v", line, err))
				return
			}
			p.Deadline = t
		}
	})
	return probs
}

// proseDeadline reads the deadline from the hearing letter (else the
// article body) of a page without a structured one.
func (p *HearingPage) proseDeadline(doc *goquery.Document, letter *goquery.Selection, loc *time.Location) []string {
	text := strings.Join(crawlers.TextLines(letter), "\n")
	if text == "" {
		text = strings.Join(crawlers.TextLines(doc.Find("div.article-body").First()), "\n")
	}
	if text == "" {
		return nil
	}
	t, ok := dates.ParseDeadline(text, p.Published, dates.Options{Loc: loc})
	if !ok {
		return nil
	}
	p.Deadline = t
	p.DeadlineFromProse = true
	p.DeadlineRaw = t.In(loc).Format("2006-01-02")
	return nil
}

// pageReference reads "Vår ref.: 26/2371" from the letter's reference line
// (div.horing-ref), else from the letter's text.
func pageReference(letter *goquery.Selection) string {
	for _, text := range []string{
		crawlers.CleanText(letter.Find(".horing-ref").First().Text()),
		strings.Join(crawlers.TextLines(letter), "\n"),
	} {
		if m := referenceRe.FindStringSubmatch(text); m != nil {
			return m[1]
		}
	}
	return ""
}

// pageAttachments lists the files linked from the hearing documents box
// (#horingsnotater a[href*="/contentassets/"]): the name is the link's
// title attribute (the file name as uploaded), else its text; URLs are
// absolute and each appears once.
func pageAttachments(doc *goquery.Document, base string) []watcher.Attachment {
	var out []watcher.Attachment
	seen := map[string]bool{}
	doc.Find(`#horingsnotater a[href*="/contentassets/"]`).Each(func(_ int, a *goquery.Selection) {
		u := absURL(base, a.AttrOr("href", ""))
		if u == "" || seen[u] {
			return
		}
		seen[u] = true
		name := crawlers.CleanText(a.AttrOr("title", ""))
		if name == "" {
			name = crawlers.CleanText(a.Text())
		}
		out = append(out, watcher.Attachment{Name: name, URL: u})
	})
	return out
}
