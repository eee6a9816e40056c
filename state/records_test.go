package state

import (
	"errors"
	"slices"
	"testing"
	"time"

	"watcher"
)

func TestOutbox(t *testing.T) {
	s := openTest(t)
	channels := map[watcher.Audience][]string{
		watcher.AudienceEditor: {"email", "webhook"},
		watcher.AudienceAdmin:  {"email"},
	}
	hearing := watcher.Alert{Key: "new_hearing:regjeringen:1", Kind: watcher.AlertNewHearing, Audience: watcher.AudienceEditor,
		Subject: "Ny høring", Created: t0}
	broken := watcher.Alert{Key: "source_health:politiet:broken", Kind: watcher.AlertSourceHealth, Audience: watcher.AudienceAdmin,
		Subject: "Kilde i ustand", Created: t0.Add(time.Minute)}

	added, err := s.EnqueueAlerts([]watcher.Alert{hearing, broken, hearing}, channels)
	if err != nil || added != 2 {
		t.Fatalf("EnqueueAlerts = %d, %v; want 2", added, err)
	}
	added, err = s.EnqueueAlerts([]watcher.Alert{hearing, broken}, channels)
	if err != nil || added != 0 {
		t.Fatalf("second EnqueueAlerts = %d, %v; want 0", added, err)
	}
	if !s.AlertKnown(hearing.Key) || s.AlertKnown("reminder:x") {
		t.Error("AlertKnown wrong")
	}
	wantPending(t, s, []string{hearing.Key + " email", hearing.Key + " webhook", broken.Key + " email"})

	if err := s.MarkFailed(hearing.Key, "webhook", errors.New("502 Bad Gateway"), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(hearing.Key, "webhook", errors.New("timeout"), t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSent(hearing.Key, "email", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	p := wantPending(t, s, []string{hearing.Key + " webhook", broken.Key + " email"})
	if p[0].Attempts != 2 || p[0].LastError != "timeout" || !p[0].LastAttempt.Equal(t0.Add(2*time.Hour)) ||
		p[0].Alert.Subject != "Ny høring" {
		t.Errorf("failed entry %+v", p[0])
	}
	if err := s.MarkSent(hearing.Key, "email", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("second MarkSent = %v, want ErrNotFound", err)
	}
	if err := s.MarkFailed("unknown", "email", errors.New("x"), t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkFailed(unknown) = %v, want ErrNotFound", err)
	}
	// An audience without channels: known, never pending.
	quiet := watcher.Alert{Key: "reminder:x", Audience: "nobody"}
	if added, err := s.EnqueueAlerts([]watcher.Alert{quiet}, channels); err != nil || added != 1 || !s.AlertKnown(quiet.Key) {
		t.Errorf("alert without channels: added %d, %v", added, err)
	}
	wantPending(t, s, []string{hearing.Key + " webhook", broken.Key + " email"})
	if _, err := s.EnqueueAlerts([]watcher.Alert{{Key: ""}}, channels); err == nil {
		t.Error("an alert without key was accepted")
	}
}

func wantPending(t *testing.T, s *Store, want []string) []Pending {
	t.Helper()
	p, err := s.Pending()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range p {
		got = append(got, e.Alert.Key+" "+e.Channel)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Pending = %q, want %q", got, want)
	}
	return p
}

func TestDecisions(t *testing.T) {
	s := openTest(t)
	put := func(d watcher.Decision) {
		t.Helper()
		if err := s.PutDecision(d); err != nil {
			t.Fatal(err)
		}
	}
	put(watcher.Decision{Period: "2026Q1", Key: "regjeringen:2", State: watcher.DecisionExclude, Reason: "off topic"})
	put(watcher.Decision{Period: "2026Q1", Key: "regjeringen:1", State: watcher.DecisionInclude, At: t0.Add(-time.Hour)})
	put(watcher.Decision{Period: "2026Q2", Key: "manual:1", Heading: "Egen sak"})
	put(watcher.Decision{Period: "2026Q1", Key: "regjeringen:2", State: watcher.DecisionInclude}) // replaces

	q1, err := s.Decisions("2026Q1")
	if err != nil || len(q1) != 2 {
		t.Fatalf("Decisions(2026Q1) = %+v, %v", q1, err)
	}
	if q1[0].Key != "regjeringen:1" || !q1[0].At.Equal(t0.Add(-time.Hour)) {
		t.Errorf("first %+v", q1[0])
	}
	if q1[1].State != watcher.DecisionInclude || q1[1].Reason != "" || !q1[1].At.Equal(t0) {
		t.Errorf("replaced decision %+v (At from the clock)", q1[1])
	}
	if all, _ := s.Decisions(""); len(all) != 3 {
		t.Errorf("all decisions: %d", len(all))
	}
	if err := s.DeleteDecision("2026Q1", "regjeringen:1"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDecision("2026Q1", "regjeringen:1"); err != nil {
		t.Errorf("deleting a missing decision: %v", err)
	}
	if q1, _ := s.Decisions("2026Q1"); len(q1) != 1 || q1[0].Key != "regjeringen:2" {
		t.Errorf("after delete: %+v", q1)
	}
	// "2026Q1" must not match a longer period that starts the same way.
	put(watcher.Decision{Period: "2026Q1x", Key: "k"})
	if q1, _ := s.Decisions("2026Q1"); len(q1) != 1 {
		t.Errorf("prefix leak: %+v", q1)
	}
	if err := s.PutDecision(watcher.Decision{Key: "k"}); err == nil {
		t.Error("a decision without period was accepted")
	}
}

func TestRuns(t *testing.T) {
	s := openTest(t)
	if _, ok, err := s.LastRun(); ok || err != nil {
		t.Errorf("LastRun on empty store: %v, %v", ok, err)
	}
	for _, d := range []int{2, 0, 1} { // stored out of order
		r := watcher.RunReport{Started: t0.Add(time.Duration(d) * 24 * time.Hour), Sources: []watcher.SourceReport{{SourceID: "s", New: d}}}
		if err := s.PutRun(r); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := s.Runs(0)
	if err != nil || len(runs) != 3 {
		t.Fatalf("Runs = %d, %v", len(runs), err)
	}
	for i, want := range []int{2, 1, 0} {
		if runs[i].Sources[0].New != want {
			t.Errorf("run %d is day %d, want %d (newest first)", i, runs[i].Sources[0].New, want)
		}
	}
	if two, _ := s.Runs(2); len(two) != 2 {
		t.Errorf("Runs(2) gave %d", len(two))
	}
	last, ok, err := s.LastRun()
	if err != nil || !ok || !last.Started.Equal(t0.Add(48*time.Hour)) {
		t.Errorf("LastRun = %v, %v, %v", last.Started, ok, err)
	}
	if err := s.PutRun(watcher.RunReport{}); err == nil {
		t.Error("a run without start was accepted")
	}

	day := func(d int) time.Time { return t0.Add(time.Duration(d) * 24 * time.Hour) }
	between := map[string]struct {
		from, to time.Time
		want     []int // days, newest first
	}{
		"all":                    {day(-1), day(5), []int{2, 1, 0}},
		"from is inclusive":      {day(1), day(5), []int{2, 1}},
		"to is exclusive":        {day(0), day(2), []int{1, 0}},
		"inside one day":         {day(1), day(1).Add(time.Hour), []int{1}},
		"before every run":       {day(-3), day(-1), nil},
		"after every run":        {day(3), day(9), nil},
		"empty range":            {day(1), day(1), nil},
		"to before from":         {day(2), day(0), nil},
		"to between the records": {day(-1), day(1).Add(-time.Nanosecond), []int{0}},
	}
	for name, tc := range between {
		got, err := s.RunsBetween(tc.from, tc.to)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var days []int
		for _, r := range got {
			days = append(days, r.Sources[0].New)
		}
		if !slices.Equal(days, tc.want) {
			t.Errorf("RunsBetween %s: days %v, want %v", name, days, tc.want)
		}
	}
}

func TestHealth(t *testing.T) {
	s := openTest(t)
	for _, id := range []string{"unodc", "europol"} {
		if err := s.PutHealth(watcher.Health{SourceID: id, State: watcher.HealthHealthy, FailureStreak: len(id)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutHealth(watcher.Health{SourceID: "unodc", State: watcher.HealthBlocked}); err != nil {
		t.Fatal(err)
	}
	h, ok, err := s.Health("unodc")
	if err != nil || !ok || h.State != watcher.HealthBlocked || h.FailureStreak != 0 {
		t.Errorf("Health(unodc) = %+v, %v, %v", h, ok, err)
	}
	if _, ok, err := s.Health("nope"); ok || err != nil {
		t.Errorf("Health(nope) = %v, %v", ok, err)
	}
	all, err := s.AllHealth()
	if err != nil || len(all) != 2 || all[0].SourceID != "europol" || all[1].SourceID != "unodc" {
		t.Errorf("AllHealth = %+v, %v", all, err)
	}
	if err := s.PutHealth(watcher.Health{}); err == nil {
		t.Error("health without source id was accepted")
	}
}

func TestValidatorsAndRobots(t *testing.T) {
	s := openTest(t)
	urls := []string{
		"https://www.regjeringen.no/no/dokument/hoyringar/",
		"https://www.regjeringen.no.evil.example/x",
		"http://www.regjeringen.no:8080/x",
		"https://www.unodc.org/feed",
		"https://www.unodc.org/unodc/en/news",
	}
	var vs []watcher.Validator
	for i, u := range urls {
		vs = append(vs, watcher.Validator{URL: u, ETag: string(rune('a' + i)), FetchedAt: t0})
	}
	mustApply(t, s, SourceBatch{SourceID: "src", Validators: vs})
	for i, u := range urls {
		if v, ok := s.Validator(u); !ok || v.ETag != string(rune('a'+i)) {
			t.Errorf("Validator(%s) = %+v, %v", u, v, ok)
		}
	}
	if v, ok := s.Validator(urls[3]); !ok || v.ETag != "d" || !v.FetchedAt.Equal(t0) {
		t.Errorf("Validator = %+v, %v", v, ok)
	}
	if _, ok := s.Validator("https://nowhere/"); ok {
		t.Error("Validator found an unknown URL")
	}

	if _, _, _, ok := s.Robots("www.unodc.org"); ok {
		t.Error("robots before any were stored")
	}
	body := []byte("User-agent: *\nDisallow: /search\n")
	if err := s.PutRobots("www.unodc.org", 200, body, t0); err != nil {
		t.Fatal(err)
	}
	status, got, at, ok := s.Robots("www.unodc.org")
	if !ok || status != 200 || string(got) != string(body) || !at.Equal(t0) {
		t.Errorf("Robots = %d %q %v %v", status, got, at, ok)
	}
}
