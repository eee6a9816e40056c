package norway

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/dates"
)

// The structure assumed of Stortinget's open data API (data.stortinget.no,
// format=json). The field names are those public clients of the API read;
// none could be checked against the live service, so every field is
// optional and a missing one is reported, never fatal:
//
//	sesjoner?format=json
//	{ "innevaerende_sesjon": {"id": "2025-2026", "fra": "/Date(…)/", "til": "/Date(…)/"},
//	  "sesjoner_liste": [{"id": "2025-2026", …}, …] }
//
//	horinger?sesjonid=2025-2026&format=json
//	{ "sesjon_id": "2025-2026",
//	  "horinger_liste": [{
//	    "id": 10005544,                        (some clients name it "horing_id")
//	    "horing_status": "Planlagt",           "status_info_tekst": "…",
//	    "skriftlig": false,                    (a written hearing: no meeting)
//	    "komite": {"id": "JUSTIS", "navn": "Justiskomiteen"},
//	    "publisert_dato": "/Date(…)/",
//	    "innspillsfrist": "/Date(…)/",         (deadline for written input)
//	    "anmodningsfrist_dato_tid": "/Date(…)/", (deadline to ask to speak)
//	    "start_dato": "/Date(…)/",
//	    "horingstidspunkt_liste": [{"tidspunkt": "/Date(…)/", "sted": "…"}],
//	    "horing_sak_info_liste": [{"sak_id": 104908, "sak_tittel": "…",
//	        "sak_korttittel": "…", "sak_henvisning": "Prop. 1 S (2025–2026)"}]
//	  }] }
//
// Dates are Microsoft JSON dates, "/Date(1761550200000+0100)/"
// (milliseconds since the epoch; the offset only says how it was shown).
// A hearing has no title of its own: it is named by the cases it concerns.

// StortingetHearing is one committee hearing as the API describes it.
type StortingetHearing struct {
	ID          string
	Status      string // horing_status ("Planlagt", "Avholdt")
	StatusInfo  string // status_info_tekst
	Written     bool   // skriftlig
	CommitteeID string
	Committee   string    // komite.navn ("Justiskomiteen")
	Published   time.Time // publisert_dato
	Deadline    time.Time // innspillsfrist, else anmodningsfrist_dato_tid
	Start       time.Time // start_dato
	Slots       []StortingetSlot
	Cases       []StortingetCase
}

// StortingetSlot is one sitting of a hearing.
type StortingetSlot struct {
	Time  time.Time
	Place string
}

// StortingetCase is one case (sak) a hearing concerns.
type StortingetCase struct {
	ID         string
	Title      string // sak_tittel
	ShortTitle string // sak_korttittel
	Reference  string // sak_henvisning ("Prop. 1 S (2025–2026)")
}

// flexString reads a JSON string, number or null as a string: the API's
// ids are numbers in some exports and strings in others.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("id %s: not a string or number", b)
		}
		*f = flexString(n.String())
	}
	return nil
}

type sessionsJSON struct {
	Current *struct {
		ID flexString `json:"id"`
	} `json:"innevaerende_sesjon"`
}

type hearingsJSON struct {
	Hearings *[]hearingJSON `json:"horinger_liste"`
}

type hearingJSON struct {
	ID         flexString `json:"id"`
	HearingID  flexString `json:"horing_id"`
	Status     flexString `json:"horing_status"`
	StatusInfo flexString `json:"status_info_tekst"`
	Written    *bool      `json:"skriftlig"`
	Committee  *struct {
		ID   flexString `json:"id"`
		Name flexString `json:"navn"`
	} `json:"komite"`
	Published  flexString `json:"publisert_dato"`
	InputDue   flexString `json:"innspillsfrist"`
	RequestDue flexString `json:"anmodningsfrist_dato_tid"`
	Start      flexString `json:"start_dato"`
	Slots      []struct {
		Time  flexString `json:"tidspunkt"`
		Place flexString `json:"sted"`
	} `json:"horingstidspunkt_liste"`
	Cases []struct {
		ID         flexString `json:"sak_id"`
		Title      flexString `json:"sak_tittel"`
		ShortTitle flexString `json:"sak_korttittel"`
		Reference  flexString `json:"sak_henvisning"`
	} `json:"horing_sak_info_liste"`
}

// ParseSessions returns the id of the current session
// ("innevaerende_sesjon.id") from the sesjoner export.
func ParseSessions(body []byte) (string, error) {
	var s sessionsJSON
	if err := json.Unmarshal(body, &s); err != nil {
		return "", fmt.Errorf("sessions: %w", err)
	}
	if s.Current == nil || crawlers.CleanText(string(s.Current.ID)) == "" {
		return "", fmt.Errorf("sessions: no innevaerende_sesjon.id")
	}
	return crawlers.CleanText(string(s.Current.ID)), nil
}

// ParseStortingetHearings reads the horinger export. It fails only when
// the body is not JSON; missing fields come back as problems.
func ParseStortingetHearings(body []byte) ([]StortingetHearing, []string, error) {
	var raw hearingsJSON
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, nil, fmt.Errorf("hearings: %w", err)
	}
	if raw.Hearings == nil {
		return nil, []string{"hearings: no horinger_liste in the export"}, nil
	}
	var out []StortingetHearing
	var probs []string
	for i, r := range *raw.Hearings {
		h, p := r.hearing()
		name := h.ID
		if name == "" {
			name = "#" + strconv.Itoa(i+1)
		}
		for _, msg := range p {
			probs = append(probs, fmt.Sprintf("hearing %s: %s", name, msg))
		}
		if h.ID != "" {
			out = append(out, h)
		}
	}
	return out, probs, nil
}

func (r hearingJSON) hearing() (StortingetHearing, []string) {
	var probs []string
	h := StortingetHearing{
		ID:         crawlers.CleanText(string(pickFlex(r.HearingID, r.ID))),
		Status:     crawlers.CleanText(string(r.Status)),
		StatusInfo: crawlers.CleanText(string(r.StatusInfo)),
	}
	if h.ID == "" {
		probs = append(probs, "no id (horing_id, id)")
	}
	if r.Written != nil {
		h.Written = *r.Written
	}
	if r.Committee != nil {
		h.CommitteeID, h.Committee = crawlers.CleanText(string(r.Committee.ID)), crawlers.CleanText(string(r.Committee.Name))
	}
	if h.Committee == "" {
		probs = append(probs, "no committee (komite.navn)")
	}
	msDate := func(field string, v flexString) time.Time {
		t, err := stortingetDate(string(v))
		if err != nil {
			probs = append(probs, fmt.Sprintf("%s: %v", field, err))
		}
		return t
	}
	h.Published = msDate("publisert_dato", r.Published)
	h.Start = msDate("start_dato", r.Start)
	h.Deadline = msDate("innspillsfrist", r.InputDue)
	if h.Deadline.IsZero() {
		h.Deadline = msDate("anmodningsfrist_dato_tid", r.RequestDue)
	}
	for _, s := range r.Slots {
		slot := StortingetSlot{Time: msDate("horingstidspunkt_liste.tidspunkt", s.Time), Place: crawlers.CleanText(string(s.Place))}
		if !slot.Time.IsZero() || slot.Place != "" {
			h.Slots = append(h.Slots, slot)
		}
	}
	sort.SliceStable(h.Slots, func(i, j int) bool { return h.Slots[i].Time.Before(h.Slots[j].Time) })
	for _, c := range r.Cases {
		h.Cases = append(h.Cases, StortingetCase{
			ID: crawlers.CleanText(string(c.ID)), Title: crawlers.CleanText(string(c.Title)),
			ShortTitle: crawlers.CleanText(string(c.ShortTitle)), Reference: crawlers.CleanText(string(c.Reference)),
		})
	}
	if len(h.Cases) == 0 {
		probs = append(probs, "no cases (horing_sak_info_liste)")
	}
	return h, probs
}

func pickFlex(a, b flexString) flexString {
	if strings.TrimSpace(string(a)) != "" {
		return a
	}
	return b
}

// stortingetDate reads an MS JSON date; an empty value and .NET's
// DateTime.MinValue (year 1) mean "no date".
func stortingetDate(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	t, err := dates.MSDate(s)
	if err != nil {
		return time.Time{}, err
	}
	if t.Year() < 1900 {
		return time.Time{}, nil
	}
	return t, nil
}

// defaultStortingetSite is where a case's page lives, unless the source's
// options name another ("site").
const defaultStortingetSite = "https://www.stortinget.no"

// stortingetItem maps a Stortinget hearing to an Item: the one place this
// format becomes the domain type. now decides the status: open while the
// deadline is ahead.
func stortingetItem(src watcher.Source, h StortingetHearing, now time.Time, site string) (watcher.Item, []string) {
	var probs []string
	it := watcher.Item{
		Key:       "stortinget:horing:" + h.ID,
		SourceID:  src.ID,
		Kind:      watcher.KindHearing,
		TypeRaw:   "Høring",
		Region:    watcher.RegionNorway,
		Language:  "nb",
		Published: h.Published,
		Deadline:  h.Deadline,
		StatusRaw: h.Status,
		Meta:      map[string]string{"stortinget.committee": h.CommitteeID},
	}
	if h.Written {
		it.TypeRaw = "Skriftlig høring"
	}
	if src.Region != "" {
		it.Region = src.Region
	}
	it.Organisation = "Stortinget"
	if h.Committee != "" {
		it.Organisation = "Stortinget – " + h.Committee
	}
	var titles, refs []string
	for _, c := range h.Cases {
		if t := pick(c.Title, c.ShortTitle); t != "" {
			titles = append(titles, t)
		}
		if c.Reference != "" {
			refs = append(refs, c.Reference)
		}
		if c.ID != "" {
			it.AltURLs = addURL(it.AltURLs, caseURL(site, c.ID))
		}
	}
	if len(it.AltURLs) > 0 {
		it.URL, it.AltURLs = it.AltURLs[0], it.AltURLs[1:]
	} else {
		probs = append(probs, fmt.Sprintf("%s: no case id for a link (horing_sak_info_liste[].sak_id)", it.Key))
	}
	switch {
	case len(titles) > 0:
		it.Title = "Høring: " + strings.Join(titles, " / ")
	case h.Committee != "":
		it.Title = "Høring i " + lowerFirst(h.Committee)
		probs = append(probs, fmt.Sprintf("%s: no case title", it.Key))
	default:
		it.Title = "Høring på Stortinget"
		probs = append(probs, fmt.Sprintf("%s: no case title", it.Key))
	}
	it.Summary = strings.Join(append(refs, h.StatusInfo), ". ")
	it.Summary = strings.Trim(it.Summary, ". ")
	if !h.Deadline.IsZero() {
		it.Status = watcher.StatusDeadlinePassed
		if h.Deadline.After(now) {
			it.Status = watcher.StatusOpen
		}
	}
	it.Event = stortingetEvent(h)
	return it, probs
}

// stortingetEvent is a hearing's sitting: the first time and place listed,
// else the start date of a hearing held in person.
func stortingetEvent(h StortingetHearing) *watcher.Event {
	if len(h.Slots) > 0 {
		return &watcher.Event{Start: h.Slots[0].Time, Place: h.Slots[0].Place}
	}
	if !h.Written && !h.Start.IsZero() {
		return &watcher.Event{Start: h.Start}
	}
	return nil
}

func caseURL(site, id string) string {
	return strings.TrimRight(site, "/") + "/no/Saker-og-publikasjoner/Saker/Sak/?p=" + url.QueryEscape(id)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToLower(string(r[0])))[0]
	return string(r)
}
