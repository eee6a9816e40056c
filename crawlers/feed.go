package crawlers

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"watcher"
	"watcher/crawlers/fetch"
	"watcher/dates"
	"watcher/internal/fold"
)

func init() { Register("feed", feedKind{}) }

// feedAccept is the Accept header of feed requests.
const feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"

// feedKind reads RSS 0.9x/1.0/2.0, Atom and JSON Feed sources.
type feedKind struct{}

// Crawl fetches every URL of src conditionally and returns the union of
// their items, deduplicated by key. A URL that answers 304 or the same
// body as last time contributes no items; the result is NotModified when
// all of them did. A URL that fails while others succeed is reported in
// Problems; the crawl fails only when every URL failed.
func (feedKind) Crawl(ctx context.Context, env *Env, src watcher.Source) (*Result, error) {
	res := &Result{}
	loc := SourceLoc(env, src)
	seen := map[string]bool{}
	unchanged := 0
	var errs []error
	for _, u := range src.URLs {
		resp, err := res.Get(ctx, env.Fetch, fetch.Request{URL: u, Conditional: true, Accept: feedAccept})
		if err != nil {
			errs = append(errs, fmt.Errorf("feed %s: %w", u, err))
			continue
		}
		if resp.NotModified || resp.SameBody {
			res.Validators = append(res.Validators, resp.Validator)
			unchanged++
			continue
		}
		items, problems, err := ParseFeed(resp.Body, FinalURL(resp), src, loc)
		res.Problems = append(res.Problems, problems...)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		// Only a body that parsed is remembered: a feed that failed while
		// the others succeeded is read again in full next time, and its
		// failure reported again, rather than answered with a 304.
		res.Validators = append(res.Validators, resp.Validator)
		for _, it := range items {
			if !seen[it.Key] {
				seen[it.Key] = true
				res.Items = append(res.Items, it)
			}
		}
	}
	res.NotModified = len(src.URLs) > 0 && unchanged == len(src.URLs)
	return res, PartialFailure(res, errs, len(src.URLs)-unchanged)
}

// PartialFailure decides what the failing URLs of a source mean for its
// result. n counts the URLs that had something to bring: all of them but
// those that answered "unchanged". When all n failed it returns the first
// error, which classifies the source, and records the others in
// res.Problems; when some succeeded, all failures are problems and it
// returns nil. (A source whose only changed URL answered 500 is
// unreachable, not a source that suddenly yields nothing.)
func PartialFailure(res *Result, errs []error, n int) error {
	if len(errs) == 0 {
		return nil
	}
	var first error
	if len(errs) == n {
		first, errs = errs[0], errs[1:]
	}
	for _, err := range errs {
		res.Problems = append(res.Problems, err.Error())
	}
	return first
}

// FinalURL is the URL a response came from after redirects: the base its
// relative links resolve against.
func FinalURL(resp *fetch.Response) string {
	if resp.FinalURL != "" {
		return resp.FinalURL
	}
	return resp.URL
}

// SourceLoc is the time zone a source's dates are read in: the run's
// choice (env.Loc), else the source's configured zone, else nil (the
// dates package then uses Europe/Oslo).
func SourceLoc(env *Env, src watcher.Source) *time.Location {
	if env != nil && env.Loc != nil {
		return env.Loc
	}
	if src.TimeZone != "" {
		if loc, err := time.LoadLocation(src.TimeZone); err == nil {
			return loc
		}
	}
	return nil
}

// ParseFeed parses an RSS, Atom or JSON feed fetched from feedURL and maps
// its entries to items of src, deduplicated by key. A body that is no feed
// gives a *ParseError; a feed without entries gives the problem "feed has
// no items" and leaves the verdict to the caller.
func ParseFeed(body []byte, feedURL string, src watcher.Source, loc *time.Location) ([]watcher.Item, []string, error) {
	feed, err := newFeedParser().Parse(bytes.NewReader(xmlSafe(utf8Declared(body))))
	if err != nil {
		return nil, nil, &ParseError{URL: feedURL, Err: err}
	}
	base := feedURL
	if b := ParseBase(feedURL); b != nil && feed.Link != "" {
		if l, ok := ResolveLink(b, feed.Link); ok {
			base = l
		}
	}
	var items []watcher.Item
	var problems []string
	seen := map[string]bool{}
	for _, fi := range feed.Items {
		if fi == nil {
			continue
		}
		it, p := feedItem(src, fi, base, loc)
		problems = append(problems, p...)
		if it.Key == "" || seen[it.Key] {
			continue
		}
		seen[it.Key] = true
		items = append(items, it)
	}
	if len(feed.Items) == 0 {
		problems = append(problems, "feed has no items")
	}
	return items, problems, nil
}

// newFeedParser returns a gofeed parser that leaves out what feedItem
// never reads: the scan of every RSS item's HTML for an image, which
// parses each description as an HTML document (6% of a cold run's CPU on
// the benchmark yardstick, see BENCHMARKS.md).
func newFeedParser() *gofeed.Parser {
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	return p
}

// feedItem maps one gofeed entry to an Item. It is the only place that
// reads gofeed's item type.
func feedItem(src watcher.Source, it *gofeed.Item, base string, loc *time.Location) (watcher.Item, []string) {
	var problems []string
	b := ParseBase(base)
	item := watcher.Item{
		SourceID:     src.ID,
		GUID:         CleanText(it.GUID),
		Title:        feedTitle(it.Title),
		Kind:         src.DocKind,
		Organisation: src.Organisation,
		Region:       src.Region,
		Language:     src.Language,
	}
	item.URL = feedLink(b, it)
	summary := it.Description
	if strings.TrimSpace(summary) == "" {
		summary = it.Content
	}
	item.Summary = capText(HTMLToText(summary), summaryCap)
	if strings.TrimSpace(it.Content) != "" {
		item.Text = capText(HTMLToText(it.Content), textCap)
	}
	item.Published, item.Updated, problems = feedDates(it, loc)
	item.Tags = feedTags(it.Categories)
	item.Attachments = feedAttachments(b, it)

	canonical, _ := CanonicalURL(item.URL)
	item.Key = ItemKey("", item.GUID, canonical)
	if item.Key == "" {
		item.Key = FallbackKey(item.Title, item.Published)
	}
	if item.Key == "" {
		problems = append(problems, "feed item without link, guid or title")
	}
	return item, problems
}

// feedTitle decodes what entities the feed left encoded (double-escaped
// titles are common) and strips any markup.
func feedTitle(s string) string {
	s = html.UnescapeString(s)
	if strings.Contains(s, "<") {
		return HTMLToText(s)
	}
	return CleanText(s)
}

// feedLink is the entry's link resolved against the feed's base, or its
// GUID when that is a URL and the entry has no link.
func feedLink(b *url.URL, it *gofeed.Item) string {
	cands := append([]string{it.Link}, it.Links...)
	if looksLikeURL(strings.TrimSpace(it.GUID)) {
		cands = append(cands, it.GUID)
	}
	for _, c := range cands {
		if u, ok := ResolveLink(b, c); ok {
			return u
		}
	}
	return ""
}

// feedDates reads the publication and update dates. gofeed's own parse
// wins; a raw date it could not read (Norwegian month names, odd forms)
// goes through dates.Parse in the source's zone. An entry without any
// date stays undated.
func feedDates(it *gofeed.Item, loc *time.Location) (published, updated time.Time, problems []string) {
	opt := dates.Options{Loc: loc}
	read := func(parsed *time.Time, raw string) time.Time {
		if parsed != nil && !parsed.IsZero() {
			return parsed.UTC()
		}
		raw = CleanText(raw)
		if raw == "" {
			return time.Time{}
		}
		t, err := dates.Parse(raw, opt)
		if err != nil {
			problems = append(problems, "date not parsed: "+raw)
			return time.Time{}
		}
		return t
	}
	published = read(it.PublishedParsed, it.Published)
	updated = read(it.UpdatedParsed, it.Updated)
	if published.IsZero() {
		published = updated
	}
	return published, updated, problems
}

func feedTags(cats []string) []string {
	var tags []string
	seen := map[string]bool{}
	for _, c := range cats {
		c = CleanText(html.UnescapeString(c))
		if c != "" && !seen[strings.ToLower(c)] {
			seen[strings.ToLower(c)] = true
			tags = append(tags, c)
		}
	}
	return tags
}

// feedAttachments are the entry's enclosures and links that point at PDFs
// or office documents.
func feedAttachments(b *url.URL, it *gofeed.Item) []watcher.Attachment {
	var set attachmentSet
	for _, e := range it.Enclosures {
		if e == nil {
			continue
		}
		u, ok := ResolveLink(b, e.URL)
		if ok && (isDocumentURL(u) || documentType(e.Type)) {
			set.add("", u)
		}
	}
	for _, l := range it.Links {
		if u, ok := ResolveLink(b, l); ok && isDocumentURL(u) {
			set.add("", u)
		}
	}
	return set.list
}

func documentType(mediaType string) bool {
	mt := strings.ToLower(strings.TrimSpace(mediaType))
	return mt == "application/pdf" || mt == "application/msword" || mt == "application/vnd.oasis.opendocument.text" ||
		mt == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
}

// utf8Declared rewrites the XML declaration of a body that is already
// UTF-8 but still declares another encoding, so the XML reader does not
// decode it a second time. The fetcher rewrites the declaration of every
// body it decodes; this is for the bodies it leaves as they came (a feed
// served as application/octet-stream) and for callers whose body did not
// come through it. A body that is not valid UTF-8 is left for the
// reader's own charset conversion.
func utf8Declared(body []byte) []byte {
	start := bytes.TrimLeft(body, "\ufeff \t\r\n")
	if !bytes.HasPrefix(start, []byte("<?xml")) {
		return body
	}
	end := bytes.Index(start, []byte("?>"))
	if end < 0 {
		return body
	}
	decl := start[:end]
	i := fold.Index(string(decl), "encoding")
	if i < 0 {
		return body
	}
	rest := decl[i+len("encoding"):]
	q := bytes.IndexAny(rest, `"'`)
	if q < 0 {
		return body
	}
	quote := rest[q]
	closing := bytes.IndexByte(rest[q+1:], quote)
	if closing < 0 {
		return body
	}
	enc := strings.ToLower(string(rest[q+1 : q+1+closing]))
	if enc == "utf-8" || enc == "utf8" || !utf8.Valid(body) {
		return body
	}
	offset := len(body) - len(start) + i + len("encoding") + q + 1
	out := make([]byte, 0, len(body)+5)
	out = append(out, body[:offset]...)
	out = append(out, "UTF-8"...)
	out = append(out, body[offset+closing:]...)
	return out
}

// illegalXMLRef matches character references to C0 controls other than
// tab, newline and carriage return, which XML 1.0 forbids.
var illegalXMLRef = regexp.MustCompile(`&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));`)

// xmlSafe removes the control characters, raw or as references, that make
// the XML reader give up on a whole feed: a stray one pasted into a title
// is a common fault of otherwise sound feeds. JSON bodies pass untouched.
func xmlSafe(body []byte) []byte {
	start := bytes.TrimLeft(body, "\ufeff \t\r\n")
	if len(start) == 0 || start[0] != '<' {
		return body
	}
	clean := make([]byte, 0, len(body))
	for _, c := range body {
		if c >= 0x20 || c == '\t' || c == '\n' || c == '\r' {
			clean = append(clean, c)
		}
	}
	if bytes.Contains(clean, []byte("&#")) {
		clean = illegalXMLRef.ReplaceAll(clean, nil)
	}
	return clean
}
