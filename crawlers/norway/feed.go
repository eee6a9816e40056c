package norway

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"watcher"
	"watcher/crawlers"
)

// feedKind crawls regjeringen.no's RSS generator feeds
// (/no/rss/Rss/2581966/, with ?documentType=… or ?owner=N). Every URL in
// src.URLs is one feed, fetched conditionally.
//
// An item's key is "regjeringen:<page id>": the feed's guid is the numeric
// page id (else the id(\d+) of its link), so one page carried by several
// feeds, or linked under /no/, /nn/ and /en/, is one item. Its kind comes
// from the feed's documentType (src.Options["document_type"] or the URL's
// query); for an owner feed, which mixes types, from the stored item or the
// page's DC.Type. New items, and known ones never read from their page,
// are enriched from their page when src.FollowItems is set, and always for
// hearings (the deadline and status are only on the page), at most
// src.MaxItemPages per run.
type feedKind struct{}

// metaPageRead is the Item.Meta key whose presence says the item's own
// page has been read: og:url, or the fetched URL when the page has none.
const metaPageRead = "og:url"

// emptyFeedProblem is reported for a feed with no items: regjeringen.no
// answers an invalid documentType with an empty feed, not an error.
const emptyFeedProblem = "feed has no items (an invalid documentType gives an empty feed)"

func (feedKind) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	s, err := newSession(env, src)
	if err != nil {
		return nil, err
	}
	var items []watcher.Item
	index := map[string]int{}
	notModified := 0
	var errs []error
	for _, feedURL := range src.URLs {
		got, unchanged, err := s.readFeed(ctx, feedURL)
		switch {
		case err != nil && ctx.Err() != nil:
			return s.res, err
		case err != nil:
			errs = append(errs, fmt.Errorf("feed %s: %w", feedURL, err))
			continue
		case unchanged:
			notModified++
			continue
		}
		for _, it := range got {
			if i, dup := index[it.Key]; dup {
				items[i].AltURLs = mergeAltURLs(items[i], it)
				continue
			}
			index[it.Key] = len(items)
			items = append(items, it)
		}
	}
	if err := crawlers.PartialFailure(s.res, errs, len(src.URLs)-notModified); err != nil {
		return s.res, err
	}
	s.res.NotModified = notModified == len(src.URLs)
	items, complete, err := s.enrichFeedItems(ctx, items)
	s.res.Items = items
	if !complete || len(errs) > 0 {
		// Items were left unread or a feed failed: keep the validators out
		// so that the next run reads the feeds again instead of a 304.
		s.res.Validators = nil
	}
	return s.res, err
}

// mergeAltURLs returns the first item's alternative URLs with the second
// item's URL and its alternatives added.
func mergeAltURLs(first, second watcher.Item) []string {
	alts := first.AltURLs
	for _, u := range append([]string{second.URL}, second.AltURLs...) {
		if u != first.URL {
			alts = addURL(alts, u)
		}
	}
	return alts
}

// readFeed fetches and maps one feed. unchanged is true when the server
// said 304 or sent the body it sent last time.
func (s *session) readFeed(ctx context.Context, feedURL string) (items []watcher.Item, unchanged bool, err error) {
	resp, err := s.get(ctx, feedURL, true, "application/rss+xml, application/xml;q=0.9, */*;q=0.1")
	if err != nil {
		return nil, false, err
	}
	if resp.NotModified || resp.SameBody {
		return nil, true, nil
	}
	items, probs, err := ParseFeed(resp.Body, crawlers.FinalURL(resp), feedDocKind(s.src, feedURL), s.src, s.loc)
	if err != nil {
		return nil, false, err
	}
	for _, p := range probs {
		s.problemf("feed %s: %s", feedURL, p)
	}
	if len(items) == 0 {
		// No validator either: the next run must read it again and say so
		// again, not take a 304 for "nothing new".
		s.problemf("feed %s: %s", feedURL, emptyFeedProblem)
		return nil, false, nil
	}
	s.res.Validators = append(s.res.Validators, resp.Validator)
	return items, false, nil
}

// ParseFeed reads a regjeringen.no RSS feed with the generic feed reader
// and gives its items the site's identity. kind is the feed's document
// kind ("" for a feed that mixes kinds: the caller decides later). It
// fails only when the body is not a feed at all (a *crawlers.ParseError).
func ParseFeed(body []byte, feedURL string, kind watcher.DocKind, src watcher.Source, loc *time.Location) ([]watcher.Item, []string, error) {
	generic, probs, err := crawlers.ParseFeed(body, feedURL, src, oslo(loc))
	if err != nil {
		return nil, nil, err
	}
	// The generic reader reports an empty feed in its own words; the
	// caller says why it matters here.
	probs = slices.DeleteFunc(probs, func(p string) bool { return p == "feed has no items" })
	var items []watcher.Item
	for _, it := range generic {
		it, p := regjeringenFeedItem(src, kind, it)
		probs = append(probs, p...)
		items = append(items, it)
	}
	return items, probs, nil
}

// regjeringenFeedItem turns a generic feed item into a regjeringen.no
// item: keyed by the page id (the guid is the numeric page id; else the
// id(\d+) of the link), of the feed's kind, in the language its path
// says.
func regjeringenFeedItem(src watcher.Source, kind watcher.DocKind, it watcher.Item) (watcher.Item, []string) {
	var probs []string
	id := it.GUID
	if !allDigits(id) {
		id = PageID(it.GUID)
	}
	if id == "" {
		id = PageID(it.URL)
	}
	if id != "" {
		it.Key = regjeringenKey(id)
	} else {
		probs = append(probs, fmt.Sprintf("%s: no page id in guid %q or link %q", it.Key, it.GUID, it.URL))
	}
	it.Kind = kind
	it.Language = pathLanguage(it.URL, src.Language)
	if it.Region == "" {
		it.Region = watcher.RegionNorway
	}
	return it, probs
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// pathLanguage reads the language of a regjeringen.no path (/nn/, /en/,
// /se/); /no/ serves both bokmål and nynorsk, so it gives the source's
// language (default nb) until the page says more.
func pathLanguage(link, fallback string) string {
	if u, err := url.Parse(link); err == nil {
		seg, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
		switch seg {
		case "nn", "en", "se":
			return seg
		}
	}
	if fallback != "" {
		return fallback
	}
	return "nb"
}

// documentTypeKinds maps the last part of a documentType value
// ("dokumenter/høringer") to a document kind.
var documentTypeKinds = map[string]watcher.DocKind{
	"høringer": watcher.KindHearing, "horinger": watcher.KindHearing, "hoeringer": watcher.KindHearing,
	"høyringar": watcher.KindHearing, "hoyringar": watcher.KindHearing,
	"rapporter":       watcher.KindReport,
	"planer":          watcher.KindPlan,
	"proposisjoner":   watcher.KindProposition,
	"meldinger":       watcher.KindProposition,
	"nouer":           watcher.KindNOU,
	"nyheter":         watcher.KindNews,
	"pressemeldinger": watcher.KindNews,
	"kalender":        watcher.KindEvent,
}

// feedDocKind is a feed's document kind: src.Options["document_type"], else
// the documentType of the feed URL's query; "" for a feed without one (an
// owner feed mixes kinds).
func feedDocKind(src watcher.Source, feedURL string) watcher.DocKind {
	dt := src.Options["document_type"]
	if dt == "" {
		if u, err := url.Parse(feedURL); err == nil {
			for k, v := range u.Query() {
				if strings.EqualFold(k, "documentType") && len(v) > 0 {
					dt = v[0]
				}
			}
		}
	}
	if dt == "" {
		return ""
	}
	dt = strings.ToLower(strings.Trim(dt, "/ "))
	if i := strings.LastIndex(dt, "/"); i >= 0 {
		dt = dt[i+1:]
	}
	return documentTypeKinds[dt]
}

// dcTypeKinds maps a page's DC.Type to a document kind. "Horing" is seen
// in the real capture; the others are the site's document types as named
// in its menus, unconfirmed as DC.Type values.
var dcTypeKinds = map[string]watcher.DocKind{
	"horing": watcher.KindHearing, "høring": watcher.KindHearing,
	"rapport": watcher.KindReport, "nou": watcher.KindNOU,
	"plan": watcher.KindPlan, "handlingsplan": watcher.KindPlan, "strategi": watcher.KindPlan,
	"proposisjon": watcher.KindProposition, "prop": watcher.KindProposition,
	"melding": watcher.KindProposition, "meldst": watcher.KindProposition,
	"nyhet": watcher.KindNews, "pressemelding": watcher.KindNews, "artikkel": watcher.KindNews,
	"kalender": watcher.KindEvent, "arrangement": watcher.KindEvent,
}

// kindFromDCType maps a DC.Type to a kind, or "" when unknown.
func kindFromDCType(dcType string) watcher.DocKind {
	return dcTypeKinds[strings.ToLower(strings.ReplaceAll(crawlers.CleanText(dcType), ".", ""))]
}

// enrichFeedItems lays each item's stored version under it and reads the
// pages of those never read before, within the cap. complete is false when
// an item that should have had its page read did not (cap or failure).
func (s *session) enrichFeedItems(ctx context.Context, items []watcher.Item) (out []watcher.Item, complete bool, err error) {
	budget := maxItemPages(s.src)
	complete = true
	for i := range items {
		known, isKnown := s.env.Stored(items[i].Key)
		if isKnown {
			items[i] = feedOverKnown(items[i], known)
		}
		if isKnown && known.Meta[metaPageRead] != "" {
			continue
		}
		if !s.src.FollowItems && items[i].Kind != watcher.KindHearing {
			continue
		}
		if budget <= 0 {
			complete = false
			continue
		}
		budget--
		it, err := s.enrichFromPage(ctx, items[i])
		if err != nil {
			if ctx.Err() != nil {
				return items, false, fmt.Errorf("item page: %w", err)
			}
			s.problemf("%s: %v", items[i].Key, err)
			complete = false
			continue
		}
		items[i] = it
	}
	for i := range items {
		if items[i].Kind == "" {
			items[i].Kind = s.src.DocKind
		}
	}
	return items, complete, nil
}

// feedOverKnown lays a feed item over its stored version: the feed's own
// title, summary and dates win; what only the page gave (ministries, type,
// language, consultation fields, the canonical URL) stays.
func feedOverKnown(it, known watcher.Item) watcher.Item {
	if known.Meta[metaPageRead] != "" {
		if known.URL != "" && known.URL != it.URL {
			it.AltURLs = addURL(it.AltURLs, it.URL)
			it.URL = known.URL
		}
		it.Language = pick(known.Language, it.Language)
		if len(known.Ministries) > 0 {
			it.Ministries, it.Organisation = known.Ministries, known.Organisation
		}
	}
	return fillFromKnown(it, known)
}

// enrichFromPage reads an item's own page: the hearing extractor for
// hearings (an item of unknown kind whose page says DC.Type "Horing" is
// one), the light article extractor for the rest. The feed's own fields
// win over the page's; the page fills the rest.
func (s *session) enrichFromPage(ctx context.Context, it watcher.Item) (watcher.Item, error) {
	resp, err := s.get(ctx, it.URL, false, crawlers.AcceptHTML)
	if err != nil {
		return it, err
	}
	base := crawlers.FinalURL(resp)
	var probs []string
	if it.Kind != watcher.KindHearing {
		var p ArticlePage
		p, probs = ParseArticlePage(resp.Body, base, s.loc)
		if it.Kind == "" {
			it.Kind = kindFromDCType(p.DCType)
		}
		if it.Kind != watcher.KindHearing {
			it = mergeArticle(it, p, false)
		}
	}
	if it.Kind == watcher.KindHearing {
		var p HearingPage
		p, probs = ParseHearingPage(resp.Body, base, s.loc)
		it = mergeHearingPage(it, p, false)
	}
	for _, p := range probs {
		s.problemf("%s: %s", it.URL, p)
	}
	if it.Meta[metaPageRead] == "" {
		it.Meta[metaPageRead] = base
	}
	return it, nil
}
