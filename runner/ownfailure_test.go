package runner

import (
	"context"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/config"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
)

// panicKind is a crawler with a bug: it panics on whatever it reads.
type panicKind struct{}

func (panicKind) Crawl(context.Context, *crawlers.Env, watcher.Source) (*crawlers.Result, error) {
	panic("runtime error: index out of range [3] with length 3") // a bug of ours, not the site's
}

func init() { crawlers.Register("test-panic", panicKind{}) }

// TestOwnFailureIsNotUnreachable: a crawler that panics on what a site
// sent is our failure. It must not be reported as the site being
// unreachable ("nettverksfeil"), which sends the admin to look at the
// network; it is reported as broken (the content could not be read), with
// the error saying what.
func TestOwnFailureIsNotUnreachable(t *testing.T) {
	clock := func() time.Time { return testStart }
	st := openTestStore(t, clock)
	cfg := &config.Config{Parallel: 1, TimeZone: "Europe/Oslo", Sources: []watcher.Source{
		{ID: "panics", Kind: "test-panic", URLs: []string{"http://127.0.0.1:1/"}, Region: watcher.RegionNorway},
	}}
	f := newTestFetcher(t, nil, clock, fetch.Options{})
	r := &Runner{Cfg: cfg, Store: st, Fetcher: f, Now: clock, Log: testLog}
	res, err := r.Run(context.Background(), cfg.Sources)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Sources) != 1 {
		t.Fatalf("report lines %+v, want one", res.Report.Sources)
	}
	line := res.Report.Sources[0]
	if line.ErrClass != watcher.ErrParse || line.Health != watcher.HealthBroken || !strings.Contains(line.Error, "crawler failed") {
		t.Errorf("class %q, health %q (%s); want parse, broken, saying the crawler failed", line.ErrClass, line.Health, line.Error)
	}
}
