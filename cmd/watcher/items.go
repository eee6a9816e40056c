package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"watcher"
	"watcher/dates"
	"watcher/state"
)

func cmdItems(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("items", "")
	source := fs.String("source", "", "only items of this source id")
	since := fs.String("since", "", "only items dated (published, else first seen) on or after this date (2006-01-02, 02.01.2006, 7. august 2026)")
	relevant := fs.Bool("relevant", false, "only items scored relevant")
	limit := fs.Int("limit", 0, "at most this many items (0: all)")
	asJSON := fs.Bool("json", false, "print one JSON array")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	q := state.Query{Source: *source}
	if *since != "" {
		t, err := dates.Parse(*since, dates.Options{Loc: m.Config.Location()})
		if err != nil {
			return fmt.Errorf("%w: --since %q: %v", errUsage, *since, err)
		}
		q.From = t
	}
	if err := m.openStore(true); err != nil {
		return err
	}
	items, err := m.Store.Items(q)
	if err != nil {
		return err
	}
	if *relevant {
		kept := items[:0]
		for _, it := range items {
			if it.Relevance.Relevant {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	if *limit > 0 && len(items) > *limit {
		items = items[:*limit]
	}
	if *asJSON {
		return writeJSON(m.Stdout, items)
	}
	printItems(m.Stdout, items, m.Config.Location())
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if v == nil {
		v = []any{}
	}
	return enc.Encode(v)
}

func printItems(w io.Writer, items []watcher.Item, loc *time.Location) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tSOURCE\tKEY\tDEADLINE\tSTATUS\tREL\tTITLE")
	for _, it := range items {
		rel := ""
		if it.Relevance.Relevant {
			rel = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", day(it.Date(), loc), it.SourceID, it.Key,
			day(it.Deadline, loc), orDash(string(it.Status)), rel, clip(it.Title, 90))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d items\n", len(items))
}

func day(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02")
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
