package norway

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"watcher"
	"watcher/crawlers"
	"watcher/dates"
)

// ListingHearing is one entry of the regjeringen.no hearings listing
// (/no/dokument/hoyringar/id1763/). One listing page gives deadline and
// status for twenty hearings, so the adapter reads a hearing's own page
// only when its entry is new or has changed.
type ListingHearing struct {
	ID          string // numeric page id ("3167072")
	Key         string // "regjeringen:3167072"
	Title       string
	URL         string // absolute
	Published   time.Time
	TypeRaw     string   // "Høring" | "Høyring"
	Ministries  []string // in the listing's order
	Summary     string   // p.excerpts
	Deadline    time.Time
	DeadlineRaw string // "Høringsfrist: 07.08.2026"
	Status      watcher.Status
	StatusRaw   string // "På høring", without the "Status:" label
	Language    string // nb or nn, from the entry's own labels
}

// Fingerprint is what the listing says about a hearing that matters for
// change detection: title, published date, deadline and status. The
// adapter stores it in Item.Meta[MetaListing] and compares it on the next
// run instead of the item's fields, because the page's title and ingress
// win over the listing's and may differ from them in small ways.
func (h ListingHearing) Fingerprint() string {
	return strings.Join([]string{
		h.Title, dayString(h.Published), dayString(h.Deadline), h.StatusRaw,
	}, "|")
}

// MetaListing is the Item.Meta key holding the listing fingerprint.
const MetaListing = "regjeringen.listing"

// dayString is the calendar day of t in Oslo, the site's zone.
func dayString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(oslo(nil)).Format("2006-01-02")
}

var countRe = regexp.MustCompile(`(?i)av\s+([\d\s\x{a0}.]+)\s+treff`)

// ParseHearingListing reads one page of the hearings listing. base is the
// page's URL (for relative links), loc the time zone of its dates. It
// returns the hearings in page order, the next page's absolute URL ("" on
// the last page), the total number of hearings the page announces (0 when
// it says nothing), and the problems met: missing fields and unknown
// labels, each naming the entry.
func ParseHearingListing(body []byte, base string, loc *time.Location) (hearings []ListingHearing, next string, total int, problems []string) {
	loc = oslo(loc)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, "", 0, []string{fmt.Sprintf("listing: parse html: %v", err)}
	}
	pageLang := langCode(doc.Find("html").AttrOr("lang", ""))
	entries := doc.Find("ul#searchResultsListing > li.listItem")
	if entries.Length() == 0 {
		problems = append(problems, "listing: no entries match ul#searchResultsListing > li.listItem")
	}
	entries.Each(func(i int, li *goquery.Selection) {
		h, probs := parseListingEntry(li, base, loc, pageLang)
		for _, p := range probs {
			problems = append(problems, fmt.Sprintf("listing entry %d (%s): %s", i+1, entryName(h, i), p))
		}
		if h.Key != "" {
			hearings = append(hearings, h)
		}
	})
	total, problems = parseCount(doc, problems)
	if href, ok := doc.Find("ul.pagination li.next > a").Attr("href"); ok {
		next = absURL(base, href)
	}
	return hearings, next, total, problems
}

func entryName(h ListingHearing, i int) string {
	switch {
	case h.ID != "":
		return "id" + h.ID
	case h.Title != "":
		return strconv.Quote(h.Title)
	}
	return "#" + strconv.Itoa(i+1)
}

func parseCount(doc *goquery.Document, problems []string) (int, []string) {
	text := crawlers.CleanText(doc.Find("p.count").First().Text())
	if text == "" {
		return 0, append(problems, "listing: no p.count (total number of hearings)")
	}
	m := countRe.FindStringSubmatch(text)
	if m == nil {
		return 0, append(problems, fmt.Sprintf("listing: p.count %q has no total", text))
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, m[1])
	n, err := strconv.Atoi(digits)
	if err != nil {
		return 0, append(problems, fmt.Sprintf("listing: p.count %q has no total", text))
	}
	return n, problems
}

// parseListingEntry reads one li.listItem. An entry without a link to a
// page with an id comes back with an empty Key.
func parseListingEntry(li *goquery.Selection, base string, loc *time.Location, pageLang string) (ListingHearing, []string) {
	var h ListingHearing
	var probs []string
	a := li.Find("h2.title > a").First()
	h.Title = crawlers.CleanText(a.Text())
	href, _ := a.Attr("href")
	h.URL = absURL(base, href)
	h.ID = PageID(h.URL)
	switch {
	case h.URL == "":
		probs = append(probs, "no link (h2.title > a)")
	case h.ID == "":
		probs = append(probs, fmt.Sprintf("no id(\\d+) in link %q", h.URL))
	default:
		h.Key = regjeringenKey(h.ID)
	}
	if h.Title == "" {
		probs = append(probs, "no title (h2.title > a)")
	}
	info := li.Find(".info")
	h.TypeRaw = crawlers.CleanText(info.Find("span.type").First().Text())
	h.Ministries = splitList(info.Find("span.department").First().Text())
	if len(h.Ministries) == 0 {
		probs = append(probs, "no ministry (.info > span.department)")
	}
	h.Summary = crawlers.CleanText(li.Find("p.excerpts").First().Text())
	if raw := crawlers.CleanText(info.Find("span.date").First().Text()); raw == "" {
		probs = append(probs, "no date (.info > span.date)")
	} else if t, err := dates.Parse(raw, dates.Options{Loc: loc}); err != nil {
		probs = append(probs, fmt.Sprintf("date %q: %v", raw, err))
	} else {
		h.Published = t
	}
	probs = append(probs, h.readEventDetails(li, loc)...)
	h.Language = entryLanguage(h, pageLang)
	return h, probs
}

// readEventDetails reads the deadline and status of a listing entry.
func (h *ListingHearing) readEventDetails(li *goquery.Selection, loc *time.Location) []string {
	var probs []string
	li.Find("span.event-details").Each(func(_ int, s *goquery.Selection) {
		if t := crawlers.CleanText(s.Text()); isDeadlineLabel(t) && h.DeadlineRaw == "" {
			h.DeadlineRaw = t
		}
	})
	if h.DeadlineRaw == "" {
		probs = append(probs, "no deadline (span.event-details)")
	} else if t, err := dates.Parse(afterLabel(h.DeadlineRaw), dates.Options{Loc: loc}); err != nil {
		probs = append(probs, fmt.Sprintf("deadline %q: %v", h.DeadlineRaw, err))
	} else {
		h.Deadline = t
	}
	raw := crawlers.CleanText(li.Find("span.event-details-open").First().Text())
	h.StatusRaw = afterLabel(raw)
	switch st, ok := HearingStatus(h.StatusRaw); {
	case raw == "":
		probs = append(probs, "no status (span.event-details-open)")
	case !ok:
		probs = append(probs, fmt.Sprintf("unknown status %q", h.StatusRaw))
	default:
		h.Status = st
	}
	return probs
}

// entryLanguage tells nynorsk from bokmål by the entry's own labels; the
// listing's lang attribute is the reader's interface language, not the
// document's.
func entryLanguage(h ListingHearing, pageLang string) string {
	labels := []string{h.TypeRaw, h.DeadlineRaw, h.StatusRaw}
	labelled := false
	for _, l := range labels {
		if isNynorsk(l) {
			return "nn"
		}
		labelled = labelled || strings.Contains(strings.ToLower(l), "høring")
	}
	if labelled || pageLang == "" {
		return "nb"
	}
	return pageLang
}

// listingPageURL is the URL of page n of a listing: the bare URL for page
// 1, "?page=N" after it. Any other query on base is dropped: robots.txt
// disallows regjeringen.no's filter queries, and page is the only one the
// adapter needs.
func listingPageURL(base string, n int) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("listing url %q: %w", base, err)
	}
	u.Fragment = ""
	u.RawQuery = ""
	if n > 1 {
		u.RawQuery = "page=" + strconv.Itoa(n)
	}
	return u.String(), nil
}

// listingItem maps a listing entry to an Item (one place for this format).
func listingItem(src watcher.Source, h ListingHearing) watcher.Item {
	it := watcher.Item{
		Key:        h.Key,
		SourceID:   src.ID,
		URL:        h.URL,
		Title:      h.Title,
		Summary:    h.Summary,
		Kind:       watcher.KindHearing,
		TypeRaw:    h.TypeRaw,
		Ministries: h.Ministries,
		Region:     watcher.RegionNorway,
		Language:   h.Language,
		Published:  h.Published,
		Deadline:   h.Deadline,
		Status:     h.Status,
		StatusRaw:  h.StatusRaw,
		Meta:       map[string]string{MetaListing: h.Fingerprint()},
	}
	if len(h.Ministries) > 0 {
		it.Organisation = h.Ministries[0]
	} else {
		it.Organisation = src.Organisation
	}
	if src.Region != "" {
		it.Region = src.Region
	}
	return it
}
