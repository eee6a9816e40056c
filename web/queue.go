package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"watcher"
	"watcher/config"
	"watcher/digest"
)

// Queue views.
const (
	viewTodo     = "todo"     // candidates without a verdict
	viewDraft    = "draft"    // the draft's sections in order, for reordering
	viewExcluded = "excluded" // what the editor left out
	viewAll      = "all"      // every item of the period
)

// queueRow is one item in the triage queue.
type queueRow struct {
	Item     watcher.Item
	Source   string // the source's name
	Terms    []string
	Dec      watcher.Decision
	InPeriod bool
	// Where the draft puts it now ("" when it is not in the draft).
	Placed     string // section id
	PlacedName string // section title, with the group for grouped sections
	Pos, Count int    // 1-based position in its section (or group), and the section's size
	Merged     string // the key of the entry this item is merged into, when not the primary
	Default    string // the section the include button offers first
}

// draftSection is one section of the draft view.
type draftSection struct {
	ID, Title string
	Rows      []draftRow
}

// draftRow is one entry of the draft view.
type draftRow struct {
	Entry      digest.Entry
	Group      string
	Pos, Count int
	State      watcher.DecisionState
}

type queuePage struct {
	Period     digest.Period
	PeriodText string
	Prev, Next string
	View       string
	Rows       []queueRow
	Draft      []draftSection
	Unplaced   []digest.Entry
	Sections   []config.Section
	Counts     map[string]int
	Back       string // this page, for the forms' redirects
}

// period reads the period parameter (query or form), defaulting to the
// current quarter.
func (s *Server) period(r *http.Request) (digest.Period, error) {
	name := strings.TrimSpace(r.FormValue("period"))
	if name == "" {
		name = digest.QuarterName(s.now(), s.loc)
	}
	return digest.ParsePeriod(name, s.loc)
}

// shiftQuarter returns the quarter n quarters from p's start ("" when p is
// not a quarter).
func shiftQuarter(p digest.Period, n int, loc *time.Location) string {
	if strings.Contains(p.Name, "..") {
		return ""
	}
	return digest.QuarterName(p.From.In(loc).AddDate(0, 3*n, 0), loc)
}

// loadDraft reads the period and builds its draft, as `watcher digest` does.
func (s *Server) loadDraft(p digest.Period) (digest.Input, *digest.Draft, error) {
	in, err := digest.Load(s.store, s.cfg, p, s.now())
	if err != nil {
		return digest.Input{}, nil, err
	}
	return in, digest.Build(in), nil
}

func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request) {
	p, err := s.period(r)
	if err != nil {
		s.renderStatus(w, r, http.StatusBadRequest, "Ukjent periode", "Perioden skrives som 2023Q3 eller 2023-07-01..2023-09-30.")
		return
	}
	in, d, err := s.loadDraft(p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	view := r.URL.Query().Get("view")
	switch view {
	case viewTodo, viewDraft, viewExcluded, viewAll:
	default:
		view = viewTodo
	}
	pg := &queuePage{
		Period: p, PeriodText: d.PeriodText, View: view,
		Prev: shiftQuarter(p, -1, s.loc), Next: shiftQuarter(p, 1, s.loc),
		Sections: s.cfg.Digest.Sections, Unplaced: d.Unplaced,
		Back: r.URL.RequestURI(),
	}
	all := s.queueRows(in, d)
	pg.Counts = map[string]int{}
	for _, row := range all {
		for _, v := range []string{viewTodo, viewExcluded, viewAll} {
			if row.inView(v) {
				pg.Counts[v]++
			}
		}
	}
	pg.Draft = draftSections(d, in.Decisions)
	for _, sec := range pg.Draft {
		pg.Counts[viewDraft] += len(sec.Rows)
	}
	if view != viewDraft {
		for _, row := range all {
			if row.inView(view) {
				pg.Rows = append(pg.Rows, row)
			}
		}
	}
	s.render(w, r, http.StatusOK, "queue", s.newView(w, r, "Til vurdering – "+d.PeriodText, "queue", pg))
}

// inView reports whether the row belongs in a view: the queue holds the
// period's relevant items, the consultations still open and whatever the
// draft holds, as long as the editor has not decided.
func (row *queueRow) inView(view string) bool {
	switch view {
	case viewTodo:
		return row.Dec.State == watcher.DecisionNone &&
			(row.Placed != "" || row.Merged != "" || (row.InPeriod && row.Item.Relevance.Relevant))
	case viewExcluded:
		return row.Dec.State == watcher.DecisionExclude
	case viewAll:
		return row.InPeriod || row.Dec.State != watcher.DecisionNone || row.Placed != ""
	}
	return false
}

// queueRows makes a row of every item the draft was built from, with
// where the draft placed it, highest score first.
func (s *Server) queueRows(in digest.Input, d *digest.Draft) []queueRow {
	decs := map[string]watcher.Decision{}
	for _, dec := range in.Decisions {
		decs[dec.Key] = dec
	}
	names := map[string]string{}
	for _, src := range s.cfg.Sources {
		names[src.ID] = src.Name
	}
	placed := placements(d)
	seen := map[string]bool{}
	var rows []queueRow
	for _, it := range in.Items {
		if seen[it.Key] {
			continue
		}
		seen[it.Key] = true
		row := queueRow{
			Item: it, Source: cmp.Or(names[it.SourceID], it.SourceID), Terms: terms(it.Relevance),
			Dec: decs[it.Key], InPeriod: !it.Date().Before(in.From) && it.Date().Before(in.To),
		}
		if pl, ok := placed[it.Key]; ok {
			row.Placed, row.PlacedName, row.Pos, row.Count = pl.section, pl.name, pl.pos, pl.count
			if pl.primary != it.Key {
				row.Merged = pl.primary
			}
		}
		row.Default = cmp.Or(row.Dec.Section, row.Placed, s.defaultSection(it))
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b queueRow) int {
		return cmp.Or(-cmp.Compare(a.Item.Relevance.Score, b.Item.Relevance.Score),
			b.Item.Date().Compare(a.Item.Date()), strings.Compare(a.Item.Key, b.Item.Key))
	})
	return rows
}

// placement is where the draft put an item.
type placement struct {
	section, name string
	pos, count    int
	primary       string
}

// placements maps every item key in the draft to its place.
func placements(d *digest.Draft) map[string]placement {
	out := map[string]placement{}
	add := func(sec digest.Section, group string, es []digest.Entry) {
		name := sec.Title
		if group != "" {
			name += " – " + group
		}
		for i, e := range es {
			for _, k := range e.Keys {
				out[k] = placement{section: sec.ID, name: name, pos: i + 1, count: len(es), primary: e.Key}
			}
		}
	}
	for _, sec := range d.Sections {
		add(sec, "", sec.Entries)
		for _, g := range sec.Groups {
			add(sec, g.Organisation, g.Entries)
		}
	}
	return out
}

// draftSections lists the draft's sections with their entries in order.
func draftSections(d *digest.Draft, decisions []watcher.Decision) []draftSection {
	states := map[string]watcher.DecisionState{}
	for _, dec := range decisions {
		states[dec.Key] = dec.State
	}
	var out []draftSection
	for _, sec := range d.Sections {
		ds := draftSection{ID: sec.ID, Title: sec.Title}
		for i, e := range sec.Entries {
			ds.Rows = append(ds.Rows, draftRow{Entry: e, Pos: i + 1, Count: len(sec.Entries), State: states[e.Key]})
		}
		for _, g := range sec.Groups {
			for i, e := range g.Entries {
				ds.Rows = append(ds.Rows, draftRow{Entry: e, Group: g.Organisation, Pos: i + 1, Count: len(g.Entries), State: states[e.Key]})
			}
		}
		out = append(out, ds)
	}
	return out
}

// terms lists the distinct profile terms that matched, strongest first.
func terms(rel watcher.Relevance) []string {
	ms := slices.Clone(rel.Matches)
	slices.SortStableFunc(ms, func(a, b watcher.Match) int { return -cmp.Compare(a.Weight, b.Weight) })
	var out []string
	for _, m := range ms {
		if m.Weight > 0 && !slices.Contains(out, m.Term) {
			out = append(out, m.Term)
		}
	}
	return out
}

// defaultSection is the section the include button offers for an item the
// draft does not place: the first rule section of its region, else the
// first rule section.
func (s *Server) defaultSection(it watcher.Item) string {
	first := ""
	for _, sec := range s.cfg.Digest.Sections {
		if sec.Editor || sec.Highlights {
			continue
		}
		if first == "" {
			first = sec.ID
		}
		if sec.Region != "" && sec.Region == it.Region {
			return sec.ID
		}
	}
	return first
}
