package alerts

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"watcher"
)

// atMin is a wall-clock time in Oslo.
func atMin(y int, m time.Month, d, h, mi int) time.Time { return time.Date(y, m, d, h, mi, 0, 0, oslo) }

// In 2026 the clocks in Oslo change on 29 March (02:00 CET → 03:00 CEST)
// and on 25 October (03:00 CEST → 02:00 CET).

// TestRemindersAroundClockChanges plans the reminders of a deadline on the
// day after each change, seen late in the evening and just after midnight,
// for a deadline stored at midnight in Oslo (as the adapters store a date
// without a time), at the end of its day, and at midnight UTC.
func TestRemindersAroundClockChanges(t *testing.T) {
	autumn := day(2026, 10, 26)
	spring := day(2026, 3, 30)
	tests := map[string]struct {
		now      time.Time
		deadline time.Time
		want     []string
		text     string // the reminder's countdown, when one is sent
	}{
		"24 Oct 23:30: two days": {now: atMin(2026, 10, 24, 23, 30), deadline: autumn, text: "(om 2 dager)", want: []string{
			"reminder:r:1:2026-10-26:2", "reminder:r:1:2026-10-26:7 (covered)", "reminder:r:1:2026-10-26:14 (covered)",
		}},
		"24 Oct 23:30, end-of-day deadline": {now: atMin(2026, 10, 24, 23, 30), deadline: atMin(2026, 10, 26, 23, 59), text: "(om 2 dager)", want: []string{
			"reminder:r:1:2026-10-26:2", "reminder:r:1:2026-10-26:7 (covered)", "reminder:r:1:2026-10-26:14 (covered)",
		}},
		"24 Oct 23:30, deadline at midnight UTC": {now: atMin(2026, 10, 24, 23, 30), deadline: time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC), text: "(om 2 dager)", want: []string{
			"reminder:r:1:2026-10-26:2", "reminder:r:1:2026-10-26:7 (covered)", "reminder:r:1:2026-10-26:14 (covered)",
		}},
		"23 Oct 23:59: three days, the 7-day one": {now: atMin(2026, 10, 23, 23, 59), deadline: autumn, text: "(om 3 dager)", want: []string{
			"reminder:r:1:2026-10-26:7", "reminder:r:1:2026-10-26:14 (covered)",
		}},
		"19 Oct 00:00: seven days": {now: atMin(2026, 10, 19, 0, 0), deadline: autumn, text: "(om 7 dager)", want: []string{
			"reminder:r:1:2026-10-26:7", "reminder:r:1:2026-10-26:14 (covered)",
		}},
		"18 Oct 23:59: eight days": {now: atMin(2026, 10, 18, 23, 59), deadline: autumn, text: "(om 8 dager)", want: []string{
			"reminder:r:1:2026-10-26:14",
		}},
		"12 Oct 00:00: fourteen days": {now: atMin(2026, 10, 12, 0, 0), deadline: autumn, text: "(om 14 dager)", want: []string{
			"reminder:r:1:2026-10-26:14",
		}},
		"11 Oct 23:59: fifteen days": {now: atMin(2026, 10, 11, 23, 59), deadline: autumn},
		"the changing night, 02:30 CEST": {now: time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), deadline: autumn, text: "(i morgen)", want: []string{
			"reminder:r:1:2026-10-26:2", "reminder:r:1:2026-10-26:7 (covered)", "reminder:r:1:2026-10-26:14 (covered)",
		}},
		"deadline day 00:30: still open": {now: atMin(2026, 10, 26, 0, 30), deadline: autumn, text: "(i dag)", want: []string{
			"reminder:r:1:2026-10-26:2", "reminder:r:1:2026-10-26:7 (covered)", "reminder:r:1:2026-10-26:14 (covered)",
		}},
		"deadline day 23:59: still open": {now: atMin(2026, 10, 26, 23, 59), deadline: autumn, text: "(i dag)", want: []string{
			"reminder:r:1:2026-10-26:2", "reminder:r:1:2026-10-26:7 (covered)", "reminder:r:1:2026-10-26:14 (covered)",
		}},
		"the day after 00:30: passed":                    {now: atMin(2026, 10, 27, 0, 30), deadline: autumn},
		"the day after, end-of-day deadline: passed":     {now: atMin(2026, 10, 27, 0, 30), deadline: atMin(2026, 10, 26, 23, 59)},
		"the day after, 00:00 exactly: passed":           {now: atMin(2026, 10, 27, 0, 0), deadline: autumn},
		"28 Mar 00:00, before the spring change: 2 days": {now: atMin(2026, 3, 28, 0, 0), deadline: spring, text: "(om 2 dager)", want: []string{"reminder:r:1:2026-03-30:2", "reminder:r:1:2026-03-30:7 (covered)", "reminder:r:1:2026-03-30:14 (covered)"}},
		"27 Mar 23:59: 3 days":                           {now: atMin(2026, 3, 27, 23, 59), deadline: spring, text: "(om 3 dager)", want: []string{"reminder:r:1:2026-03-30:7", "reminder:r:1:2026-03-30:14 (covered)"}},
		"16 Mar 00:00: 14 days over the change":          {now: atMin(2026, 3, 16, 0, 0), deadline: spring, text: "(om 14 dager)", want: []string{"reminder:r:1:2026-03-30:14"}},
		"15 Mar 23:59: 15 days":                          {now: atMin(2026, 3, 15, 23, 59), deadline: spring},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			it := hearing("r:1", "Høring om menneskehandel", tc.deadline)
			as := Plan(PlanInput{Now: tc.now, Open: []watcher.Item{it}})
			if got := keys(as); !slices.Equal(got, tc.want) {
				t.Errorf("alerts %q, want %q", got, tc.want)
			}
			for _, a := range as {
				if a.Audience == AudienceNone {
					continue
				}
				if !strings.HasSuffix(a.Subject, tc.text) {
					t.Errorf("subject %q, want it to end with %q", a.Subject, tc.text)
				}
				if want := "høringsfristen for «Høring om menneskehandel» er " + tc.deadline.In(oslo).Format("2") + ". "; !strings.Contains(a.Subject, want) {
					t.Errorf("subject %q lacks %q", a.Subject, want)
				}
			}
		})
	}
}

// TestNewHearingOnItsLastDay announces a consultation found on its
// deadline day ("i dag"), and not one found the day after.
func TestNewHearingOnItsLastDay(t *testing.T) {
	it := hearing("r:1", "Høring om menneskehandel", day(2026, 10, 26))
	as := Plan(PlanInput{Now: atMin(2026, 10, 26, 0, 30), New: []watcher.Item{it}})
	if len(as) == 0 || as[0].Key != "new:r:1" || !strings.Contains(as[0].Body, "Høringsfrist 26. oktober 2026 (i dag).") {
		t.Errorf("on the deadline day: %q %+v", keys(as), as)
	}
	if as := Plan(PlanInput{Now: atMin(2026, 10, 27, 0, 30), New: []watcher.Item{it}}); len(as) != 0 {
		t.Errorf("the day after: %q, want nothing", keys(as))
	}
}

// TestDeadlineFromListingIsItsDayEverywhere follows a deadline read as
// "Høringsfrist: 07.08.2026" (midnight in Oslo, 22:00 UTC the day before)
// and one in winter through the alert texts, the keys, the webhook's
// JSON after the outbox's round trip, and the calendar.
func TestDeadlineFromListingIsItsDayEverywhere(t *testing.T) {
	tests := map[string]struct {
		deadline      time.Time // as stored: UTC
		date, long    string
		start, end    string
		now           time.Time
		wantCountdown string
	}{
		"summer": {deadline: time.Date(2026, 8, 6, 22, 0, 0, 0, time.UTC), date: "2026-08-07", long: "7. august 2026",
			start: "20260807", end: "20260808", now: atMin(2026, 8, 5, 23, 30), wantCountdown: "om 2 dager"},
		"winter": {deadline: time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC), date: "2026-12-07", long: "7. desember 2026",
			start: "20261207", end: "20261208", now: atMin(2026, 12, 5, 23, 30), wantCountdown: "om 2 dager"},
		"day after the autumn change": {deadline: time.Date(2026, 10, 25, 23, 0, 0, 0, time.UTC), date: "2026-10-26", long: "26. oktober 2026",
			start: "20261026", end: "20261027", now: atMin(2026, 10, 24, 23, 30), wantCountdown: "om 2 dager"},
		"the autumn change day": {deadline: time.Date(2026, 10, 24, 22, 0, 0, 0, time.UTC), date: "2026-10-25", long: "25. oktober 2026",
			start: "20261025", end: "20261026", now: atMin(2026, 10, 23, 0, 30), wantCountdown: "om 2 dager"},
		"the spring change day": {deadline: time.Date(2026, 3, 28, 23, 0, 0, 0, time.UTC), date: "2026-03-29", long: "29. mars 2026",
			start: "20260329", end: "20260330", now: atMin(2026, 3, 27, 23, 30), wantCountdown: "om 2 dager"},
		"end of the year": {deadline: time.Date(2026, 12, 30, 23, 0, 0, 0, time.UTC), date: "2026-12-31", long: "31. desember 2026",
			start: "20261231", end: "20270101", now: atMin(2026, 12, 29, 0, 30), wantCountdown: "om 2 dager"},
		"end of February": {deadline: time.Date(2027, 2, 27, 23, 0, 0, 0, time.UTC), date: "2027-02-28", long: "28. februar 2027",
			start: "20270228", end: "20270301", now: atMin(2027, 2, 26, 12, 0), wantCountdown: "om 2 dager"},
		"end of its day in Oslo": {deadline: time.Date(2026, 8, 7, 21, 59, 0, 0, time.UTC), date: "2026-08-07", long: "7. august 2026",
			start: "20260807", end: "20260808", now: atMin(2026, 8, 5, 23, 30), wantCountdown: "om 2 dager"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			it := hearing("r:1", "Høring om menneskehandel", tc.deadline)
			as := Plan(PlanInput{Now: tc.now, New: []watcher.Item{it}})
			if len(as) == 0 {
				t.Fatal("no alert")
			}
			a := as[0]
			if want := "Høringsfrist " + tc.long + " (" + tc.wantCountdown + ")."; !strings.Contains(a.Body, want) {
				t.Errorf("body lacks %q:\n%s", want, a.Body)
			}
			for _, r := range as[1:] {
				if !strings.Contains(r.Key, ":"+tc.date+":") {
					t.Errorf("reminder key %q lacks the day %s", r.Key, tc.date)
				}
			}
			// The outbox keeps the alert as JSON; the webhook writes the
			// deadline's date from what comes back.
			b, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			var back watcher.Alert
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			w := &Webhook{format: FormatJSON}
			payload, err := w.payload(back)
			if err != nil {
				t.Fatal(err)
			}
			var j struct{ Deadline string }
			if err := json.Unmarshal(payload, &j); err != nil || j.Deadline != tc.date {
				t.Errorf("webhook deadline %q (%v), want %s", j.Deadline, err, tc.date)
			}

			out, err := Calendar([]watcher.Item{it}, tc.now, nil, prodID)
			if err != nil {
				t.Fatal(err)
			}
			evs := decodeCalendar(t, out).Events()
			if len(evs) != 1 {
				t.Fatalf("%d events", len(evs))
			}
			start, end := evs[0].Props.Get(ical.PropDateTimeStart), evs[0].Props.Get(ical.PropDateTimeEnd)
			if start.ValueType() != ical.ValueDate || start.Value != tc.start || start.Params.Get(ical.ParamTimezoneID) != "" {
				t.Errorf("DTSTART %+v, want the date %s", start, tc.start)
			}
			if end.ValueType() != ical.ValueDate || end.Value != tc.end {
				t.Errorf("DTEND %+v, want the date %s (exclusive: the day after)", end, tc.end)
			}
			if d := text(t, evs[0].Props, ical.PropDescription); !strings.HasPrefix(d, "Høringsfrist "+tc.long+".") {
				t.Errorf("DESCRIPTION %q", d)
			}
		})
	}
}

// TestCalendarTimestampsAreUTC checks the calendar's timed values:
// DTSTAMP and LAST-MODIFIED are UTC ("…Z"), whatever zone they were
// given in, so no VTIMEZONE is needed.
func TestCalendarTimestampsAreUTC(t *testing.T) {
	it := hearing("r:1", "Høring", day(2026, 10, 26))
	it.LastSeen = time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC).In(oslo) // the first 02:30, summer time
	now := atMin(2026, 10, 25, 23, 30)
	out, err := Calendar([]watcher.Item{it}, now, nil, prodID)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{"DTSTAMP:20261025T223000Z\r\n", "LAST-MODIFIED:20261025T003000Z\r\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("calendar lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "TZID") {
		t.Errorf("calendar names a zone, but has no VTIMEZONE:\n%s", s)
	}
}

// TestMovedOverTheAutumnChange reads a move recorded in UTC across the
// change: midnight in Oslo is 22:00 UTC before it and 23:00 after.
func TestMovedOverTheAutumnChange(t *testing.T) {
	it := hearing("r:1", "Høring om menneskehandel", day(2026, 10, 26))
	c := watcher.Change{Key: "r:1", Field: "deadline", Old: "2026-10-24T22:00:00Z", New: "2026-10-25T23:00:00Z", At: atMin(2026, 10, 20, 6, 0)}
	as := Plan(PlanInput{Now: atMin(2026, 10, 20, 6, 0), Changes: []watcher.Change{c}, Changed: map[string]watcher.Item{"r:1": it}})
	if len(as) == 0 || as[0].Key != "moved:r:1:2026-10-25:2026-10-26" {
		t.Fatalf("alerts %q, want the move 2026-10-25 → 2026-10-26 first", keys(as))
	}
	if want := "er flyttet fra 25. oktober 2026 til 26. oktober 2026 (om 6 dager)"; !strings.Contains(as[0].Body, want) {
		t.Errorf("body lacks %q:\n%s", want, as[0].Body)
	}
	// Midnight in Oslo both times, one hour apart in UTC: the same day,
	// not a move.
	same := watcher.Change{Key: "r:1", Field: "deadline", Old: "2026-10-25T23:00:00Z", New: "2026-10-26T00:00:00+01:00"}
	if _, _, ok := DeadlineMove(same, nil); ok {
		t.Errorf("DeadlineMove(%q → %q) is a move", same.Old, same.New)
	}
}
