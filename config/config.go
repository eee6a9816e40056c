// Package config reads and validates watcher's configuration: the sources
// (config/sources.yaml) and the topic profile (config/topics.yaml), both
// embedded as defaults and replaceable with --config / topics_file.
//
// Parsing is strict and walks the YAML node tree, so that every problem is
// reported as an *Error naming the file, line and field and saying what
// would be valid; Parse returns all of them at once as an Errors list, in
// line order. Unknown keys (with a did-you-mean), duplicate keys, wrong
// types and bad formats are found while decoding; required fields, ranges
// and cross-references by Validate, which can be run again after a Config
// is changed in code. Source kinds are checked by CheckKinds against the
// kinds the crawlers register, which this package does not import.
//
// Formats:
//   - A key left out, or left empty, takes its default; a key given must
//     be valid (an explicit max_retries: 0 stays 0).
//   - Durations are Go durations with a unit: "2s", "500ms", "1m30s". A
//     bare number is refused (seconds or nanoseconds?), except 0.
//   - Sizes are a whole number of bytes or a number with a unit: B, KB, MB,
//     GB (powers of 1000) or KiB, MiB, GiB (powers of 1024).
//   - host_delay below MinHostDelay (2s), 0 included, is accepted only with
//     allow_short_host_delay: true, meant for local test servers and
//     loopback benchmarks.
//   - Passwords and tokens are never read from the file: channels name the
//     environment variables that hold them (password_env, token_env).
//   - YAML anchors, aliases and merge keys ("<<: *base") may be used to
//     share settings between sources.
package config

import (
	"strings"
	"sync"
	"time"

	"watcher"
)

// Config is the whole configuration of one watcher.
type Config struct {
	File string `yaml:"-"` // where it was read from ("(embedded)" for the default)

	UserAgent string        `yaml:"user_agent"` // product token; the contact is appended
	Contact   string        `yaml:"contact"`    // e-mail or URL a site owner can reach
	HostDelay time.Duration `yaml:"host_delay"` // minimum gap between two requests to one host (default 2s)
	// AllowShortHostDelay must be true for a host_delay below MinHostDelay
	// (0 included): meant for local test servers and loopback benchmarks only.
	AllowShortHostDelay bool          `yaml:"allow_short_host_delay"`
	Timeout             time.Duration `yaml:"timeout"`     // per request, headers and body (default 30s)
	BodyCap             int64         `yaml:"body_cap"`    // bytes; larger bodies fail as too_large (default 10 MiB)
	MaxRetries          int           `yaml:"max_retries"` // retries after the first try (default 3)
	TimeZone            string        `yaml:"time_zone"`   // default Europe/Oslo
	Parallel            int           `yaml:"parallel"`    // hosts fetched at once (default 8)

	Sources []watcher.Source `yaml:"-"` // parsed from "sources"

	TopicsFile string               `yaml:"topics_file"` // empty: the embedded topics.yaml
	Topics     watcher.TopicProfile `yaml:"-"`

	Alerts Alerts `yaml:"alerts"`
	Digest Digest `yaml:"digest"`
	Serve  Serve  `yaml:"serve"`

	topicsPath string     // where Topics was read from
	pos        *positions // line of each field, for errors found after parsing
}

// Location returns the configured time zone (Europe/Oslo by default).
func (c *Config) Location() *time.Location {
	loc, err := loadZone(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// zones holds the time zones loaded so far, by name. time.LoadLocation
// reads the zone file on every call, and SourceLocation is asked once per
// source on every run.
var zones sync.Map // string → *time.Location

// loadZone is time.LoadLocation, reading each zone's file only once.
func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}

// Alerts configures what is announced and where.
type Alerts struct {
	Reminders []int     `yaml:"reminders"` // days before a deadline (default 14, 7, 2)
	Editor    []string  `yaml:"editor"`    // channel names for the editor's alerts
	Admin     []string  `yaml:"admin"`     // channel names for source health alerts
	Channels  []Channel `yaml:"channels"`
}

// Channel is one way of delivering alerts.
type Channel struct {
	Name string `yaml:"name"`
	Type string `yaml:"type"` // smtp, webhook, console

	// smtp
	Host        string   `yaml:"host"`
	Port        int      `yaml:"port"`
	Username    string   `yaml:"username"`
	PasswordEnv string   `yaml:"password_env"` // the password is read from this environment variable, never from the file
	From        string   `yaml:"from"`
	To          []string `yaml:"to"`
	StartTLS    string   `yaml:"starttls"` // "required" (default), "opportunistic", "none" (loopback only)
	TLS         bool     `yaml:"tls"`      // implicit TLS (port 465)

	// webhook
	URL      string `yaml:"url"`
	Format   string `yaml:"format"`    // json (default), slack, teams
	TokenEnv string `yaml:"token_env"` // bearer token from this environment variable
}

// Digest configures the quarterly draft.
type Digest struct {
	Title         string    `yaml:"title"`         // the unit's name, as the newsletter is titled
	Sections      []Section `yaml:"sections"`      // in order
	Organisations []string  `yaml:"organisations"` // order of international groups
	Closing       string    `yaml:"closing"`       // static closing block (Markdown)
	Contact       string    `yaml:"contact"`
	MaxHighlights int       `yaml:"max_highlights"` // "Verdt å merke seg" size (default 3)
}

// Section is one section of the newsletter and the rules that fill it.
type Section struct {
	ID     string `yaml:"id"`
	Title  string `yaml:"title"`
	Editor bool   `yaml:"editor"` // written by the editor (notes file, manual entries), never filled by rules
	// Highlights marks the "Verdt å merke seg" section: it holds up to
	// Digest.MaxHighlights items picked by score, not by the rules below.
	Highlights bool `yaml:"highlights"`
	// Rules: an item goes to the first section whose rules all match.
	Region   watcher.Region    `yaml:"region"`
	Kinds    []watcher.DocKind `yaml:"kinds"`
	GroupBy  string            `yaml:"group_by"` // "organisation" for the international section
	MinScore float64           `yaml:"min_score"`
}

// Serve configures `watcher serve`.
type Serve struct {
	Addr     string        `yaml:"addr"`      // default 127.0.0.1:8080
	Schedule string        `yaml:"schedule"`  // cron, default "0 6 * * *" in TimeZone
	Jitter   time.Duration `yaml:"jitter"`    // random delay added to each scheduled run (default 10m)
	TokenEnv string        `yaml:"token_env"` // default WATCHER_TOKEN: required to bind a non-loopback address
}

// SourceLocation returns the time zone of a source's dates: its own
// time_zone, else the configured one.
func (c *Config) SourceLocation(s watcher.Source) *time.Location {
	if s.TimeZone != "" {
		if loc, err := loadZone(s.TimeZone); err == nil {
			return loc
		}
	}
	return c.Location()
}

// TopicsSource says where Topics was read from: the topics_file path, or
// "(embedded) config/topics.yaml".
func (c *Config) TopicsSource() string { return c.topicsPath }

// UserAgentString is the User-Agent every request sends: the product token
// and, in the comment, the contact and what the crawler is for, e.g.
// "watcher/0.1 (+mailto:kom@example.org; source monitoring for …)".
func (c *Config) UserAgentString() string {
	ua := c.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	contact := c.Contact
	if contact != "" && !strings.Contains(contact, ":") {
		contact = "mailto:" + contact // a bare address
	}
	if contact == "" {
		return ua + " (" + userAgentPurpose + ")"
	}
	return ua + " (+" + contact + "; " + userAgentPurpose + ")"
}

// ContactIsPlaceholder reports whether the contact is still the shipped
// placeholder, or any address or URL at a domain reserved for examples
// (RFC 2606): site owners could not reach anyone.
func (c *Config) ContactIsPlaceholder() bool {
	if c.Contact == PlaceholderContact {
		return true
	}
	host := contactHost(c.Contact)
	for _, d := range []string{"example.org", "example.com", "example.net"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	for _, tld := range []string{".example", ".invalid", ".test", ".localhost"} {
		if strings.HasSuffix(host, tld) {
			return true
		}
	}
	return false
}
