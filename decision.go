package watcher

import "time"

// DecisionState is the editor's verdict on an item for one digest period.
type DecisionState string

const (
	DecisionNone    DecisionState = ""        // no verdict: the rules decide
	DecisionInclude DecisionState = "include" // in the digest, whatever its relevance
	DecisionExclude DecisionState = "exclude" // never in the digest
)

// Decision is the editor's choice about one item (or one manual entry) in
// one period. The CLI (`watcher decide`, `--notes`) and the review UI write
// the same records.
type Decision struct {
	Period  string        `json:"period"` // "2023Q3"
	Key     string        `json:"key"`    // item key, or "manual:<id>" for the editor's own entries
	State   DecisionState `json:"state,omitempty"`
	Section string        `json:"section,omitempty"` // section id; empty: the rules place it
	Heading string        `json:"heading,omitempty"` // replaces the drafted heading
	Text    string        `json:"text,omitempty"`    // replaces the drafted sentences
	URL     string        `json:"url,omitempty"`     // manual entries: the link
	Reason  string        `json:"reason,omitempty"`  // why excluded
	Order   int           `json:"order,omitempty"`   // position within the section; 0: by date
	SameAs  string        `json:"same_as,omitempty"` // key of the item this one is the same document as
	At      time.Time     `json:"at,omitzero"`
}

// ManualPrefix starts the key of every entry the editor wrote.
const ManualPrefix = "manual:"

// ManualKey reports whether key is that of an entry the editor wrote
// rather than of a crawled item.
func ManualKey(key string) bool {
	return len(key) > len(ManualPrefix) && key[:len(ManualPrefix)] == ManualPrefix
}

// Manual reports whether the decision is an entry the editor wrote.
func (d *Decision) Manual() bool { return ManualKey(d.Key) }

// TopicProfile is the relevance profile as configured (config/topics.yaml).
// The relevance package compiles it into a scorer.
type TopicProfile struct {
	Name      string      `json:"name"`
	Threshold float64     `json:"threshold"` // an item is relevant when its score reaches this
	Terms     []TopicTerm `json:"terms"`
	// Field weights multiply a term's weight by where it matched.
	TitleWeight   float64 `json:"title_weight"`
	SummaryWeight float64 `json:"summary_weight"`
	TextWeight    float64 `json:"text_weight"`
}

// TopicTerm is one term of the profile.
type TopicTerm struct {
	Term     string   `json:"term"`               // canonical form, shown in explanations
	Weight   float64  `json:"weight"`             // negative for negative terms
	Forms    []string `json:"forms,omitempty"`    // other spellings and languages
	Prefix   bool     `json:"prefix,omitempty"`   // also match words that begin with a form (inflections, compounds)
	Case     bool     `json:"case,omitempty"`     // case-sensitive (acronyms: THB, GRETA)
	Language string   `json:"language,omitempty"` // informational
}
