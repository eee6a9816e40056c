package norway

import (
	"slices"
	"time"

	"watcher"
)

// mergeHearingPage lays a hearing page over an item: the consultation
// fields the page states win, except where it is empty; the article fields
// follow mergeArticle's pageWins. A deadline read from the letter's prose
// is weaker than a structured one already on the item and yields to it.
func mergeHearingPage(it watcher.Item, p HearingPage, pageWins bool) watcher.Item {
	it = mergeArticle(it, p.ArticlePage, pageWins)
	if !p.Deadline.IsZero() && (!p.DeadlineFromProse || it.Deadline.IsZero()) {
		it.Deadline = p.Deadline
	}
	if p.StatusRaw != "" {
		it.Status, it.StatusRaw = p.Status, p.StatusRaw
	}
	it.Reference = pick(p.Reference, it.Reference)
	if p.Consultees > 0 {
		it.Consultees = p.Consultees
	}
	it.ResponseURL = pick(p.ResponseURL, it.ResponseURL)
	if len(p.Attachments) > 0 {
		it.Attachments = p.Attachments
	}
	return it
}

// mergeArticle lays an article page over an item. With pageWins, the
// page's values replace the item's; without it, they only fill what the
// item lacks (a feed's own title, summary and date stay).
func mergeArticle(it watcher.Item, p ArticlePage, pageWins bool) watcher.Item {
	choose := func(page, have string) string {
		if pageWins {
			return pick(page, have)
		}
		return pick(have, page)
	}
	if p.URL != "" && p.URL != it.URL {
		if pageWins || it.URL == "" {
			it.AltURLs = addURL(it.AltURLs, it.URL)
			it.URL = p.URL
		} else {
			it.AltURLs = addURL(it.AltURLs, p.URL)
		}
	}
	it.Title = choose(p.Title, it.Title)
	it.Summary = choose(p.Summary, it.Summary)
	it.Text = pick(p.Text, it.Text)
	it.TypeRaw = choose(p.TypeRaw, it.TypeRaw)
	it.Language = pick(p.Language, it.Language) // a page's own language beats a guess from its path
	if len(p.Ministries) > 0 && (pageWins || len(it.Ministries) == 0) && !covers(it.Ministries, p.Ministries) {
		it.Ministries = p.Ministries
		it.Organisation = p.Ministries[0]
	}
	if !p.Published.IsZero() && (pageWins || it.Published.IsZero()) {
		it.Published = p.Published
	}
	if !p.Updated.IsZero() {
		it.Updated = p.Updated
	}
	if p.Event != nil {
		it.Event = p.Event
	}
	if it.Meta == nil {
		it.Meta = map[string]string{}
	}
	for k, v := range p.Meta {
		it.Meta[k] = v
	}
	return it
}

// carryKnown drops the listing fingerprint, so that the page is read
// again next run, and keeps what an earlier run read from the page.
func carryKnown(it, known watcher.Item, isKnown bool) watcher.Item {
	delete(it.Meta, MetaListing)
	if !isKnown {
		return it
	}
	return fillFromKnown(it, known)
}

// fillFromKnown fills the fields an item lacks from its stored version
// (reference, attachments, consultees, text…), so that a page not read
// this run does not look like those fields vanished. Meta is merged
// without the listing fingerprint; AltURLs are merged.
func fillFromKnown(it, known watcher.Item) watcher.Item {
	it.URL = pick(it.URL, known.URL)
	it.AltURLs = mergeAltURLs(it, known)
	it.GUID = pick(it.GUID, known.GUID)
	it.Title = pick(it.Title, known.Title)
	it.Summary = pick(it.Summary, known.Summary)
	it.Text = pick(it.Text, known.Text)
	if it.Kind == "" {
		it.Kind = known.Kind
	}
	it.TypeRaw = pick(it.TypeRaw, known.TypeRaw)
	it.Organisation = pick(it.Organisation, known.Organisation)
	it.Ministries = pickSlice(it.Ministries, known.Ministries)
	it.Language = pick(it.Language, known.Language)
	it.Tags = pickSlice(it.Tags, known.Tags)
	it.Published = pickTime(it.Published, known.Published)
	it.Updated = pickTime(it.Updated, known.Updated)
	it.Deadline = pickTime(it.Deadline, known.Deadline)
	if it.StatusRaw == "" && it.Status == watcher.StatusNone {
		it.Status, it.StatusRaw = known.Status, known.StatusRaw
	}
	it.Reference = pick(it.Reference, known.Reference)
	if it.Consultees == 0 {
		it.Consultees = known.Consultees
	}
	it.ResponseURL = pick(it.ResponseURL, known.ResponseURL)
	it.Attachments = pickSlice(it.Attachments, known.Attachments)
	if it.Event == nil {
		it.Event = known.Event
	}
	for k, v := range known.Meta {
		if _, ok := it.Meta[k]; ok || k == MetaListing {
			continue
		}
		if it.Meta == nil {
			it.Meta = map[string]string{}
		}
		it.Meta[k] = v
	}
	return it
}

func pickTime(a, b time.Time) time.Time {
	if !a.IsZero() {
		return a
	}
	return b
}

// covers reports whether have lists more names than page and all of
// page's: a joint hearing's listing names every ministry, its page may
// name only the first owner, and the longer list is kept.
func covers(have, page []string) bool {
	if len(have) <= len(page) {
		return false
	}
	for _, m := range page {
		if !slices.Contains(have, m) {
			return false
		}
	}
	return true
}

func pick(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func pickSlice[T any](a, b []T) []T {
	if len(a) > 0 {
		return a
	}
	return b
}

// addURL appends u to urls unless it is empty or already there.
func addURL(urls []string, u string) []string {
	if u == "" || slices.Contains(urls, u) {
		return urls
	}
	return append(urls, u)
}
