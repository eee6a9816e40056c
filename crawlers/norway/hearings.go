package norway

import (
	"context"
	"fmt"
	"log/slog"

	"watcher"
	"watcher/crawlers"
)

// hearingsKind crawls the regjeringen.no hearings listing. src.URLs[0] is
// the listing (https://www.regjeringen.no/no/dokument/hoyringar/id1763/).
//
// It walks ?page=N (page 1 is the bare URL; page is the only query the
// site's robots.txt allows there) until a page holds only known hearings
// whose listing entry is unchanged, or src.MaxPages pages (default 5). Each
// hearing that is new or whose entry changed has its own page read (at
// most src.MaxItemPages per run, default 30; negative: none) for the
// fields the listing lacks. A hearing whose page could not be read this
// run is returned from its listing entry and its known fields, without
// the listing fingerprint, so that the next run reads its page again.
type hearingsKind struct{}

// entryState says what a listing entry is compared with the store.
type entryState int

const (
	entryNew entryState = iota
	entryChanged
	entryUnchanged
)

type listingEntry struct {
	ListingHearing
	known   watcher.Item
	isKnown bool
	state   entryState
}

func (hearingsKind) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	s, err := newSession(env, src)
	if err != nil {
		return nil, err
	}
	entries, err := s.walkListing(ctx, src.URLs[0])
	if err != nil {
		return s.res, err
	}
	items, err := s.hearingItems(ctx, entries)
	s.res.Items = items
	return s.res, err
}

// walkListing reads listing pages until one holds nothing new or changed.
func (s *session) walkListing(ctx context.Context, base string) ([]listingEntry, error) {
	var entries []listingEntry
	seen := map[string]bool{}
	limit := maxPages(s.src)
	for n := 1; n <= limit; n++ {
		u, err := listingPageURL(base, n)
		if err != nil {
			return nil, err
		}
		resp, err := s.get(ctx, u, false, crawlers.AcceptHTML)
		if err != nil {
			if n == 1 || ctx.Err() != nil {
				return nil, fmt.Errorf("hearings listing: %w", err)
			}
			s.problemf("listing page %d: %v", n, err)
			break
		}
		hs, next, _, probs := ParseHearingListing(resp.Body, crawlers.FinalURL(resp), s.loc)
		for _, p := range probs {
			s.problemf("listing page %d: %s", n, p)
		}
		settled := true
		for _, h := range hs {
			if seen[h.Key] {
				continue // moved down from the previous page while we read it
			}
			seen[h.Key] = true
			e := s.classify(h)
			settled = settled && e.state == entryUnchanged
			entries = append(entries, e)
		}
		if settled || next == "" || len(hs) == 0 {
			break
		}
		if n == limit {
			s.log.Info("listing page cap reached before the known hearings",
				slog.Int("max_pages", limit), slog.Int("hearings", len(entries)))
		}
	}
	return entries, nil
}

// classify compares a listing entry with the stored item of that key.
func (s *session) classify(h ListingHearing) listingEntry {
	e := listingEntry{ListingHearing: h}
	e.known, e.isKnown = s.env.Stored(h.Key)
	switch {
	case !e.isKnown:
		e.state = entryNew
	case e.known.Meta[MetaListing] != h.Fingerprint():
		e.state = entryChanged
	default:
		e.state = entryUnchanged
	}
	return e
}

// hearingItems turns the entries into items, reading the pages of new and
// changed hearings within the cap.
func (s *session) hearingItems(ctx context.Context, entries []listingEntry) ([]watcher.Item, error) {
	budget := maxItemPages(s.src)
	items := make([]watcher.Item, 0, len(entries))
	skipped := 0
	for _, e := range entries {
		if e.state == entryUnchanged {
			it := e.known
			it.SourceID = s.src.ID
			items = append(items, it)
			continue
		}
		it := listingItem(s.src, e.ListingHearing)
		if budget <= 0 {
			skipped++
			items = append(items, carryKnown(it, e.known, e.isKnown))
			continue
		}
		budget--
		page, err := s.hearingPage(ctx, e.URL)
		if err != nil {
			if ctx.Err() != nil {
				return items, fmt.Errorf("hearing page: %w", err)
			}
			s.problemf("hearing %s: %v", e.Key, err)
			items = append(items, carryKnown(it, e.known, e.isKnown))
			if crawlers.Classify(err) == watcher.ErrBlocked {
				budget = 0 // the next pages would meet the same challenge
			}
			continue
		}
		it = mergeHearingPage(it, page, true)
		it.Meta[MetaListing] = e.Fingerprint()
		items = append(items, it)
	}
	if skipped > 0 {
		s.log.Info("item page cap reached; the rest follow in later runs",
			slog.Int("max_item_pages", maxItemPages(s.src)), slog.Int("skipped", skipped))
	}
	return items, nil
}

// hearingPage fetches and parses one hearing page; its problems are the
// source's problems.
func (s *session) hearingPage(ctx context.Context, url string) (HearingPage, error) {
	resp, err := s.get(ctx, url, false, crawlers.AcceptHTML)
	if err != nil {
		return HearingPage{}, err
	}
	page, probs := ParseHearingPage(resp.Body, crawlers.FinalURL(resp), s.loc)
	for _, p := range probs {
		s.problemf("%s: %s", url, p)
	}
	return page, nil
}
