package alerts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/state"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// recorder is a channel that records what it was asked to send.
type recorder struct {
	name string
	mu   sync.Mutex
	sent []watcher.Alert
	fail error               // when set, Send fails with it
	hook func(watcher.Alert) // called after recording, before returning
}

func (r *recorder) Name() string { return r.name }

func (r *recorder) Send(_ context.Context, a watcher.Alert) error {
	r.mu.Lock()
	if r.fail != nil {
		r.mu.Unlock()
		return r.fail
	}
	r.sent = append(r.sent, a)
	hook := r.hook
	r.mu.Unlock()
	if hook != nil {
		hook(a)
	}
	return nil
}

func (r *recorder) count(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, a := range r.sent {
		if a.Key == key {
			n++
		}
	}
	return n
}

func openStore(t *testing.T, path string) *state.Store {
	t.Helper()
	st, err := state.Open(path, state.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// sim plays the daily runs the way the runner does: apply the crawl to
// the store, plan from what it reports, enqueue, deliver.
type sim struct {
	t      *testing.T
	path   string
	st     *state.Store
	editor *recorder
	admin  *recorder
	sentOn map[string][]string // alert key → the days it was delivered
	now    time.Time
}

func newSim(t *testing.T) *sim {
	s := &sim{t: t, path: filepath.Join(t.TempDir(), "watcher.db"), sentOn: map[string][]string{}}
	s.st = openStore(t, s.path)
	t.Cleanup(func() { s.st.Close() })
	s.editor = &recorder{name: "epost"}
	s.admin = &recorder{name: "drift"}
	s.editor.hook = func(a watcher.Alert) { s.sentOn[a.Key] = append(s.sentOn[a.Key], s.now.Format(time.DateOnly)) }
	s.admin.hook = s.editor.hook
	return s
}

func (s *sim) channels() map[string]Channel {
	return map[string]Channel{"epost": s.editor, "drift": s.admin}
}

// run is one run at now that saw items.
func (s *sim) run(now time.Time, items ...watcher.Item) {
	s.t.Helper()
	s.now = now
	alerts := s.plan(now, items)
	if _, err := s.st.EnqueueAlerts(alerts, map[watcher.Audience][]string{
		watcher.AudienceEditor: {"epost"}, watcher.AudienceAdmin: {"drift"},
	}); err != nil {
		s.t.Fatal(err)
	}
	if _, failed, err := Deliver(context.Background(), s.st, s.channels(), now, quiet); err != nil || failed != 0 {
		s.t.Fatalf("deliver on %s: %d failed, %v", now.Format(time.DateOnly), failed, err)
	}
}

func (s *sim) plan(now time.Time, items []watcher.Item) []watcher.Alert {
	s.t.Helper()
	res, err := s.st.ApplyBatch(state.SourceBatch{SourceID: "regjeringen-horinger", Seen: now, Items: items})
	if err != nil {
		s.t.Fatal(err)
	}
	in := PlanInput{Now: now, Loc: oslo, Changed: map[string]watcher.Item{}}
	for _, k := range res.New {
		in.New = append(in.New, s.item(k))
	}
	for _, k := range res.Changed {
		in.Changed[k] = s.item(k)
	}
	in.Changes = res.Changes
	d := now.In(oslo)
	in.Open, err = s.st.Deadlines(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, oslo), now.AddDate(2, 0, 0))
	if err != nil {
		s.t.Fatal(err)
	}
	return Plan(in)
}

func (s *sim) item(key string) watcher.Item {
	s.t.Helper()
	it, ok, err := s.st.Item(key)
	if err != nil || !ok {
		s.t.Fatalf("item %s: %v %v", key, ok, err)
	}
	return it
}

// TestDailyRuns simulates two months of daily runs with a moved deadline,
// a missed fortnight, a hearing found late, a second run on one day and a
// status change, and checks that every alert went out exactly once, on
// the right day, and none after a deadline passed.
func TestDailyRuns(t *testing.T) {
	s := newSim(t)
	a := hearing("regjeringen:a", "Høring om endringer i utlendingsforskriften (menneskehandel)", day(2023, 11, 6))
	b := hearing("regjeringen:b", "Høring om handlingsplan mot tvangsarbeid", day(2023, 11, 10))
	c := hearing("regjeringen:c", "Høring om voldserstatning", day(2023, 11, 20))
	d := hearing("regjeringen:d", "Høring om drikkevannsforskriften", day(2023, 11, 8))
	d.Relevance = watcher.Relevance{Score: 0}

	for date := day(2023, 10, 1); !date.After(day(2023, 11, 30)); date = date.AddDate(0, 0, 1) {
		if !date.Before(day(2023, 10, 25)) && !date.After(day(2023, 11, 7)) {
			continue // the server was down: no runs for two weeks
		}
		if date.Equal(day(2023, 10, 24)) {
			a.Deadline = day(2023, 11, 20).UTC() // the ministry extends the deadline
		}
		if date.Equal(day(2023, 11, 21)) {
			a.Status = watcher.StatusDeadlinePassed
		}
		seen := []watcher.Item{a, b, d}
		if !date.Before(day(2023, 11, 15)) {
			seen = append(seen, c) // published late, five days before its deadline
		}
		s.run(date.Add(6*time.Hour), seen...)
		if date.Equal(day(2023, 11, 13)) {
			s.run(date.Add(14*time.Hour), seen...) // a manual run the same afternoon
		}
	}

	want := map[string][]string{
		"new:regjeringen:a":                         {"2023-10-01"},
		"new:regjeringen:b":                         {"2023-10-01"},
		"reminder:regjeringen:a:2023-11-06:14":      {"2023-10-23"},
		"moved:regjeringen:a:2023-11-06:2023-11-20": {"2023-10-24"},
		"reminder:regjeringen:b:2023-11-10:2":       {"2023-11-08"}, // 14 and 7 fell in the outage
		"reminder:regjeringen:a:2023-11-20:14":      {"2023-11-08"}, // late, but the only one due
		"reminder:regjeringen:a:2023-11-20:7":       {"2023-11-13"},
		"new:regjeringen:c":                         {"2023-11-15"}, // its due reminders are covered
		"reminder:regjeringen:a:2023-11-20:2":       {"2023-11-18"},
		"reminder:regjeringen:c:2023-11-20:2":       {"2023-11-18"},
		"status:regjeringen:a:open:deadline_passed": {"2023-11-21"},
	}
	for k, days := range want {
		if got := s.sentOn[k]; !slices.Equal(got, days) {
			t.Errorf("%s sent on %q, want %q", k, got, days)
		}
	}
	for k, days := range s.sentOn {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected alert %s sent on %q", k, days)
		}
	}
	// Covered reminders are known, so they can never be sent later.
	for _, k := range []string{
		"reminder:regjeringen:b:2023-11-10:14", "reminder:regjeringen:b:2023-11-10:7",
		"reminder:regjeringen:c:2023-11-20:14", "reminder:regjeringen:c:2023-11-20:7",
	} {
		if !s.st.AlertKnown(k) {
			t.Errorf("%s not recorded", k)
		}
	}
	if p, err := s.st.Pending(); err != nil || len(p) != 0 {
		t.Errorf("pending after the runs: %v %v", p, err)
	}
	late := s.editor.sent[slices.IndexFunc(s.editor.sent, func(a watcher.Alert) bool {
		return a.Key == "reminder:regjeringen:a:2023-11-20:14"
	})]
	if !strings.Contains(late.Body, "er 20. november 2023 (om 12 dager)") {
		t.Errorf("late reminder body %q", late.Body)
	}
	// The alert came back from the outbox with the deadline in Oslo's
	// zone, so the webhook states the day it is here, not in UTC.
	payload, err := (&Webhook{format: FormatJSON}).payload(late)
	if err != nil || !strings.Contains(string(payload), `"deadline":"2023-11-20"`) {
		t.Errorf("webhook payload of the delivered reminder: %s %v", payload, err)
	}
	moved := s.editor.sent[slices.IndexFunc(s.editor.sent, func(a watcher.Alert) bool { return a.Kind == watcher.AlertDeadlineMoved })]
	if !strings.Contains(moved.Body, "flyttet fra 6. november 2023 til 20. november 2023") {
		t.Errorf("moved body %q", moved.Body)
	}
}

// TestCrashBetweenSendAndMark stops the process after a channel accepted
// a message but before the store recorded it: after a restart, exactly
// that message is sent once more, and nothing else twice.
func TestCrashBetweenSendAndMark(t *testing.T) {
	s := newSim(t)
	a := hearing("regjeringen:a", "Høring om menneskehandel", day(2023, 11, 20))
	b := hearing("regjeringen:b", "Høring om tvangsarbeid", day(2023, 11, 30))
	now := at(2023, 11, 1, 6)

	alerts := s.plan(now, []watcher.Item{a, b})
	if _, err := s.st.EnqueueAlerts(alerts, map[watcher.Audience][]string{watcher.AudienceEditor: {"epost"}}); err != nil {
		t.Fatal(err)
	}
	crash := errors.New("power cut")
	s.editor.hook = func(watcher.Alert) { panic(crash) }
	func() {
		defer func() {
			if r := recover(); r != crash {
				t.Fatalf("recovered %v", r)
			}
		}()
		_, _, _ = Deliver(context.Background(), s.st, s.channels(), now, quiet)
	}()
	first := s.editor.sent[0].Key

	// Restart: reopen the database, run again the same morning and the
	// days after.
	if err := s.st.Close(); err != nil {
		t.Fatal(err)
	}
	s.st = openStore(t, s.path)
	s.editor.hook = nil
	for d := 0; d < 10; d++ {
		s.run(now.AddDate(0, 0, d), a, b)
	}
	for _, k := range []string{"new:regjeringen:a", "new:regjeringen:b", "reminder:regjeringen:a:2023-11-20:14"} {
		want := 1
		if k == first {
			want = 2 // the one documented repeat
		}
		if got := s.editor.count(k); got != want {
			t.Errorf("%s sent %d times, want %d", k, got, want)
		}
	}
	if len(s.editor.sent) != 4 {
		t.Errorf("sent %d messages, want 4: %v", len(s.editor.sent), keys(s.editor.sent))
	}
}

// TestFailingChannel keeps an alert pending while its channel fails and
// sends it on the next run; the other channel is not held back.
func TestFailingChannel(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "watcher.db"))
	defer st.Close()
	now := at(2023, 11, 1, 6)
	alerts := Plan(PlanInput{Now: now, New: []watcher.Item{
		hearing("regjeringen:a", "A", day(2023, 12, 20)),
		hearing("regjeringen:b", "B", day(2023, 12, 21)),
	}})
	if _, err := st.EnqueueAlerts(alerts, map[watcher.Audience][]string{watcher.AudienceEditor: {"epost", "webhook"}}); err != nil {
		t.Fatal(err)
	}
	mail := &recorder{name: "epost", fail: errors.New("dial tcp: connection refused")}
	hook := &recorder{name: "webhook"}
	chans := map[string]Channel{"epost": mail, "webhook": hook}

	sent, failed, err := Deliver(context.Background(), st, chans, now, quiet)
	if err != nil || sent != 2 || failed != 2 {
		t.Fatalf("first run: sent %d failed %d err %v", sent, failed, err)
	}
	pending, _ := st.Pending()
	if len(pending) != 2 {
		t.Fatalf("pending %+v", pending)
	}
	attempts := map[int]int{}
	for _, p := range pending {
		if p.Channel != "epost" {
			t.Errorf("pending on %s", p.Channel)
		}
		attempts[p.Attempts]++
		if p.Attempts == 1 && !strings.Contains(p.LastError, "connection refused") {
			t.Errorf("last error %q", p.LastError)
		}
	}
	// The channel was tried once, not once per alert.
	if attempts[1] != 1 || attempts[0] != 1 {
		t.Errorf("attempts %v, want one tried and one skipped", attempts)
	}

	mail.fail = nil
	sent, failed, err = Deliver(context.Background(), st, chans, now.Add(24*time.Hour), quiet)
	if err != nil || sent != 2 || failed != 0 {
		t.Fatalf("second run: sent %d failed %d err %v", sent, failed, err)
	}
	if got := keys(mail.sent); !slices.Equal(got, []string{"new:regjeringen:b", "new:regjeringen:a"}) &&
		!slices.Equal(got, []string{"new:regjeringen:a", "new:regjeringen:b"}) {
		t.Errorf("mail sent %q", got)
	}
	if pending, _ := st.Pending(); len(pending) != 0 {
		t.Errorf("still pending %+v", pending)
	}
	if len(hook.sent) != 2 {
		t.Errorf("webhook sent %d, want 2 (never twice)", len(hook.sent))
	}
}

// TestDeliverOrder tries the alert with fewer failed attempts first, so an
// alert the channel keeps refusing does not block newer ones.
func TestDeliverOrder(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "watcher.db"))
	defer st.Close()
	now := at(2023, 11, 1, 6)
	routes := map[watcher.Audience][]string{watcher.AudienceEditor: {"hook"}}
	poison := Plan(PlanInput{Now: now, New: []watcher.Item{hearing("regjeringen:poison", "P", day(2023, 12, 20))}})
	if _, err := st.EnqueueAlerts(poison, routes); err != nil {
		t.Fatal(err)
	}
	refuse := &recorder{name: "hook", fail: errors.New("400 Bad Request")}
	for range 3 {
		if _, _, err := Deliver(context.Background(), st, map[string]Channel{"hook": refuse}, now, quiet); err != nil {
			t.Fatal(err)
		}
	}
	fresh := Plan(PlanInput{Now: now.Add(time.Hour), New: []watcher.Item{hearing("regjeringen:fresh", "F", day(2023, 12, 21))}})
	if _, err := st.EnqueueAlerts(fresh, routes); err != nil {
		t.Fatal(err)
	}
	picky := &pickyChannel{name: "hook", refuse: "new:regjeringen:poison"}
	sent, failed, err := Deliver(context.Background(), st, map[string]Channel{"hook": picky}, now, quiet)
	if err != nil || sent != 1 || failed != 1 || !slices.Equal(picky.tried, []string{"new:regjeringen:fresh", "new:regjeringen:poison"}) {
		t.Errorf("sent %d failed %d err %v tried %q", sent, failed, err, picky.tried)
	}
}

type pickyChannel struct {
	name   string
	refuse string
	tried  []string
}

func (p *pickyChannel) Name() string { return p.name }

func (p *pickyChannel) Send(_ context.Context, a watcher.Alert) error {
	p.tried = append(p.tried, a.Key)
	if a.Key == p.refuse {
		return fmt.Errorf("400 Bad Request")
	}
	return nil
}

func TestDeliverUnknownChannelAndCancel(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "watcher.db"))
	defer st.Close()
	now := at(2023, 11, 1, 6)
	alerts := Plan(PlanInput{Now: now, New: []watcher.Item{hearing("regjeringen:a", "A", day(2023, 12, 20))}})
	if _, err := st.EnqueueAlerts(alerts, map[watcher.Audience][]string{watcher.AudienceEditor: {"removed"}}); err != nil {
		t.Fatal(err)
	}
	sent, failed, err := Deliver(context.Background(), st, nil, now, quiet)
	if err != nil || sent != 0 || failed != 1 {
		t.Errorf("sent %d failed %d err %v", sent, failed, err)
	}
	pending, _ := st.Pending()
	if len(pending) != 1 || !strings.Contains(pending[0].LastError, `no channel named "removed"`) {
		t.Errorf("pending %+v", pending)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Deliver(ctx, st, nil, now, quiet); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled deliver: %v", err)
	}
}
