package digest

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"watcher"
	"watcher/config"
	"watcher/dates"
)

// Build drafts the newsletter from in. It is pure: the same input gives
// the same draft. The rules it follows are in the package documentation.
func Build(in Input) *Draft {
	b := newBuilder(&in)
	d := &Draft{
		Title:      in.Config.Title,
		Period:     in.Period,
		PeriodText: dates.Period(in.From, in.To, b.loc),
		From:       in.From,
		To:         in.To,
		Generated:  in.Now,
		Loc:        b.loc,
		Contact:    strings.TrimSpace(in.Config.Contact),
		Provenance: in.Provenance,
	}
	for _, p := range paragraphs(in.Config.Closing) {
		d.Closing = append(d.Closing, textSpans(p, ""))
	}
	clusters := b.clusters()
	selected := b.selected(clusters)
	d.Sections, d.Unplaced = b.place(selected)
	d.OpenHearings = b.openHearings(clusters)
	d.Sources = b.sourceLines(selected)
	d.Empty = len(selected) == 0
	for _, s := range d.Sources {
		if s.Checks > 0 {
			d.Checked = append(d.Checked, s.Name)
		}
	}
	return d
}

// builder holds what Build works out once.
type builder struct {
	in        *Input
	loc       *time.Location
	sources   map[string]*watcher.Source
	decisions map[string]*watcher.Decision // by key
	drafter   drafter
	members   []*member
}

// member is one item with what the draft needs to know about it resolved
// from its source: kind, region and publisher.
type member struct {
	it     watcher.Item
	src    *watcher.Source // nil for a source no longer configured
	kind   watcher.DocKind
	region watcher.Region
	org    string
	dec    *watcher.Decision
}

func (m *member) norwegian() bool {
	lang := m.it.Language
	if lang == "" && m.src != nil {
		lang = m.src.Language
	}
	return isNorwegian(lang, m.region)
}

func (m *member) sourceName() string {
	if m.src != nil && m.src.Name != "" {
		return m.src.Name
	}
	return m.it.SourceID
}

func newBuilder(in *Input) *builder {
	b := &builder{
		in:        in,
		loc:       orOslo(in.Loc),
		sources:   make(map[string]*watcher.Source, len(in.Sources)),
		decisions: make(map[string]*watcher.Decision, len(in.Decisions)),
	}
	b.drafter = drafter{loc: b.loc, year: in.From.In(b.loc).Year()}
	for i := range in.Sources {
		b.sources[in.Sources[i].ID] = &in.Sources[i]
	}
	for _, d := range b.effectiveDecisions() {
		b.decisions[d.Key] = &d
	}
	seen := make(map[string]int, len(in.Items))
	for i := range in.Items {
		it := &in.Items[i]
		if it.Key == "" {
			continue
		}
		m := b.member(it)
		if j, ok := seen[it.Key]; ok { // a later copy of a key wins
			b.members[j] = m
			continue
		}
		seen[it.Key] = len(b.members)
		b.members = append(b.members, m)
	}
	return b
}

// effectiveDecisions are the stored decisions, with those of an earlier
// notes file replaced by in.Notes when it is set.
func (b *builder) effectiveDecisions() []watcher.Decision {
	if b.in.Notes == nil {
		return b.in.Decisions
	}
	var out []watcher.Decision
	for _, d := range b.in.Decisions {
		if !FromNotes(d.Key) {
			out = append(out, d)
		}
	}
	return append(out, b.in.Notes.Decisions(b.in.Period, b.in.Config.Sections)...)
}

func (b *builder) member(it *watcher.Item) *member {
	m := &member{it: *it, src: b.sources[it.SourceID], kind: it.Kind, region: it.Region, dec: b.decisions[it.Key]}
	if m.kind == "" && m.src != nil {
		m.kind = m.src.DocKind
	}
	if m.kind == "" {
		m.kind = watcher.KindOther
	}
	if m.region == "" && m.src != nil {
		m.region = m.src.Region
	}
	m.org = clean(it.Organisation)
	if m.org == "" && m.src != nil {
		m.org = cmp.Or(m.src.Organisation, m.src.Name)
	}
	if m.org == "" {
		m.org = host(it.URL)
	}
	return m
}

// inPeriod reports whether t is in [From, To).
func (b *builder) inPeriod(t time.Time) bool {
	return !t.Before(b.in.From) && t.Before(b.in.To)
}

// FindSection returns the configured section a name means: the one with
// that id, else the first whose title or id it is in any case; nil when
// none. Notes headings, decisions' sections and `watcher decide
// --section` are read alike.
func FindSection(sections []config.Section, name string) *config.Section {
	for i := range sections {
		if sections[i].ID == name {
			return &sections[i]
		}
	}
	for i := range sections {
		if s := &sections[i]; strings.EqualFold(s.Title, name) || strings.EqualFold(s.ID, name) {
			return s
		}
	}
	return nil
}

// byEditorOrder orders entries by the editor's position, then by date,
// then by heading and key.
func byEditorOrder(a, b Entry) int {
	switch {
	case a.Order > 0 && b.Order > 0:
		if c := cmp.Compare(a.Order, b.Order); c != 0 {
			return c
		}
	case a.Order > 0:
		return -1
	case b.Order > 0:
		return 1
	}
	return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Heading, b.Heading), strings.Compare(a.Key, b.Key))
}

func sortEntries(es []Entry) { slices.SortStableFunc(es, byEditorOrder) }
