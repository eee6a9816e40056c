package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"watcher"
	"watcher/runner"
)

// healthStates are the values of watcher_source_health's state label.
var healthStates = []watcher.HealthState{
	watcher.HealthHealthy, watcher.HealthQuiet, watcher.HealthDegraded,
	watcher.HealthBroken, watcher.HealthBlocked, watcher.HealthUnreachable,
}

// metrics are the Prometheus series of /metrics, kept in a registry of the
// server's own (no global state) and updated after each run from its report.
type metrics struct {
	reg *prometheus.Registry

	runs        *prometheus.CounterVec // result: ok, partial, failed
	runDuration prometheus.Histogram
	lastRun     prometheus.Gauge
	lastFailed  prometheus.Gauge
	running     prometheus.Gauge
	items       prometheus.Gauge
	newItems    *prometheus.CounterVec // source
	changed     *prometheus.CounterVec // source
	requests    *prometheus.CounterVec // source
	bytes       *prometheus.CounterVec // source
	notModified *prometheus.CounterVec // source
	errors      *prometheus.CounterVec // source, class
	health      *prometheus.GaugeVec   // source, state
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "watcher_runs_total", Help: "Runs finished, by result (ok, partial: some sources failed, failed: the run stopped).",
		}, []string{"result"}),
		runDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "watcher_run_duration_seconds", Help: "Wall time of each run.",
			Buckets: []float64{10, 30, 60, 120, 300, 600, 1200, 1800, 3600},
		}),
		lastRun: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "watcher_last_run_timestamp_seconds", Help: "When the newest run finished (Unix time).",
		}),
		lastFailed: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "watcher_last_run_failed_sources", Help: "Sources that failed in the newest run.",
		}),
		running: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "watcher_run_in_progress", Help: "1 while a run is going.",
		}),
		items: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "watcher_items_stored", Help: "Items in the database after the newest run.",
		}),
		newItems: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "watcher_items_new_total", Help: "Items new to the database, by source.",
		}, []string{"source"}),
		changed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "watcher_items_changed_total", Help: "Known items seen with a change, by source.",
		}, []string{"source"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "watcher_fetch_requests_total", Help: "HTTP requests made (robots.txt excluded), by source.",
		}, []string{"source"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "watcher_fetch_bytes_total", Help: "Body bytes received, by source.",
		}, []string{"source"}),
		notModified: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "watcher_fetch_not_modified_total", Help: "304 Not Modified answers, by source.",
		}, []string{"source"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "watcher_source_errors_total", Help: "Sources that ended a run with an error, by source and error class.",
		}, []string{"source", "class"}),
		health: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "watcher_source_health", Help: "1 for each source's current health state, 0 for the others.",
		}, []string{"source", "state"}),
	}
	m.reg.MustRegister(m.runs, m.runDuration, m.lastRun, m.lastFailed, m.running, m.items,
		m.newItems, m.changed, m.requests, m.bytes, m.notModified, m.errors, m.health,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, r := range []string{"ok", "partial", "failed"} {
		m.runs.WithLabelValues(r) // present from the start, at 0
	}
	return m
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// observeRun adds a finished run to the counters.
func (m *metrics) observeRun(st RunStatus, res *runner.Result) {
	result := "ok"
	switch {
	case st.Err != "":
		result = "failed"
	case st.Failed > 0:
		result = "partial"
	}
	m.runs.WithLabelValues(result).Inc()
	m.runDuration.Observe(st.Finished.Sub(st.Started).Seconds())
	m.lastRun.Set(float64(st.Finished.Unix()))
	m.lastFailed.Set(float64(st.Failed))
	if res == nil {
		return
	}
	for _, s := range res.Report.Sources {
		m.newItems.WithLabelValues(s.SourceID).Add(float64(s.New))
		m.changed.WithLabelValues(s.SourceID).Add(float64(s.Changed))
		m.requests.WithLabelValues(s.SourceID).Add(float64(s.Pages))
		m.bytes.WithLabelValues(s.SourceID).Add(float64(s.Bytes))
		m.notModified.WithLabelValues(s.SourceID).Add(float64(s.NotModified))
		if s.ErrClass != watcher.ErrNone {
			m.errors.WithLabelValues(s.SourceID, string(s.ErrClass)).Inc()
		}
	}
}

// setLastRun sets the last-run gauges from a stored report (at start).
func (m *metrics) setLastRun(r watcher.RunReport) {
	m.lastRun.Set(float64(r.Finished.Unix()))
	m.lastFailed.Set(float64(r.Failed()))
}

// setHealth sets one source's health gauge.
func (m *metrics) setHealth(h watcher.Health) {
	for _, st := range healthStates {
		v := 0.0
		if h.State == st {
			v = 1
		}
		m.health.WithLabelValues(h.SourceID, string(st)).Set(v)
	}
}
