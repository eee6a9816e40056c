// Package config reads and validates watcher's configuration: the sources
// (config/sources.yaml) and the topic profile (config/topics.yaml), both
// embedded as defaults and replaceable with --config / topics_file.
package config

import (
	"time"

	"watcher"
)

// Config is the whole configuration of one watcher.
type Config struct {
	File string `yaml:"-"` // where it was read from ("(embedded)" for the default)

	UserAgent  string        `yaml:"user_agent"`  // product token; the contact is appended
	Contact    string        `yaml:"contact"`     // e-mail or URL a site owner can reach
	HostDelay  time.Duration `yaml:"host_delay"`  // minimum gap between two requests to one host (default 2s)
	Timeout    time.Duration `yaml:"timeout"`     // per request, headers and body (default 30s)
	BodyCap    int64         `yaml:"body_cap"`    // bytes; larger bodies fail as too_large (default 10 MiB)
	MaxRetries int           `yaml:"max_retries"` // retries after the first try (default 3)
	TimeZone   string        `yaml:"time_zone"`   // default Europe/Oslo
	Parallel   int           `yaml:"parallel"`    // hosts fetched at once (default 8)

	Sources []watcher.Source `yaml:"-"` // parsed from "sources"

	TopicsFile string               `yaml:"topics_file"` // empty: the embedded topics.yaml
	Topics     watcher.TopicProfile `yaml:"-"`

	Alerts Alerts `yaml:"alerts"`
	Digest Digest `yaml:"digest"`
	Serve  Serve  `yaml:"serve"`
}

// Location returns the configured time zone (Europe/Oslo by default).
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
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
