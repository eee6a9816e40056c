package web

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"watcher"
	"watcher/config"
	"watcher/digest"
)

// manualPrefix starts the keys of entries written in the UI; a notes
// file's entries (digest.FromNotes) are managed by `watcher digest --notes`.
const (
	manualPrefix = watcher.ManualPrefix + "web-"
	maxURL       = 2000
)

type manualPage struct {
	Period   digest.Period
	Entries  []manualEntry
	Sections []config.Section
	Editor   []config.Section // the sections the editor writes
	Back     string
}

type manualEntry struct {
	Dec       watcher.Decision
	FromNotes bool
}

// handleManual lists the period's own entries and a form for a new one.
func (s *Server) handleManual(w http.ResponseWriter, r *http.Request) {
	p, err := s.period(r)
	if err != nil {
		s.renderStatus(w, r, http.StatusBadRequest, "Ukjent periode", "Perioden skrives som 2023Q3 eller 2023-07-01..2023-09-30.")
		return
	}
	ds, err := s.store.Decisions(p.Name)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pg := &manualPage{Period: p, Sections: s.cfg.Digest.Sections, Back: r.URL.RequestURI()}
	for _, sec := range s.cfg.Digest.Sections {
		if sec.Editor {
			pg.Editor = append(pg.Editor, sec)
		}
	}
	for _, d := range ds {
		if d.Manual() {
			pg.Entries = append(pg.Entries, manualEntry{Dec: d, FromNotes: digest.FromNotes(d.Key)})
		}
	}
	rank := map[string]int{}
	for i, sec := range s.cfg.Digest.Sections {
		rank[sec.ID] = i
	}
	slices.SortStableFunc(pg.Entries, func(a, b manualEntry) int {
		return cmp.Or(cmp.Compare(rank[a.Dec.Section], rank[b.Dec.Section]),
			cmp.Compare(digest.OrderRank(a.Dec.Order), digest.OrderRank(b.Dec.Order)), a.Dec.At.Compare(b.Dec.At))
	})
	s.render(w, r, http.StatusOK, "manual", s.newView(w, r, "Egne oppføringer", "manual", pg))
}

// handleManualSave creates an entry (no key) or changes one.
func (s *Server) handleManualSave(w http.ResponseWriter, r *http.Request) {
	p, err := s.period(r)
	if err != nil {
		http.Error(w, "ukjent periode", http.StatusBadRequest)
		return
	}
	fallback := "/manual?period=" + url.QueryEscape(p.Name)
	d, err := s.manualFromForm(p, r)
	if err != nil {
		if bad, ok := err.(*errInput); ok {
			redirectBack(w, r, fallback, bad.code)
			return
		}
		s.serverError(w, r, err)
		return
	}
	if err := s.store.PutDecision(d); err != nil {
		s.serverError(w, r, err)
		return
	}
	redirectBack(w, r, fallback, "manual")
}

// manualFromForm reads and checks a manual entry.
func (s *Server) manualFromForm(p digest.Period, r *http.Request) (watcher.Decision, error) {
	key := r.PostFormValue("key")
	d := watcher.Decision{Period: p.Name, Key: key}
	if key == "" {
		b := make([]byte, 6)
		if _, err := rand.Read(b); err != nil {
			return d, err
		}
		d.Key = manualPrefix + hex.EncodeToString(b)
	} else {
		if !watcher.ManualKey(key) {
			return d, inputError("bad-action")
		}
		old, err := s.decisionOf(p.Name, key)
		if err != nil {
			return d, err
		}
		d = old
	}
	heading, err1 := formText(r, "heading", maxHeading)
	text, err2 := formText(r, "text", maxText)
	link, err3 := formText(r, "url", maxURL)
	if err := errors.Join(err1, err2, err3); err != nil {
		return d, inputError("too-long")
	}
	if heading == "" || text == "" {
		return d, inputError("need-text")
	}
	if link != "" && !digest.Linkable(link) {
		return d, inputError("bad-url")
	}
	sec := r.PostFormValue("section")
	if !s.validSection(sec) {
		return d, inputError("bad-section")
	}
	order, _ := strconv.Atoi(r.PostFormValue("order"))
	d.State, d.Section, d.Heading, d.Text, d.URL = watcher.DecisionInclude, sec, heading, text, link
	d.Order = max(order, 0)
	d.At = s.now()
	return d, nil
}

// handleManualDelete removes one of the editor's own entries.
func (s *Server) handleManualDelete(w http.ResponseWriter, r *http.Request) {
	p, err := s.period(r)
	if err != nil {
		http.Error(w, "ukjent periode", http.StatusBadRequest)
		return
	}
	key := r.PostFormValue("key")
	if !watcher.ManualKey(key) {
		http.Error(w, "ukjent oppføring", http.StatusBadRequest)
		return
	}
	if err := s.store.DeleteDecision(p.Name, key); err != nil {
		s.serverError(w, r, err)
		return
	}
	redirectBack(w, r, "/manual?period="+url.QueryEscape(p.Name), "manual-del")
}
