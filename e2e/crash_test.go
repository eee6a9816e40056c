package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"watcher/state"
)

// killPoint says when a run is killed with SIGKILL.
type killPoint struct {
	request int64         // when the site receives this request of the run (0: no)
	after   time.Duration // this long after the start (0: no)
	block   int64         // when the webhook receives this delivery, before answering
	answer  int64         // right after the webhook answered this delivery
}

func (k killPoint) String() string {
	switch {
	case k.request > 0:
		return fmt.Sprintf("request-%d", k.request)
	case k.after > 0:
		return "after-" + k.after.String()
	case k.block > 0:
		return fmt.Sprintf("webhook-blocked-%d", k.block)
	case k.answer > 0:
		return fmt.Sprintf("webhook-answered-%d", k.answer)
	}
	return "none"
}

// TestKillPoints runs the binary over the fake site and kills it with
// SIGKILL at many points: at each request the site receives, after
// varying delays, while an alert is being delivered, and right after the
// webhook accepted one. After each kill the database must pass state.Check,
// and a normal rerun must leave every offered item stored exactly once,
// every change recorded exactly once, and every alert delivered at least
// once and at most twice (twice only for the delivery the kill interrupted).
//
// Each scenario kills a run over generation 0 of the site (first crawl),
// reruns, then kills a run over generation 1 (new items and changes) and
// reruns. WATCHER_CRASH_POINTS=all tries every point; the default tries a
// spread that stays within about a minute.
func TestKillPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary many times")
	}
	site := newFakeSite(t)
	hook := newWebhook(t)

	// Calibrate: how many requests and alerts a full run makes.
	reqs, alerts, runTime := calibrate(t, site, hook)
	t.Logf("a full run makes %v requests and delivers %v alerts (generation 0, generation 1) and takes about %v",
		reqs, alerts, runTime.Round(time.Millisecond))

	all := os.Getenv("WATCHER_CRASH_POINTS") == "all"
	var points []killPoint
	maxReq := max(reqs[0], reqs[1])
	step := int64(1)
	if !all && maxReq > 24 {
		step = 2
	}
	for n := int64(1); n <= maxReq; n += step {
		points = append(points, killPoint{request: n})
	}
	// Timed kills spread over the length of a full run (process start
	// included), so that they land in start-up, fetches, writes and alerts.
	var delays []time.Duration
	steps := 8
	if all {
		steps = 60
	}
	for i := 1; i <= steps; i++ {
		delays = append(delays, runTime*time.Duration(i)/time.Duration(steps+1))
	}
	for _, d := range delays {
		points = append(points, killPoint{after: d})
	}
	maxAlerts := max(alerts[0], alerts[1])
	for n := int64(1); n <= maxAlerts; n++ {
		if all || n <= 3 || n == maxAlerts {
			points = append(points, killPoint{block: n}, killPoint{answer: n})
		}
	}

	stats := crashStats{}
	for _, kp := range points {
		t.Run(kp.String(), func(t *testing.T) {
			runScenario(t, site, hook, kp, &stats)
		})
	}
	t.Logf("kill points: %d scenarios, %d killed runs (%d kills landed, %d runs ended before the kill point), %d binary runs in all",
		len(points), stats.attempts, stats.kills, stats.attempts-stats.kills, stats.runs)
}

type crashStats struct {
	attempts, kills, runs int
}

// calibrate runs both generations cleanly and returns the requests and
// alert deliveries of each run, and about how long a run takes (the
// shorter of the two, once more by half: the first run of a fresh binary
// is slowed by cold caches).
func calibrate(t *testing.T, site *fakeSite, hook *webhook) (reqs, alerts [2]int64, took time.Duration) {
	t.Helper()
	dir := t.TempDir()
	cfg := writeConfig(t, dir, site, hook)
	db := filepath.Join(dir, "watcher.db")
	for gen := int32(0); gen < 2; gen++ {
		site.gen.Store(gen)
		site.arm(nil, 0)
		hook.arm(nil, 0, 0)
		start := time.Now()
		r := run(t, dir, nil, "run", "--config", cfg, "--db", db)
		if d := time.Since(start); took == 0 || d < took {
			took = d
		}
		if r.exit != 0 {
			t.Fatalf("calibration run, generation %d: %v", gen, r)
		}
		reqs[gen], alerts[gen] = site.reqs.Load(), hook.n.Load()
		verifyItems(t, db, site, gen)
	}
	return reqs, alerts, took * 3 / 2
}

func runScenario(t *testing.T, site *fakeSite, hook *webhook, kp killPoint, stats *crashStats) {
	dir := t.TempDir()
	cfg := writeConfig(t, dir, site, hook)
	db := filepath.Join(dir, "watcher.db")
	args := []string{"run", "--config", cfg, "--db", db}
	hook.mu.Lock()
	hook.counts = map[string]int{}
	hook.mu.Unlock()
	mayRepeat := map[string]bool{} // alerts delivered by a run that was killed
	maxDup := 0                    // kills so far: at most one repeat each
	for gen := int32(0); gen < 2; gen++ {
		site.gen.Store(gen)

		// The run that is killed.
		p, o, e := start(t, dir, nil, args...)
		site.arm(p, kp.request)
		hook.arm(p, kp.block, kp.answer)
		var timer *time.Timer
		if kp.after > 0 {
			timer = time.AfterFunc(kp.after, p.kill)
		}
		before := hook.snapshot()
		r := wait(t, p, o, e, time.Minute)
		if timer != nil {
			timer.Stop()
		}
		site.arm(nil, 0)
		hook.arm(nil, 0, 0)
		stats.attempts++
		stats.runs++
		if r.killed {
			stats.kills++
		} else if r.exit != 0 {
			t.Fatalf("generation %d: a run that was not killed failed: %v", gen, r)
		}
		if r.killed {
			// Alerts go out one at a time: the one in flight when the
			// process died (sent, not yet marked) may be sent again, and
			// only that one.
			for k, n := range hook.snapshot() {
				if n > before[k] {
					mayRepeat[k] = true
				}
			}
			maxDup++
		}
		if _, err := os.Stat(db); err == nil {
			if err := state.Check(db); err != nil && !emptyBolt(err) {
				t.Fatalf("generation %d, after the kill: %v", gen, err)
			}
		}

		// The normal rerun.
		stats.runs++
		r = run(t, dir, nil, args...)
		if r.exit != 0 {
			t.Fatalf("generation %d: the rerun after the kill: %v", gen, r)
		}
		if err := state.Check(db); err != nil {
			t.Fatalf("generation %d, after the rerun: %v", gen, err)
		}
		verifyItems(t, db, site, gen)
		if !verifyAlerts(t, db, hook, mayRepeat, maxDup) {
			t.Logf("generation %d: the rerun: %v", gen, r)
		}
	}
	verifyHistory(t, db)
}

// verifyItems checks that every item the site offers in gen is stored
// exactly once, and nothing else is.
func verifyItems(t *testing.T, db string, site *fakeSite, gen int32) {
	t.Helper()
	got := urlsBySource(storedItems(t, db))
	want := site.expected(gen)
	for src, urls := range want {
		if !slices.Equal(got[src], urls) {
			t.Errorf("generation %d, source %s: stored\n  %v\nwant (each once)\n  %v", gen, src, got[src], urls)
		}
	}
	for src := range got {
		if _, ok := want[src]; !ok {
			t.Errorf("items stored for unknown source %s: %v", src, got[src])
		}
	}
}

// verifyHistory checks that each title change of generation 1 is recorded
// exactly once, and no other title change is.
func verifyHistory(t *testing.T, db string) {
	t.Helper()
	st := openRO(t, db)
	defer st.Close()
	items, err := st.Items(state.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		id := it.URL[strings.LastIndexByte(it.URL, '/')+1:]
		hist, err := st.History(it.Key)
		if err != nil {
			t.Fatal(err)
		}
		titles := 0
		for _, c := range hist {
			if c.Field == "title" {
				titles++
				if want := title(id, 1); c.New != want || c.Old != title(id, 0) {
					t.Errorf("item %s: change %q → %q, want %q → %q", id, c.Old, c.New, title(id, 0), want)
				}
			}
		}
		want := 0
		if changed[id] {
			want = 1
		}
		if titles != want {
			t.Errorf("item %s: %d title changes recorded, want %d: %+v", id, titles, want, hist)
		}
	}
}

// verifyAlerts checks the delivery semantics: every announced hearing
// (the hearings source is always relevant) reached the webhook at least
// once; an alert reached it twice only if a killed run had delivered it
// (sent, then killed before marking it sent), at most one per kill;
// nothing reached it three times; nothing is left pending. It reports
// whether all held.
func verifyAlerts(t *testing.T, db string, hook *webhook, mayRepeat map[string]bool, maxDup int) bool {
	t.Helper()
	ok := true
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
		ok = false
	}
	st := openRO(t, db)
	defer st.Close()
	items, err := st.Items(state.Query{Source: "hearings"})
	if err != nil {
		t.Fatal(err)
	}
	got := hook.snapshot()
	for _, it := range items {
		if key := "new:" + it.Key; got[key] == 0 {
			errorf("the new hearing %s was never announced (alerts received: %v)", it.Key, keysOf(got))
		}
	}
	dups := 0
	for key, n := range got {
		switch {
		case n > 2:
			errorf("alert %s delivered %d times", key, n)
		case n == 2 && !mayRepeat[key]:
			errorf("alert %s delivered twice, but no killed run had sent it", key)
		case n == 2:
			dups++
		}
	}
	if dups > maxDup {
		errorf("%d alerts delivered twice after %d kills: at most one repeat per kill", dups, maxDup)
	}
	pending, err := st.Pending()
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) > 0 {
		errorf("%d alerts still pending after a clean rerun: first %s on %s", len(pending), pending[0].Alert.Key, pending[0].Channel)
	}
	return ok
}

// emptyBolt reports the one state a kill may leave that Check refuses: a
// bbolt file with no buckets, left by a kill during the very first open,
// before the transaction that creates the buckets committed. Open takes it
// for a fresh database; the rerun's Check proves it.
func emptyBolt(err error) bool {
	return strings.Contains(err.Error(), "no buckets")
}

func keysOf(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k, n := range m {
		out = append(out, k+"×"+strconv.Itoa(n))
	}
	slices.Sort(out)
	return out
}
