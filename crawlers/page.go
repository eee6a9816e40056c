package crawlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"watcher"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

func init() { Register("page", pageKind{}) }

// maxPageLinks bounds the links taken from one watched page.
const maxPageLinks = 2000

// PageLink is one link in the watched region of a page.
type PageLink struct {
	URL   string // absolute, without fragment
	Title string // link text, else its title attribute
	Date  time.Time
}

// pageKind watches a page that has no list: each link in its region is an
// item, so links that newly appear are new items, and the region's text
// hash shows when the content changed.
type pageKind struct{}

// Crawl fetches each URL of src conditionally. A page that answers 304 or
// the same body is unchanged; the result is NotModified when all are.
// Result.PageHash is the hash of the regions' text, set only when every
// page was read this run.
func (pageKind) Crawl(ctx context.Context, env *Env, src watcher.Source) (*Result, error) {
	res := &Result{}
	region := ""
	if src.Selectors != nil {
		region = src.Selectors.Region
	}
	opt := dates.Options{Loc: SourceLoc(env, src)}
	if src.Selectors != nil {
		opt = dateOptions(*src.Selectors, opt)
	}
	var hashes []string
	seen := map[string]bool{}
	unchanged := 0
	var errs []error
	for _, u := range src.URLs {
		resp, err := res.Get(ctx, env.Fetch, fetch.Request{URL: u, Conditional: true, Accept: AcceptHTML})
		if err != nil {
			errs = append(errs, fmt.Errorf("page %s: %w", u, err))
			continue
		}
		res.Validators = append(res.Validators, resp.Validator)
		if resp.NotModified || resp.SameBody {
			unchanged++
			continue
		}
		links, hash, problems, err := ExtractLinks(resp.Body, FinalURL(resp), region, opt)
		res.Problems = append(res.Problems, problems...)
		if err != nil {
			errs = append(errs, fmt.Errorf("page %s: %w: %w", u, ErrConfig, err))
			continue
		}
		hashes = append(hashes, hash)
		for _, l := range links {
			it := pageItem(src, l)
			if !seen[it.Key] {
				seen[it.Key] = true
				res.Items = append(res.Items, it)
			}
		}
	}
	res.NotModified = len(src.URLs) > 0 && unchanged == len(src.URLs)
	if len(hashes) == len(src.URLs) && len(hashes) > 0 {
		res.PageHash = combineHashes(hashes)
	}
	return res, PartialFailure(res, errs, len(src.URLs)-unchanged)
}

// combineHashes is the hash of one page, or of the list of several.
func combineHashes(hashes []string) string {
	if len(hashes) == 1 {
		return hashes[0]
	}
	sum := sha256.Sum256([]byte(strings.Join(hashes, "\n")))
	return hex.EncodeToString(sum[:])
}

// ExtractLinks returns the links inside the region of a page fetched from
// pageURL (the whole body when region is empty), resolved against the
// page's base and deduplicated by canonical URL, and the hex SHA-256 of
// the region's normalised text. Script, mail, data and phone links,
// fragment-only links and links to the page itself are skipped, and so
// is everything outside the region. err is only for a region selector
// that does not compile.
func ExtractLinks(body []byte, pageURL, region string, opt dates.Options) (links []PageLink, hash string, problems []string, err error) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, "", nil, &ParseError{URL: pageURL, Err: err}
	}
	root := doc.Find("body")
	if strings.TrimSpace(region) != "" {
		m, err := cascadia.Compile(region)
		if err != nil {
			return nil, "", nil, fmt.Errorf("selectors: region %q: %w", region, err)
		}
		if root = doc.FindMatcher(m); root.Length() == 0 {
			problems = append(problems, "selector region matched nothing")
		}
	}
	text := textOf(root)
	sum := sha256.Sum256([]byte(text))
	hash = hex.EncodeToString(sum[:])

	base := documentBase(doc, pageURL)
	self := canonicalOr(pageURL)
	seen := map[string]int{}
	anchors := root.Find("a[href]")
	if n := anchors.Length(); n > maxPageLinks {
		problems = append(problems, fmt.Sprintf("region holds %d links; read the first %d", n, maxPageLinks))
		anchors = anchors.Slice(0, maxPageLinks)
	}
	anchors.Each(func(_ int, a *goquery.Selection) {
		u, ok := ResolveLink(base, attrOf(a, "href"))
		if !ok {
			return
		}
		key := canonicalOr(u)
		if key == self {
			return
		}
		title := linkTitle(a)
		if i, dup := seen[key]; dup {
			if links[i].Title == "" {
				links[i].Title = title
			}
			return
		}
		seen[key] = len(links)
		l := PageLink{URL: u, Title: title}
		l.Date, _ = dates.Find(title, opt)
		links = append(links, l)
	})
	return links, hash, problems, nil
}

// pageItem maps a link of a watched page to an Item of src.
func pageItem(src watcher.Source, l PageLink) watcher.Item {
	kind := src.DocKind
	if kind == "" {
		kind = watcher.KindPage
	}
	it := watcher.Item{
		Key:          ItemKey("", "", l.URL), // ItemKey canonicalises
		SourceID:     src.ID,
		URL:          l.URL,
		Title:        l.Title,
		Published:    l.Date,
		Kind:         kind,
		Organisation: src.Organisation,
		Region:       src.Region,
		Language:     src.Language,
	}
	if isDocumentURL(l.URL) {
		it.Attachments = []watcher.Attachment{{Name: l.Title, URL: l.URL}}
	}
	return it
}
