package digest

import (
	"time"

	"watcher"
	"watcher/config"
)

// Input is everything Build reads. Load fills it from the store; tests and
// the review UI may build it by hand.
type Input struct {
	Period   string    // decisions' period: "2023Q3", or "2023-07-01..2023-09-30"
	From, To time.Time // the period: From inclusive, To exclusive
	Loc      *time.Location
	Config   config.Digest
	Sources  []watcher.Source
	// Items are the period's items (by Item.Date) and whatever else the
	// draft needs: consultations still open at To, and items the editor
	// included or named in SameAs from outside the period. Build sorts
	// them out by date itself, so extra items do no harm.
	Items     []watcher.Item
	Decisions []watcher.Decision // the period's decisions
	// Notes, when set, replace the decisions an earlier notes file stored
	// (keys "manual:notes-…"), so a preview can show a notes file without
	// writing it.
	Notes      *Notes
	Health     []watcher.Health
	Runs       []watcher.RunReport // at least those started in [From, To)
	Now        time.Time           // when the draft is made
	Provenance bool                // print each entry's provenance
}

// Draft is the quarterly newsletter before the editor's last hand: what
// the templates render.
type Draft struct {
	Title      string
	Period     string // the decisions' period name
	PeriodText string // "juli–september 2023"
	From, To   time.Time
	Generated  time.Time
	Loc        *time.Location `json:"-"`

	Sections     []Section
	OpenHearings []Entry // consultations still open at the end of the period, soonest deadline first
	Unplaced     []Entry // selected items no section's rules took (the editor must place them)
	Sources      []SourceLine

	// Empty is true when no item from the sources made it into the draft;
	// Checked then names the sources that were checked in the period.
	Empty   bool
	Checked []string

	Closing    [][]Span // the closing block, in paragraphs
	Contact    string
	Provenance bool // render each entry's provenance
}

// Section is one section of the newsletter.
type Section struct {
	ID         string
	Title      string
	Editor     bool    // written by the editor
	Highlights bool    // "Verdt å merke seg"
	Extra      bool    // made from a notes heading that names no configured section
	Entries    []Entry // when the section is not grouped
	Groups     []Group // when the section groups by organisation
	// Placeholder is what an empty section says in the draft.
	Placeholder string
}

// Len returns the number of entries in the section, groups included.
func (s *Section) Len() int {
	n := len(s.Entries)
	for _, g := range s.Groups {
		n += len(g.Entries)
	}
	return n
}

// Group is one organisation's entries in a grouped section.
type Group struct {
	Organisation string
	Entries      []Entry
}

// Entry is one item of the newsletter: a bold heading, one to three
// sentences and a link.
type Entry struct {
	Key          string   // the primary item's key, or "manual:…"
	Keys         []string // every merged item's key, primary first
	Heading      string
	Text         string   // plain text; links show as their labels
	Paragraphs   [][]Span // Text as rendered: runs of text and links
	Links        []Link   // primary first, then the other places the document was found
	Date         time.Time
	Deadline     time.Time
	Organisation string
	Kind         watcher.DocKind
	Score        float64
	Manual       bool // written by the editor
	Edited       bool // heading or text from the editor's decision
	Order        int  // the editor's position; 0: by date
	Provenance   []Provenance
}

// Link is one address of an entry's document.
type Link struct {
	Title string // who carried it (organisation or host); empty for the primary link
	URL   string
}

// Span is a run of text, a link when URL is set.
type Span struct {
	Text string
	URL  string
}

// Provenance says where an entry's item came from, for the editor.
type Provenance struct {
	SourceID  string
	Source    string // the source's name
	FirstSeen time.Time
	URL       string
}

// SourceLine is one source in the "Kilder" appendix: enough to tell an
// empty section from a broken source.
type SourceLine struct {
	ID           string
	Name         string
	Organisation string
	Disabled     bool
	Checks       int // runs in the period that included the source
	Failures     int // of which ended with an error
	TotalChecks  int // every check the store remembers (watcher.Health.Checks)
	LastSuccess  time.Time
	Items        int // items dated in the period
	Selected     int // of which made it into the draft
	State        watcher.HealthState
	Health       string // the state in the alerts' words (alerts.HealthWord), or "slått av" for a disabled source
}
