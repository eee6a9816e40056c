package web

import (
	"cmp"
	"net/http"
	"strings"
	"time"

	"watcher"
	"watcher/alerts"
	"watcher/dates"
)

// soonDays marks a deadline as close on the deadlines page.
const soonDays = 7

type deadlineRow struct {
	Item     watcher.Item
	Source   string
	Ministry string
	DaysLeft int
	Moved    []deadlineMove // when and from which day to which the deadline moved
	Soon     bool           // due within soonDays
}

// deadlineMove is one move of a deadline from one day to another, as
// alerts.DeadlineMove reads the history: a deadline first set, or moved
// within the same day, is no move.
type deadlineMove struct {
	At, From, To time.Time
}

type deadlinesPage struct {
	Rows         []deadlineRow
	RelevantOnly bool
	Calendar     string // the feed's address for calendar clients
}

// openDeadlines returns the consultations whose deadline is today or
// later and that the site has not closed, soonest first.
func (s *Server) openDeadlines() ([]watcher.Item, error) {
	now := s.now().In(s.loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.loc)
	items, err := s.store.Deadlines(today, time.Time{})
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, it := range items {
		if it.Status != watcher.StatusConcluded {
			out = append(out, it)
		}
	}
	return out, nil
}

// handleDeadlines lists the open consultations with a countdown.
func (s *Server) handleDeadlines(w http.ResponseWriter, r *http.Request) {
	items, err := s.openDeadlines()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pg := &deadlinesPage{RelevantOnly: r.URL.Query().Get("relevant") == "1", Calendar: "/calendar.ics"}
	if s.sec.calKey != "" {
		pg.Calendar += "?key=" + s.sec.calKey
	}
	names := map[string]string{}
	for _, src := range s.cfg.Sources {
		names[src.ID] = src.Name
	}
	for _, it := range items {
		if pg.RelevantOnly && !it.Relevance.Relevant {
			continue
		}
		row := deadlineRow{Item: it, Source: cmp.Or(names[it.SourceID], it.SourceID),
			DaysLeft: dates.DaysUntil(s.now(), it.Deadline, s.loc), Ministry: it.Organisation}
		if len(it.Ministries) > 0 {
			row.Ministry = strings.Join(it.Ministries, ", ")
		}
		row.Soon = row.DaysLeft <= soonDays
		if it.Changes > 0 {
			hist, err := s.store.History(it.Key)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			for _, c := range hist {
				if from, to, ok := alerts.DeadlineMove(c, s.loc); ok {
					row.Moved = append(row.Moved, deadlineMove{At: c.At, From: from, To: to})
				}
			}
		}
		pg.Rows = append(pg.Rows, row)
	}
	s.render(w, r, http.StatusOK, "deadlines", s.newView(w, r, "Høringsfrister", "deadlines", pg))
}
