// Package watcher holds the domain types shared by every other package:
// sources, items, deadlines, attachments, events, source health and the
// editor's decisions. It does no I/O and imports nothing but the standard
// library, so every other package can depend on it and it on none of them.
package watcher

import (
	"time"
)

// Region says which part of the digest a source or item belongs to.
type Region string

const (
	RegionNorway        Region = "norway"
	RegionInternational Region = "international"
)

// Valid reports whether r is one of the known regions.
func (r Region) Valid() bool { return r == RegionNorway || r == RegionInternational }

// DocKind is what an item is, as far as the source tells. It drives the
// digest's sentence patterns and section rules.
type DocKind string

const (
	KindHearing     DocKind = "hearing"     // a public consultation (høring)
	KindReport      DocKind = "report"      // report, research, evaluation
	KindPlan        DocKind = "plan"        // action plan, strategy
	KindProposition DocKind = "proposition" // bill (proposisjon), white paper (melding)
	KindNOU         DocKind = "nou"         // Norwegian official report
	KindRegulation  DocKind = "regulation"  // law or regulation in force
	KindJudgement   DocKind = "judgement"   // court decision
	KindNews        DocKind = "news"        // press release, news story
	KindEvent       DocKind = "event"       // conference, seminar, course, webinar
	KindPublication DocKind = "publication" // other publication
	KindPage        DocKind = "page"        // a link that appeared on a watched page
	KindOther       DocKind = "other"
)

// Status is the normalised state of a consultation.
type Status string

const (
	StatusNone           Status = ""                // not a consultation, or unknown
	StatusOpen           Status = "open"            // På høring / På høyring
	StatusDeadlinePassed Status = "deadline_passed" // Under behandling
	StatusConcluded      Status = "concluded"       // Ferdigbehandlet
)

// Attachment is a file linked from an item's page (usually a PDF).
type Attachment struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// Event is the when and where of an item that announces a conference,
// seminar, course or webinar. Zero fields are unknown.
type Event struct {
	Start     time.Time `json:"start,omitzero"`
	End       time.Time `json:"end,omitzero"`
	Place     string    `json:"place,omitempty"`
	SignupURL string    `json:"signup_url,omitempty"`
}

// Match is one place where a topic term matched an item.
type Match struct {
	Term    string  `json:"term"`    // the profile term (canonical form)
	Matched string  `json:"matched"` // the text as it stood in the item
	Field   string  `json:"field"`   // title, summary, text
	Snippet string  `json:"snippet"` // a few words around the match
	Weight  float64 `json:"weight"`  // contribution to the score (negative for negative terms)
}

// Relevance is the scorer's verdict on an item, with its explanation.
type Relevance struct {
	Score    float64 `json:"score"`
	Relevant bool    `json:"relevant"`
	Always   bool    `json:"always,omitempty"` // the source is marked always relevant
	Matches  []Match `json:"matches,omitempty"`
	Profile  string  `json:"profile,omitempty"` // hash of the profile that scored it
}

// Item is one document, hearing, report, news story or event found at a
// source. Zero times mean "unknown": an undated item stays undated and is
// never stamped with the crawl time.
type Item struct {
	// Key is the item's identity: the site's own id where the adapter knows
	// one ("regjeringen:3167072", "frontex:J6yq05"), else the feed GUID,
	// else the canonical URL. See crawlers.ItemKey.
	Key      string `json:"key"`
	SourceID string `json:"source"`
	URL      string `json:"url"`
	// AltURLs are other addresses of the same document (other language
	// paths, other sources that carried it).
	AltURLs []string `json:"alt_urls,omitempty"`
	GUID    string   `json:"guid,omitempty"`

	Title   string `json:"title"`
	Summary string `json:"summary,omitempty"` // ingress, teaser or feed description (plain text)
	Text    string `json:"text,omitempty"`    // page text used for relevance (capped)

	Kind         DocKind  `json:"kind,omitempty"`
	TypeRaw      string   `json:"type_raw,omitempty"`     // the site's own type label ("Høring", "Press Release")
	Organisation string   `json:"organisation,omitempty"` // publisher: "UNODC", or the ministry
	Ministries   []string `json:"ministries,omitempty"`
	Region       Region   `json:"region,omitempty"`
	Language     string   `json:"language,omitempty"` // nb, nn, en, sv, fr…
	Tags         []string `json:"tags,omitempty"`     // crime areas, categories

	Published time.Time `json:"published,omitzero"`
	Updated   time.Time `json:"updated,omitzero"`

	// Consultation fields.
	Deadline    time.Time    `json:"deadline,omitzero"`
	Status      Status       `json:"status,omitempty"`
	StatusRaw   string       `json:"status_raw,omitempty"`
	Reference   string       `json:"reference,omitempty"` // "Vår ref."
	Consultees  int          `json:"consultees,omitempty"`
	ResponseURL string       `json:"response_url,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`

	Event *Event `json:"event,omitempty"`

	// Meta keeps source metadata worth having (DC.*, og:*, JSON-LD type).
	Meta map[string]string `json:"meta,omitempty"`

	Relevance Relevance `json:"relevance"`

	// Set by the store.
	FirstSeen time.Time `json:"first_seen,omitzero"`
	LastSeen  time.Time `json:"last_seen,omitzero"`
	Changes   int       `json:"changes,omitempty"` // number of recorded changes
}

// Date returns the date the digest files the item under: its publication
// date, or, for an undated item, when it was first seen.
func (it *Item) Date() time.Time {
	if !it.Published.IsZero() {
		return it.Published
	}
	return it.FirstSeen
}

// IsConsultation reports whether the item is a hearing or carries a deadline.
func (it *Item) IsConsultation() bool {
	return it.Kind == KindHearing || !it.Deadline.IsZero()
}

// Change is one recorded difference between two sightings of an item.
type Change struct {
	Key   string    `json:"key"`
	Field string    `json:"field"` // title, summary, published, deadline, status, attachments, url
	Old   string    `json:"old"`
	New   string    `json:"new"`
	At    time.Time `json:"at"`
}
