package main

import (
	"fmt"
	"maps"
	"time"

	"watcher"
	"watcher/alerts"
	"watcher/runner"
	"watcher/state"
)

// catchUpLookback bounds how many earlier runs catchUp looks back over
// for one whose alerts were planned.
const catchUpLookback = 30

// plannedMarker is the alert that records, in the same transaction as the
// run's own alerts, that a run's alerts were planned. It is recorded as
// known and delivered nowhere. A run with --no-alerts records it too: its
// items were left unannounced on purpose.
func plannedMarker(started time.Time) watcher.Alert {
	return watcher.Alert{
		Key:      "planned:" + started.UTC().Format(time.RFC3339Nano),
		Audience: alerts.AudienceNone,
		Created:  started,
	}
}

// markPlanned records that the run that started at started planned its
// alerts (or skipped them on purpose).
func markPlanned(st *state.Store, started time.Time) error {
	_, err := st.EnqueueAlerts([]watcher.Alert{plannedMarker(started)}, nil)
	return err
}

// catchUp adds to res what an earlier run stored but never planned alerts
// for, because it was killed after committing some sources' items,
// changes or health and before enqueueing its alerts. Every item first
// seen, change recorded or health change begun after the start of the
// last run whose alerts were planned (see plannedMarker), and before this
// run started, belongs to such a run. Planning is idempotent (the store
// enqueues an alert key once), so whatever was announced after all is
// not announced again. A health change is announced whether or not its
// source is in this run (configured is every configured source): this
// run's marker closes the gap, so a check of one source after a killed
// run would otherwise lose the other sources' changes for good.
func catchUp(st *state.Store, res *runner.Result, configured []watcher.Source) error {
	runs, err := st.RunStarts(catchUpLookback + 1)
	if err != nil {
		return err
	}
	cur := res.Report.Started
	var from time.Time // exclusive; zero: every earlier run is unaccounted for
	found := false
	for _, started := range runs {
		if !started.Before(cur) {
			continue // this run
		}
		if st.AlertKnown(plannedMarker(started).Key) {
			from, found = started, true
			break
		}
	}
	if !found && len(runs) > catchUpLookback {
		from = runs[len(runs)-1]
	}
	inGap := func(t time.Time) bool { return !t.IsZero() && t.After(from) && t.Before(cur) }

	// Only the gap is read: items first seen by the last planned run (at
	// from) or by this one are not in it.
	items, err := st.Items(state.Query{SeenFrom: from.Add(time.Nanosecond), SeenBefore: cur})
	if err != nil {
		return fmt.Errorf("items since the last complete run: %w", err)
	}
	known := make(map[string]bool, len(res.New))
	for _, it := range res.New {
		known[it.Key] = true
	}
	for _, it := range items {
		if inGap(it.FirstSeen) && !known[it.Key] {
			res.New = append(res.New, it)
		}
	}

	// Only the changes recorded in the gap are read, not every item with
	// a deadline and its history: that grew with the store and was most
	// of an unchanged run's work.
	changes, err := st.ChangesBetween(from, cur)
	if err != nil {
		return fmt.Errorf("changes since the last complete run: %w", err)
	}
	if res.Changed == nil {
		res.Changed = map[string]watcher.Item{}
	}
	for _, c := range changes {
		if !inGap(c.At) {
			continue // a change without a time belongs to no run
		}
		it, ok, err := st.Item(c.Key)
		if err != nil {
			return fmt.Errorf("item %s: %w", c.Key, err)
		}
		if !ok || it.Deadline.IsZero() {
			continue // only consultations with a deadline have changes to announce
		}
		res.Changes = append(res.Changes, c)
		if _, ok := res.Changed[c.Key]; !ok {
			res.Changed[c.Key] = it
		}
	}

	health, err := st.AllHealth()
	if err != nil {
		return fmt.Errorf("source health: %w", err)
	}
	sources := make(map[string]watcher.Source, len(configured)+len(res.Sources))
	for _, src := range configured {
		sources[src.ID] = src
	}
	maps.Copy(sources, res.Sources)
	for _, h := range health {
		src, known := sources[h.SourceID]
		if !known || !inGap(h.Since) || !runner.HealthNews(h.PrevState, h.State) {
			continue // a source no longer configured has no one to tell
		}
		res.Health = append(res.Health, runner.HealthChange{Source: src, From: h.PrevState, To: h})
	}
	return nil
}
