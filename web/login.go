package web

import (
	"log/slog"
	"net/http"
)

type loginPage struct {
	Next     string
	Failed   bool
	NoTLS    bool // the browser would drop the Secure session cookie
	Disabled bool // no token configured: nothing to log in to
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", s.newView(w, r, "Logg inn", "", s.loginPage(r, false)))
}

func (s *Server) loginPage(r *http.Request, failed bool) *loginPage {
	next := r.FormValue("next")
	if !localPath(next) {
		next = "/"
	}
	return &loginPage{
		Next: next, Failed: failed, Disabled: !s.sec.authRequired(),
		NoTLS: s.sec.authRequired() && !viaHTTPS(r) && secureRequest(r),
	}
}

// handleLogin checks the token and sets the session cookie.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if !s.sec.authRequired() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if !s.sec.checkToken(r.PostFormValue("token")) {
		s.log.Warn("failed login", slog.String("remote", r.RemoteAddr))
		s.sec.fail()
		s.render(w, r, http.StatusUnauthorized, "login", s.newView(w, r, "Logg inn", "", s.loginPage(r, true)))
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: s.sec.newSession(), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secureRequest(r), MaxAge: int(sessionTTL.Seconds()),
	})
	next := r.PostFormValue("next")
	if !localPath(next) {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// handleLogout removes the session cookie.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secureRequest(r)})
	http.Redirect(w, r, "/login?msg=logged-out", http.StatusSeeOther)
}
