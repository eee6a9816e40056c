package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"text/tabwriter"
	"time"

	"watcher"
	"watcher/alerts"
	"watcher/relevance"
)

func cmdRescore(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("rescore", "")
	force := fs.Bool("force", false, "rescore every item, even those scored with the current profile")
	noAlerts := fs.Bool("no-alerts", false, "do not queue new-hearing alerts for open consultations that became relevant")
	if err := m.parse(fs, args); err != nil {
		return flagHint(fs, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: rescore takes no arguments (got %q)", errUsage, fs.Args())
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	scorer, err := relevance.New(m.Config.Topics)
	if err != nil {
		return fmt.Errorf("topic profile: %w", err)
	}
	always := map[string]bool{}
	for _, s := range m.Config.Sources {
		always[s.ID] = s.AlwaysRelevant
	}
	if err := m.openStore(false); err != nil {
		return err
	}
	hash := scorer.Hash()
	var became, lost []watcher.Item
	n, err := m.Store.Rescore(func(it *watcher.Item) bool {
		if !*force && it.Relevance.Profile == hash && it.Relevance.Always == always[it.SourceID] {
			return false
		}
		old := it.Relevance
		it.Relevance = scorer.Score(it, always[it.SourceID])
		switch {
		case it.Relevance.Relevant && !old.Relevant:
			became = append(became, *it)
		case !it.Relevance.Relevant && old.Relevant:
			lost = append(lost, *it)
		}
		return old.Score != it.Relevance.Score || old.Relevant != it.Relevance.Relevant ||
			old.Profile != it.Relevance.Profile || !slices.Equal(matchTerms(old), matchTerms(it.Relevance))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "rescored %d items with profile %s (%s): %d became relevant, %d no longer relevant\n",
		n, hash, m.Config.TopicsSource(), len(became), len(lost))
	loc := m.Config.Location()
	printRelevanceChanges(m.Stdout, "became relevant:", became, loc)
	printRelevanceChanges(m.Stdout, "no longer relevant:", lost, loc)
	if *noAlerts || len(became) == 0 {
		return nil
	}
	return m.announceBecameRelevant(became)
}

// announceBecameRelevant queues the new-hearing alert of each open
// consultation that the new profile made relevant: no run will see it as
// new, so it would otherwise get its reminders but never its
// announcement. The next run delivers what is queued. A consultation
// announced before (its key known) is not announced again.
func (m *Main) announceBecameRelevant(items []watcher.Item) error {
	planned := alerts.Plan(alerts.PlanInput{
		Now: m.Now(), Loc: m.Config.Location(), Reminders: m.Config.Alerts.Reminders, New: items,
	})
	added, err := m.Store.EnqueueAlerts(planned, alerts.Routes(m.Config.Alerts))
	if err != nil {
		return fmt.Errorf("queue alerts: %w", err)
	}
	announced := 0
	for _, a := range planned {
		if a.Kind == watcher.AlertNewHearing {
			announced++
		}
	}
	m.Log.Info("alerts queued for the next run", slog.Int("planned", len(planned)), slog.Int("added", added))
	switch {
	case announced == 1:
		fmt.Fprintln(m.Stdout, "1 open consultation became relevant: its new-hearing alert goes out with the next run")
	case announced > 1:
		fmt.Fprintf(m.Stdout, "%d open consultations became relevant: their new-hearing alerts go out with the next run\n", announced)
	}
	return nil
}

// printRelevanceChanges lists items whose verdict changed, with the
// deadline of consultations.
func printRelevanceChanges(w io.Writer, title string, items []watcher.Item, loc *time.Location) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintln(w, title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, it := range items {
		deadline := ""
		if !it.Deadline.IsZero() {
			deadline = "deadline " + it.Deadline.In(loc).Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "  %s\t%.1f\t%s\t%s\n", it.Key, it.Relevance.Score, clip(it.Title, 70), deadline)
	}
	tw.Flush()
}

func matchTerms(r watcher.Relevance) []string {
	out := make([]string, 0, len(r.Matches))
	for _, mt := range r.Matches {
		out = append(out, mt.Field+":"+mt.Term)
	}
	return out
}
