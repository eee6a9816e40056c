package state

import (
	"maps"
	"slices"
	"strings"
	"time"

	"watcher"
)

// fieldChange is one tracked field that a sighting changed, before it is
// stamped with the item key and time.
type fieldChange struct {
	field, old, new string
}

// merger folds one sighting (src) into a stored item (dst), following the
// rules in the package documentation: empty incoming fields keep the
// stored value, differing non-empty ones overwrite. It records the
// tracked fields that changed and whether anything at all changed.
type merger struct {
	dst     *watcher.Item
	changes []fieldChange
	dirty   bool // any stored field changed, tracked or not
}

// mergeItem merges src into dst and returns the tracked changes and
// whether dst differs from before. It never modifies src, and dst never
// shares a mutable map or pointer with src afterwards.
func mergeItem(dst *watcher.Item, src *watcher.Item) ([]fieldChange, bool) {
	m := &merger{dst: dst}
	if dst.SourceID == "" && src.SourceID != "" { // the first source keeps the item
		dst.SourceID = src.SourceID
		m.dirty = true
	}
	m.url(src.URL, src.AltURLs)
	m.str("", &dst.GUID, src.GUID)
	m.str("title", &dst.Title, src.Title)
	m.str("summary", &dst.Summary, src.Summary)
	m.str("", &dst.Text, src.Text)
	m.str("kind", (*string)(&dst.Kind), string(src.Kind))
	m.str("", &dst.TypeRaw, src.TypeRaw)
	m.str("", &dst.Organisation, src.Organisation)
	m.strs(&dst.Ministries, src.Ministries)
	m.str("", (*string)(&dst.Region), string(src.Region))
	m.str("", &dst.Language, src.Language)
	m.strs(&dst.Tags, src.Tags)
	m.time("published", &dst.Published, src.Published)
	m.time("", &dst.Updated, src.Updated)
	m.time("deadline", &dst.Deadline, src.Deadline)
	m.str("status", (*string)(&dst.Status), string(src.Status))
	m.str("", &dst.StatusRaw, src.StatusRaw)
	m.str("", &dst.Reference, src.Reference)
	if src.Consultees != 0 && src.Consultees != dst.Consultees {
		dst.Consultees = src.Consultees
		m.dirty = true
	}
	m.str("", &dst.ResponseURL, src.ResponseURL)
	m.attachments(src.Attachments)
	m.event(src.Event)
	m.meta(src.Meta)
	if !relevanceZero(&src.Relevance) {
		// Taken when the item is written anyway; never a reason to write.
		dst.Relevance = src.Relevance
	}
	return m.changes, m.dirty
}

func (m *merger) track(field, old, new string) {
	m.dirty = true
	if field != "" {
		m.changes = append(m.changes, fieldChange{field: field, old: old, new: new})
	}
}

// str merges a string field; field "" means untracked.
func (m *merger) str(field string, dst *string, src string) {
	if src == "" || src == *dst {
		return
	}
	m.track(field, *dst, src)
	*dst = src
}

func (m *merger) strs(dst *[]string, src []string) {
	if len(src) == 0 || slices.Equal(*dst, src) {
		return
	}
	m.dirty = true
	*dst = slices.Clone(src)
}

func (m *merger) time(field string, dst *time.Time, src time.Time) {
	if src.IsZero() || src.Equal(*dst) {
		return
	}
	m.track(field, formatTime(*dst), formatTime(src))
	*dst = src
}

// url merges the address: a new URL is a tracked change and the old one is
// kept among the alternative addresses; AltURLs are unioned.
func (m *merger) url(src string, alts []string) {
	dst := m.dst
	before := dst.AltURLs
	var extra []string
	if src != "" && src != dst.URL {
		m.track("url", dst.URL, src)
		if dst.URL != "" {
			extra = append(extra, dst.URL)
		}
		dst.URL = src
	}
	merged := unionURLs(dst.URL, before, extra, alts)
	if !slices.Equal(merged, before) {
		dst.AltURLs = merged
		m.dirty = true
	}
}

// unionURLs returns the distinct non-empty URLs of the lists, in first
// appearance order, without primary. It returns a new slice (or nil).
func unionURLs(primary string, lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, u := range l {
			if u != "" && u != primary && !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	return out
}

// attachments compares the sets of attachment URLs: a different set is a
// tracked change; the same set with other names or order is rewritten
// silently.
func (m *merger) attachments(src []watcher.Attachment) {
	dst := &m.dst.Attachments
	if len(src) == 0 || slices.Equal(*dst, src) {
		return
	}
	if !slices.Equal(attachmentURLs(*dst), attachmentURLs(src)) {
		m.track("attachments", formatAttachments(*dst), formatAttachments(src))
	} else {
		m.dirty = true
	}
	*dst = slices.Clone(src)
}

func attachmentURLs(as []watcher.Attachment) []string {
	urls := make([]string, 0, len(as))
	for _, a := range as {
		if !slices.Contains(urls, a.URL) {
			urls = append(urls, a.URL)
		}
	}
	slices.Sort(urls)
	return urls
}

// event merges field by field: a sighting may know the date but not the
// place.
func (m *merger) event(src *watcher.Event) {
	if src == nil || *src == (watcher.Event{}) {
		return
	}
	var old watcher.Event
	if m.dst.Event != nil {
		old = *m.dst.Event
	}
	merged := old
	if !src.Start.IsZero() {
		merged.Start = src.Start
		// An event that moved, with no end given, has no known end: the
		// stored one belonged to the old dates.
		if src.End.IsZero() && !src.Start.Equal(old.Start) {
			merged.End = time.Time{}
		}
	}
	if !src.End.IsZero() {
		merged.End = src.End
	}
	if src.Place != "" {
		merged.Place = src.Place
	}
	if src.SignupURL != "" {
		merged.SignupURL = src.SignupURL
	}
	if eventEqual(&old, &merged) {
		return
	}
	m.track("event", formatEvent(&old), formatEvent(&merged))
	m.dst.Event = &merged
}

func eventEqual(a, b *watcher.Event) bool {
	return a.Start.Equal(b.Start) && a.End.Equal(b.End) && a.Place == b.Place && a.SignupURL == b.SignupURL
}

// meta merges per key: incoming non-empty values overwrite, stored keys
// the sighting lacks are kept.
func (m *merger) meta(src map[string]string) {
	var merged map[string]string
	for k, v := range src {
		if v == "" || m.dst.Meta[k] == v {
			continue
		}
		if merged == nil {
			merged = maps.Clone(m.dst.Meta)
			if merged == nil {
				merged = make(map[string]string, len(src))
			}
		}
		merged[k] = v
	}
	if merged != nil {
		m.dst.Meta = merged
		m.dirty = true
	}
}

func relevanceZero(r *watcher.Relevance) bool {
	return r.Score == 0 && !r.Relevant && !r.Always && len(r.Matches) == 0 && r.Profile == ""
}

// formatTime renders a time for history.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	// RFC 3339 in UTC: an instant, unambiguous in any zone. (A date-only
	// form of a UTC instant would show the day before midnight in Oslo.)
	return t.UTC().Format(time.RFC3339)
}

// formatAttachments renders attachments as a sorted list "name <url>".
func formatAttachments(as []watcher.Attachment) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		switch {
		case a.Name == "":
			parts = append(parts, a.URL)
		case a.URL == "":
			parts = append(parts, a.Name)
		default:
			parts = append(parts, a.Name+" <"+a.URL+">")
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, "; ")
}

// formatEvent renders an event as "2024-05-01–2024-05-02, Oslo, <signup>".
func formatEvent(e *watcher.Event) string {
	var parts []string
	when := formatTime(e.Start)
	if end := formatTime(e.End); end != "" && end != when {
		when += "–" + end
	}
	for _, p := range []string{when, e.Place, e.SignupURL} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// cloneItem copies an incoming item so that merging into it never writes
// through to the caller's maps, slices or event.
func cloneItem(it *watcher.Item) watcher.Item {
	c := *it
	c.AltURLs = slices.Clone(it.AltURLs)
	c.Ministries = slices.Clone(it.Ministries)
	c.Tags = slices.Clone(it.Tags)
	c.Attachments = slices.Clone(it.Attachments)
	c.Meta = maps.Clone(it.Meta)
	c.Relevance.Matches = slices.Clone(it.Relevance.Matches)
	if it.Event != nil {
		e := *it.Event
		c.Event = &e
	}
	return c
}
