package digest

import (
	"cmp"
	"slices"
	"strings"

	"watcher"
)

// cluster is one document: the items that carry it (the same key is one
// item already; SameAs decisions and equal titles on the same day from
// different sources join items), primary first, and the editor's merged
// decision about it.
type cluster struct {
	members []*member
	dec     watcher.Decision
}

func (c *cluster) primary() *member { return c.members[0] }

// relevant reports whether any of the cluster's items was scored relevant.
func (c *cluster) relevant() bool {
	return slices.ContainsFunc(c.members, func(m *member) bool { return m.it.Relevance.Relevant })
}

// score is the best relevance score among the cluster's items.
func (c *cluster) score() float64 {
	s := c.members[0].it.Relevance.Score
	for _, m := range c.members[1:] {
		s = max(s, m.it.Relevance.Score)
	}
	return s
}

// clusters joins the members that are one document.
func (b *builder) clusters() []*cluster {
	parent := make([]int, len(b.members))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(i, j int) {
		if ri, rj := find(i), find(j); ri != rj {
			parent[max(ri, rj)] = min(ri, rj)
		}
	}
	index := make(map[string]int, len(b.members))
	for i, m := range b.members {
		index[m.it.Key] = i
	}
	sameDoc := map[string][]int{} // normalised title and day → members
	for i, m := range b.members {
		if m.dec != nil && m.dec.SameAs != "" {
			if j, ok := index[m.dec.SameAs]; ok {
				union(i, j)
			}
		}
		if t := normTitle(m.it.Title); t != "" {
			k := t + "\x00" + m.it.Date().In(b.loc).Format("2006-01-02")
			for _, j := range sameDoc[k] {
				if b.members[j].it.SourceID != m.it.SourceID {
					union(i, j)
				}
			}
			sameDoc[k] = append(sameDoc[k], i)
		}
	}
	byRoot := map[int]*cluster{}
	var out []*cluster
	for i, m := range b.members {
		r := find(i)
		c := byRoot[r]
		if c == nil {
			c = &cluster{}
			byRoot[r] = c
			out = append(out, c)
		}
		c.members = append(c.members, m)
	}
	for _, c := range out {
		sortMembers(c.members)
		c.dec = mergeDecisions(c.members)
	}
	return out
}

// sortMembers puts the cluster's primary item first: one that is not
// marked the same as another, then the best scored, then the one that
// carries an ingress, then the first seen, then by key.
func sortMembers(ms []*member) {
	inCluster := map[string]bool{}
	for _, m := range ms {
		inCluster[m.it.Key] = true
	}
	dup := func(m *member) int {
		if m.dec != nil && m.dec.SameAs != "" && inCluster[m.dec.SameAs] {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(ms, func(a, b *member) int {
		return cmp.Or(
			cmp.Compare(dup(a), dup(b)),
			-cmp.Compare(a.it.Relevance.Score, b.it.Relevance.Score),
			-cmp.Compare(min(len(a.it.Summary), 1), min(len(b.it.Summary), 1)),
			a.it.FirstSeen.Compare(b.it.FirstSeen),
			strings.Compare(a.it.Key, b.it.Key),
		)
	})
}

// mergeDecisions makes one decision from the members' decisions: each
// field from the first member (primary first) that sets it; the state is
// include when any member is included, else exclude when any is excluded.
func mergeDecisions(ms []*member) watcher.Decision {
	var d watcher.Decision
	for _, m := range ms {
		if m.dec == nil {
			continue
		}
		x := m.dec
		d.Period = cmp.Or(d.Period, x.Period)
		d.Section = cmp.Or(d.Section, x.Section)
		d.Heading = cmp.Or(d.Heading, x.Heading)
		d.Text = cmp.Or(d.Text, x.Text)
		d.Reason = cmp.Or(d.Reason, x.Reason)
		d.Order = cmp.Or(d.Order, x.Order)
		switch {
		case x.State == watcher.DecisionInclude:
			d.State = watcher.DecisionInclude
		case x.State == watcher.DecisionExclude && d.State == watcher.DecisionNone:
			d.State = watcher.DecisionExclude
		}
	}
	return d
}

// selected returns the clusters that go into the draft: those with an
// item dated in the period that is relevant, and those the editor
// included, minus those the editor excluded.
func (b *builder) selected(cs []*cluster) []*cluster {
	var out []*cluster
	for _, c := range cs {
		switch c.dec.State {
		case watcher.DecisionExclude:
			continue
		case watcher.DecisionInclude:
			out = append(out, c)
			continue
		}
		for _, m := range c.members {
			if m.it.Relevance.Relevant && b.inPeriod(m.it.Date()) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// entry drafts the cluster's entry.
func (b *builder) entry(c *cluster) Entry {
	p := c.primary()
	e := Entry{
		Key:          p.it.Key,
		Heading:      clean(p.it.Title),
		Date:         p.it.Date(),
		Deadline:     p.it.Deadline,
		Organisation: p.org,
		Kind:         p.kind,
		Score:        c.score(),
		Order:        c.dec.Order,
		Links:        links(c.members),
	}
	for _, m := range c.members {
		e.Keys = append(e.Keys, m.it.Key)
		e.Provenance = append(e.Provenance, Provenance{
			SourceID: m.it.SourceID, Source: m.sourceName(), FirstSeen: m.it.FirstSeen, URL: m.it.URL,
		})
	}
	primary := ""
	if len(e.Links) > 0 {
		primary = e.Links[0].URL
	}
	if h := clean(c.dec.Heading); h != "" {
		e.Heading, e.Edited = h, true
	}
	if c.dec.Text != "" {
		e.Edited = true
		for _, para := range paragraphs(c.dec.Text) {
			e.Paragraphs = append(e.Paragraphs, textSpans(para, primary))
			primary = "" // "se her" links the first paragraph only
		}
	} else {
		e.Paragraphs = [][]Span{b.drafter.draft(p, primary)}
	}
	e.Text = entryText(e.Paragraphs)
	return e
}

// manualEntry is an entry the editor wrote (a "manual:…" decision).
func manualEntry(d *watcher.Decision) Entry {
	e := Entry{Key: d.Key, Heading: clean(d.Heading), Manual: true, Edited: true, Order: d.Order}
	primary := safeURL(d.URL)
	if primary != "" {
		e.Links = []Link{{URL: primary}}
	}
	for _, para := range paragraphs(d.Text) {
		e.Paragraphs = append(e.Paragraphs, textSpans(para, primary))
		primary = ""
	}
	if len(e.Paragraphs) == 0 && primary != "" {
		e.Paragraphs = [][]Span{appendSeHer(nil, primary)}
	}
	e.Text = entryText(e.Paragraphs)
	return e
}

func entryText(ps [][]Span) string {
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = spansText(p)
	}
	return strings.Join(texts, "\n\n")
}

// links lists every address of the document: the primary item's URL
// first, then the other items' URLs, then alternative URLs on other hosts
// (other sites that carried it; another language path on the same host
// adds nothing for the reader). Each but the first is titled with who
// carried it.
func links(ms []*member) []Link {
	var out []Link
	seen := map[string]bool{}
	hosts := map[string]bool{}
	add := func(u, title string) {
		if u = safeURL(u); u == "" || seen[u] {
			return
		}
		seen[u] = true
		hosts[host(u)] = true
		if len(out) == 0 {
			title = ""
		}
		out = append(out, Link{Title: title, URL: u})
	}
	for _, m := range ms {
		title := m.org
		if len(out) > 0 && title == ms[0].org {
			title = m.sourceName()
		}
		add(m.it.URL, title)
	}
	for _, m := range ms {
		for _, u := range m.it.AltURLs {
			if h := host(u); !hosts[h] {
				add(u, h)
			}
		}
	}
	return out
}
