package alerts

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"watcher"
	"watcher/dates"
)

// CalendarName is the calendar's display name (X-WR-CALNAME).
const CalendarName = "Høringsfrister"

// alarmDays is how many days before the deadline each event's reminder
// goes off, at midnight of that day in the calendar client's zone; the
// trigger and the reminder's text both follow from it.
const alarmDays = 7

// Calendar renders an iCalendar file (RFC 5545) with one all-day event on
// the deadline of each consultation in items; items without a deadline are
// left out. Each event's UID is "<item key>@watcher", the same in every
// file, so a subscribed calendar updates its events rather than adding
// new ones, and its SEQUENCE is the item's number of recorded changes, so
// a moved deadline supersedes the old one. DTSTAMP is now. Dates are the
// deadlines' calendar days in loc (nil: Europe/Oslo).
func Calendar(items []watcher.Item, now time.Time, loc *time.Location, prodID string) ([]byte, error) {
	if loc == nil {
		loc = dates.Oslo()
	}
	if prodID == "" {
		return nil, errors.New("alerts: calendar: empty product id")
	}
	cal := ics.NewCalendar()
	cal.SetProductId(prodID)
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetName(CalendarName)
	cal.SetXWRCalName(CalendarName)
	cal.SetXWRCalDesc("Høringsfrister fra watcher")
	cal.SetRefreshInterval("PT12H")
	cal.SetXPublishedTTL("PT12H")

	sorted := make([]*watcher.Item, 0, len(items))
	for i := range items {
		if !items[i].Deadline.IsZero() && items[i].Key != "" {
			sorted = append(sorted, &items[i])
		}
	}
	slices.SortStableFunc(sorted, func(a, b *watcher.Item) int {
		if c := a.Deadline.Compare(b.Deadline); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	seen := map[string]bool{}
	for _, it := range sorted {
		if seen[it.Key] {
			continue
		}
		seen[it.Key] = true
		addEvent(cal, it, now, loc)
	}
	var b strings.Builder
	// RFC 5545 lines end in CRLF; the library's default is the host's.
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("alerts: calendar: %w", err)
	}
	return []byte(b.String()), nil
}

func addEvent(cal *ics.Calendar, it *watcher.Item, now time.Time, loc *time.Location) {
	d := it.Deadline.In(loc)
	start := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	title := oneLine(it.Title)
	if title == "" {
		title = it.URL
	}
	ev := cal.AddEvent(it.Key + "@watcher")
	ev.SetDtStampTime(now)
	ev.SetAllDayStartAt(start)
	ev.SetAllDayEndAt(start.AddDate(0, 0, 1))
	ev.SetSequence(it.Changes)
	ev.SetSummary("Høringsfrist: " + title)
	ev.SetDescription(eventDescription(it, loc))
	ev.SetTimeTransparency(ics.TransparencyTransparent) // a deadline does not make anyone busy
	if it.URL != "" {
		ev.SetURL(it.URL)
	}
	if !it.LastSeen.IsZero() {
		ev.SetModifiedAt(it.LastSeen)
	}
	if it.Relevance.Relevant {
		ev.AddCategory("Relevant")
	}
	alarm := ev.AddAlarm()
	alarm.SetAction(ics.ActionDisplay)
	alarm.SetTrigger("-P" + strconv.Itoa(alarmDays) + "D")
	alarm.SetProperty(ics.ComponentPropertyDescription, "Høringsfrist "+dates.Countdown(alarmDays)+": "+title)
}

// eventDescription is the event's text: ministry, status, relevance, link.
func eventDescription(it *watcher.Item, loc *time.Location) string {
	var lines []string
	lines = append(lines, "Høringsfrist "+dates.Long(it.Deadline, loc)+".")
	if len(it.Ministries) > 0 {
		lines = append(lines, "Departement: "+strings.Join(it.Ministries, ", "))
	} else if it.Organisation != "" {
		lines = append(lines, "Utgiver: "+it.Organisation)
	}
	lines = append(lines, "Status: "+StatusWord(it.Status))
	if w := why(it.Relevance.Matches); it.Relevance.Relevant && w != "" {
		lines = append(lines, "Treff: "+w)
	}
	if it.URL != "" {
		lines = append(lines, "Lenke: "+it.URL)
	}
	return strings.Join(lines, "\n")
}
