package alerts

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"watcher"
)

const prodID = "-//watcher//Høringsfrister//NO"

func calendarItems() []watcher.Item {
	a := hearing("regjeringen:3167072", "Høring – endringer i utlendingsforskriften om beskyttelse for ofre for menneskehandel; tiltak, plan og «vern», med mer", day(2023, 11, 6))
	a.Relevance.Matches = []watcher.Match{{Term: "menneskehandel", Field: "title", Weight: 15}}
	b := hearing("regjeringen:3170001", "Høring om drikkevannsforskriften", day(2023, 11, 1))
	b.Relevance = watcher.Relevance{}
	b.Ministries = nil
	b.Organisation = "Helse- og omsorgsdepartementet"
	noDeadline := hearing("regjeringen:3170002", "Høring uten frist", time.Time{})
	return []watcher.Item{a, b, noDeadline}
}

// decodeCalendar parses with emersion/go-ical, a different library from
// the one that writes.
func decodeCalendar(t *testing.T, b []byte) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("independent parser: %v\n%s", err, b)
	}
	return cal
}

func text(t *testing.T, props ical.Props, name string) string {
	t.Helper()
	s, err := props.Text(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func TestCalendar(t *testing.T) {
	now := at(2023, 10, 30, 9)
	out, err := Calendar(calendarItems(), now, oslo, prodID)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.SplitAfter(string(out), "\r\n") {
		if strings.Contains(strings.TrimSuffix(line, "\r\n"), "\n") {
			t.Errorf("line %d has a bare line feed: %q", i+1, line)
		}
		if len(strings.TrimSuffix(line, "\r\n")) > 75 {
			t.Errorf("line %d is longer than 75 octets: %q", i+1, line)
		}
	}
	cal := decodeCalendar(t, out)
	if got := text(t, cal.Props, "PRODID"); got != prodID {
		t.Errorf("PRODID %q", got)
	}
	if got := text(t, cal.Props, "X-WR-CALNAME"); got != "Høringsfrister" {
		t.Errorf("X-WR-CALNAME %q", got)
	}
	if got := text(t, cal.Props, "VERSION"); got != "2.0" {
		t.Errorf("VERSION %q", got)
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d events, want 2 (the item without a deadline is left out)", len(events))
	}
	// Soonest deadline first.
	first, second := events[0], events[1]
	if uid := text(t, first.Props, "UID"); uid != "regjeringen:3170001@watcher" {
		t.Errorf("first UID %q", uid)
	}
	ev := second
	if uid := text(t, ev.Props, "UID"); uid != "regjeringen:3167072@watcher" {
		t.Errorf("UID %q", uid)
	}
	start := ev.Props.Get("DTSTART")
	if start.ValueType() != ical.ValueDate || start.Value != "20231106" {
		t.Errorf("DTSTART %+v, want the date 20231106", start)
	}
	if end := ev.Props.Get("DTEND"); end.Value != "20231107" || end.ValueType() != ical.ValueDate {
		t.Errorf("DTEND %+v", end)
	}
	if stamp, err := ev.Props.DateTime("DTSTAMP", nil); err != nil || !stamp.Equal(now) {
		t.Errorf("DTSTAMP %v %v", stamp, err)
	}
	if got := text(t, ev.Props, "SUMMARY"); got != "Høringsfrist: Høring – endringer i utlendingsforskriften om beskyttelse for ofre for menneskehandel; tiltak, plan og «vern», med mer" {
		t.Errorf("SUMMARY %q", got)
	}
	wantDesc := "Høringsfrist 6. november 2023.\nDepartement: Justis- og beredskapsdepartementet\nStatus: på høring\n" +
		"Treff: menneskehandel (tittel)\nLenke: https://www.regjeringen.no/no/dokumenter/3167072/"
	if got := text(t, ev.Props, "DESCRIPTION"); got != wantDesc {
		t.Errorf("DESCRIPTION\n got %q\nwant %q", got, wantDesc)
	}
	if got := text(t, first.Props, "DESCRIPTION"); !strings.Contains(got, "Utgiver: Helse- og omsorgsdepartementet") || strings.Contains(got, "Treff") {
		t.Errorf("DESCRIPTION of the unrelated hearing %q", got)
	}
	if u := ev.Props.Get("URL"); u == nil || u.Value != "https://www.regjeringen.no/no/dokumenter/3167072/" {
		t.Errorf("URL %+v", u)
	}
	if seq, err := ev.Props.Get("SEQUENCE").Int(); err != nil || seq != 0 {
		t.Errorf("SEQUENCE %d %v", seq, err)
	}
	var alarms []*ical.Component
	for _, c := range ev.Children {
		if c.Name == ical.CompAlarm {
			alarms = append(alarms, c)
		}
	}
	if len(alarms) != 1 {
		t.Fatalf("%d alarms", len(alarms))
	}
	if action := alarms[0].Props.Get("ACTION"); action == nil || action.Value != "DISPLAY" {
		t.Errorf("ACTION %+v", action)
	}
	if trig, err := alarms[0].Props.Get("TRIGGER").Duration(); err != nil || trig != -7*24*time.Hour {
		t.Errorf("TRIGGER %v %v", trig, err)
	}
	if d := text(t, alarms[0].Props, "DESCRIPTION"); !strings.HasPrefix(d, "Høringsfrist om 7 dager: Høring – endringer") {
		t.Errorf("alarm DESCRIPTION %q", d)
	}
}

// TestCalendarStableUIDs renders on two days, the second after a moved
// deadline: the same UIDs, the moved event with a higher SEQUENCE and the
// new date, so calendar clients update rather than duplicate.
func TestCalendarStableUIDs(t *testing.T) {
	items := calendarItems()
	first, err := Calendar(items, at(2023, 10, 30, 9), oslo, prodID)
	if err != nil {
		t.Fatal(err)
	}
	items[0].Deadline = day(2023, 11, 20)
	items[0].Changes = 1
	slicesReverse(items) // order of the input does not matter
	second, err := Calendar(items, at(2023, 10, 31, 9), oslo, prodID)
	if err != nil {
		t.Fatal(err)
	}
	uids := func(b []byte) map[string]*ical.Event {
		m := map[string]*ical.Event{}
		for _, ev := range decodeCalendar(t, b).Events() {
			m[text(t, ev.Props, "UID")] = &ev
		}
		return m
	}
	before, after := uids(first), uids(second)
	if len(before) != 2 || len(after) != 2 {
		t.Fatalf("events %d, %d", len(before), len(after))
	}
	for uid := range before {
		if after[uid] == nil {
			t.Errorf("UID %s missing from the second calendar", uid)
		}
	}
	moved := after["regjeringen:3167072@watcher"]
	if moved.Props.Get("DTSTART").Value != "20231120" {
		t.Errorf("moved DTSTART %q", moved.Props.Get("DTSTART").Value)
	}
	if seq, _ := moved.Props.Get("SEQUENCE").Int(); seq != 1 {
		t.Errorf("moved SEQUENCE %d, want 1", seq)
	}
	// Rendering the same input twice gives the same bytes.
	again, _ := Calendar(items, at(2023, 10, 31, 9), oslo, prodID)
	if !bytes.Equal(again, second) {
		t.Error("two renders of the same input differ")
	}
}

func TestCalendarEmptyAndErrors(t *testing.T) {
	out, err := Calendar(nil, at(2023, 10, 30, 9), nil, prodID)
	if err != nil {
		t.Fatal(err)
	}
	if cal := decodeCalendar(t, out); len(cal.Events()) != 0 {
		t.Errorf("events in an empty calendar")
	}
	if _, err := Calendar(nil, time.Now(), nil, ""); err == nil {
		t.Error("empty product id accepted")
	}
}

func slicesReverse(items []watcher.Item) {
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
}
