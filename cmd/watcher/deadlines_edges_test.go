package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/state"
	"watcher/web"
)

// deadlineStore writes consultations with the given deadlines (key →
// instant) into a new database and returns its path.
func deadlineStore(t *testing.T, seen time.Time, deadlines map[string]time.Time) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "watcher.db")
	st, err := state.Open(db, state.Options{Now: func() time.Time { return seen }})
	if err != nil {
		t.Fatal(err)
	}
	var items []watcher.Item
	for key, d := range deadlines {
		items = append(items, watcher.Item{Key: key, SourceID: "regjeringen-horinger", URL: "https://example.org/" + key,
			Title: "Høring " + key, Kind: watcher.KindHearing, Published: seen.AddDate(0, -1, 0), Deadline: d,
			Status: watcher.StatusOpen, Relevance: watcher.Relevance{Score: 2, Relevant: true}})
	}
	if _, err := st.ApplyBatch(state.SourceBatch{SourceID: "regjeringen-horinger", Seen: seen, Items: items}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestDeadlinesAtDayAndClockEdges lists deadlines just after midnight and
// with --within over the clock changes of 2026 (29 March and 25 October
// in Oslo): "today or later" is today's date in Oslo, and --within N days
// ends with the last of those N days, whatever the length of the days
// between.
func TestDeadlinesAtDayAndClockEdges(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h, mi int) time.Time { return time.Date(y, m, d, h, mi, 0, 0, oslo) }
	day := func(y int, m time.Month, d int) time.Time { return at(y, m, d, 0, 0).UTC() }
	cfg := hearingsConfig(t, "http://127.0.0.1:9")

	tests := map[string]struct {
		now       time.Time
		args      []string
		deadlines map[string]time.Time
		want      []string // key, day, days left
	}{
		"00:30 on the autumn change day": {
			now: at(2026, 10, 25, 0, 30),
			deadlines: map[string]time.Time{
				"yesterday": day(2026, 10, 24), "yesterday-late": at(2026, 10, 24, 23, 59).UTC(),
				"today": day(2026, 10, 25), "today-late": at(2026, 10, 25, 23, 59).UTC(), "tomorrow": day(2026, 10, 26),
			},
			want: []string{"today 2026-10-25 0", "today-late 2026-10-25 0", "tomorrow 2026-10-26 1"},
		},
		"00:30 after the spring change": {
			now:       at(2026, 3, 30, 0, 30),
			deadlines: map[string]time.Time{"yesterday": day(2026, 3, 29), "today": day(2026, 3, 30), "utc-midnight-today": time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC)},
			want:      []string{"today 2026-03-30 0", "utc-midnight-today 2026-03-30 0"},
		},
		"--all shows yesterday": {
			now: at(2026, 10, 25, 0, 30), args: []string{"--all"},
			deadlines: map[string]time.Time{"yesterday": day(2026, 10, 24), "today": day(2026, 10, 25)},
			want:      []string{"yesterday 2026-10-24 -1", "today 2026-10-25 0"},
		},
		"--within 14d over the spring change": {
			now: at(2026, 3, 20, 0, 30), args: []string{"--within", "14d"},
			deadlines: map[string]time.Time{"d14": day(2026, 4, 3), "d14-late": at(2026, 4, 3, 23, 30).UTC(), "d15": day(2026, 4, 4)},
			want:      []string{"d14 2026-04-03 14", "d14-late 2026-04-03 14"},
		},
		"--within 2w over the autumn change": {
			now: at(2026, 10, 20, 23, 30), args: []string{"--within", "2w"},
			deadlines: map[string]time.Time{"d14": day(2026, 11, 3), "d14-late": at(2026, 11, 3, 23, 30).UTC(), "d15": day(2026, 11, 4)},
			want:      []string{"d14 2026-11-03 14", "d14-late 2026-11-03 14"},
		},
		"--within 72h over the autumn change": {
			now: at(2026, 10, 23, 12, 0), args: []string{"--within", "72h"},
			deadlines: map[string]time.Time{"d3": day(2026, 10, 26), "d3-late": at(2026, 10, 26, 23, 30).UTC(), "d4": day(2026, 10, 27)},
			want:      []string{"d3 2026-10-26 3", "d3-late 2026-10-26 3"},
		},
		"--within 0d is today": {
			now: at(2026, 10, 25, 0, 30), args: []string{"--within", "0d"},
			deadlines: map[string]time.Time{"today-late": at(2026, 10, 25, 23, 59).UTC(), "tomorrow": day(2026, 10, 26)},
			want:      []string{"today-late 2026-10-25 0"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			db := deadlineStore(t, tc.now.AddDate(0, 0, -20), tc.deadlines)
			args := append([]string{"deadlines", "--config", cfg, "--db", db, "--json"}, tc.args...)
			out, log, err := cli(t, tc.now, args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, log)
			}
			var rows []deadlineRow
			if err := json.Unmarshal([]byte(out), &rows); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			var got []string
			for _, r := range rows {
				got = append(got, fmt.Sprintf("%s %s %d", r.Key, r.Day, r.DaysLeft))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("deadlines %s at %s:\n got %q\nwant %q", strings.Join(tc.args, " "), tc.now, got, tc.want)
			}
		})
	}
}

// TestDeadlinesTableAndCalendarAtMidnight checks the table and the
// calendar written just after midnight: today's deadline is "i dag" and
// in the calendar, yesterday's in neither.
func TestDeadlinesTableAndCalendarAtMidnight(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, oslo).UTC() }
	now := time.Date(2026, 10, 26, 0, 30, 0, 0, oslo)
	cfg := hearingsConfig(t, "http://127.0.0.1:9")
	db := deadlineStore(t, now.AddDate(0, 0, -20), map[string]time.Time{
		"yesterday": day(2026, 10, 25), "today": day(2026, 10, 26), "in-two-days": day(2026, 10, 28),
	})
	ics := filepath.Join(t.TempDir(), "frister.ics")
	out, log, err := cli(t, now, "deadlines", "--config", cfg, "--db", db, "--ics", ics)
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	inOrder := []string{"26. oktober 2026", "i dag", "Høring today", "28. oktober 2026", "om 2 dager", "Høring in-two-days", "2 høringer"}
	rest := out
	for _, w := range inOrder {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("table lacks %q after the earlier parts:\n%s", w, out)
		}
		rest = rest[i+len(w):]
	}
	if strings.Contains(out, "25. oktober") || strings.Contains(out, "i går") {
		t.Errorf("table shows yesterday's deadline:\n%s", out)
	}
	got := calendarEvents(t, readFile(t, ics))
	want := map[string]string{"today@watcher": "20261026", "in-two-days@watcher": "20261028"}
	if len(got) != len(want) || got["today@watcher"] != want["today@watcher"] || got["in-two-days@watcher"] != want["in-two-days@watcher"] {
		t.Errorf("calendar events %v, want %v", got, want)
	}
}

// TestDeadlinesCalendarLeavesOutConcluded: the file --ics writes holds what
// serve's /calendar.ics holds: a consultation the site has concluded is
// listed in the table with its status, but is not a date to keep.
func TestDeadlinesCalendarLeavesOutConcluded(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 20, 9, 0, 0, 0, oslo)
	day := func(d int) time.Time { return time.Date(2026, 10, d, 0, 0, 0, 0, oslo).UTC() }
	db := deadlineStore(t, now.AddDate(0, 0, -20), map[string]time.Time{"open": day(28), "withdrawn": day(30)})
	st, err := state.Open(db, state.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyBatch(state.SourceBatch{SourceID: "regjeringen-horinger", Seen: now.AddDate(0, 0, -1), Items: []watcher.Item{
		{Key: "withdrawn", SourceID: "regjeringen-horinger", Status: watcher.StatusConcluded, StatusRaw: "Ferdigbehandlet"},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	ics := filepath.Join(t.TempDir(), "frister.ics")
	out, log, err := cli(t, now, "deadlines", "--config", hearingsConfig(t, "http://127.0.0.1:9"), "--db", db, "--ics", ics)
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	if !strings.Contains(out, "Høring withdrawn") || !strings.Contains(out, "ferdigbehandlet") {
		t.Errorf("the table lacks the concluded consultation with its status:\n%s", out)
	}
	file := readFile(t, ics)
	if got := calendarEvents(t, file); len(got) != 1 || got["open@watcher"] != "20261028" {
		t.Errorf("calendar events %v, want only open@watcher on 20261028", got)
	}
	if want := "\r\nPRODID:" + web.CalendarProdID + "\r\n"; !strings.Contains(file, want) {
		t.Errorf("calendar lacks %q, the PRODID of /calendar.ics:\n%s", want, file)
	}
}
