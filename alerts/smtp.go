package alerts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"slices"
	"strconv"
	"strings"
	"time"

	"watcher"
	"watcher/config"
)

// STARTTLS policies (config.Channel.StartTLS).
const (
	StartTLSRequired      = "required"      // the default: refuse a server that does not offer it
	StartTLSOpportunistic = "opportunistic" // use it when offered
	StartTLSNone          = "none"          // never; only to a loopback address
)

// SMTP sends each alert as a plain-text e-mail, one SMTP conversation per
// alert, to every configured recipient.
type SMTP struct {
	name      string
	host      string
	addr      string // host:port
	username  string
	password  string
	from      *mail.Address
	to        []*mail.Address
	startTLS  string
	tls       bool // implicit TLS
	heloName  string
	log       *slog.Logger
	TLSConfig *tls.Config      // nil: the system roots, checked against host
	Timeout   time.Duration    // for one whole conversation (default 30s)
	Now       func() time.Time // for the Date header (default time.Now)
}

// NewSMTP returns an e-mail channel. password is the value of the
// variable password_env names; it is sent only over TLS, with AUTH PLAIN.
func NewSMTP(c config.Channel, password string, log *slog.Logger) (*SMTP, error) {
	if c.Host == "" {
		return nil, errors.New("host is required")
	}
	port := c.Port
	switch {
	case port == 0 && c.TLS:
		port = 465
	case port == 0:
		port = 587
	case port < 0 || port > 65535:
		return nil, fmt.Errorf("bad port %d", port)
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("from %q: %w", c.From, err)
	}
	if len(c.To) == 0 {
		return nil, errors.New("no recipients (to)")
	}
	var to []*mail.Address
	for _, s := range c.To {
		list, err := mail.ParseAddressList(s)
		if err != nil {
			return nil, fmt.Errorf("to %q: %w", s, err)
		}
		to = append(to, list...)
	}
	policy := c.StartTLS
	switch policy {
	case "":
		policy = StartTLSRequired
	case StartTLSRequired, StartTLSOpportunistic:
	case StartTLSNone:
		if !c.TLS && !config.IsLoopback(c.Host) {
			return nil, fmt.Errorf("starttls none is allowed only for a loopback host, not %s", c.Host)
		}
	default:
		return nil, fmt.Errorf("unknown starttls %q (want required, opportunistic or none)", c.StartTLS)
	}
	if log == nil {
		log = slog.Default()
	}
	return &SMTP{
		name: c.Name, host: c.Host, addr: net.JoinHostPort(c.Host, strconv.Itoa(port)),
		username: c.Username, password: password, from: from, to: to,
		startTLS: policy, tls: c.TLS, heloName: "localhost", log: log,
		Timeout: defaultSendTimeout, Now: time.Now,
	}, nil
}

// Name implements Channel.
func (s *SMTP) Name() string { return s.name }

// Send implements Channel.
func (s *SMTP) Send(ctx context.Context, a watcher.Alert) error {
	msg := s.Message(a)
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	if err := s.send(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s via %s: %w", s.name, s.addr, err)
	}
	return nil
}

func (s *SMTP) send(ctx context.Context, msg []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() }) // unblock on cancel
	defer stop()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if s.tls {
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("tls: %w", err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello(s.heloName); err != nil {
		return err
	}
	if err := s.secure(c); err != nil {
		return err
	}
	if err := s.auth(c); err != nil {
		return err
	}
	if err := s.transmit(c, msg); err != nil {
		return err
	}
	// The server took the message with its 250 after DATA: it is
	// delivered. A QUIT that fails now (a relay that hangs up, a stop)
	// must not leave it pending, or the next run sends it again.
	if err := c.Quit(); err != nil {
		s.log.Debug("smtp quit after the message was accepted", "channel", s.name, "err", err)
	}
	return nil
}

// secure applies the STARTTLS policy.
func (s *SMTP) secure(c *smtp.Client) error {
	if s.tls || s.startTLS == StartTLSNone {
		return nil
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		if s.startTLS == StartTLSRequired {
			return errors.New("the server does not offer STARTTLS (set starttls: opportunistic to send unencrypted)")
		}
		s.log.Warn("smtp server does not offer STARTTLS; sending unencrypted", "channel", s.name, "addr", s.addr)
		return nil
	}
	if err := c.StartTLS(s.tlsConfig()); err != nil {
		return fmt.Errorf("starttls: %w", err)
	}
	return nil
}

// auth logs in with AUTH PLAIN, and only over TLS.
func (s *SMTP) auth(c *smtp.Client) error {
	if s.username == "" {
		return nil
	}
	if _, ok := c.TLSConnectionState(); !ok {
		return errors.New("refusing to send the password over an unencrypted connection")
	}
	ok, mechs := c.Extension("AUTH")
	if !ok || !slices.Contains(strings.Fields(strings.ToUpper(mechs)), "PLAIN") {
		return fmt.Errorf("the server does not offer AUTH PLAIN (offers %q)", mechs)
	}
	if err := c.Auth(smtp.PlainAuth("", s.username, s.password, s.host)); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

func (s *SMTP) transmit(c *smtp.Client, msg []byte) error {
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	for _, r := range s.to {
		if err := c.Rcpt(r.Address); err != nil {
			return fmt.Errorf("rcpt to %s: %w", r.Address, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	return nil
}

func (s *SMTP) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		cfg := s.TLSConfig.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName = s.host
		}
		return cfg
	}
	return &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
}

// Message returns the e-mail for a: UTF-8 plain text, quoted-printable,
// the subject encoded per RFC 2047, CRLF line ends. The Message-ID is
// derived from the alert key and the channel, so a repeat after a crash
// carries the same id.
func (s *SMTP) Message(a watcher.Alert) []byte {
	var b bytes.Buffer
	to := make([]string, len(s.to))
	for i, r := range s.to {
		to[i] = r.String()
	}
	header(&b, "From", s.from.String())
	header(&b, "To", strings.Join(to, ", "))
	header(&b, "Subject", mime.QEncoding.Encode("UTF-8", a.Subject))
	header(&b, "Date", s.Now().Format(time.RFC1123Z))
	header(&b, "Message-ID", s.messageID(a))
	header(&b, "MIME-Version", "1.0")
	header(&b, "Content-Type", "text/plain; charset=UTF-8")
	header(&b, "Content-Transfer-Encoding", "quoted-printable")
	header(&b, "Auto-Submitted", "auto-generated")
	header(&b, "X-Watcher-Alert", string(a.Kind))
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(a.Body)) // writes to a bytes.Buffer do not fail
	_ = qp.Close()
	return b.Bytes()
}

func (s *SMTP) messageID(a watcher.Alert) string {
	sum := sha256.Sum256([]byte(a.Key + "\x00" + s.name))
	domain := "watcher.invalid"
	if i := strings.LastIndexByte(s.from.Address, '@'); i >= 0 {
		domain = s.from.Address[i+1:]
	}
	return "<" + hex.EncodeToString(sum[:16]) + "@" + domain + ">"
}

// header writes one header field, folded at spaces so that lines stay
// within 78 characters where the value allows (RFC 5322 2.1.1); a long
// first word goes on a continuation line of its own, as RFC 2047 asks of
// encoded words.
func header(b *bytes.Buffer, name, value string) {
	b.WriteString(name + ":")
	n := len(name) + 1
	for _, word := range strings.Split(value, " ") {
		if n+1+len(word) > 78 && n > 1 {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteByte(' ')
		b.WriteString(word)
		n += 1 + len(word)
	}
	b.WriteString("\r\n")
}
