package alerts

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	gosmtp "github.com/emersion/go-smtp"

	"watcher"
	"watcher/config"
)

const (
	smtpUser     = "alerts"
	smtpPassword = "hemmelig-æøå-42"
)

// received is one message the test server accepted.
type received struct {
	from string
	to   []string
	data []byte
	tls  bool
	user string
}

// mailServer is a real SMTP server (go-smtp) on 127.0.0.1 that offers
// STARTTLS and AUTH PLAIN with a self-signed certificate, or plain SMTP,
// or implicit TLS.
type mailServer struct {
	addr string
	mu   sync.Mutex
	msgs []received
}

type serverMode int

const (
	modeStartTLS serverMode = iota // STARTTLS offered; AUTH only after it
	modePlain                      // no TLS at all
	modeTLS                        // implicit TLS (port 465 style)
)

func startMailServer(t *testing.T, mode serverMode, cert tls.Certificate) *mailServer {
	t.Helper()
	ms := &mailServer{}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(c *gosmtp.Conn) (gosmtp.Session, error) {
		return &session{box: ms, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxRecipients = 10
	srv.AllowInsecureAuth = false
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case modeStartTLS:
		srv.TLSConfig = tlsCfg
	case modeTLS:
		l = tls.NewListener(l, tlsCfg)
	}
	ms.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	return ms
}

func (ms *mailServer) messages() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return slices.Clone(ms.msgs)
}

type session struct {
	box  *mailServer
	conn *gosmtp.Conn
	user string
	from string
	to   []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != smtpUser || password != smtpPassword {
			return errors.New("invalid credentials")
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *gosmtp.MailOptions) error { s.from = from; return nil }

func (s *session) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, received{from: s.from, to: s.to, data: data, tls: isTLS, user: s.user})
	s.box.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool
// that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "watcher test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

func smtpChannel(t *testing.T, addr string, c config.Channel, password string, roots *x509.CertPool) *SMTP {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	c.Name, c.Type, c.Host = "epost", "smtp", host
	c.Port, _ = strconv.Atoi(port)
	c.From = "Watcher – høringsvarsler <watcher@example.org>"
	c.To = []string{"Koordineringsenheten <kom@example.org>", "postmottak@example.org"}
	ch, err := NewSMTP(c, password, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if roots != nil {
		ch.TLSConfig = &tls.Config{RootCAs: roots}
	}
	ch.Timeout = 10 * time.Second
	ch.Now = func() time.Time { return at(2023, 10, 30, 9) }
	return ch
}

func newHearingAlert(t *testing.T) watcher.Alert {
	t.Helper()
	it := hearing("regjeringen:3167072",
		"Høring – særlige tiltak for ofre for menneskehandel og tvangsarbeid på sjøen", day(2023, 11, 6))
	a, ok := find(Plan(PlanInput{Now: at(2023, 10, 30, 9), New: []watcher.Item{it}}), "new:regjeringen:3167072")
	if !ok {
		t.Fatal("no new-hearing alert")
	}
	return a
}

// TestSMTPDelivery sends a real message to a real SMTP server over
// STARTTLS with AUTH PLAIN, and reads it back: envelope, headers, the
// RFC 2047 subject and the quoted-printable body with æøå intact.
func TestSMTPDelivery(t *testing.T) {
	cert, roots := selfSigned(t)
	ms := startMailServer(t, modeStartTLS, cert)
	ch := smtpChannel(t, ms.addr, config.Channel{Username: smtpUser}, smtpPassword, roots)
	a := newHearingAlert(t)
	if err := ch.Send(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	msgs := ms.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages arrived", len(msgs))
	}
	got := msgs[0]
	if !got.tls || got.user != smtpUser {
		t.Errorf("tls %t, user %q: want STARTTLS and AUTH", got.tls, got.user)
	}
	if got.from != "watcher@example.org" || !slices.Equal(got.to, []string{"kom@example.org", "postmottak@example.org"}) {
		t.Errorf("envelope from %q to %q", got.from, got.to)
	}
	checkMessage(t, got.data, a)
}

// checkMessage parses a received message and checks it against a.
func checkMessage(t *testing.T, data []byte, a watcher.Alert) {
	t.Helper()
	for i, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(line) > 0 && !bytes.HasSuffix(line, []byte("\r\n")) && i < bytes.Count(data, []byte("\n")) {
			t.Errorf("line %d does not end in CRLF: %q", i+1, line)
		}
		if len(line) > 78+2 {
			t.Errorf("line %d is %d octets long: %q", i+1, len(line), line)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	rawSubject := h.Get("Subject")
	if !strings.HasPrefix(rawSubject, "=?UTF-8?q?") {
		t.Errorf("subject not RFC 2047 encoded: %q", rawSubject)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(rawSubject)
	if err != nil || subject != a.Subject || !strings.HasPrefix(subject, "Ny høring: Høring – særlige tiltak") {
		t.Errorf("subject %q (%v), want %q", subject, err, a.Subject)
	}
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil || from.Name != "Watcher – høringsvarsler" || from.Address != "watcher@example.org" {
		t.Errorf("from %+v %v", from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Name != "Koordineringsenheten" || to[1].Address != "postmottak@example.org" {
		t.Errorf("to %v %v", to, err)
	}
	if date, err := h.Date(); err != nil || !date.Equal(at(2023, 10, 30, 9)) {
		t.Errorf("date %v %v", date, err)
	}
	if id := h.Get("Message-ID"); !regexp.MustCompile(`^<[0-9a-f]{32}@example\.org>$`).MatchString(id) {
		t.Errorf("message-id %q", id)
	}
	for k, v := range map[string]string{
		"MIME-Version":              "1.0",
		"Content-Type":              "text/plain; charset=UTF-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Auto-Submitted":            "auto-generated",
		"X-Watcher-Alert":           "new_hearing",
	} {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(body), "\r\n", "\n")
	if text != a.Body {
		t.Errorf("body\n got %q\nwant %q", text, a.Body)
	}
	if !strings.Contains(text, "særlige tiltak") || !strings.Contains(text, "på sjøen") ||
		!strings.Contains(text, "Høringsfrist 6. november 2023 (om 7 dager).") {
		t.Errorf("body lost its letters or date: %q", text)
	}
}

func TestSMTPPolicies(t *testing.T) {
	cert, roots := selfSigned(t)
	tests := map[string]struct {
		mode     serverMode
		cfg      config.Channel
		password string
		roots    *x509.CertPool
		wantErr  string // "" = delivered
		wantTLS  bool
	}{
		"implicit TLS with auth": {
			mode: modeTLS, cfg: config.Channel{TLS: true, Username: smtpUser}, password: smtpPassword, roots: roots, wantTLS: true,
		},
		"STARTTLS without auth": {
			mode: modeStartTLS, roots: roots, wantTLS: true,
		},
		"STARTTLS required, not offered": {
			mode: modePlain, wantErr: "does not offer STARTTLS",
		},
		"opportunistic, not offered": {
			mode: modePlain, cfg: config.Channel{StartTLS: StartTLSOpportunistic},
		},
		"opportunistic, offered": {
			mode: modeStartTLS, cfg: config.Channel{StartTLS: StartTLSOpportunistic}, roots: roots, wantTLS: true,
		},
		"no password without TLS": {
			mode: modePlain, cfg: config.Channel{StartTLS: StartTLSOpportunistic, Username: smtpUser}, password: smtpPassword,
			wantErr: "refusing to send the password",
		},
		"none on loopback": {
			mode: modeStartTLS, cfg: config.Channel{StartTLS: StartTLSNone},
		},
		"wrong password": {
			mode: modeStartTLS, cfg: config.Channel{Username: smtpUser}, password: "feil", roots: roots, wantErr: "auth",
		},
		"untrusted certificate": {
			mode: modeStartTLS, wantErr: "certificate",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ms := startMailServer(t, tc.mode, cert)
			ch := smtpChannel(t, ms.addr, tc.cfg, tc.password, tc.roots)
			err := ch.Send(context.Background(), newHearingAlert(t))
			msgs := ms.messages()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want one containing %q", err, tc.wantErr)
				}
				if len(msgs) != 0 {
					t.Errorf("%d messages arrived", len(msgs))
				}
				if err != nil && strings.Contains(err.Error(), tc.password) && tc.password != "" {
					t.Errorf("error reveals the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 1 || msgs[0].tls != tc.wantTLS {
				t.Fatalf("messages %+v, want one with tls %t", msgs, tc.wantTLS)
			}
		})
	}
}

func TestSMTPUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ch := smtpChannel(t, addr, config.Channel{}, "", nil)
	if err := ch.Send(context.Background(), newHearingAlert(t)); err == nil || !strings.Contains(err.Error(), "smtp epost via "+addr) {
		t.Errorf("error %v", err)
	}
}

func TestNewSMTPErrors(t *testing.T) {
	base := config.Channel{Name: "e", Type: "smtp", Host: "smtp.example.org", From: "watcher@example.org", To: []string{"kom@example.org"}}
	tests := map[string]struct {
		edit func(c *config.Channel)
		want string
	}{
		"no host":         {func(c *config.Channel) { c.Host = "" }, "host"},
		"bad from":        {func(c *config.Channel) { c.From = "not an address" }, "from"},
		"no recipients":   {func(c *config.Channel) { c.To = nil }, "recipients"},
		"bad recipient":   {func(c *config.Channel) { c.To = []string{"kom@"} }, "to"},
		"bad port":        {func(c *config.Channel) { c.Port = 70000 }, "port"},
		"unknown policy":  {func(c *config.Channel) { c.StartTLS = "maybe" }, "unknown starttls"},
		"none off-host":   {func(c *config.Channel) { c.StartTLS = StartTLSNone }, "loopback"},
		"none off-host 2": {func(c *config.Channel) { c.StartTLS, c.Host = StartTLSNone, "10.0.0.1" }, "loopback"},
	}
	for name, tc := range tests {
		c := base
		tc.edit(&c)
		if _, err := NewSMTP(c, "", quiet); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		tls  bool
		want string
	}{{false, "smtp.example.org:587"}, {true, "smtp.example.org:465"}} {
		c := base
		c.TLS = tc.tls
		ch, err := NewSMTP(c, "", quiet)
		if err != nil || ch.addr != tc.want {
			t.Errorf("tls %t: addr %v %v, want %s", tc.tls, ch, err, tc.want)
		}
	}
	// Hosts that configuration validation lets use starttls none are
	// accepted here too, so a valid configuration does not fail at start.
	for _, host := range []string{"localhost", "LocalHost", "127.0.0.1", "::1"} {
		c := base
		c.StartTLS, c.Host = StartTLSNone, host
		if !config.IsLoopback(host) {
			t.Errorf("config.IsLoopback(%q) = false", host)
		}
		if _, err := NewSMTP(c, "", quiet); err != nil {
			t.Errorf("starttls none on %s: %v", host, err)
		}
	}
}

// TestMessageIDStable: a repeat after a crash carries the same Message-ID.
func TestMessageIDStable(t *testing.T) {
	c := config.Channel{Name: "e", Host: "smtp.example.org", From: "watcher@example.org", To: []string{"kom@example.org"}}
	ch, err := NewSMTP(c, "", quiet)
	if err != nil {
		t.Fatal(err)
	}
	a := newHearingAlert(t)
	id := func(m []byte) string {
		msg, err := mail.ReadMessage(bytes.NewReader(m))
		if err != nil {
			t.Fatal(err)
		}
		return msg.Header.Get("Message-ID")
	}
	first := id(ch.Message(a))
	ch.Now = func() time.Time { return time.Now().Add(time.Hour) }
	if again := id(ch.Message(a)); again != first {
		t.Errorf("message-id %s, then %s", first, again)
	}
	b := a
	b.Key = "reminder:x"
	if other := id(ch.Message(b)); other == first {
		t.Error("two alerts share a message-id")
	}
}
