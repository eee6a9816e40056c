package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"watcher"
	"watcher/alerts"
	"watcher/dates"
)

// deadlineRow is one consultation in `watcher deadlines`.
type deadlineRow struct {
	Key      string           `json:"key"`
	Title    string           `json:"title"`
	Source   string           `json:"source"`
	Ministry string           `json:"ministry,omitempty"`
	URL      string           `json:"url"`
	Deadline time.Time        `json:"deadline"`
	DaysLeft int              `json:"days_left"`
	Status   watcher.Status   `json:"status,omitempty"`
	Relevant bool             `json:"relevant"`
	Moved    []watcher.Change `json:"moved,omitempty"` // earlier deadlines
}

func cmdDeadlines(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("deadlines", "")
	within := fs.String("within", "", "only deadlines within this period from today (30d, 2w, 72h)")
	all := fs.Bool("all", false, "every known deadline, past ones too")
	relevantOnly := fs.Bool("relevant", false, "only consultations scored relevant")
	asJSON := fs.Bool("json", false, "print one JSON array")
	ics := fs.String("ics", "", "also write the open deadlines as an iCalendar file")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	loc := m.Config.Location()
	now := m.Now()
	from := startOfDay(now, loc)
	var to time.Time
	if *within != "" {
		d, err := parseSpan(*within)
		if err != nil {
			return fmt.Errorf("%w: --within %q: %v", errUsage, *within, err)
		}
		to = from.Add(d).AddDate(0, 0, 1)
	}
	if *all {
		from = time.Time{}
	}
	if err := m.openStore(true); err != nil {
		return err
	}
	items, err := m.Store.Deadlines(from, to)
	if err != nil {
		return err
	}
	var rows []deadlineRow
	var open []watcher.Item
	for _, it := range items {
		if *relevantOnly && !it.Relevance.Relevant {
			continue
		}
		row := deadlineRow{Key: it.Key, Title: it.Title, Source: it.SourceID, URL: it.URL, Deadline: it.Deadline,
			DaysLeft: dates.DaysUntil(now, it.Deadline, loc), Status: it.Status, Relevant: it.Relevance.Relevant}
		if len(it.Ministries) > 0 {
			row.Ministry = strings.Join(it.Ministries, ", ")
		} else {
			row.Ministry = it.Organisation
		}
		if it.Changes > 0 {
			hist, err := m.Store.History(it.Key)
			if err != nil {
				return err
			}
			for _, c := range hist {
				if c.Field == "deadline" {
					row.Moved = append(row.Moved, c)
				}
			}
		}
		rows = append(rows, row)
		if row.DaysLeft >= 0 {
			open = append(open, it)
		}
	}
	if *ics != "" {
		b, err := alerts.Calendar(open, now, loc, "-//watcher//høringsfrister//NO")
		if err != nil {
			return fmt.Errorf("calendar: %w", err)
		}
		if err := os.WriteFile(*ics, b, 0o644); err != nil {
			return fmt.Errorf("write calendar: %w", err)
		}
		m.Log.Info("calendar written", "path", *ics, "events", len(open))
	}
	if *asJSON {
		return writeJSON(m.Stdout, rows)
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FRIST\tDAGER\tREL\tKILDE\tDEPARTEMENT\tTITTEL\tLENKE")
	for _, r := range rows {
		rel := ""
		if r.Relevant {
			rel = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", dates.Long(r.Deadline, loc), dates.Countdown(r.DaysLeft),
			rel, r.Source, clip(r.Ministry, 40), clip(r.Title, 70), r.URL)
		for _, c := range r.Moved {
			fmt.Fprintf(tw, "\t\t\t\t\t  (fristen flyttet %s: %s → %s)\t\n", dates.Long(c.At, loc), c.Old, c.New)
		}
	}
	tw.Flush()
	fmt.Fprintf(m.Stdout, "%d consultations\n", len(rows))
	return nil
}

// parseSpan reads "30d", "2w" or a Go duration.
func parseSpan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n := len(s); n > 1 && (s[n-1] == 'd' || s[n-1] == 'w') {
		v, err := strconv.Atoi(s[:n-1])
		if err != nil || v < 0 {
			return 0, fmt.Errorf("want a number of days (30d) or weeks (2w)")
		}
		day := 24 * time.Hour
		if s[n-1] == 'w' {
			return time.Duration(v) * 7 * day, nil
		}
		return time.Duration(v) * day, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want 30d, 2w or a duration such as 72h")
	}
	return d, nil
}
