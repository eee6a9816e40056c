package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"watcher/config"
)

// The Content-Security-Policy of every page: no inline script or style,
// nothing from elsewhere, never framed.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// previewCSP is the policy of the digest preview document: it is shown in
// a frame of the preview page, runs no script at all (sandbox without
// allow-scripts), and may carry the digest's own inline styles.
const previewCSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"

// Limits.
const (
	maxFormBytes   = 64 << 10 // request bodies (forms)
	minTokenLength = 16
	sessionTTL     = 12 * time.Hour
	csrfField      = "csrf"
	csrfCookie     = "watcher_csrf"
	sessionCookie  = "watcher_session"
)

// ErrNeedCredentials is returned when serve is asked to bind an address
// other than loopback without a token in the environment.
var ErrNeedCredentials = errors.New("web: refusing to listen beyond this machine without credentials")

// CheckAddr refuses an address other than loopback unless a token is set,
// and a token shorter than 16 characters anywhere. tokenEnv names the
// variable the token comes from, for the message.
func CheckAddr(addr, token, tokenEnv string) error {
	if token != "" && len(token) < minTokenLength {
		return fmt.Errorf("web: the token in %s is %d characters long; use at least %d random characters (e.g. `openssl rand -hex 32`)",
			tokenEnv, len(token), minTokenLength)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("web: listen address %q: %w", addr, err)
	}
	if config.IsLoopback(host) || token != "" {
		return nil
	}
	return fmt.Errorf("%w: %s is not a loopback address; set a token of at least %d random characters in the environment variable %s (e.g. `%s=$(openssl rand -hex 32)`), or bind 127.0.0.1",
		ErrNeedCredentials, addr, minTokenLength, tokenEnv, tokenEnv)
}

// security holds the server's secrets: the token and the keys derived
// from it or drawn at start.
type security struct {
	token      string
	sessionKey []byte // signs session cookies; derived from the token so sessions survive a restart
	csrfKey    []byte // signs CSRF tokens; drawn at start
	calKey     string // the /calendar.ics key for calendar clients that send no credentials
	now        func() time.Time
	fail       func() // called after a failed login (a delay)
}

func newSecurity(token string, now func() time.Time) *security {
	s := &security{token: token, now: now, fail: func() { time.Sleep(time.Second) }}
	s.csrfKey = make([]byte, 32)
	if _, err := rand.Read(s.csrfKey); err != nil {
		panic(fmt.Sprintf("web: no randomness: %v", err)) // crypto/rand never fails on supported systems
	}
	if token != "" {
		s.sessionKey = mac([]byte(token), "watcher session key")
		s.calKey = hex.EncodeToString(mac([]byte(token), "watcher calendar key"))[:32]
	}
	return s
}

func mac(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// authRequired reports whether requests must carry credentials.
func (s *security) authRequired() bool { return s.token != "" }

// bearer reports whether r carries the token as a bearer token.
func (s *security) bearer(r *http.Request) bool {
	if s.token == "" {
		return false
	}
	scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") &&
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(cred)), []byte(s.token)) == 1
}

// checkToken compares a submitted token with the configured one.
func (s *security) checkToken(got string) bool {
	return s.token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1
}

// newSession returns a session cookie value valid for sessionTTL:
// "<expiry unix>.<hmac>".
func (s *security) newSession() string {
	exp := strconv.FormatInt(s.now().Add(sessionTTL).Unix(), 10)
	return exp + "." + base64.RawURLEncoding.EncodeToString(mac(s.sessionKey, "session|"+exp))
}

// session reports whether r carries a valid, unexpired session cookie.
func (s *security) session(r *http.Request) bool {
	if s.token == "" {
		return false
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return false
	}
	exp, sig, ok := strings.Cut(c.Value, ".")
	if !ok {
		return false
	}
	want := base64.RawURLEncoding.EncodeToString(mac(s.sessionKey, "session|"+exp))
	if subtle.ConstantTimeCompare([]byte(sig), []byte(want)) != 1 {
		return false
	}
	n, err := strconv.ParseInt(exp, 10, 64)
	return err == nil && s.now().Before(time.Unix(n, 0))
}

// csrfToken returns the token forms must carry for the browser holding
// cookie value v: an HMAC of it, so a cookie planted by another site is of
// no use without the server's key.
func (s *security) csrfToken(v string) string {
	return base64.RawURLEncoding.EncodeToString(mac(s.csrfKey, "csrf|"+v))
}

// validCSRF reports whether the form's token matches the request's cookie.
func (s *security) validCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	got := r.PostFormValue(csrfField)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrfToken(c.Value))) == 1
}

// ensureCSRFCookie returns the request's CSRF cookie value, setting a new
// one on w when there is none.
func ensureCSRFCookie(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("web: no randomness: %v", err))
	}
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{
		Name: csrfCookie, Value: v, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: secureRequest(r),
	})
	// Let this very response's forms use it.
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: v})
	return v
}

// viaHTTPS reports whether the browser reached us over HTTPS, directly or
// through a proxy that says so.
func viaHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// secureRequest reports whether the browser reached us over HTTPS, or over
// a non-loopback address where cookies must be Secure. Plain HTTP on
// loopback is the one case where a Secure cookie would not come back.
func secureRequest(r *http.Request) bool {
	if viaHTTPS(r) {
		return true
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	return !config.IsLoopback(host)
}

// setHeaders sets the security headers every response carries.
func setHeaders(h http.Header) {
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
}

// isUnsafe reports whether the method changes state.
func isUnsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}
