package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"watcher"
	"watcher/alerts"
	"watcher/dates"
	"watcher/web"
)

// deadlineRow is one consultation in `watcher deadlines`.
type deadlineRow struct {
	Key      string         `json:"key"`
	Title    string         `json:"title"`
	Source   string         `json:"source"`
	Ministry string         `json:"ministry,omitempty"`
	URL      string         `json:"url"`
	Deadline time.Time      `json:"deadline"`
	Day      string         `json:"deadline_date"` // the deadline's calendar day in the configured zone: 2023-11-06
	DaysLeft int            `json:"days_left"`
	Status   watcher.Status `json:"status,omitempty"`
	Relevant bool           `json:"relevant"`
	Moved    []deadlineMove `json:"moved,omitempty"` // earlier deadlines, oldest first
}

// deadlineMove is one recorded move of a deadline, as calendar days.
type deadlineMove struct {
	At   time.Time `json:"at"`
	From string    `json:"from"` // 2023-11-06
	To   string    `json:"to"`
}

func cmdDeadlines(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("deadlines", "")
	within := fs.String("within", "", "only deadlines within this period from today (30d, 2w, 72h)")
	all := fs.Bool("all", false, "every known deadline, past ones too")
	relevantOnly := fs.Bool("relevant", false, "only consultations scored relevant")
	asJSON := fs.Bool("json", false, "print one JSON array")
	ics := fs.String("ics", "", "also write the open deadlines as an iCalendar file")
	if err := m.parse(fs, args); err != nil {
		return flagHint(fs, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: deadlines takes no arguments (got %q); see watcher deadlines -h", errUsage, fs.Args())
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
		to = withinEnd(from, d, loc)
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
		row, err := m.deadlineRow(&it, now, loc)
		if err != nil {
			return err
		}
		rows = append(rows, row)
		// The calendar holds what the served feed holds: open
		// consultations, not those the site has closed.
		if row.DaysLeft >= 0 && it.Status != watcher.StatusConcluded {
			open = append(open, it)
		}
	}
	if *ics != "" {
		b, err := alerts.Calendar(open, now, loc, web.CalendarProdID)
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
	printDeadlines(m.Stdout, rows, loc)
	return nil
}

// deadlineRow describes one consultation, with the moves of its deadline
// from the item's history.
func (m *Main) deadlineRow(it *watcher.Item, now time.Time, loc *time.Location) (deadlineRow, error) {
	row := deadlineRow{Key: it.Key, Title: it.Title, Source: it.SourceID, URL: it.URL, Deadline: it.Deadline,
		Day: it.Deadline.In(loc).Format(time.DateOnly), DaysLeft: dates.DaysUntil(now, it.Deadline, loc),
		Status: it.Status, Relevant: it.Relevance.Relevant, Ministry: it.Organisation}
	if len(it.Ministries) > 0 {
		row.Ministry = strings.Join(it.Ministries, ", ")
	}
	if it.Changes == 0 {
		return row, nil
	}
	hist, err := m.Store.History(it.Key)
	if err != nil {
		return row, err
	}
	for _, c := range hist {
		old, nu, ok := alerts.DeadlineMove(c, loc)
		if !ok {
			continue // another field, first set, removed, or the same day
		}
		row.Moved = append(row.Moved, deadlineMove{At: c.At, From: old.Format(time.DateOnly), To: nu.Format(time.DateOnly)})
	}
	return row, nil
}

// printDeadlines writes the table the editor reads, in Norwegian. A
// deadline that has moved is marked in the table and its moves are listed
// under it, so that the columns stay aligned.
func printDeadlines(w io.Writer, rows []deadlineRow, loc *time.Location) {
	if len(rows) == 0 {
		fmt.Fprintln(w, "Ingen høringsfrister å vise.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FRIST\tDAGER\tREL.\tSTATUS\tKILDE\tDEPARTEMENT\tTITTEL\tLENKE")
	relevant := 0
	var moved []deadlineRow
	for _, r := range rows {
		rel := ""
		if r.Relevant {
			rel = "*"
			relevant++
		}
		status := ""
		if r.Status != watcher.StatusNone {
			status = alerts.StatusWord(r.Status)
		}
		deadline := dates.Long(r.Deadline, loc)
		if len(r.Moved) > 0 {
			deadline += " (flyttet)"
			moved = append(moved, r)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", deadline, dates.Countdown(r.DaysLeft),
			rel, status, r.Source, clip(r.Ministry, 40), clip(r.Title, 70), r.URL)
	}
	tw.Flush()
	fmt.Fprintf(w, "%s (%s).\n", countNoun(len(rows), "høring", "høringer"), relevantNote(relevant))
	if len(moved) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlyttede frister:")
	for _, r := range moved {
		for _, mv := range r.Moved {
			fmt.Fprintf(w, "- %s: fra %s til %s (endret %s)\n", clip(r.Title, 100),
				longDay(mv.From, loc), longDay(mv.To, loc), dates.Long(mv.At, loc))
		}
	}
}

// longDay writes a 2006-01-02 day as "6. november 2023".
func longDay(day string, loc *time.Location) string {
	t, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return day
	}
	return dates.Long(t, loc)
}

// relevantNote says how many rows are marked relevant.
func relevantNote(n int) string {
	switch n {
	case 0:
		return "ingen relevante"
	case 1:
		return "1 relevant, merket *"
	}
	return strconv.Itoa(n) + " relevante, merket *"
}

// countNoun is "1 høring", "5 høringer".
func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// withinEnd is where --within d stops, counted from the start of today:
// midnight after the day d reaches, that day included. Whole days are
// counted as calendar days in loc, so a span over a clock change (a day
// of 23 or 25 hours) still ends at midnight, not an hour before or after
// it; what is left of d beyond whole days does not reach another day.
func withinEnd(today time.Time, d time.Duration, loc *time.Location) time.Time {
	days := int(d / (24 * time.Hour))
	t := today.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day()+days+1, 0, 0, 0, 0, loc)
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
