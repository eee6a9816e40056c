package web

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"watcher/alerts"
)

// CalendarProdID is the PRODID of /calendar.ics, the same as `watcher
// deadlines --ics` writes.
const CalendarProdID = "-//watcher//høringsfrister//NO"

// staleGrace is how long after a scheduled time (plus jitter) a run may
// take to finish before /healthz calls the data stale.
const staleGrace = 2 * time.Hour

// handleCalendar serves the open consultations' deadlines as iCalendar.
func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) {
	items, err := s.openDeadlines()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	b, err := alerts.Calendar(items, s.now(), s.loc, CalendarProdID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="hoeringsfrister.ics"`)
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

// Health is the JSON document of /healthz.
type Health struct {
	Status        string    `json:"status"` // ok, stale, failed, no_runs
	Process       string    `json:"process"`
	Version       string    `json:"version,omitempty"`
	Running       bool      `json:"running"`
	LastRun       time.Time `json:"last_run,omitzero"`
	LastFinished  time.Time `json:"last_run_finished,omitzero"`
	Sources       int       `json:"sources"`
	FailedSources int       `json:"failed_sources"`
	NextRun       time.Time `json:"next_run,omitzero"`
	Message       string    `json:"message,omitempty"`
}

// health works out /healthz from the newest complete run (one that
// covered every enabled source; a "sjekk nå" of one source does not
// count): ok when it is recent (it started after the schedule's last
// firing that, with the jitter and a grace for the run itself, should have
// finished by now) and not every source in it failed.
func (s *Server) health() (Health, int) {
	h := Health{Process: "ok", Version: s.version}
	_, h.Running = s.jobs.Current()
	if !s.noSched {
		h.NextRun = s.sched.Next()
	}
	last, ok, err := s.sched.LastComplete()
	if err != nil {
		h.Status, h.Message = "failed", "the run history could not be read"
		s.log.Error("healthz: reading the last run", slog.Any("err", err))
		return h, http.StatusServiceUnavailable
	}
	// A run that could not happen at all (the store failed) leaves no
	// report; it is news now, not once the last good run has gone stale.
	if job, done := s.jobs.Last(); done && job.Err != "" && (!ok || job.Started.After(last.Started)) {
		if ok {
			h.LastRun, h.LastFinished = last.Started, last.Finished
			h.Sources, h.FailedSources = len(last.Sources), last.Failed()
		}
		h.Status, h.Message = "failed", "the last run failed: "+job.Err
		return h, http.StatusServiceUnavailable
	}
	if !ok {
		h.Status, h.Message = "no_runs", "no run of every source has finished yet"
		return h, http.StatusServiceUnavailable
	}
	h.LastRun, h.LastFinished = last.Started, last.Finished
	h.Sources, h.FailedSources = len(last.Sources), last.Failed()
	due := s.sched.Schedule.Prev(s.now().Add(-s.cfg.Serve.Jitter - staleGrace))
	switch {
	case h.Sources > 0 && h.FailedSources == h.Sources:
		h.Status, h.Message = "failed", "every source failed in the last run"
	case !due.IsZero() && last.Started.Before(due):
		h.Status, h.Message = "stale", fmt.Sprintf("no run since the one scheduled for %s", due.Format(time.RFC3339))
	default:
		h.Status = "ok"
		return h, http.StatusOK
	}
	return h, http.StatusServiceUnavailable
}

// handleHealth serves /healthz for monitoring.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	h, code := s.health()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(h)
}

// handleBackup streams a consistent copy of the database from one read
// transaction while runs and edits go on: `curl -H "Authorization: Bearer
// $WATCHER_TOKEN" http://127.0.0.1:8080/backup > watcher.db`.
func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request) {
	// A large database may take longer than the server's write timeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Hour))
	name := "watcher-" + s.now().In(s.loc).Format("2006-01-02T1504") + ".db"
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	n, err := s.store.Backup(w)
	if err != nil {
		// Headers are gone; cut the connection so the client sees a
		// truncated body rather than a short file it might trust.
		s.log.Error("backup failed", slog.Int64("bytes", n), slog.Any("err", err))
		panic(http.ErrAbortHandler)
	}
	s.log.Info("backup sent", slog.Int64("bytes", n))
}
