package digest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"watcher"
	"watcher/config"
)

// highlightKinds are the kinds "Verdt å merke seg" is filled with when
// the editor has picked nothing: bills and white papers, plans and
// strategies, laws and regulations, and official reports.
var highlightKinds = []watcher.DocKind{watcher.KindProposition, watcher.KindPlan, watcher.KindRegulation, watcher.KindNOU}

// Placeholders said by empty sections.
const (
	placeholderEditor     = "Skrives av redaksjonen."
	placeholderHighlights = "Ingen saker er valgt ut."
	placeholderRules      = "Ingen nye saker fra kildene i perioden."
)

// slot is a section being filled.
type slot struct {
	Section
	cfg     *config.Section // nil for an extra section
	entries []Entry
	minOrd  int // smallest editor order, to place extra sections
}

// place puts each selected cluster and each manual entry in its section
// and returns the sections in order, and the entries no section took.
func (b *builder) place(selected []*cluster) ([]Section, []Entry) {
	var slots []*slot
	byID := map[string]*slot{}
	for i := range b.in.Config.Sections {
		c := &b.in.Config.Sections[i]
		s := &slot{Section: Section{ID: c.ID, Title: c.Title, Editor: c.Editor, Highlights: c.Highlights}, cfg: c}
		slots = append(slots, s)
		byID[c.ID] = s
	}
	var extras []*slot
	// target finds the slot a decision names: a configured section by id
	// or title, else an extra section of that title.
	target := func(name string) *slot {
		if c := FindSection(b.in.Config.Sections, name); c != nil {
			return byID[c.ID]
		}
		for _, s := range extras {
			if strings.EqualFold(s.Title, name) {
				return s
			}
		}
		s := &slot{Section: Section{ID: slug(name), Title: clean(name), Editor: true, Extra: true}}
		extras = append(extras, s)
		return s
	}
	var unplaced []Entry
	put := func(s *slot, e Entry) {
		if s == nil {
			unplaced = append(unplaced, e)
			return
		}
		s.entries = append(s.entries, e)
		if e.Order > 0 && (s.minOrd == 0 || e.Order < s.minOrd) {
			s.minOrd = e.Order
		}
	}
	var ruled []*cluster // placed by the rules, candidates for the highlights
	ruledSlot := map[*cluster]*slot{}
	for _, c := range selected {
		if c.dec.Section != "" {
			put(target(c.dec.Section), b.entry(c))
			continue
		}
		s := b.ruleSlot(c, slots)
		if s != nil {
			ruled = append(ruled, c)
			ruledSlot[c] = s
			continue
		}
		put(nil, b.entry(c))
	}
	for _, key := range b.manualKeys() {
		d := b.decisions[key]
		if d.State == watcher.DecisionExclude {
			continue
		}
		var s *slot
		if d.Section != "" {
			s = target(d.Section)
		}
		put(s, manualEntry(d))
	}
	b.highlight(slots, ruled, ruledSlot)
	for _, c := range ruled {
		put(ruledSlot[c], b.entry(c))
	}
	slots = insertExtras(slots, extras)
	uniqueIDs(slots)
	out := make([]Section, 0, len(slots))
	for _, s := range slots {
		out = append(out, b.finish(s))
	}
	sortEntries(unplaced)
	return out, unplaced
}

// ruleSlot is the first rule-filled section whose rules all match the
// cluster's primary item: region, kind and minimum score.
func (b *builder) ruleSlot(c *cluster, slots []*slot) *slot {
	p := c.primary()
	for _, s := range slots {
		r := s.cfg
		if r == nil || r.Editor || r.Highlights {
			continue
		}
		if r.Region != "" && r.Region != p.region {
			continue
		}
		if len(r.Kinds) > 0 && !slices.Contains(r.Kinds, p.kind) {
			continue
		}
		if c.score() < r.MinScore {
			continue
		}
		return s
	}
	return nil
}

// highlight fills the highlights section when the editor put nothing
// there: the MaxHighlights best-scored bills, plans, regulations and NOUs
// the rules placed, moved from their own sections.
func (b *builder) highlight(slots []*slot, ruled []*cluster, ruledSlot map[*cluster]*slot) {
	var hl *slot
	for _, s := range slots {
		if s.Highlights {
			hl = s
		}
	}
	if hl == nil || len(hl.entries) > 0 || b.in.Config.MaxHighlights <= 0 {
		return
	}
	var cands []*cluster
	for _, c := range ruled {
		if slices.Contains(highlightKinds, c.primary().kind) {
			cands = append(cands, c)
		}
	}
	slices.SortStableFunc(cands, func(x, y *cluster) int {
		return cmp.Or(-cmp.Compare(x.score(), y.score()),
			x.primary().it.Date().Compare(y.primary().it.Date()),
			strings.Compare(x.primary().it.Key, y.primary().it.Key))
	})
	for _, c := range cands[:min(len(cands), b.in.Config.MaxHighlights)] {
		ruledSlot[c] = hl
	}
}

// manualKeys are the keys of the editor's own entries, sorted.
func (b *builder) manualKeys() []string {
	var keys []string
	for k, d := range b.decisions {
		if d.Manual() {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// finish orders a section's entries and groups them when it groups by
// organisation.
func (b *builder) finish(s *slot) Section {
	sec := s.Section
	sortEntries(s.entries)
	switch {
	case s.cfg != nil && s.cfg.GroupBy == "organisation":
		sec.Groups = b.group(s.entries)
	default:
		sec.Entries = s.entries
	}
	if sec.Len() == 0 {
		switch {
		case sec.Editor:
			sec.Placeholder = placeholderEditor
		case sec.Highlights:
			sec.Placeholder = placeholderHighlights
		default:
			sec.Placeholder = placeholderRules
		}
	}
	return sec
}

// group splits entries by organisation: the configured organisations in
// their order, then the others alphabetically (Norwegian order).
func (b *builder) group(es []Entry) []Group {
	var groups []Group
	at := map[string]int{}
	for _, e := range es {
		org := cmp.Or(e.Organisation, "Andre")
		key := strings.ToLower(org)
		if i, ok := at[key]; ok {
			groups[i].Entries = append(groups[i].Entries, e)
			continue
		}
		at[key] = len(groups)
		groups = append(groups, Group{Organisation: b.canonicalOrg(org), Entries: []Entry{e}})
	}
	order := map[string]int{}
	for i, o := range b.in.Config.Organisations {
		order[strings.ToLower(o)] = i
	}
	col := collate.New(norwegianBokmal, collate.IgnoreCase)
	rank := func(g Group) int {
		if i, ok := order[strings.ToLower(g.Organisation)]; ok {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(groups, func(x, y Group) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)), col.CompareString(x.Organisation, y.Organisation))
	})
	return groups
}

// norwegianBokmal sorts æ, ø and å after z.
var norwegianBokmal = language.MustParse("nb")

// canonicalOrg spells an organisation as the configuration does.
func (b *builder) canonicalOrg(org string) string {
	for _, o := range b.in.Config.Organisations {
		if strings.EqualFold(o, org) {
			return o
		}
	}
	return org
}

// insertExtras puts the extra sections after "aktiviteter" (else after the
// last editor section, else first), in the order of their editor
// positions, then by title.
func insertExtras(slots, extras []*slot) []*slot {
	if len(extras) == 0 {
		return slots
	}
	slices.SortStableFunc(extras, func(x, y *slot) int {
		return cmp.Or(cmp.Compare(OrderRank(x.minOrd), OrderRank(y.minOrd)), strings.Compare(x.Title, y.Title))
	})
	at := 0
	for i, s := range slots {
		if s.ID == "aktiviteter" {
			at = i + 1
			break
		}
		if s.Editor {
			at = i + 1
		}
	}
	return slices.Insert(slots, at, extras...)
}

// uniqueIDs gives each extra section an id of its own: not empty, and
// unlike any other section's (the HTML uses them as anchors).
func uniqueIDs(slots []*slot) {
	used := map[string]bool{}
	for _, s := range slots {
		if !s.Extra {
			used[s.ID] = true
		}
	}
	for _, s := range slots {
		if !s.Extra {
			continue
		}
		base := cmp.Or(s.ID, "ekstra")
		id := base
		for n := 2; used[id]; n++ {
			id = base + "-" + strconv.Itoa(n)
		}
		s.ID = id
		used[id] = true
	}
}

// OrderRank is the sort rank of a decision's Order: unordered (0) after
// every position the editor gave.
func OrderRank(o int) int {
	if o <= 0 {
		return int(^uint(0) >> 1)
	}
	return o
}

// slug makes an id of a heading: lower-case letters and digits joined by
// hyphens, with æ, ø and å written ae, o and a.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		var rep string
		switch {
		case r == 'æ':
			rep = "ae"
		case r == 'ø' || r == 'ö':
			rep = "o"
		case r == 'å' || r == 'ä' || r == 'á' || r == 'à':
			rep = "a"
		case r == 'é' || r == 'è':
			rep = "e"
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			rep = string(r)
		default:
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(rep)
		dash = false
	}
	return b.String()
}
