package alerts

import (
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/config"
)

func TestPlanNewItems(t *testing.T) {
	now := at(2023, 10, 30, 9)
	open := hearing("regjeringen:1", "Høring om menneskehandel", day(2023, 12, 1))
	irrelevant := open
	irrelevant.Key, irrelevant.Relevance = "regjeringen:2", watcher.Relevance{Score: 1}
	passed := open
	passed.Key, passed.Deadline = "regjeringen:3", day(2023, 10, 29)
	closedIt := open
	closedIt.Key, closedIt.Status = "regjeringen:4", watcher.StatusConcluded
	report := open
	report.Key, report.Kind, report.Deadline = "unodc:report", watcher.KindReport, time.Time{}
	noDeadline := open
	noDeadline.Key, noDeadline.Deadline = "regjeringen:5", time.Time{}
	today := open
	today.Key, today.Deadline = "regjeringen:6", day(2023, 10, 30)

	tests := map[string]struct {
		in   PlanInput
		want []string
	}{
		"relevant open hearing":       {PlanInput{New: []watcher.Item{open}}, []string{"new:regjeringen:1"}},
		"irrelevant hearing":          {PlanInput{New: []watcher.Item{irrelevant}}, nil},
		"included by the editor":      {PlanInput{New: []watcher.Item{irrelevant}, Included: map[string]bool{"regjeringen:2": true}}, []string{"new:regjeringen:2"}},
		"deadline passed":             {PlanInput{New: []watcher.Item{passed}}, nil},
		"closed by the site":          {PlanInput{New: []watcher.Item{closedIt}}, nil},
		"relevant report, no hearing": {PlanInput{New: []watcher.Item{report}}, nil},
		"hearing without deadline":    {PlanInput{New: []watcher.Item{noDeadline}}, []string{"new:regjeringen:5"}},
		"deadline today": {PlanInput{New: []watcher.Item{today}}, []string{
			"new:regjeringen:6",
			"reminder:regjeringen:6:2023-10-30:2 (covered)",
			"reminder:regjeringen:6:2023-10-30:7 (covered)",
			"reminder:regjeringen:6:2023-10-30:14 (covered)",
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tc.in.Now = now
			if got := keys(Plan(tc.in)); !slices.Equal(got, tc.want) {
				t.Errorf("alerts %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPlanReminders(t *testing.T) {
	it := hearing("regjeringen:1", "Høring om menneskehandel", day(2023, 11, 20))
	tests := map[string]struct {
		now       time.Time
		reminders []int
		item      func(*watcher.Item)
		want      []string
	}{
		"too early": {now: at(2023, 11, 5, 23), want: nil},
		"first threshold, first hour": {now: at(2023, 11, 6, 0), want: []string{
			"reminder:regjeringen:1:2023-11-20:14",
		}},
		"between thresholds": {now: at(2023, 11, 10, 6), want: []string{
			"reminder:regjeringen:1:2023-11-20:14",
		}},
		"second threshold: the first is covered": {now: at(2023, 11, 13, 6), want: []string{
			"reminder:regjeringen:1:2023-11-20:7",
			"reminder:regjeringen:1:2023-11-20:14 (covered)",
		}},
		"all due: only the most urgent": {now: at(2023, 11, 19, 6), want: []string{
			"reminder:regjeringen:1:2023-11-20:2",
			"reminder:regjeringen:1:2023-11-20:7 (covered)",
			"reminder:regjeringen:1:2023-11-20:14 (covered)",
		}},
		"deadline day": {now: at(2023, 11, 20, 23), want: []string{
			"reminder:regjeringen:1:2023-11-20:2",
			"reminder:regjeringen:1:2023-11-20:7 (covered)",
			"reminder:regjeringen:1:2023-11-20:14 (covered)",
		}},
		"deadline passed":   {now: at(2023, 11, 21, 0), want: nil},
		"custom offsets":    {now: at(2023, 11, 10, 6), reminders: []int{10, 3, 3, -1}, want: []string{"reminder:regjeringen:1:2023-11-20:10"}},
		"no offsets":        {now: at(2023, 11, 19, 6), reminders: []int{}, want: nil},
		"not relevant":      {now: at(2023, 11, 13, 6), item: func(it *watcher.Item) { it.Relevance = watcher.Relevance{} }, want: nil},
		"closed early":      {now: at(2023, 11, 13, 6), item: func(it *watcher.Item) { it.Status = watcher.StatusDeadlinePassed }, want: nil},
		"no deadline":       {now: at(2023, 11, 13, 6), item: func(it *watcher.Item) { it.Deadline = time.Time{} }, want: nil},
		"deadline in UTC":   {now: at(2023, 11, 13, 6), item: func(it *watcher.Item) { it.Deadline = it.Deadline.UTC() }, want: []string{"reminder:regjeringen:1:2023-11-20:7", "reminder:regjeringen:1:2023-11-20:14 (covered)"}},
		"zero-day offset":   {now: at(2023, 11, 20, 6), reminders: []int{0}, want: []string{"reminder:regjeringen:1:2023-11-20:0"}},
		"zero-day too soon": {now: at(2023, 11, 19, 6), reminders: []int{0}, want: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			item := it
			if tc.item != nil {
				tc.item(&item)
			}
			in := PlanInput{Now: tc.now, Reminders: tc.reminders, Open: []watcher.Item{item}}
			if got := keys(Plan(in)); !slices.Equal(got, tc.want) {
				t.Errorf("alerts %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPlanChanges(t *testing.T) {
	now := at(2023, 11, 1, 6)
	it := hearing("regjeringen:1", "Høring om menneskehandel", day(2023, 11, 10))
	irrelevant := it
	irrelevant.Relevance = watcher.Relevance{}
	change := func(field, old, nu string) watcher.Change {
		return watcher.Change{Key: it.Key, Field: field, Old: old, New: nu, At: now}
	}
	tests := map[string]struct {
		item    watcher.Item
		changes []watcher.Change
		want    []string
	}{
		"deadline moved later": {it, []watcher.Change{change("deadline", "2023-11-06", "2023-11-10")}, []string{
			"moved:regjeringen:1:2023-11-06:2023-11-10",
			"reminder:regjeringen:1:2023-11-10:14 (covered)",
		}},
		"deadline with a time of day": {it, []watcher.Change{change("deadline", "2023-11-06 12:00", "2023-11-10")}, []string{
			"moved:regjeringen:1:2023-11-06:2023-11-10",
			"reminder:regjeringen:1:2023-11-10:14 (covered)",
		}},
		"deadline as the store writes it, in UTC": {it, []watcher.Change{change("deadline", "2023-11-05 23:00", "2023-11-09 23:00")}, []string{
			"moved:regjeringen:1:2023-11-06:2023-11-10",
			"reminder:regjeringen:1:2023-11-10:14 (covered)",
		}},
		"same day, other time": {it, []watcher.Change{change("deadline", "2023-11-10 12:00", "2023-11-10")}, []string{
			"reminder:regjeringen:1:2023-11-10:14",
		}},
		"deadline first set": {it, []watcher.Change{change("deadline", "", "2023-11-10")}, []string{
			"reminder:regjeringen:1:2023-11-10:14",
		}},
		"irrelevant moved": {irrelevant, []watcher.Change{change("deadline", "2023-11-06", "2023-11-10")}, nil},
		"status changed": {it, []watcher.Change{change("status", "open", "concluded")}, []string{
			"status:regjeringen:1:open:concluded",
			"reminder:regjeringen:1:2023-11-10:14",
		}},
		"status first known":    {it, []watcher.Change{change("status", "", "open")}, []string{"reminder:regjeringen:1:2023-11-10:14"}},
		"title changed":         {it, []watcher.Change{change("title", "a", "b")}, []string{"reminder:regjeringen:1:2023-11-10:14"}},
		"item missing from map": {watcher.Item{}, []watcher.Change{change("deadline", "2023-11-06", "2023-11-10")}, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			items := map[string]watcher.Item{}
			if tc.item.Key != "" {
				items[tc.item.Key] = tc.item
			}
			got := keys(Plan(PlanInput{Now: now, Changes: tc.changes, Changed: items}))
			if !slices.Equal(got, tc.want) {
				t.Errorf("alerts %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHistoryDate(t *testing.T) {
	tests := map[string]struct {
		in   string
		want string // "" for false
	}{
		"midnight in Oslo, winter, held in UTC": {"2023-11-05 23:00", "2023-11-06"},
		"midnight in Oslo, summer, held in UTC": {"2026-08-06 22:00", "2026-08-07"},
		"a time of day":                         {"2023-11-06 11:00", "2023-11-06"},
		"with seconds":                          {"2023-11-06 11:00:30", "2023-11-06"},
		"a bare date":                           {"2023-11-06", "2023-11-06"},
		"RFC 3339 with its own offset":          {"2023-11-06T00:00:00+01:00", "2023-11-06"},
		"RFC 3339 in UTC":                       {"2023-11-05T23:00:00Z", "2023-11-06"},
		"spaces around":                         {" 2023-11-06 ", "2023-11-06"},
		"empty":                                 {"", ""},
		"not a date":                            {"open", ""},
		"Norwegian date":                        {"6. november 2023", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := HistoryDate(tc.in, oslo)
			if tc.want == "" {
				if ok {
					t.Errorf("HistoryDate(%q) = %v, want false", tc.in, got)
				}
				return
			}
			if !ok || got.Format(time.DateOnly) != tc.want || got.Location() != oslo || got.Hour() != 0 {
				t.Errorf("HistoryDate(%q) = %v, %t; want midnight of %s in Oslo", tc.in, got, ok, tc.want)
			}
		})
	}
}

func TestPlanHealth(t *testing.T) {
	now := at(2026, 3, 4, 6)
	since := at(2026, 3, 3, 6)
	tests := map[string]struct {
		from, to watcher.HealthState
		want     bool
	}{
		"healthy to unreachable":   {watcher.HealthHealthy, watcher.HealthUnreachable, true},
		"quiet to broken":          {watcher.HealthQuiet, watcher.HealthBroken, true},
		"first check, broken":      {watcher.HealthUnknown, watcher.HealthBroken, true},
		"broken to blocked":        {watcher.HealthBroken, watcher.HealthBlocked, true},
		"degraded to healthy":      {watcher.HealthDegraded, watcher.HealthHealthy, true},
		"blocked to quiet":         {watcher.HealthBlocked, watcher.HealthQuiet, true},
		"healthy to quiet":         {watcher.HealthHealthy, watcher.HealthQuiet, false},
		"quiet to healthy":         {watcher.HealthQuiet, watcher.HealthHealthy, false},
		"first check, healthy":     {watcher.HealthUnknown, watcher.HealthHealthy, false},
		"unchanged, still blocked": {watcher.HealthBlocked, watcher.HealthBlocked, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Plan(PlanInput{Now: now, Health: []HealthChange{{SourceID: "europol", Name: "Europol", From: tc.from, To: tc.to, At: since}}})
			if !tc.want {
				if len(got) != 0 {
					t.Errorf("alerts %q, want none", keys(got))
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("alerts %q, want one", keys(got))
			}
			a := got[0]
			if a.Key != "health:europol:"+string(tc.to)+":"+itoa(since.Unix()) || a.Audience != watcher.AudienceAdmin ||
				a.Kind != watcher.AlertSourceHealth || a.SourceID != "europol" || !a.Created.Equal(now) {
				t.Errorf("alert %+v", a)
			}
		})
	}
}

// TestPlanIsStable plans the same input twice: the same alerts, in the
// same order, with the same keys, so enqueuing both adds nothing.
func TestPlanIsStable(t *testing.T) {
	now := at(2023, 11, 13, 6)
	a := hearing("regjeringen:1", "A", day(2023, 11, 20))
	b := hearing("regjeringen:2", "B", day(2023, 11, 15))
	c := hearing("regjeringen:3", "C", day(2023, 11, 30))
	in := PlanInput{
		Now: now, New: []watcher.Item{c}, Open: []watcher.Item{a, b, c},
		Changed: map[string]watcher.Item{a.Key: a},
		Changes: []watcher.Change{{Key: a.Key, Field: "deadline", Old: "2023-11-16", New: "2023-11-20"}},
		Health:  []HealthChange{{SourceID: "x", From: watcher.HealthHealthy, To: watcher.HealthBroken, At: now}},
	}
	first, second := Plan(in), Plan(in)
	if !slices.Equal(keys(first), keys(second)) {
		t.Errorf("plans differ:\n%q\n%q", keys(first), keys(second))
	}
	want := []string{
		"new:regjeringen:3",
		"moved:regjeringen:1:2023-11-16:2023-11-20",
		"reminder:regjeringen:2:2023-11-15:2",
		"reminder:regjeringen:2:2023-11-15:7 (covered)",
		"reminder:regjeringen:2:2023-11-15:14 (covered)",
		"reminder:regjeringen:1:2023-11-20:7 (covered)",
		"reminder:regjeringen:1:2023-11-20:14 (covered)",
		"health:x:broken:" + itoa(now.Unix()),
	}
	if !slices.Equal(keys(first), want) {
		t.Errorf("alerts\n got %q\nwant %q", keys(first), want)
	}
}

func TestRoutes(t *testing.T) {
	r := Routes(config.Alerts{Editor: []string{"epost", "teams"}, Admin: []string{"drift"}})
	if !slices.Equal(r[watcher.AudienceEditor], []string{"epost", "teams"}) ||
		!slices.Equal(r[watcher.AudienceAdmin], []string{"drift"}) || len(r[AudienceNone]) != 0 {
		t.Errorf("routes %v", r)
	}
}

// TestHealthGroup: several sources changing health in one run give one
// admin alert that names each of them, failing first; its key is stable
// across plans and does not depend on the input order.
func TestHealthGroup(t *testing.T) {
	now := at(2026, 11, 27, 6)
	changes := []HealthChange{
		{SourceID: "frontex", Name: "Frontex", From: watcher.HealthBroken, To: watcher.HealthHealthy, At: now},
		{SourceID: "europol", Name: "Europol", From: watcher.HealthHealthy, To: watcher.HealthUnreachable, At: now, Detail: "Nettstedet svarte ikke: dial tcp: i/o timeout"},
		{SourceID: "cbss", Name: "CBSS", From: watcher.HealthHealthy, To: watcher.HealthQuiet, At: now}, // not news
		{SourceID: "unodc", Name: "UNODC", From: watcher.HealthQuiet, To: watcher.HealthUnreachable, At: now},
		{SourceID: "nspm", Name: "NSPM", From: watcher.HealthUnknown, To: watcher.HealthBroken, At: now},
	}
	got := Plan(PlanInput{Now: now, Health: changes})
	if len(got) != 1 {
		t.Fatalf("alerts %q, want one", keys(got))
	}
	a := got[0]
	if a.Kind != watcher.AlertSourceHealth || a.Audience != watcher.AudienceAdmin || a.SourceID != "" || !a.Created.Equal(now) {
		t.Errorf("alert %+v", a)
	}
	if !strings.HasPrefix(a.Key, "health:4-sources:"+itoa(now.Unix())+":") {
		t.Errorf("key %q", a.Key)
	}
	if want := "4 kilder har endret tilstand: 2 utilgjengelig, 1 ødelagt, 1 i orden"; a.Subject != want {
		t.Errorf("subject %q, want %q", a.Subject, want)
	}
	for _, want := range []string{
		"4 kilder har endret tilstand i kjøringen 27. november 2026:\n",
		"- «Europol» (europol) er nå utilgjengelig, var i orden: Nettstedet svarte ikke: dial tcp: i/o timeout.\n" +
			"- «NSPM» (nspm) er nå ødelagt ved første sjekk.\n" +
			"- «UNODC» (unodc) er nå utilgjengelig, var stille.\n" +
			"- «Frontex» (frontex) er nå i orden, var ødelagt.\n",
		"Se `watcher check <kilde>`",
		"maskinens egen nettforbindelse",
	} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, a.Body)
		}
	}
	if strings.Contains(a.Body, "CBSS") {
		t.Errorf("body names a change that is not news:\n%s", a.Body)
	}

	reversed := slices.Clone(changes)
	slices.Reverse(reversed)
	if again := Plan(PlanInput{Now: now, Health: reversed}); len(again) != 1 || again[0].Key != a.Key || again[0].Body != a.Body {
		t.Errorf("reordered input planned %q, want the same alert %q", keys(again), a.Key)
	}

	// All recovered: no action needed, no outage hint.
	rec := Plan(PlanInput{Now: now, Health: []HealthChange{
		{SourceID: "europol", Name: "Europol", From: watcher.HealthUnreachable, To: watcher.HealthHealthy, At: now},
		{SourceID: "unodc", Name: "UNODC", From: watcher.HealthUnreachable, To: watcher.HealthQuiet, At: now},
	}})
	if len(rec) != 1 || !strings.Contains(rec[0].Body, "Ingen handling er nødvendig.") || strings.Contains(rec[0].Body, "nettforbindelse") {
		t.Fatalf("recovery alerts %q:\n%v", keys(rec), rec)
	}
	if rec[0].Key == a.Key {
		t.Errorf("different changes share the key %q", a.Key)
	}
}
