package main

import (
	"context"
	"fmt"
	"slices"

	"watcher"
	"watcher/relevance"
)

func cmdRescore(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("rescore", "")
	force := fs.Bool("force", false, "rescore every item, even those scored with the current profile")
	if err := m.parse(fs, args); err != nil {
		return err
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
	var became, lost int
	n, err := m.Store.Rescore(func(it *watcher.Item) bool {
		if !*force && it.Relevance.Profile == hash && it.Relevance.Always == always[it.SourceID] {
			return false
		}
		old := it.Relevance
		it.Relevance = scorer.Score(it, always[it.SourceID])
		switch {
		case it.Relevance.Relevant && !old.Relevant:
			became++
		case !it.Relevance.Relevant && old.Relevant:
			lost++
		}
		return old.Score != it.Relevance.Score || old.Relevant != it.Relevance.Relevant ||
			old.Profile != it.Relevance.Profile || !slices.Equal(matchTerms(old), matchTerms(it.Relevance))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "rescored %d items with profile %s: %d became relevant, %d no longer relevant\n", n, hash, became, lost)
	return nil
}

func matchTerms(r watcher.Relevance) []string {
	out := make([]string, 0, len(r.Matches))
	for _, mt := range r.Matches {
		out = append(out, mt.Field+":"+mt.Term)
	}
	return out
}
