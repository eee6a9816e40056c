package digest

import (
	"fmt"
	"time"

	"watcher"
	"watcher/config"
	"watcher/state"
)

// openHorizon bounds how far after the period's end Load looks for the
// deadlines of consultations still open: a year, far more than any
// hearing runs, so that the read stays one narrow walk of the deadline
// index however large the store.
const openHorizon = 366 * 24 * time.Hour

// Load reads from the store what Build needs for period p: the period's
// items through the date index, the consultations whose deadline falls
// in the year after it, the items the period's decisions name from
// outside it, the decisions, the sources' health and the period's run
// reports. now is when the draft is made.
func Load(st *state.Store, cfg *config.Config, p Period, now time.Time) (Input, error) {
	in := Input{
		Period: p.Name, From: p.From, To: p.To, Loc: cfg.Location(),
		Config: cfg.Digest, Sources: cfg.Sources, Now: now,
	}
	items, err := st.Items(state.Query{From: p.From, To: p.To})
	if err != nil {
		return Input{}, fmt.Errorf("digest: load %s: %w", p.Name, err)
	}
	have := make(map[string]bool, len(items))
	for _, it := range items {
		have[it.Key] = true
	}
	open, err := st.Deadlines(p.To, p.To.Add(openHorizon))
	if err != nil {
		return Input{}, fmt.Errorf("digest: load %s: %w", p.Name, err)
	}
	for _, it := range open {
		if !have[it.Key] && it.Date().Before(p.To) {
			have[it.Key] = true
			items = append(items, it)
		}
	}
	if in.Decisions, err = st.Decisions(p.Name); err != nil {
		return Input{}, fmt.Errorf("digest: load %s: %w", p.Name, err)
	}
	for _, d := range in.Decisions {
		for _, key := range []string{d.Key, d.SameAs} {
			if key == "" || have[key] || d.Manual() || watcher.ManualKey(key) {
				continue
			}
			have[key] = true
			it, ok, err := st.Item(key)
			if err != nil {
				return Input{}, fmt.Errorf("digest: load %s: %w", p.Name, err)
			}
			if ok {
				items = append(items, it)
			}
		}
	}
	in.Items = items
	if in.Health, err = st.AllHealth(); err != nil {
		return Input{}, fmt.Errorf("digest: load %s: %w", p.Name, err)
	}
	if in.Runs, err = st.RunsBetween(p.From, p.To); err != nil {
		return Input{}, fmt.Errorf("digest: load %s: %w", p.Name, err)
	}
	return in, nil
}

// StoreNotes stores the notes as period's manual entries, replacing those
// an earlier notes file stored: entries no longer in the notes are
// removed. It returns how many decisions it wrote and removed.
func StoreNotes(st *state.Store, period string, n *Notes, sections []config.Section) (written, removed int, err error) {
	want := n.Decisions(period, sections)
	keep := make(map[string]bool, len(want))
	for _, d := range want {
		keep[d.Key] = true
	}
	old, err := st.Decisions(period)
	if err != nil {
		return 0, 0, fmt.Errorf("digest: store notes: %w", err)
	}
	for _, d := range old {
		if FromNotes(d.Key) && !keep[d.Key] {
			if err := st.DeleteDecision(period, d.Key); err != nil {
				return written, removed, fmt.Errorf("digest: store notes: %w", err)
			}
			removed++
		}
	}
	prev := map[string]watcher.Decision{}
	for _, d := range old {
		prev[d.Key] = d
	}
	for _, d := range want {
		if p, ok := prev[d.Key]; ok && sameManual(p, d) {
			continue
		}
		if err := st.PutDecision(d); err != nil {
			return written, removed, fmt.Errorf("digest: store notes: %w", err)
		}
		written++
	}
	return written, removed, nil
}

// sameManual reports whether two manual entries say the same.
func sameManual(a, b watcher.Decision) bool {
	return a.Section == b.Section && a.Heading == b.Heading && a.Text == b.Text &&
		a.URL == b.URL && a.Order == b.Order && a.State == b.State
}
