package web

import (
	"net/http"
	"time"

	"watcher"
)

type sourceRow struct {
	Source watcher.Source
	Health watcher.Health
}

type runRow struct {
	Report   watcher.RunReport
	Duration time.Duration
	New      int
	Changed  int
	Failed   int
}

type sourcesPage struct {
	Rows    []sourceRow
	Runs    []runRow
	Last    *RunStatus // the last run this process finished
	Back    string
	Healthy int
}

// handleSources shows each source's health, last success, cadence and
// last error, with "sjekk nå", and the recent runs.
func (s *Server) handleSources(w http.ResponseWriter, r *http.Request) {
	hs, err := s.store.AllHealth()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	byID := map[string]watcher.Health{}
	for _, h := range hs {
		byID[h.SourceID] = h
	}
	pg := &sourcesPage{Back: r.URL.RequestURI()}
	for _, src := range s.cfg.Sources {
		h := byID[src.ID]
		pg.Rows = append(pg.Rows, sourceRow{Source: src, Health: h})
		if h.State == watcher.HealthHealthy || h.State == watcher.HealthQuiet {
			pg.Healthy++
		}
	}
	runs, err := s.store.Runs(10)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, rep := range runs {
		row := runRow{Report: rep, Failed: rep.Failed(), Duration: rep.Finished.Sub(rep.Started).Round(time.Second)}
		for _, l := range rep.Sources {
			row.New += l.New
			row.Changed += l.Changed
		}
		pg.Runs = append(pg.Runs, row)
	}
	if st, ok := s.jobs.Last(); ok {
		pg.Last = &st
	}
	s.render(w, r, http.StatusOK, "sources", s.newView(w, r, "Kilder", "sources", pg))
}
