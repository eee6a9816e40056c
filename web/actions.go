package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"watcher"
	"watcher/config"
	"watcher/digest"
	"watcher/runner"
)

// Limits on what the editor writes.
const (
	maxHeading = 300
	maxText    = 5000
	maxReason  = 500
	maxBulk    = 500
)

// errInput is a form the server refuses; the code names the flash message.
type errInput struct{ code string }

func (e *errInput) Error() string { return "bad input: " + e.code }

func inputError(code string) error { return &errInput{code: code} }

// redirectBack sends the browser back to the page the form came from
// (a local path only) with a message code.
func redirectBack(w http.ResponseWriter, r *http.Request, fallback, msg string) {
	back := r.PostFormValue("back")
	if !localPath(back) {
		back = fallback
	}
	u, err := url.Parse(back)
	if err != nil {
		u = &url.URL{Path: "/"}
	}
	q := u.Query()
	q.Del("msg")
	if msg != "" {
		q.Set("msg", msg)
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// localPath reports whether p is a path on this server (not "//host").
func localPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\") &&
		!strings.ContainsAny(p, "\r\n")
}

// formText reads a form field, trimmed, and refuses it ("too-long") when
// longer than max characters. The forms set the same maxlength, so only a
// client that ignores it gets here.
func formText(r *http.Request, name string, max int) (string, error) {
	v := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(name), "\r\n", "\n"))
	if utf8.RuneCountInString(v) > max {
		return "", inputError("too-long")
	}
	return v, nil
}

// decisionOf returns the stored decision on key for the period, or a new
// one.
func (s *Server) decisionOf(period, key string) (watcher.Decision, error) {
	ds, err := s.decisions(period)
	if err != nil {
		return watcher.Decision{}, err
	}
	return decisionIn(ds, period, key), nil
}

// decisions returns the period's stored decisions by key.
func (s *Server) decisions(period string) (map[string]watcher.Decision, error) {
	ds, err := s.store.Decisions(period)
	if err != nil {
		return nil, err
	}
	out := make(map[string]watcher.Decision, len(ds))
	for _, d := range ds {
		out[d.Key] = d
	}
	return out, nil
}

// decisionIn returns the decision on key among ds, or a new one.
func decisionIn(ds map[string]watcher.Decision, period, key string) watcher.Decision {
	if d, ok := ds[key]; ok {
		return d
	}
	return watcher.Decision{Period: period, Key: key}
}

func (s *Server) validSection(id string) bool {
	return slices.ContainsFunc(s.cfg.Digest.Sections, func(sec config.Section) bool { return sec.ID == id })
}

// handleDecide applies one action to one item: include (in a section),
// exclude (with a reason), edit (heading and text), same (as another
// item), reset (remove the decision).
func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) {
	p, err := s.period(r)
	if err != nil {
		http.Error(w, "ukjent periode", http.StatusBadRequest)
		return
	}
	fallback := "/?period=" + url.QueryEscape(p.Name)
	key := r.PostFormValue("key")
	if _, ok, err := s.store.Item(key); err != nil || !ok {
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.renderStatus(w, r, http.StatusNotFound, "Ukjent sak", "Saken finnes ikke i databasen.")
		return
	}
	d, err := s.decisionOf(p.Name, key)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	msg, err := s.decide(d, r.PostFormValue("action"), r)
	var bad *errInput
	switch {
	case errors.As(err, &bad):
		redirectBack(w, r, fallback, bad.code)
	case err != nil:
		s.serverError(w, r, err)
	default:
		redirectBack(w, r, fallback, msg)
	}
}

// decide applies an action to d, the decision stored on its key (or a new
// one), and stores it.
func (s *Server) decide(d watcher.Decision, action string, r *http.Request) (string, error) {
	if action == "reset" {
		return "reset", s.store.DeleteDecision(d.Period, d.Key)
	}
	if err := s.applyAction(&d, action, r); err != nil {
		return "", err
	}
	d.At = s.now()
	return "saved", s.store.PutDecision(d)
}

// applyAction changes d as the action and its form fields say.
func (s *Server) applyAction(d *watcher.Decision, action string, r *http.Request) error {
	switch action {
	case "include":
		sec := r.PostFormValue("section")
		if !s.validSection(sec) {
			return inputError("bad-section")
		}
		d.State, d.Section, d.Reason = watcher.DecisionInclude, sec, ""
	case "exclude":
		reason, err := formText(r, "reason", maxReason)
		if err != nil {
			return err
		}
		if reason == "" {
			return inputError("no-reason")
		}
		d.State, d.Reason = watcher.DecisionExclude, reason
	case "edit":
		heading, err1 := formText(r, "heading", maxHeading)
		text, err2 := formText(r, "text", maxText)
		if err := errors.Join(err1, err2); err != nil {
			return inputError("too-long")
		}
		d.Heading, d.Text = heading, text
	case "same":
		other := strings.TrimSpace(r.PostFormValue("same_as"))
		if other == d.Key {
			return inputError("same-self")
		}
		if other != "" {
			if _, ok, err := s.store.Item(other); err != nil || !ok {
				if err != nil {
					return err
				}
				return inputError("bad-action")
			}
		}
		d.SameAs = other
	default:
		return inputError("bad-action")
	}
	return nil
}

// handleBulk applies one action to the selected items: include, exclude,
// reset, or same (exactly two: the second is marked as the same document
// as the first).
func (s *Server) handleBulk(w http.ResponseWriter, r *http.Request) {
	p, err := s.period(r)
	if err != nil {
		http.Error(w, "ukjent periode", http.StatusBadRequest)
		return
	}
	fallback := "/?period=" + url.QueryEscape(p.Name)
	keys := slices.Compact(r.PostForm["key"])
	action := r.PostFormValue("action")
	switch {
	case len(keys) == 0:
		redirectBack(w, r, fallback, "none")
		return
	case len(keys) > maxBulk:
		http.Error(w, "for mange saker valgt", http.StatusRequestEntityTooLarge)
		return
	case action == "same" && len(keys) != 2:
		redirectBack(w, r, fallback, "need-two")
		return
	}
	for _, k := range keys {
		if _, ok, err := s.store.Item(k); err != nil || !ok {
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			s.renderStatus(w, r, http.StatusNotFound, "Ukjent sak", "En av de valgte sakene finnes ikke i databasen.")
			return
		}
	}
	if action == "same" {
		r.PostForm.Set("same_as", keys[0])
		keys = keys[1:]
	}
	decs, err := s.decisions(p.Name)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, k := range keys {
		if _, err := s.decide(decisionIn(decs, p.Name, k), action, r); err != nil {
			var bad *errInput
			if errors.As(err, &bad) {
				redirectBack(w, r, fallback, bad.code)
				return
			}
			s.serverError(w, r, err)
			return
		}
	}
	redirectBack(w, r, fallback, "bulk")
}

// handleMove moves an entry one place up or down in its section (or its
// organisation's group) of the draft, and stores the section's order as
// the editor's positions 1..n.
func (s *Server) handleMove(w http.ResponseWriter, r *http.Request) {
	p, err := s.period(r)
	if err != nil {
		http.Error(w, "ukjent periode", http.StatusBadRequest)
		return
	}
	fallback := "/?view=draft&period=" + url.QueryEscape(p.Name)
	key := r.PostFormValue("key")
	step := map[string]int{"up": -1, "down": 1}[r.PostFormValue("dir")]
	if step == 0 {
		redirectBack(w, r, fallback, "bad-action")
		return
	}
	in, d, err := s.loadDraft(p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	list := entryList(d, key)
	if list == nil {
		redirectBack(w, r, fallback, "not-placed")
		return
	}
	i := slices.IndexFunc(list, func(e digest.Entry) bool { return e.Key == key })
	j := i + step
	if j >= 0 && j < len(list) {
		list[i], list[j] = list[j], list[i]
	}
	decs := make(map[string]watcher.Decision, len(in.Decisions))
	for _, dec := range in.Decisions {
		decs[dec.Key] = dec
	}
	for pos, e := range list {
		dec := decisionIn(decs, p.Name, e.Key)
		if dec.Order == pos+1 {
			continue
		}
		dec.Order, dec.At = pos+1, s.now()
		if err := s.store.PutDecision(dec); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	redirectBack(w, r, fallback, "moved")
}

// entryList returns a copy of the entries of the section or group that
// holds key's entry, in the draft's order.
func entryList(d *digest.Draft, key string) []digest.Entry {
	has := func(es []digest.Entry) bool {
		return slices.ContainsFunc(es, func(e digest.Entry) bool { return e.Key == key })
	}
	for _, sec := range d.Sections {
		if has(sec.Entries) {
			return slices.Clone(sec.Entries)
		}
		for _, g := range sec.Groups {
			if has(g.Entries) {
				return slices.Clone(g.Entries)
			}
		}
	}
	return nil
}

// handleRun starts a run of every enabled source. A browser is sent back
// with a message; an API client (bearer token) gets 202 or 409.
func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	s.startRun(w, r, TriggerManual, nil)
}

// handleCheck runs the job for one source ("sjekk nå").
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("source")
	if id == "" {
		http.Error(w, "ingen kilde valgt", http.StatusBadRequest)
		return
	}
	s.startRun(w, r, TriggerCheck, []string{id})
}

func (s *Server) startRun(w http.ResponseWriter, r *http.Request, trigger string, only []string) {
	err := s.StartRun(trigger, only)
	api := s.sec.bearer(r)
	switch {
	case errors.Is(err, runner.ErrUnknownSource):
		http.Error(w, "ukjent kilde", http.StatusNotFound)
	case errors.Is(err, ErrBusy):
		if api {
			http.Error(w, "en kjøring pågår allerede", http.StatusConflict)
			return
		}
		redirectBack(w, r, "/sources", "busy")
	case err != nil:
		s.serverError(w, r, err)
	case api:
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintln(w, "kjøringen er startet")
	default:
		redirectBack(w, r, "/sources", "started")
	}
}
