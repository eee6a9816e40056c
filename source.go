package watcher

import "time"

// Source is one configured place to watch. It is built by the config
// package from sources.yaml; crawlers read it, never change it.
type Source struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Organisation string   `json:"organisation"` // publisher, as the digest names it ("UNODC", "Justis- og beredskapsdepartementet")
	Region       Region   `json:"region"`
	Kind         string   `json:"kind"` // feed, html, page, or an adapter name (see crawlers.Kinds)
	URLs         []string `json:"urls"`
	DocKind      DocKind  `json:"doc_kind,omitempty"` // default kind of its items when the site does not say
	Language     string   `json:"language,omitempty"` // nb, nn, en, sv, fr: for dates and relevance
	TimeZone     string   `json:"time_zone,omitempty"`

	// Politeness and schedule hints.
	Delay    time.Duration `json:"delay,omitempty"`    // minimum gap between requests to this source's host (overrides the global per-host delay if longer)
	Schedule string        `json:"schedule,omitempty"` // "daily" (default), "weekly", or a cron expression: a hint for serve
	Disabled bool          `json:"disabled,omitempty"`

	AlwaysRelevant bool `json:"always_relevant,omitempty"` // every item counts as relevant (e.g. GRETA's trafficking pages)
	MaxPages       int  `json:"max_pages,omitempty"`       // hard cap on listing pages walked per run
	FollowItems    bool `json:"follow_items,omitempty"`    // fetch each new or changed item's own page to enrich it
	MaxItemPages   int  `json:"max_item_pages,omitempty"`  // cap on item pages fetched per run

	Selectors *Selectors        `json:"selectors,omitempty"` // html and page kinds
	Options   map[string]string `json:"options,omitempty"`   // adapter-specific settings
}

// Selectors are the CSS selectors of the generic html (listing) and page kinds.
type Selectors struct {
	Item    string `json:"item,omitempty"`    // one element per item (html)
	Title   string `json:"title,omitempty"`   // within item; default: the link's text
	Link    string `json:"link,omitempty"`    // within item; default "a[href]"
	Date    string `json:"date,omitempty"`    // within item; a datetime attribute wins over text
	Summary string `json:"summary,omitempty"` // within item
	Next    string `json:"next,omitempty"`    // pagination link on the listing page
	Region  string `json:"region,omitempty"`  // page kind: the part of the page whose links are watched
	Content string `json:"content,omitempty"` // item page body for text and dates (follow_items)

	DateLayout string `json:"date_layout,omitempty"` // Go layout, when the generic date reader is not enough
	DateOrder  string `json:"date_order,omitempty"`  // "dmy" (default) or "mdy" for 01/02/2006 forms
}

// ErrClass classifies why a fetch or a source failed.
type ErrClass string

const (
	ErrNone        ErrClass = ""
	ErrNetwork     ErrClass = "network"      // DNS, connection refused, reset
	ErrTimeout     ErrClass = "timeout"      // deadline exceeded, slow body
	ErrHTTP        ErrClass = "http"         // an unexpected HTTP status (404, 500…)
	ErrBlocked     ErrClass = "blocked"      // 403, 429 or a challenge page
	ErrParse       ErrClass = "parse"        // the body could not be read as what it should be
	ErrRobots      ErrClass = "robots"       // robots.txt disallows the URL
	ErrLayout      ErrClass = "layout"       // parsed, but the expected structure is gone (zero items, selectors empty)
	ErrTooLarge    ErrClass = "too_large"    // body over the configured cap
	ErrNotArchived ErrClass = "not_archived" // replay: the URL is not in the WARC files
	ErrCanceled    ErrClass = "canceled"     // the run was stopped
)

// ZeroItems is the error health records, with ErrLayout, for a source
// that yields nothing where it used to yield items.
const ZeroItems = "zero items where there used to be items"

// HealthState is the health of one source as the runs see it.
type HealthState string

const (
	HealthUnknown     HealthState = ""
	HealthHealthy     HealthState = "healthy"
	HealthQuiet       HealthState = "quiet"       // fetched and parsed fine, nothing new, as its cadence leads one to expect
	HealthDegraded    HealthState = "degraded"    // some selectors empty, dates failing
	HealthBroken      HealthState = "broken"      // zero items where there used to be items, parse failure
	HealthBlocked     HealthState = "blocked"     // 403/429/challenge page
	HealthUnreachable HealthState = "unreachable" // network errors, timeouts, 5xx
)

// Health is what the store keeps about one source between runs.
type Health struct {
	SourceID      string        `json:"source"`
	State         HealthState   `json:"state"`
	PrevState     HealthState   `json:"prev_state,omitempty"`
	Since         time.Time     `json:"since,omitzero"` // when State began
	LastRun       time.Time     `json:"last_run,omitzero"`
	LastSuccess   time.Time     `json:"last_success,omitzero"`
	LastNew       time.Time     `json:"last_new,omitzero"` // when a new item last appeared
	FailureStreak int           `json:"failure_streak,omitempty"`
	ZeroStreak    int           `json:"zero_streak,omitempty"` // runs in a row that parsed but yielded no items
	MaxItems      int           `json:"max_items,omitempty"`   // most items one run ever yielded
	LastItems     int           `json:"last_items,omitempty"`
	Cadence       time.Duration `json:"cadence,omitempty"` // typical gap between new items
	Checks        int           `json:"checks,omitempty"`
	LastErrClass  ErrClass      `json:"last_err_class,omitempty"`
	LastError     string        `json:"last_error,omitempty"`
	Problems      []string      `json:"problems,omitempty"` // selectors that matched nothing, dates that failed
}

// SourceReport is one source's line in a run report.
type SourceReport struct {
	SourceID    string        `json:"source"`
	New         int           `json:"new"`
	Changed     int           `json:"changed"`
	Unchanged   int           `json:"unchanged"`
	Pages       int           `json:"pages"`        // HTTP requests made (robots.txt excluded)
	NotModified int           `json:"not_modified"` // 304 answers
	Bytes       int64         `json:"bytes"`        // body bytes received (as sent on the wire)
	Duration    time.Duration `json:"duration"`
	ErrClass    ErrClass      `json:"err_class,omitempty"`
	Error       string        `json:"error,omitempty"`
	Health      HealthState   `json:"health,omitempty"`
	Problems    []string      `json:"problems,omitempty"`
}

// RunReport is what one `watcher run` did.
type RunReport struct {
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Sources  []SourceReport `json:"sources"`
}

// Failed returns the number of sources that ended with an error of their
// own: a crawl the run's stop cut short (ErrCanceled) is not counted.
func (r *RunReport) Failed() int {
	n := 0
	for _, s := range r.Sources {
		if s.ErrClass != ErrNone && s.ErrClass != ErrCanceled {
			n++
		}
	}
	return n
}
