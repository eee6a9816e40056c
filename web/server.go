package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"watcher"
	"watcher/config"
	"watcher/runner"
	"watcher/state"
)

// Options configure a Server. Config, Store and Run are required.
type Options struct {
	Config *config.Config
	Store  *state.Store
	Run    RunFunc
	// Token is the credential from the environment (config serve.token_env,
	// default WATCHER_TOKEN). Empty: no login, and only loopback binds.
	Token   string
	Now     func() time.Time    // default time.Now
	Rand    func(n int64) int64 // jitter source, [0, n); default math/rand/v2
	Log     *slog.Logger        // default slog.Default()
	Version string              // shown in the page footer and /healthz
	// NoSchedule disables the scheduler (runs only when asked for).
	NoSchedule bool
	// ShutdownTimeout bounds how long requests in flight may take to end
	// after the context of Serve is cancelled (default 20s).
	ShutdownTimeout time.Duration
}

// Server is `watcher serve`: the scheduler, the review UI and the
// calendar, health, metrics and backup endpoints over one store.
type Server struct {
	cfg     *config.Config
	store   *state.Store
	loc     *time.Location
	now     func() time.Time
	log     *slog.Logger
	version string
	token   string

	jobs    *jobs
	sched   *Scheduler
	metrics *metrics
	sec     *security
	pages   *pages
	handler http.Handler

	stop      context.CancelFunc
	noSched   bool
	shutdown  time.Duration
	closeOnce sync.Once
}

// New returns a server over opt.Store. It reads the store once to set the
// metrics from the last run and the sources' health.
func New(opt Options) (*Server, error) {
	if opt.Config == nil || opt.Store == nil || opt.Run == nil {
		return nil, errors.New("web: new server: Config, Store and Run are required")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Rand == nil {
		opt.Rand = rand.Int64N
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.ShutdownTimeout <= 0 {
		opt.ShutdownTimeout = 20 * time.Second
	}
	cfg := opt.Config
	loc := cfg.Location()
	expr := cfg.Serve.Schedule
	if expr == "" {
		expr = config.DefaultCron
	}
	sched, err := ParseSchedule(expr, loc)
	if err != nil {
		return nil, fmt.Errorf("serve.schedule: %w", err)
	}
	pg, err := newPages()
	if err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{
		cfg: cfg, store: opt.Store, loc: loc, now: opt.Now, log: opt.Log,
		version: opt.Version, token: opt.Token,
		metrics: newMetrics(), sec: newSecurity(opt.Token, opt.Now), pages: pg,
		stop: stop, noSched: opt.NoSchedule, shutdown: opt.ShutdownTimeout,
	}
	s.jobs = newJobs(ctx, opt.Run, opt.Now, opt.Log)
	s.jobs.begin = func() { s.metrics.running.Set(1) }
	s.jobs.done = s.afterRun
	s.sched = &Scheduler{
		Schedule: sched, Jitter: cfg.Serve.Jitter, Store: opt.Store,
		Sources: s.enabledSources, Now: opt.Now, Rand: opt.Rand,
		Wait: sleepUntil(opt.Now), Log: opt.Log, jobs: s.jobs,
	}
	s.initMetrics()
	s.handler = s.routes()
	return s, nil
}

// Handler returns the HTTP handler with every route and protection.
func (s *Server) Handler() http.Handler { return s.handler }

// Scheduler returns the scheduler (its Wait may be replaced before Serve).
func (s *Server) Scheduler() *Scheduler { return s.sched }

// StartRun starts a run of the given sources (every enabled source when
// only is empty) in the background. It returns ErrBusy when a run is
// going, runner.ErrUnknownSource for an id not configured.
func (s *Server) StartRun(trigger string, only []string) error {
	sources, err := runner.Select(s.cfg, only)
	if err != nil {
		return err
	}
	return s.jobs.Start(trigger, sources, only)
}

// Running returns the run in progress.
func (s *Server) Running() (RunStatus, bool) { return s.jobs.Current() }

// Close stops a run in progress between sources and waits for it to end.
// It is what Serve does last; call it when using Handler without Serve.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.stop()
		s.jobs.Wait()
	})
}

func (s *Server) enabledSources() []watcher.Source {
	out, _ := runner.Select(s.cfg, nil) // no ids: cannot fail
	return out
}

func (s *Server) initMetrics() {
	if r, ok, err := s.store.LastRun(); err == nil && ok {
		s.metrics.setLastRun(r)
	}
	s.refreshGauges()
}

// refreshGauges sets the item count and health gauges from the store.
func (s *Server) refreshGauges() {
	if n, err := s.store.Count(); err == nil {
		s.metrics.items.Set(float64(n))
	} else {
		s.log.Warn("counting items", slog.Any("err", err))
	}
	hs, err := s.store.AllHealth()
	if err != nil {
		s.log.Warn("reading source health", slog.Any("err", err))
		return
	}
	for _, h := range hs {
		s.metrics.setHealth(h)
	}
}

// afterRun updates the metrics when a run ends.
func (s *Server) afterRun(st RunStatus, res *runner.Result) {
	s.metrics.running.Set(0)
	s.metrics.observeRun(st, res)
	s.refreshGauges()
}

// Serve listens on addr and serves until ctx ends, running the schedule
// meanwhile. It refuses a non-loopback addr without a token (see
// CheckAddr). When ctx ends it stops accepting connections, lets requests
// in flight finish (up to ShutdownTimeout), lets a run in progress end
// between sources, and returns. With certFile and keyFile it serves HTTPS.
func (s *Server) Serve(ctx context.Context, addr, certFile, keyFile string) error {
	tokenEnv := s.cfg.Serve.TokenEnv
	if tokenEnv == "" {
		tokenEnv = config.DefaultTokenEnv
	}
	if err := CheckAddr(addr, s.token, tokenEnv); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w", addr, err)
	}
	return s.ServeListener(ctx, ln, certFile, keyFile)
}

// ServeListener is Serve on a listener the caller opened (it is closed on
// return).
func (s *Server) ServeListener(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute, // /backup extends its own deadline
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
	}
	var wg sync.WaitGroup
	schedCtx, stopSched := context.WithCancel(ctx)
	defer stopSched()
	if !s.noSched {
		wg.Go(func() { s.sched.Loop(schedCtx) })
	}
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- srv.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	s.log.Info("serving", slog.String("addr", ln.Addr().String()), slog.Bool("tls", certFile != ""),
		slog.Bool("credentials", s.token != ""), slog.String("schedule", s.sched.Schedule.String()))

	var serveErr error
	select {
	case <-ctx.Done():
		s.log.Info("shutting down: no new connections; a run in progress stops after its current source")
	case serveErr = <-errc:
	}
	// Stop the run first, so it winds down while requests finish.
	s.stop()
	sctx, cancel := context.WithTimeout(context.Background(), s.shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		s.log.Warn("requests still in flight at shutdown were cut", slog.Any("err", err))
	}
	stopSched()
	wg.Wait()
	s.Close()
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return fmt.Errorf("web: serve: %w", serveErr)
	}
	return nil
}
