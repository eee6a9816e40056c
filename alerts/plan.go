package alerts

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"watcher"
	"watcher/config"
	"watcher/dates"
)

// AudienceNone marks an alert that is recorded as known but delivered
// nowhere: a reminder that another alert of the same run already covers.
// Routes never gives it a channel.
const AudienceNone watcher.Audience = "none"

// defaultReminders are the days before a deadline that reminders go out
// when none are configured.
var defaultReminders = []int{14, 7, 2}

// PlanInput is what Plan decides from. Times are injected; nothing reads
// the clock.
type PlanInput struct {
	Now       time.Time
	Loc       *time.Location // days and dates are counted here; nil: Europe/Oslo
	Reminders []int          // days before a deadline; nil: 14, 7 and 2

	New     []watcher.Item          // items first seen in this run
	Changes []watcher.Change        // changes recorded in this run
	Changed map[string]watcher.Item // the items those changes belong to, as stored now
	Open    []watcher.Item          // consultations whose deadline is today or later
	Health  []HealthChange          // source health changes in this run

	// Included holds the keys of items the editor included: they count as
	// relevant whatever their score.
	Included map[string]bool
}

// HealthChange is one source's change of health state.
type HealthChange struct {
	SourceID string
	Name     string // the source's name as the texts show it
	From, To watcher.HealthState
	At       time.Time // when the new state began
	Detail   string    // what went wrong: HealthDetail gives the Norwegian class text with the technical error
}

// Plan returns the alerts that are due, in a stable order: new
// consultations, moved deadlines and status changes, reminders (soonest
// deadline first), source health. See the package documentation for the
// rules and keys.
func Plan(in PlanInput) []watcher.Alert {
	p := planner{in: in, loc: in.Loc, covered: map[string]bool{}, keys: map[string]bool{}}
	if p.loc == nil {
		p.loc = dates.Oslo()
	}
	p.reminders = reminderDays(in.Reminders)
	for i := range in.New {
		p.newItem(&in.New[i])
	}
	for _, c := range in.Changes {
		p.change(c)
	}
	p.remind()
	p.health(in.Health)
	return p.out
}

type planner struct {
	in        PlanInput
	loc       *time.Location
	reminders []int           // ascending
	covered   map[string]bool // items announced in this run: their due reminders are covered
	keys      map[string]bool // keys planned so far
	out       []watcher.Alert
}

// reminderDays returns the thresholds, ascending, without duplicates or
// negative values.
func reminderDays(days []int) []int {
	if days == nil {
		days = defaultReminders
	}
	out := make([]int, 0, len(days))
	for _, d := range days {
		if d >= 0 && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

func (p *planner) relevant(it *watcher.Item) bool {
	return it.Relevance.Relevant || p.in.Included[it.Key]
}

// closed reports whether the site says the consultation is over.
func closed(it *watcher.Item) bool {
	return it.Status == watcher.StatusDeadlinePassed || it.Status == watcher.StatusConcluded
}

func (p *planner) daysLeft(it *watcher.Item) int {
	return dates.DaysUntil(p.in.Now, it.Deadline, p.loc)
}

// newItem announces a relevant consultation that is still open.
func (p *planner) newItem(it *watcher.Item) {
	if !p.relevant(it) || !it.IsConsultation() || closed(it) {
		return
	}
	if !it.Deadline.IsZero() && p.daysLeft(it) < 0 {
		return
	}
	p.add(p.itemAlert(watcher.AlertNewHearing, "new:"+it.Key, it, newHearingData(p, it)))
	p.covered[it.Key] = true
}

// change announces a moved deadline or a new status of a relevant
// consultation.
func (p *planner) change(c watcher.Change) {
	it, ok := p.in.Changed[c.Key]
	if !ok || !p.relevant(&it) {
		return
	}
	switch c.Field {
	case "deadline":
		old, nu, ok := DeadlineMove(c, p.loc)
		if !ok {
			return // a deadline first set, or removed: reminders follow the item
		}
		key := "moved:" + c.Key + ":" + old.Format(time.DateOnly) + ":" + nu.Format(time.DateOnly)
		p.add(p.itemAlert(watcher.AlertDeadlineMoved, key, &it, movedData(p, &it, old, nu)))
		p.covered[it.Key] = true
	case "status":
		if c.Old == "" || c.New == "" || c.Old == c.New || !it.IsConsultation() {
			return
		}
		key := "status:" + c.Key + ":" + c.Old + ":" + c.New
		p.add(p.itemAlert(watcher.AlertStatusChanged, key, &it,
			statusData(p, &it, watcher.Status(c.Old), watcher.Status(c.New))))
	}
}

// DeadlineMove reads a "deadline" change as a move from one day to
// another, in loc. ok is false for any other change, a deadline first set
// or removed, and one that moved within the same day.
func DeadlineMove(c watcher.Change, loc *time.Location) (from, to time.Time, ok bool) {
	if c.Field != "deadline" {
		return time.Time{}, time.Time{}, false
	}
	from, okOld := HistoryDate(c.Old, loc)
	to, okNew := HistoryDate(c.New, loc)
	if !okOld || !okNew || from.Equal(to) {
		return time.Time{}, time.Time{}, false
	}
	return from, to, true
}

// HistoryDate reads a time recorded in an item's change history
// (watcher.Change.Old and New of "deadline", "published", "updated") as
// the calendar day it falls on in loc (nil: Europe/Oslo). The store
// writes RFC 3339 instants in UTC, which carry their own offset. History
// written before that, which no upgrade rewrites, holds "2006-01-02 15:04"
// in UTC, so that a deadline at midnight in Oslo, "2023-11-05 23:00", is
// the 6th of November here, or a bare "2006-01-02", which is that day; the
// same form with seconds is read too. It reports false for anything else,
// an empty value included.
func HistoryDate(s string, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = dates.Oslo()
	}
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			y, m, d := t.In(loc).Date()
			return time.Date(y, m, d, 0, 0, 0, 0, loc), true
		}
	}
	return time.Time{}, false
}

// remind plans the reminders of the open relevant consultations.
func (p *planner) remind() {
	items := p.openItems()
	slices.SortStableFunc(items, func(a, b *watcher.Item) int {
		if c := a.Deadline.Compare(b.Deadline); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	for _, it := range items {
		days := p.daysLeft(it)
		first := true // thresholds ascend: the first due one is the most urgent
		for _, d := range p.reminders {
			if days > d {
				continue
			}
			a := p.itemAlert(watcher.AlertReminder, reminderKey(it, d, p.loc), it, reminderData(p, it))
			if !first || p.covered[it.Key] {
				a.Audience = AudienceNone
			}
			p.add(a)
			first = false
		}
	}
}

// openItems returns the relevant consultations with a deadline not yet
// passed, each once: the freshest copy (changed, then new, then open).
func (p *planner) openItems() []*watcher.Item {
	seen := map[string]bool{}
	var out []*watcher.Item
	consider := func(it watcher.Item) {
		if seen[it.Key] {
			return
		}
		seen[it.Key] = true
		if p.relevant(&it) && !it.Deadline.IsZero() && !closed(&it) && p.daysLeft(&it) >= 0 {
			out = append(out, &it)
		}
	}
	for _, c := range p.in.Changes {
		if it, ok := p.in.Changed[c.Key]; ok {
			consider(it)
		}
	}
	for _, it := range p.in.New {
		consider(it)
	}
	for _, it := range p.in.Open {
		consider(it)
	}
	return out
}

func reminderKey(it *watcher.Item, days int, loc *time.Location) string {
	return "reminder:" + it.Key + ":" + it.Deadline.In(loc).Format(time.DateOnly) + ":" + strconv.Itoa(days)
}

// health announces the sources that went bad, or recovered: one alert for
// one source, and one alert for all of them when several changed in the
// same run (a network outage on the machine itself turns every source
// unreachable at once, and that is one problem, not twenty).
func (p *planner) health(changes []HealthChange) {
	var news []HealthChange
	for _, h := range changes {
		if h.From == h.To || (!bad(h.To) && !bad(h.From)) {
			continue // healthy ↔ quiet, or the first check of a working source
		}
		if h.At.IsZero() {
			h.At = p.in.Now
		}
		news = append(news, h)
	}
	switch len(news) {
	case 0:
		return
	case 1:
		h := news[0]
		key := "health:" + h.SourceID + ":" + string(h.To) + ":" + strconv.FormatInt(h.At.Unix(), 10)
		subject, body := render(string(watcher.AlertSourceHealth), healthData(p, h, h.At))
		p.add(watcher.Alert{
			Key: key, Kind: watcher.AlertSourceHealth, Audience: watcher.AudienceAdmin,
			Subject: subject, Body: body, SourceID: h.SourceID, Created: p.in.Now,
		})
		return
	}
	slices.SortStableFunc(news, func(a, b HealthChange) int {
		// The failing first, then by id: the order of the list in the text.
		if bad(a.To) != bad(b.To) {
			if bad(a.To) {
				return -1
			}
			return 1
		}
		return strings.Compare(a.SourceID, b.SourceID)
	})
	subject, body := render("source_health_group", healthGroupData(p, news))
	p.add(watcher.Alert{
		Key: healthGroupKey(news, p.in.Now), Kind: watcher.AlertSourceHealth, Audience: watcher.AudienceAdmin,
		Subject: subject, Body: body, Created: p.in.Now,
	})
}

// healthGroupKey is "health:<n>-sources:<unix run time>:<hash>", the hash
// over the sorted "source=state" pairs: the same run's changes give the
// same key, so planning them twice queues one alert.
func healthGroupKey(news []HealthChange, now time.Time) string {
	pairs := make([]string, len(news))
	for i, h := range news {
		pairs[i] = h.SourceID + "=" + string(h.To)
	}
	slices.Sort(pairs)
	sum := sha256.Sum256([]byte(strings.Join(pairs, "\n")))
	return "health:" + strconv.Itoa(len(news)) + "-sources:" + strconv.FormatInt(now.Unix(), 10) + ":" + hex.EncodeToString(sum[:6])
}

func bad(s watcher.HealthState) bool {
	switch s {
	case watcher.HealthDegraded, watcher.HealthBroken, watcher.HealthBlocked, watcher.HealthUnreachable:
		return true
	}
	return false
}

func (p *planner) itemAlert(kind watcher.AlertKind, key string, it *watcher.Item, data any) watcher.Alert {
	subject, body := render(string(kind), data)
	return watcher.Alert{
		Key: key, Kind: kind, Audience: watcher.AudienceEditor,
		Subject: subject, Body: body,
		// In loc, so that the outbox keeps the zone and a webhook's
		// deadline date is the day it is here, not in UTC.
		ItemKey: it.Key, SourceID: it.SourceID, URL: it.URL, Deadline: inZone(it.Deadline, p.loc),
		Created: p.in.Now,
	}
}

// inZone returns t in loc; a zero t stays zero.
func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}

// add appends a, unless an alert with its key is already planned.
func (p *planner) add(a watcher.Alert) {
	if p.keys[a.Key] {
		return
	}
	p.keys[a.Key] = true
	p.out = append(p.out, a)
}

// Routes maps each audience to its configured channel names, for
// state.Store.EnqueueAlerts. AudienceNone has none.
func Routes(cfg config.Alerts) map[watcher.Audience][]string {
	return map[watcher.Audience][]string{
		watcher.AudienceEditor: slices.Clone(cfg.Editor),
		watcher.AudienceAdmin:  slices.Clone(cfg.Admin),
	}
}
