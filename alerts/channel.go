package alerts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"watcher"
	"watcher/config"
)

// Channel delivers alerts one way: e-mail, a webhook, the console.
type Channel interface {
	// Name is the channel's configured name, the one the outbox records.
	Name() string
	// Send delivers one alert. An error leaves the alert pending.
	Send(ctx context.Context, a watcher.Alert) error
}

// Timeout of one webhook request or one SMTP conversation.
const defaultSendTimeout = 30 * time.Second

// NewChannels builds the configured channels by name; console channels
// write to stdout (nil: os.Stdout). Secrets are read
// with getenv from the variables the configuration names (password_env,
// token_env), never from the file; a named variable that is unset or empty
// is an error, so a missing secret is found at start, not at the first
// alert.
func NewChannels(cfg []config.Channel, getenv func(string) string, stdout io.Writer, log *slog.Logger) (map[string]Channel, error) {
	if log == nil {
		log = slog.Default()
	}
	if stdout == nil {
		stdout = os.Stdout
	}
	chans := make(map[string]Channel, len(cfg))
	var errs []error
	for _, c := range cfg {
		ch, err := newChannel(c, getenv, stdout, log)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("alerts: channel %q: %w", c.Name, err))
		case chans[c.Name] != nil:
			errs = append(errs, fmt.Errorf("alerts: channel %q is configured twice", c.Name))
		default:
			chans[c.Name] = ch
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return chans, nil
}

func newChannel(c config.Channel, getenv func(string) string, stdout io.Writer, log *slog.Logger) (Channel, error) {
	if c.Name == "" {
		return nil, errors.New("no name")
	}
	switch c.Type {
	case "smtp":
		password, err := secret(c.PasswordEnv, "password_env", getenv)
		if err != nil {
			return nil, err
		}
		if c.Username != "" && password == "" {
			return nil, errors.New("username is set but password_env is not: the password is read from the environment only")
		}
		return NewSMTP(c, password, log)
	case "webhook":
		token, err := secret(c.TokenEnv, "token_env", getenv)
		if err != nil {
			return nil, err
		}
		return NewWebhook(c, token, &http.Client{Timeout: defaultSendTimeout})
	case "console", "":
		return NewConsole(c.Name, stdout), nil
	}
	return nil, fmt.Errorf("unknown type %q (want smtp, webhook or console)", c.Type)
}

// secret reads the environment variable env names; "" when env is "".
func secret(env, field string, getenv func(string) string) (string, error) {
	if env == "" {
		return "", nil
	}
	v := getenv(env)
	if v == "" {
		return "", fmt.Errorf("%s names %s, which is unset or empty", field, env)
	}
	return v, nil
}

// Console writes alerts as plain text, for a terminal, a log or a
// systemd journal.
type Console struct {
	name string
	mu   sync.Mutex
	w    io.Writer
}

// NewConsole returns a channel that writes to w.
func NewConsole(name string, w io.Writer) *Console { return &Console{name: name, w: w} }

// Name implements Channel.
func (c *Console) Name() string { return c.name }

// Send implements Channel.
func (c *Console) Send(_ context.Context, a watcher.Alert) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := fmt.Fprintf(c.w, "── %s ──\n%s\n", a.Subject, a.Body)
	if err != nil {
		return fmt.Errorf("console %s: %w", c.name, err)
	}
	return nil
}
