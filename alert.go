package watcher

import "time"

// Validator is what a conditional GET needs to ask "has it changed?", and
// the hash of the body last parsed, for servers that send no validators.
type Validator struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	BodyHash     string    `json:"body_hash,omitempty"` // hex sha256 of the decoded body
	FetchedAt    time.Time `json:"fetched_at,omitzero"`
}

// Audience says who an alert is for.
type Audience string

const (
	AudienceEditor Audience = "editor" // new hearings, deadlines
	AudienceAdmin  Audience = "admin"  // source health
)

// AlertKind names what an alert announces.
type AlertKind string

const (
	AlertNewHearing    AlertKind = "new_hearing"
	AlertReminder      AlertKind = "reminder"
	AlertDeadlineMoved AlertKind = "deadline_moved"
	AlertStatusChanged AlertKind = "status_changed"
	AlertSourceHealth  AlertKind = "source_health"
)

// Alert is one message to deliver. Key is its identity: an alert with a key
// already sent is never sent again.
type Alert struct {
	Key      string    `json:"key"` // e.g. "reminder:regjeringen:3167072:2026-08-07:7"
	Kind     AlertKind `json:"kind"`
	Audience Audience  `json:"audience"`
	Subject  string    `json:"subject"` // Norwegian bokmål
	Body     string    `json:"body"`    // Norwegian bokmål, plain text
	ItemKey  string    `json:"item,omitempty"`
	SourceID string    `json:"source,omitempty"`
	URL      string    `json:"url,omitempty"`
	Deadline time.Time `json:"deadline,omitzero"`
	Created  time.Time `json:"created"`
}
