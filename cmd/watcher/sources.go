package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"watcher"
)

func cmdSources(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("sources", "")
	asJSON := fs.Bool("json", false, "print JSON")
	noDB := fs.Bool("no-db", false, "only validate and list the configuration; do not read health from the database")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	health := map[string]watcher.Health{}
	if !*noDB {
		if err := m.openStore(true); err != nil {
			return err
		}
		all, err := m.Store.AllHealth()
		if err != nil {
			return err
		}
		for _, h := range all {
			health[h.SourceID] = h
		}
	}
	type row struct {
		watcher.Source
		Health *watcher.Health `json:"health,omitempty"`
	}
	var rows []row
	for _, s := range m.Config.Sources {
		r := row{Source: s}
		if h, ok := health[s.ID]; ok {
			r.Health = &h
		}
		rows = append(rows, r)
	}
	if *asJSON {
		return writeJSON(m.Stdout, rows)
	}
	fmt.Fprintf(m.Stdout, "configuration %s: %d sources, valid\n", m.Config.File, len(rows))
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tORGANISATION\tREGION\tHOST\tHEALTH\tLAST SUCCESS\tSTREAK")
	loc := m.Config.Location()
	for _, r := range rows {
		hs, last, streak := "-", "-", ""
		if r.Health != nil {
			hs = orDash(string(r.Health.State))
			last = stamp(r.Health.LastSuccess, loc)
			if r.Health.FailureStreak > 0 {
				streak = fmt.Sprintf("%d failed", r.Health.FailureStreak)
			}
		}
		if r.Disabled {
			hs = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Kind, r.Organisation, r.Region,
			hostOfURL(first(r.URLs)), hs, last, streak)
	}
	return tw.Flush()
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func hostOfURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}
