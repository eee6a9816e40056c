package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"watcher"
	"watcher/alerts"
	"watcher/crawlers/fetch"
	"watcher/relevance"
	"watcher/runner"
	"watcher/state"
)

func cmdRun(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("run", "")
	only := fs.String("only", "", "comma-separated source ids to run (default: every enabled source)")
	archive := fs.String("archive", "", "write every response of the run to a WARC file in this directory")
	var replay stringList
	fs.Var(&replay, "replay", "answer requests from this WARC file instead of the network (repeatable)")
	noAlerts := fs.Bool("no-alerts", false, "store only: plan no alerts and send none")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: run takes no arguments (got %q)", errUsage, fs.Args())
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	sources, err := runner.Select(m.Config, splitList(*only))
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if !*noAlerts {
		// A channel that cannot be built (its secret's variable unset) is
		// a configuration error: found now, not after the crawl, when it
		// could only be logged and every alert would stay undelivered.
		if _, err := alerts.NewChannels(m.Config.Alerts.Channels, m.Getenv, io.Discard, m.Log); err != nil {
			return fmt.Errorf("%w (or run with --no-alerts to store only)", err)
		}
	}
	if m.Config.ContactIsPlaceholder() && len(replay) == 0 {
		m.Log.Warn("the User-Agent carries the placeholder contact address; set `contact:` in your configuration so site owners can reach you")
	}
	if err := m.openStore(false); err != nil {
		return err
	}
	job := &Job{Main: m, Archive: *archive, Replay: replay, NoAlerts: *noAlerts}
	res, err := job.Run(ctx, sources)
	if res != nil {
		printReport(m.Stdout, res.Report)
	}
	if err != nil {
		return err
	}
	if ctx.Err() != nil {
		// Stopped by a signal: the sources it cut short or never
		// started did not fail, and the exit status says interrupted.
		return fmt.Errorf("run stopped before it finished (what was crawled is stored): %w", context.Cause(ctx))
	}
	if n, all := res.Report.Failed(), len(res.Report.Sources); n == 1 && all == 1 {
		return fmt.Errorf("%w: the source failed", errPartial)
	} else if n == all && n > 0 {
		return fmt.Errorf("%w: all %d sources failed; if they fail the same way, check this machine's network first", errPartial, n)
	} else if n > 0 {
		return fmt.Errorf("%w: %d of %d sources failed (the others were stored)", errPartial, n, all)
	}
	return nil
}

// Job is the daily job: crawl, store, plan and deliver alerts. `watcher run`
// and the scheduler of `watcher serve` both use it.
type Job struct {
	Main     *Main
	Archive  string
	Replay   []string
	NoAlerts bool
	// Quiet draws no progress line, even on a terminal (serve sets it).
	Quiet bool
}

// Run runs the job once over sources.
func (j *Job) Run(ctx context.Context, sources []watcher.Source) (*runner.Result, error) {
	m := j.Main
	cfg := m.Config
	st := m.Store
	f, err := fetch.New(fetch.Options{
		UserAgent:  cfg.UserAgentString(),
		HostDelay:  cfg.HostDelay,
		Timeout:    cfg.Timeout,
		BodyCap:    cfg.BodyCap,
		MaxRetries: fetchRetries(cfg.MaxRetries),
		Validators: st.Validator,
		Robots: func(host string) (fetch.RobotsEntry, bool) {
			status, body, at, ok := st.Robots(host)
			return fetch.RobotsEntry{Host: host, Status: status, Body: body, FetchedAt: at}, ok
		},
		ArchiveDir: j.Archive,
		Replay:     j.Replay,
		Now:        m.Now,
		Log:        m.Log,
	})
	if err != nil {
		return nil, fmt.Errorf("fetcher: %w", err)
	}
	defer func() {
		if err := f.Close(); err != nil {
			m.Log.Error("closing the WARC archive", slog.Any("err", err))
		}
	}()
	scorer, err := relevance.New(cfg.Topics)
	if err != nil {
		return nil, fmt.Errorf("topic profile: %w", err)
	}
	r := &runner.Runner{Cfg: cfg, Store: st, Fetcher: f, Scorer: scorer, Now: m.Now, Log: m.Log}
	// Hold only the new items that alerts can use, not all of them.
	if j.NoAlerts {
		r.KeepNew = func(*watcher.Item) bool { return false }
	} else {
		included, err := includedKeys(st)
		if err != nil {
			return nil, err
		}
		r.KeepNew = func(it *watcher.Item) bool { return alerts.Announceable(it, included) }
	}
	if !j.Quiet && isTerminal(m.Stderr) {
		r.Progress = progressLine(m.Stderr)
	}
	res, err := r.Run(ctx, sources)
	if err != nil {
		return res, err
	}
	if j.NoAlerts {
		if err := markPlanned(st, res.Report.Started); err != nil {
			m.Log.Error("alerts", slog.Any("err", err))
		}
		return res, nil
	}
	if err := j.alert(ctx, res); err != nil {
		// Alerts that could not be planned or sent stay in the outbox for
		// the next run; the crawl itself succeeded.
		m.Log.Error("alerts", slog.Any("err", err))
	}
	return res, nil
}

func (j *Job) alert(ctx context.Context, res *runner.Result) error {
	m := j.Main
	cfg := m.Config
	// A run killed before its alerts leaves items no later run sees as new.
	if err := catchUp(m.Store, res, cfg.Sources); err != nil {
		m.Log.Warn("could not look for the alerts of an interrupted run", slog.Any("err", err))
	}
	now := m.Now()
	loc := cfg.Location()
	open, err := m.Store.Deadlines(startOfDay(now, loc), time.Time{})
	if err != nil {
		return fmt.Errorf("read deadlines: %w", err)
	}
	// Consultations the editor included count as relevant for reminders.
	included, err := includedKeys(m.Store)
	if err != nil {
		return err
	}
	in := alerts.PlanInput{
		Included:  included,
		Now:       now,
		Loc:       loc,
		Reminders: cfg.Alerts.Reminders,
		New:       res.New,
		Changes:   res.Changes,
		Changed:   res.Changed,
		Open:      open,
	}
	for _, hc := range res.Health {
		in.Health = append(in.Health, alerts.HealthChange{
			SourceID: hc.Source.ID, Name: hc.Source.Name, From: hc.From, To: hc.To.State,
			At: hc.To.Since, Detail: alerts.HealthDetail(hc.To.LastErrClass, hc.To.LastError),
		})
	}
	planned := append(alerts.Plan(in), plannedMarker(res.Report.Started))
	if _, err := m.Store.EnqueueAlerts(planned, alerts.Routes(cfg.Alerts)); err != nil {
		return fmt.Errorf("enqueue alerts: %w", err)
	}
	chans, err := alerts.NewChannels(cfg.Alerts.Channels, m.Getenv, m.Stdout, m.Log)
	if err != nil {
		return fmt.Errorf("alert channels: %w", err)
	}
	sent, failed, err := alerts.Deliver(ctx, m.Store, chans, now, m.Log)
	m.Log.Info("alerts", slog.Int("planned", len(planned)-1), slog.Int("sent", sent), slog.Int("failed", failed))
	return err
}

// includedKeys returns the keys of the items the editor included.
func includedKeys(st *state.Store) (map[string]bool, error) {
	decisions, err := st.Decisions("")
	if err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	included := map[string]bool{}
	for _, d := range decisions {
		if d.State == watcher.DecisionInclude {
			included[d.Key] = true
		}
	}
	return included, nil
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// printReport writes the per-source table and the totals.
func printReport(w io.Writer, r watcher.RunReport) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "source\tnew\tchanged\tunchanged\tpages\t304\tbytes\ttime\thealth\terror\t")
	var tot watcher.SourceReport
	for _, s := range r.Sources {
		errText := string(s.ErrClass)
		if errText == "" && len(s.Problems) > 0 {
			errText = fmt.Sprintf("%d problems", len(s.Problems))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t\n", s.SourceID, s.New, s.Changed, s.Unchanged,
			s.Pages, s.NotModified, byteSize(s.Bytes), s.Duration.Round(time.Millisecond), orDash(string(s.Health)), orDash(errText))
		tot.New += s.New
		tot.Changed += s.Changed
		tot.Unchanged += s.Unchanged
		tot.Pages += s.Pages
		tot.NotModified += s.NotModified
		tot.Bytes += s.Bytes
	}
	failed := r.Failed()
	fmt.Fprintf(tw, "total (%d sources, %d failed)\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\t\t\n", len(r.Sources), failed,
		tot.New, tot.Changed, tot.Unchanged, tot.Pages, tot.NotModified, byteSize(tot.Bytes), r.Finished.Sub(r.Started).Round(time.Millisecond))
	tw.Flush()
	for _, s := range r.Sources {
		if s.Error != "" {
			fmt.Fprintf(w, "%s: %s\n", s.SourceID, s.Error)
		}
		for _, p := range s.Problems {
			fmt.Fprintf(w, "%s: %s\n", s.SourceID, p)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%d B", n)
	}
}

// progressLine draws "[3/12] source" on one terminal line.
func progressLine(w io.Writer) func(runner.ProgressEvent) {
	var mu sync.Mutex
	return func(ev runner.ProgressEvent) {
		mu.Lock()
		defer mu.Unlock()
		if ev.Done && ev.Finished == ev.Total {
			fmt.Fprint(w, "\r\033[K")
			return
		}
		if ev.Done {
			fmt.Fprintf(w, "\r\033[K[%d/%d] %s done", ev.Finished, ev.Total, ev.SourceID)
		}
	}
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	if _, err := os.Stat(v); err != nil {
		return err
	}
	*s = append(*s, v)
	return nil
}

// fetchRetries maps the configuration's max_retries, where 0 means no
// retry, to the fetcher's option, where 0 means its default and a
// negative value means no retry.
func fetchRetries(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
