package web

import (
	"cmp"
	"net/http"
	"slices"

	"watcher"
	"watcher/config"
	"watcher/digest"
)

type itemPage struct {
	Item     watcher.Item
	Source   *watcher.Source
	History  []watcher.Change
	Matches  []watcher.Match
	Dec      watcher.Decision
	HasDec   bool
	Period   digest.Period
	Placed   string // where the draft puts it
	Sections []config.Section
	Default  string
	Others   []watcher.Item // other items of the period, for "same document as"
	Meta     []metaPair
	Back     string
}

type metaPair struct{ Key, Value string }

// handleItem shows one item: every field, the relevance explanation, the
// change history, attachments, provenance and the editor's decision.
func (s *Server) handleItem(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	it, ok, err := s.store.Item(key)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		s.renderStatus(w, r, http.StatusNotFound, "Ukjent sak", "Saken finnes ikke i databasen.")
		return
	}
	p, err := s.period(r)
	if err != nil {
		s.renderStatus(w, r, http.StatusBadRequest, "Ukjent periode", "Perioden skrives som 2023Q3 eller 2023-07-01..2023-09-30.")
		return
	}
	pg := &itemPage{Item: it, Period: p, Sections: s.cfg.Digest.Sections, Back: r.URL.RequestURI()}
	if pg.History, err = s.store.History(key); err != nil {
		s.serverError(w, r, err)
		return
	}
	for i := range s.cfg.Sources {
		if s.cfg.Sources[i].ID == it.SourceID {
			pg.Source = &s.cfg.Sources[i]
		}
	}
	pg.Matches = slices.Clone(it.Relevance.Matches)
	slices.SortStableFunc(pg.Matches, func(a, b watcher.Match) int { return -cmp.Compare(a.Weight, b.Weight) })
	for _, k := range sortedKeys(it.Meta) {
		pg.Meta = append(pg.Meta, metaPair{k, it.Meta[k]})
	}
	in, d, err := s.loadDraft(p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, dec := range in.Decisions {
		if dec.Key == key {
			pg.Dec, pg.HasDec = dec, true
		}
	}
	pl := placements(d)[key]
	pg.Placed = pl.name
	pg.Default = cmp.Or(pg.Dec.Section, pl.section, s.defaultSection(it))
	for _, o := range in.Items {
		if o.Key != key {
			pg.Others = append(pg.Others, o)
		}
	}
	s.render(w, r, http.StatusOK, "item", s.newView(w, r, it.Title, "queue", pg))
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
