package web

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"

	"watcher/config"
)

// routes returns the mux wrapped in the protections, outermost first:
// security headers and panic recovery, the request body limit, the Host
// check (without credentials), the cross-origin check, authentication and
// the CSRF token.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleQueue)
	mux.HandleFunc("GET /item", s.handleItem)
	mux.HandleFunc("POST /decide", s.handleDecide)
	mux.HandleFunc("POST /bulk", s.handleBulk)
	mux.HandleFunc("POST /move", s.handleMove)
	mux.HandleFunc("GET /manual", s.handleManual)
	mux.HandleFunc("POST /manual", s.handleManualSave)
	mux.HandleFunc("POST /manual/delete", s.handleManualDelete)
	mux.HandleFunc("GET /preview", s.handlePreview)
	mux.HandleFunc("GET /preview/digest.html", s.handlePreviewDocument)
	mux.HandleFunc("GET /download", s.handleDownload)
	mux.HandleFunc("GET /deadlines", s.handleDeadlines)
	mux.HandleFunc("GET /sources", s.handleSources)
	mux.HandleFunc("POST /sources/check", s.handleCheck)
	mux.HandleFunc("POST /run", s.handleRun)
	mux.HandleFunc("GET /calendar.ics", s.handleCalendar)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.HandleFunc("GET /backup", s.handleBackup)
	mux.HandleFunc("GET /login", s.handleLoginForm)
	mux.HandleFunc("POST /login", s.handleLogin)
	mux.HandleFunc("POST /logout", s.handleLogout)
	mux.Handle("GET /static/", staticHandler())

	var h http.Handler = mux
	h = s.csrfCheck(h)
	h = s.authenticate(h)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.forbidden(w, r, "Forespørselen kom fra et annet nettsted og ble avvist.")
	}))
	h = cop.Handler(h)
	h = s.hostCheck(h)
	h = limitBody(h)
	h = s.headers(h)
	return h
}

// headers sets the security headers and turns a panic into a 500.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w.Header())
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("handler panicked", slog.String("path", r.URL.Path), slog.Any("panic", p))
				http.Error(w, "intern feil", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies; forms are small.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// hostCheck: without credentials the server trusts whoever can reach it,
// which must be this machine only. A Host header that does not name a
// loopback address is a page elsewhere reaching in through DNS
// rebinding, and is refused.
func (s *Server) hostCheck(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.sec.authRequired() {
			host, _, err := net.SplitHostPort(r.Host)
			if err != nil {
				host = r.Host
			}
			if !config.IsLoopback(host) {
				http.Error(w, "ukjent vertsnavn: uten innlogging svarer watcher bare på localhost", http.StatusMisdirectedRequest)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// publicPath reports whether a path is served without credentials.
func publicPath(p string) bool {
	return p == "/healthz" || p == "/login" || strings.HasPrefix(p, "/static/")
}

// authenticate requires the token (as a bearer token or through the login
// form's session cookie) when one is configured. /calendar.ics also takes
// the calendar key, for calendar clients that cannot send credentials.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.sec.authRequired() || publicPath(r.URL.Path) || s.sec.bearer(r) || s.sec.session(r) ||
			(r.URL.Path == "/calendar.ics" && s.sec.calKey != "" && r.URL.Query().Get("key") == s.sec.calKey) {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet && wantsHTML(r) {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="watcher"`)
		http.Error(w, "innlogging kreves", http.StatusUnauthorized)
	})
}

// csrfCheck refuses a state-changing request without the form's CSRF
// token, unless it carries the bearer token (no cookie is involved then).
// It also gives every browser a CSRF cookie.
func (s *Server) csrfCheck(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isUnsafe(r.Method) {
			if wantsHTML(r) && !strings.HasPrefix(r.URL.Path, "/static/") {
				ensureCSRFCookie(w, r)
			}
			next.ServeHTTP(w, r)
			return
		}
		if s.sec.bearer(r) {
			next.ServeHTTP(w, r)
			return
		}
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "forespørselen er for stor", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "ugyldig skjema", http.StatusBadRequest)
			return
		}
		if !s.sec.validCSRF(r) {
			s.forbidden(w, r, "Skjemaet manglet et gyldig sikkerhetsmerke (CSRF). Last siden på nytt og prøv igjen.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// wantsHTML reports whether the client is a browser asking for a page.
func wantsHTML(r *http.Request) bool {
	a := r.Header.Get("Accept")
	return a == "" || strings.Contains(a, "text/html") || strings.Contains(a, "*/*")
}

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, msg string) {
	s.log.Warn("request refused", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("reason", msg))
	s.renderStatus(w, r, http.StatusForbidden, "Ikke tillatt", msg)
}
