package config

import (
	"slices"
	"time"

	"watcher"
)

// Defaults and limits. A key left out of the file (or left empty) takes
// its default; a key given explicitly must be valid.
const (
	DefaultUserAgent  = "watcher/0.1"
	DefaultHostDelay  = 2 * time.Second
	DefaultTimeout    = 30 * time.Second
	DefaultBodyCap    = 10 << 20 // 10 MiB
	DefaultMaxRetries = 3
	DefaultTimeZone   = "Europe/Oslo"
	DefaultParallel   = 8

	// MinHostDelay is the politest gap between two requests to one host
	// that may be configured without allow_short_host_delay.
	MinHostDelay = 2 * time.Second
	MaxRetries   = 10      // upper bound of max_retries
	MaxParallel  = 64      // upper bound of parallel
	MaxBodyCap   = 1 << 30 // upper bound of body_cap (1 GiB)
	MaxTimeout   = 10 * time.Minute

	// PlaceholderContact is the contact the shipped configuration carries;
	// ContactIsPlaceholder reports whether it is still in place.
	PlaceholderContact = "mailto:watcher-admin@example.org"

	// Per source.
	DefaultSchedule     = "daily"
	DefaultMaxPages     = 5
	DefaultMaxItemPages = 30

	// Alerts.
	DefaultSMTPPort    = 587
	DefaultSMTPTLSPort = 465 // implicit TLS (tls: true)

	// Serve.
	DefaultAddr     = "127.0.0.1:8080"
	DefaultCron     = "0 6 * * *"
	DefaultJitter   = 10 * time.Minute
	DefaultTokenEnv = "WATCHER_TOKEN"

	// Digest.
	DefaultDigestTitle   = "Nyhetsbrev fra Koordineringsenheten for ofre for menneskehandel"
	DefaultMaxHighlights = 3
	DefaultClosing       = `Nyhetsbrevet sendes ut hvert kvartal til samarbeidspartnere i arbeidet mot menneskehandel.
Ønsker du å motta nyhetsbrevet, eller vil du ikke lenger stå på listen? Gi beskjed til
Koordineringsenheten for ofre for menneskehandel (KOM). Tips om rapporter, tiltak og
arrangementer til neste nummer tar vi gjerne imot.`
)

// userAgentPurpose follows the contact in the User-Agent comment.
const userAgentPurpose = "source monitoring for a national coordination unit against human trafficking"

// DefaultReminders are the days before a deadline that reminders go out.
func DefaultReminders() []int { return []int{14, 7, 2} }

// DefaultOrganisations is the order of the international section's groups.
// Organisations not listed come after these.
func DefaultOrganisations() []string {
	return []string{
		"UNODC", "ILO", "OSSE", "ICAT", "GRETA/Europarådet", "Europarådet", "Europol",
		"Frontex", "EU", "EU-kommisjonen", "Østersjørådet (CBSS)", "Norden", "NSPM (Sverige)",
	}
}

// nonEventKinds are every document kind but events, so that an event is
// left for the events section rather than taken by a regional one.
var nonEventKinds = []watcher.DocKind{
	watcher.KindHearing, watcher.KindReport, watcher.KindPlan, watcher.KindProposition,
	watcher.KindNOU, watcher.KindRegulation, watcher.KindJudgement, watcher.KindNews,
	watcher.KindPublication, watcher.KindPage, watcher.KindOther,
}

// DefaultSections are the newsletter's sections, in order. Items go to the
// first rule-filled section whose rules all match, so the regional sections
// leave events to "arrangementer".
func DefaultSections() []Section {
	return []Section{
		{ID: "egne", Title: "Egne publikasjoner", Editor: true},
		{ID: "aktiviteter", Title: "Hovedaktiviteter i perioden", Editor: true},
		{ID: "verdt", Title: "Verdt å merke seg", Highlights: true},
		{ID: "norske", Title: "Aktuelle norske tiltak, rapporter og forskning",
			Region: watcher.RegionNorway, Kinds: slices.Clone(nonEventKinds)},
		{ID: "internasjonale", Title: "Aktuelle internasjonale tiltak, rapporter og forskning",
			Region: watcher.RegionInternational, Kinds: slices.Clone(nonEventKinds), GroupBy: "organisation"},
		{ID: "arrangementer", Title: "Arrangementer", Kinds: []watcher.DocKind{watcher.KindEvent}},
	}
}

// defaults returns a Config holding every default, with no sources.
func defaults() *Config {
	return &Config{
		UserAgent:  DefaultUserAgent,
		HostDelay:  DefaultHostDelay,
		Timeout:    DefaultTimeout,
		BodyCap:    DefaultBodyCap,
		MaxRetries: DefaultMaxRetries,
		TimeZone:   DefaultTimeZone,
		Parallel:   DefaultParallel,
		Alerts:     Alerts{Reminders: DefaultReminders()},
		Digest: Digest{
			Title:         DefaultDigestTitle,
			Sections:      DefaultSections(),
			Organisations: DefaultOrganisations(),
			Closing:       DefaultClosing,
			MaxHighlights: DefaultMaxHighlights,
		},
		Serve: Serve{
			Addr:     DefaultAddr,
			Schedule: DefaultCron,
			Jitter:   DefaultJitter,
			TokenEnv: DefaultTokenEnv,
		},
	}
}

// defaultSource is a source before its keys are read.
func defaultSource() watcher.Source {
	return watcher.Source{
		Schedule:     DefaultSchedule,
		MaxPages:     DefaultMaxPages,
		MaxItemPages: DefaultMaxItemPages,
	}
}
