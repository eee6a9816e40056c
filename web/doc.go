// Package web is `watcher serve`: it runs the daily job on a schedule and
// serves the editor's review UI and the endpoints machines read.
//
// # Runs
//
// A Scheduler fires the job (a RunFunc: crawl, store, alerts, the same job
// `watcher run` runs) at the times of a five-field cron Schedule read in
// the configured zone, each delayed by a random jitter. One run goes at a
// time: a scheduled run waits for a manual one, and "run now" or "check
// now" during a run is refused with ErrBusy. At start, a run missed while
// the process was down (the newest run that covered every enabled source
// began before the schedule's last time) is caught up a minute later.
// Cancelling the context of Serve (SIGTERM) stops accepting connections,
// lets requests finish, and stops a run between sources; each source's
// batch is one transaction, so nothing is half-stored.
//
// # UI
//
// Server-rendered html/template pages in Norwegian bokmål, with the CSS
// and a small keyboard-shortcut script embedded: the triage queue of a
// period (GET /), an item (GET /item), the editor's own entries (GET
// /manual), the digest preview and downloads (GET /preview,
// /preview/digest.html, /download), deadlines (GET /deadlines) and sources
// (GET /sources). Every change is a form POST (/decide, /bulk, /move,
// /manual, /manual/delete, /run, /sources/check) that stores the same
// watcher.Decision records the CLI writes, then redirects back.
//
// # Endpoints
//
// /calendar.ics (open deadlines, alerts.Calendar), /healthz (JSON, 200 or
// 503), /metrics (Prometheus), /backup (a hot copy of the database).
//
// # Protections
//
// Loopback by default; any other address needs a token (CheckAddr).
// Without a token only loopback Host headers are served; with one, every
// route but /healthz, /login and the static files needs the token as a
// bearer token or the login's session cookie. Every state-changing request
// needs a CSRF token (an HMAC of a SameSite=Strict cookie) unless it
// carries the bearer token, and cross-origin POSTs are refused. Every
// response carries a strict CSP without inline script, nosniff,
// no-referrer and frame denial; bodies are capped at 64 KiB.
package web
