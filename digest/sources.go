package digest

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"watcher"
	"watcher/alerts"
)

// sourceLines makes the "Kilder" appendix: every configured source with
// the checks the period's runs made of it, its last success by the end of
// the period, the items it yielded in the period and its health now.
func (b *builder) sourceLines(selected []*cluster) []SourceLine {
	health := map[string]watcher.Health{}
	for _, h := range b.in.Health {
		health[h.SourceID] = h
	}
	type tally struct{ checks, failures, items, selected int }
	count := map[string]*tally{}
	get := func(id string) *tally {
		t := count[id]
		if t == nil {
			t = &tally{}
			count[id] = t
		}
		return t
	}
	last := map[string]time.Time{} // last successful run in the period
	for _, r := range b.in.Runs {
		if !b.inPeriod(r.Started) {
			continue
		}
		for _, s := range r.Sources {
			if s.ErrClass == watcher.ErrCanceled {
				continue // cut short by a shutdown: no check of the source, as its health counts it
			}
			t := get(s.SourceID)
			t.checks++
			if s.ErrClass != watcher.ErrNone {
				t.failures++
			} else if at := r.Started; at.After(last[s.SourceID]) {
				last[s.SourceID] = at
			}
		}
	}
	for _, m := range b.members {
		if b.inPeriod(m.it.Date()) {
			get(m.it.SourceID).items++
		}
	}
	for _, c := range selected {
		for _, m := range c.members {
			get(m.it.SourceID).selected++
		}
	}
	out := make([]SourceLine, 0, len(b.in.Sources))
	for _, src := range b.in.Sources {
		h := health[src.ID]
		t := get(src.ID)
		line := SourceLine{
			ID: src.ID, Name: cmp.Or(src.Name, src.ID), Organisation: src.Organisation, Disabled: src.Disabled,
			Checks: t.checks, Failures: t.failures, TotalChecks: h.Checks,
			Items: t.items, Selected: t.selected, State: h.State, Health: alerts.HealthWord(h.State),
		}
		switch at, ok := last[src.ID]; {
		case ok:
			line.LastSuccess = at
		case t.checks == 0 && h.LastSuccess.Before(b.in.To):
			// No run reports of the period (pruned, or runs before they
			// were kept): the health's last success, if it was in time.
			line.LastSuccess = h.LastSuccess
		}
		if src.Disabled {
			line.Health = "slått av"
		}
		out = append(out, line)
	}
	return out
}

// openHearings are the consultations still open when the period ends: a
// deadline at or after To, published before To, not concluded, relevant
// or included, and not excluded. Soonest deadline first.
func (b *builder) openHearings(cs []*cluster) []Entry {
	var out []Entry
	for _, c := range cs {
		if c.dec.State == watcher.DecisionExclude || !(c.relevant() || c.dec.State == watcher.DecisionInclude) {
			continue
		}
		p := c.primary()
		it := &p.it
		if !it.IsConsultation() || it.Deadline.Before(b.in.To) || !it.Date().Before(b.in.To) || it.Status == watcher.StatusConcluded {
			continue
		}
		e := b.entry(c)
		if len(it.Ministries) > 0 {
			e.Organisation = strings.Join(it.Ministries, ", ")
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(x, y Entry) int {
		return cmp.Or(x.Deadline.Compare(y.Deadline), strings.Compare(x.Heading, y.Heading), strings.Compare(x.Key, y.Key))
	})
	return out
}
