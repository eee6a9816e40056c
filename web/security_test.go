package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// statePosts are every state-changing route with a form that would be
// accepted with a valid CSRF token.
var statePosts = map[string]url.Values{
	"/decide":         {"period": {"2026Q3"}, "key": {keyHearing}, "action": {"exclude"}, "reason": {"x"}},
	"/bulk":           {"period": {"2026Q3"}, "key": {keyHearing}, "action": {"reset"}},
	"/move":           {"period": {"2026Q3"}, "key": {keyGlobal}, "dir": {"down"}},
	"/manual":         {"period": {"2026Q3"}, "section": {"egne"}, "heading": {"H"}, "text": {"T"}},
	"/manual/delete":  {"period": {"2026Q3"}, "key": {"manual:web-1"}},
	"/run":            {},
	"/sources/check":  {"source": {"politiet"}},
	"/logout":         {},
	"/login":          {"token": {"x"}},
	"/preview":        {}, // no POST route: still refused before routing
	"/does-not-exist": {},
}

func TestPostWithoutCSRFTokenIsRefused(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	other := f.client() // another browser, with its own cookie and token
	otherToken := other.csrf()
	for path, form := range statePosts {
		t.Run(path, func(t *testing.T) {
			c := f.client()
			good := c.csrf()
			cases := map[string]url.Values{
				"no token":             {},
				"empty token":          {"csrf": {""}},
				"forged token":         {"csrf": {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},
				"another user's token": {"csrf": {otherToken}},
				"cookie value as token": {"csrf": {func() string {
					u, _ := url.Parse(f.ts.URL)
					for _, ck := range c.http.Jar.Cookies(u) {
						if ck.Name == csrfCookie {
							return ck.Value
						}
					}
					return ""
				}()}},
			}
			before, runsBefore := len(must(f.store.Decisions("2026Q3"))), len(f.job.Calls())
			for name, extra := range cases {
				body := url.Values{}
				for k, v := range form {
					body[k] = v
				}
				for k, v := range extra {
					body[k] = v
				}
				if res := c.post(path, body); res.StatusCode != http.StatusForbidden {
					t.Errorf("%s: status %d, want 403", name, res.StatusCode)
				}
			}
			if n := len(must(f.store.Decisions("2026Q3"))); n != before {
				t.Errorf("refused POSTs changed the decisions: %d, want %d", n, before)
			}
			if n := len(f.job.Calls()); n != runsBefore {
				t.Errorf("a refused POST started a run")
			}
			// Without a cookie at all (a cross-site form post, the cookie
			// withheld by SameSite=Strict), the right token is no use either.
			bare := f.client()
			body := url.Values{"csrf": {good}}
			if res := bare.post(path, body); res.StatusCode != http.StatusForbidden {
				t.Errorf("token without its cookie: status %d, want 403", res.StatusCode)
			}
			// With the token, the request gets past the check.
			body = url.Values{"csrf": {good}}
			for k, v := range form {
				body[k] = v
			}
			if res := c.post(path, body); res.StatusCode == http.StatusForbidden {
				t.Errorf("with a valid token: 403 %s", res.Body)
			}
			f.srv.jobs.Wait() // a run it started ends before the next case counts runs
		})
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	form := url.Values{"csrf": {c.csrf()}, "period": {"2026Q3"}, "key": {keyHearing}, "action": {"exclude"}, "reason": {"x"}}
	c.hdr.Set("Sec-Fetch-Site", "cross-site")
	if res := c.post("/decide", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", res.StatusCode)
	}
	c.hdr.Del("Sec-Fetch-Site")
	c.hdr.Set("Origin", "https://evil.example")
	if res := c.post("/decide", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a foreign Origin: %d, want 403", res.StatusCode)
	}
}

func TestCheckAddr(t *testing.T) {
	const token = "0123456789abcdef"
	tests := map[string]struct {
		addr, token string
		wantErr     error
		wantText    string
	}{
		"loopback v4":                   {addr: "127.0.0.1:8080"},
		"loopback v6":                   {addr: "[::1]:8080"},
		"localhost":                     {addr: "localhost:8080"},
		"other loopback":                {addr: "127.0.0.2:9000"},
		"all interfaces without token":  {addr: ":8080", wantErr: ErrNeedCredentials, wantText: "WATCHER_TOKEN"},
		"0.0.0.0 without token":         {addr: "0.0.0.0:8080", wantErr: ErrNeedCredentials},
		"LAN address without token":     {addr: "192.168.1.10:8080", wantErr: ErrNeedCredentials},
		"v6 any without token":          {addr: "[::]:8080", wantErr: ErrNeedCredentials},
		"host name without token":       {addr: "watcher.internal:8080", wantErr: ErrNeedCredentials},
		"all interfaces with token":     {addr: ":8080", token: token},
		"short token even on loopback":  {addr: "127.0.0.1:8080", token: "secret", wantText: "at least 16"},
		"no port":                       {addr: "127.0.0.1", wantText: "missing port"},
		"LAN address with a long token": {addr: "10.0.0.5:443", token: token},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			err := CheckAddr(tc.addr, tc.token, "WATCHER_TOKEN")
			if tc.wantErr == nil && tc.wantText == "" {
				if err != nil {
					t.Fatalf("CheckAddr(%q): %v", tc.addr, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckAddr(%q) = nil, want an error", tc.addr)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error %q lacks %q", err, tc.wantText)
			}
		})
	}
}

// TestServeRefusesNonLoopbackWithoutCredentials: Serve on every interface
// without a token returns at once, having listened on nothing.
func TestServeRefusesNonLoopbackWithoutCredentials(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := f.srv.Serve(ctx, "0.0.0.0:0", "", "")
	if !errors.Is(err, ErrNeedCredentials) {
		t.Fatalf("Serve(0.0.0.0) without a token = %v, want ErrNeedCredentials", err)
	}
	if !strings.Contains(err.Error(), "WATCHER_TOKEN") {
		t.Errorf("the message does not say which variable to set: %v", err)
	}
	if len(f.job.Calls()) != 0 {
		t.Error("a run started although serve refused to start")
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	paths := []string{"/", "/?view=draft", "/item?key=" + keyHearing, "/manual", "/preview", "/deadlines", "/sources",
		"/login", "/healthz", "/metrics", "/calendar.ics", "/static/app.css", "/static/app.js", "/nope"}
	for _, p := range paths {
		res := c.get(p)
		h := res.Header
		if got := h.Get("Content-Security-Policy"); got != pageCSP {
			t.Errorf("%s: CSP %q", p, got)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", p, k, got, want)
			}
		}
	}
	if pageCSP != "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'" {
		t.Errorf("page CSP changed: %s", pageCSP)
	}
	// The preview document is framed by the preview page only and runs
	// nothing.
	res := c.get("/preview/digest.html?period=2026Q3")
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"sandbox", "default-src 'none'", "frame-ancestors 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("preview CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src") {
		t.Errorf("preview CSP allows scripts: %q", csp)
	}
	// No page carries inline script or inline style attributes, which the
	// policy would block.
	for _, p := range []string{"/", "/?view=draft", "/?view=all", "/item?key=" + keyHearing, "/manual", "/preview", "/deadlines", "/sources", "/login"} {
		body := c.get(p).Body
		for _, bad := range []string{"<script>", "<script type", " style=", " onclick=", " onload=", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", p, bad)
			}
		}
	}
}

// TestCrawledTextIsEscaped: a crawled title and summary with markup show
// as text on every page that shows them.
func TestCrawledTextIsEscaped(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	for _, p := range []string{"/", "/?view=all", "/?view=draft", "/item?key=" + keyScript, "/preview/digest.html?period=2026Q3"} {
		body := c.get(p).Body
		if strings.Contains(body, "<script>alert(1)</script>") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s renders crawled markup", p)
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the crawled title as text", p)
		}
	}
	body := c.get("/item?key=" + keyScript).Body
	if !strings.Contains(body, "&lt;img src=x onerror=alert(2)&gt;") {
		t.Error("the crawled summary is not shown escaped on the item page")
	}
}

// TestHostCheck: without credentials, a request whose Host is not
// loopback (DNS rebinding) is refused.
func TestHostCheck(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	for host, want := range map[string]int{
		"127.0.0.1:8080":   http.StatusOK,
		"localhost:8080":   http.StatusOK,
		"[::1]:8080":       http.StatusOK,
		"evil.example":     http.StatusMisdirectedRequest,
		"evil.example:80":  http.StatusMisdirectedRequest,
		"192.168.1.5:8080": http.StatusMisdirectedRequest,
	} {
		req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/sources", nil)
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, res.StatusCode, want)
		}
	}
}

func TestTokenAuthentication(t *testing.T) {
	const token = "correct-horse-battery-staple-42"
	f := newFixture(t, fixtureOpts{token: token})
	c := f.client()

	// Pages redirect to the login form; API calls get 401.
	if res := c.get("/sources"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Fatalf("GET /sources without credentials: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	api := f.client()
	api.hdr.Set("Accept", "application/json")
	for _, p := range []string{"/metrics", "/backup", "/calendar.ics", "/"} {
		if res := api.get(p); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET %s without credentials: %d, want 401", p, res.StatusCode)
		}
	}
	if res := api.get("/healthz"); res.StatusCode == http.StatusUnauthorized {
		t.Error("/healthz needs credentials; monitoring cannot reach it")
	}
	// A wrong bearer token is refused; the right one is let in.
	api.hdr.Set("Authorization", "Bearer "+token+"x")
	if res := api.get("/metrics"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong bearer token: %d", res.StatusCode)
	}
	api.hdr.Set("Authorization", "Bearer "+token)
	if res := api.get("/metrics"); res.StatusCode != http.StatusOK {
		t.Errorf("bearer token: %d", res.StatusCode)
	}
	// The calendar takes its key, for calendar clients.
	if res := f.client().get("/calendar.ics?key=" + f.srv.sec.calKey); res.StatusCode != http.StatusOK {
		t.Errorf("calendar with its key: %d", res.StatusCode)
	}
	if res := f.client().get("/calendar.ics?key=wrong"); res.StatusCode == http.StatusOK {
		t.Error("calendar with a wrong key was served")
	}

	// The login form: a wrong token fails, the right one sets a session.
	login := c.get("/login")
	tok := csrfRE.FindStringSubmatch(login.Body)[1]
	if res := c.post("/login", url.Values{"csrf": {tok}, "token": {"nope"}, "next": {"/sources"}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong token: %d", res.StatusCode)
	}
	res := c.post("/login", url.Values{"csrf": {tok}, "token": {token}, "next": {"/sources"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sources" {
		t.Fatalf("login: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v, want HttpOnly and SameSite=Strict", session)
	}
	if res := c.get("/sources"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Logg ut") {
		t.Fatalf("after login: %d", res.StatusCode)
	}
	// An open redirect through next is not possible.
	res = c.post("/login", url.Values{"csrf": {tok}, "token": {token}, "next": {"//evil.example/"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("login with next=//evil.example/ redirects to %q", loc)
	}
	// The session expires.
	f.now = f.now.Add(sessionTTL + time.Minute)
	if res := c.get("/sources"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("expired session: %d, want a redirect to the login", res.StatusCode)
	}
}

// TestSecureCookiesBeyondLoopback: cookies are marked Secure unless the
// browser talks plain HTTP to loopback.
func TestSecureCookiesBeyondLoopback(t *testing.T) {
	f := newFixture(t, fixtureOpts{token: "correct-horse-battery-staple-42"})
	for host, want := range map[string]bool{"127.0.0.1:8080": false, "watcher.example.no": true} {
		req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/login", nil)
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		var csrf *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == csrfCookie {
				csrf = ck
			}
		}
		if csrf == nil || csrf.Secure != want || csrf.SameSite != http.SameSiteStrictMode || !csrf.HttpOnly {
			t.Errorf("Host %s: CSRF cookie %+v, want Secure=%v, SameSite=Strict, HttpOnly", host, csrf, want)
		}
	}
}

// TestLoginWarnsWithoutTLS: the login page warns that the session cookie
// will not be kept only over plain HTTP beyond loopback; a proxy that says
// the browser used HTTPS, in any case, as the cookies take it, is no such
// case.
func TestLoginWarnsWithoutTLS(t *testing.T) {
	f := newFixture(t, fixtureOpts{token: "correct-horse-battery-staple-42"})
	for _, tc := range []struct {
		host, proto string
		warn        bool
	}{
		{"127.0.0.1:8080", "", false},
		{"watcher.example.no", "", true},
		{"watcher.example.no", "https", false},
		{"watcher.example.no", "HTTPS", false},
	} {
		req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/login", nil)
		req.Host = tc.host
		if tc.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("Host %s: %d %v", tc.host, res.StatusCode, err)
		}
		if warn := strings.Contains(string(body), "Tilkoblingen er ikke kryptert"); warn != tc.warn {
			t.Errorf("Host %s, X-Forwarded-Proto %q: warning shown %v, want %v", tc.host, tc.proto, warn, tc.warn)
		}
	}
}

func TestRequestBodyLimit(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	form := url.Values{"csrf": {c.csrf()}, "period": {"2026Q3"}, "key": {keyHearing}, "action": {"edit"},
		"text": {strings.Repeat("x", maxFormBytes)}}
	if res := c.post("/decide", form); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form: %d, want 413", res.StatusCode)
	}
	// Within the body limit but over the field limit: refused, nothing stored.
	form.Set("text", strings.Repeat("x", maxText+1))
	if msg := c.submit("/decide", form); msg != "too-long" {
		t.Errorf("text over %d characters: msg %q, want too-long", maxText, msg)
	}
	if _, ok := f.decision(keyHearing); ok {
		t.Error("an oversized edit was stored")
	}
}

func TestRedirectsStayLocal(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	for _, back := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example", "/ok\r\nSet-Cookie: x=y"} {
		form := url.Values{"csrf": {c.csrf()}, "period": {"2026Q3"}, "key": {keyHearing}, "action": {"reset"}, "back": {back}}
		res := c.post("/decide", form)
		loc := res.Header.Get("Location")
		u, err := url.Parse(loc)
		if err != nil || u.Host != "" || u.Path != "/" || u.Query().Get("period") != "2026Q3" {
			t.Errorf("back=%q redirects to %q", back, loc)
		}
	}
}
