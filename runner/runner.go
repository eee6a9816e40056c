// Package runner is one daily run: it crawls the configured sources (hosts
// in parallel, each host politely by the fetcher's rules), stores what they
// yield through a single writer goroutine and keeps each source's health.
// It hands back what the alerts need (new and changed items, health
// changes); planning and delivering them is the caller's (cmd/watcher's
// Job).
package runner

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"watcher"
	"watcher/config"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/relevance"
	"watcher/state"
)

// Runner holds what a run needs. Fields are set by the caller; Now and Log
// have defaults.
type Runner struct {
	Cfg     *config.Config
	Store   *state.Store
	Fetcher *fetch.Fetcher
	Scorer  *relevance.Scorer // nil: items are stored unscored
	Now     func() time.Time
	Log     *slog.Logger
	// Progress, when set, is told when each source starts and ends (the
	// CLI draws a progress line on a terminal with it).
	Progress func(ev ProgressEvent)
	// KeepNew, when set, selects the new items Result.New holds (those
	// the caller's alerts can use); nil keeps every one. A cold run of
	// many sources then does not hold every item it stored. The report
	// counts every new item either way.
	KeepNew func(*watcher.Item) bool
}

// ProgressEvent tells that a source started or finished.
type ProgressEvent struct {
	SourceID string
	Done     bool
	Finished int // sources finished so far
	Total    int
}

// Outcome of a whole run, for the caller: the report plus what alerts need.
type Result struct {
	Report  watcher.RunReport
	New     []watcher.Item            // items new to the store in this run (those Runner.KeepNew keeps)
	Changes []watcher.Change          // changes recorded in this run
	Changed map[string]watcher.Item   // the items those changes belong to
	Health  []HealthChange            // sources whose health changed
	Sources map[string]watcher.Source // the sources that ran
}

// HealthChange is a source's health moving from one state to another.
type HealthChange struct {
	Source watcher.Source
	From   watcher.HealthState
	To     watcher.Health
}

// ErrUnknownSource is returned for an --only id that is not configured.
var ErrUnknownSource = errors.New("runner: unknown source")

// Select returns the enabled sources, or those named in only (which must
// all exist; a disabled source named explicitly runs).
func Select(cfg *config.Config, only []string) ([]watcher.Source, error) {
	if len(only) == 0 {
		var out []watcher.Source
		for _, s := range cfg.Sources {
			if !s.Disabled {
				out = append(out, s)
			}
		}
		return out, nil
	}
	byID := map[string]watcher.Source{}
	for _, s := range cfg.Sources {
		byID[s.ID] = s
	}
	var out []watcher.Source
	for _, id := range only {
		s, ok := byID[id]
		if !ok {
			ids := make([]string, 0, len(byID))
			for k := range byID {
				ids = append(ids, k)
			}
			sort.Strings(ids)
			return nil, fmt.Errorf("%w %q (configured: %s)", ErrUnknownSource, id, strings.Join(ids, ", "))
		}
		out = append(out, s)
	}
	return out, nil
}

// crawled is one source's crawl, on its way to the writer.
type crawled struct {
	src      watcher.Source
	res      *crawlers.Result
	err      error
	duration time.Duration
	// stopped: the run's context ended while the source was crawled and
	// the crawl did not end cleanly, so how it ended is the run's doing,
	// whatever error (or problem of one URL) the crawler made of it.
	stopped bool
}

// Run crawls sources and stores what they yield. It returns an error only
// when the run itself could not go on (the store failed); a source that
// fails is reported in its line of the report and the others go on.
func (r *Runner) Run(ctx context.Context, sources []watcher.Source) (*Result, error) {
	// A store failure ends the run: crawling on would fetch what cannot
	// be kept. stopCrawls stops the crawls in flight and the ones not
	// started, as a shutdown would.
	ctx, stopCrawls := context.WithCancelCause(ctx)
	defer stopCrawls(nil)
	now := r.now()
	log := r.log()
	res := &Result{
		Report:  watcher.RunReport{Started: now},
		Changed: map[string]watcher.Item{},
		Sources: map[string]watcher.Source{},
	}
	for _, s := range sources {
		res.Sources[s.ID] = s
		if s.Delay > 0 {
			if h := hostOf(s); h != "" {
				r.Fetcher.SetHostDelay(h, s.Delay)
			}
		}
	}

	// Buffered so that crawls can finish while the writer commits; the
	// writer then stores whatever is ready in one transaction.
	results := make(chan crawled, writeGroup)
	var wg sync.WaitGroup
	groups := byHost(sources)
	work := make(chan []watcher.Source)
	parallel := max(r.Cfg.Parallel, 1)
	var finished int
	var finMu sync.Mutex
	for range min(parallel, max(len(groups), 1)) {
		wg.Go(func() {
			for group := range work {
				for _, src := range group {
					if ctx.Err() != nil {
						// Stopped before this source began: it is not
						// crawled and gets no report line or health.
						break
					}
					if r.Progress != nil {
						r.Progress(ProgressEvent{SourceID: src.ID, Total: len(sources)})
					}
					c := r.crawlOne(ctx, src)
					results <- c
					if r.Progress != nil {
						finMu.Lock()
						finished++
						n := finished
						finMu.Unlock()
						r.Progress(ProgressEvent{SourceID: src.ID, Done: true, Finished: n, Total: len(sources)})
					}
				}
			}
		})
	}
	go func() {
		defer close(work)
		for _, g := range groups {
			if ctx.Err() != nil {
				return // select would pick at random between a ready worker and Done
			}
			select {
			case work <- g:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	// The one writer: every store write of the run happens here. It takes
	// the crawls that are ready (at least one, at most writeGroup) and
	// stores them in one transaction, so that many quick sources cost one
	// commit and fsync instead of one each; on slow, polite crawls the
	// groups are of one.
	var storeErr error
	for c := range results {
		group := readyGroup(c, results)
		if storeErr != nil {
			continue // drain so the crawlers can finish
		}
		lines, err := r.storeGroup(group, res, now)
		if err != nil {
			storeErr = err
			stopCrawls(err)
			log.Error("store failed; stopping the run", slog.Any("err", err))
			continue
		}
		res.Report.Sources = append(res.Report.Sources, lines...)
	}
	sort.Slice(res.Report.Sources, func(i, j int) bool {
		return res.Report.Sources[i].SourceID < res.Report.Sources[j].SourceID
	})
	if storeErr != nil {
		return res, storeErr
	}
	for _, e := range r.Fetcher.RobotsFetched() {
		if err := r.Store.PutRobots(e.Host, e.Status, e.Body, e.FetchedAt); err != nil {
			log.Warn("could not keep robots.txt", slog.String("host", e.Host), slog.Any("err", err))
		}
	}
	res.Report.Finished = r.now()
	if err := r.Store.PutRun(res.Report); err != nil {
		return res, fmt.Errorf("store run report: %w", err)
	}
	return res, nil
}

func (r *Runner) crawlOne(ctx context.Context, src watcher.Source) crawled {
	t0 := time.Now()
	c := crawled{src: src}
	kind, ok := crawlers.KindFor(src.Kind)
	if !ok {
		c.err = fmt.Errorf("source %s: unknown kind %q", src.ID, src.Kind)
		return c
	}
	env := &crawlers.Env{
		Fetch: r.Fetcher,
		Known: func(key string) (watcher.Item, bool) {
			it, ok, err := r.Store.Item(key)
			if err != nil {
				return watcher.Item{}, false
			}
			return it, ok
		},
		Now: r.now,
		Loc: r.Cfg.SourceLocation(src),
		Log: r.log().With(slog.String("source", src.ID)),
	}
	c.res, c.err = crawlSafely(ctx, kind, env, src)
	c.duration = time.Since(t0)
	c.stopped = ctx.Err() != nil && !cleanCrawl(c)
	return c
}

// cleanCrawl reports whether a crawl ended with no error, no problem and
// something to show (items, or "not modified"): one a stop of the run
// cannot have cut short.
func cleanCrawl(c crawled) bool {
	return c.err == nil && c.res != nil && len(c.res.Problems) == 0 && (len(c.res.Items) > 0 || c.res.NotModified)
}

// crawlSafely runs one kind and turns a panic in it into an error, so one
// source's bad day never stops the others.
func crawlSafely(ctx context.Context, k crawlers.Kind, env *crawlers.Env, src watcher.Source) (res *crawlers.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("source %s: crawler failed: %v: %w", src.ID, p, errCrawlerPanic)
		}
	}()
	return k.Crawl(ctx, env, src)
}

var errCrawlerPanic = errors.New("internal crawler error")

// writeGroup bounds how many sources' crawls one transaction stores.
const writeGroup = 32

// readyGroup returns first and the crawls already waiting in results, up
// to writeGroup in all, without waiting for more.
func readyGroup(first crawled, results <-chan crawled) []crawled {
	group := []crawled{first}
	for len(group) < writeGroup {
		select {
		case c, ok := <-results:
			if !ok {
				return group
			}
			group = append(group, c)
		default:
			return group
		}
	}
	return group
}

// storeGroup writes the crawls of group in one transaction and returns
// their report lines. Its error names the group's sources.
func (r *Runner) storeGroup(group []crawled, res *Result, now time.Time) ([]watcher.SourceReport, error) {
	pend := make([]*pendingStore, len(group))
	batches := make([]state.SourceBatch, len(group))
	for i, c := range group {
		pend[i] = r.prepare(c, now)
		batches[i] = pend[i].batch
	}
	brs, err := r.Store.ApplyBatches(batches)
	if err != nil {
		ids := make([]string, len(group))
		for i, c := range group {
			ids[i] = c.src.ID
		}
		return nil, fmt.Errorf("store %s: %w", strings.Join(ids, ", "), err)
	}
	lines := make([]watcher.SourceReport, len(group))
	for i, p := range pend {
		lines[i] = r.record(p, brs[i], res)
	}
	return lines, nil
}

// pendingStore is one source's crawl made ready for the store.
type pendingStore struct {
	c     crawled
	line  watcher.SourceReport
	batch state.SourceBatch
	// prev (as stored before the batch) and health (after it) are set
	// by the batch's HealthAfter, in the transaction.
	prev, health watcher.Health
}

// prepare turns one source's crawl into its batch: items with the
// source's defaults, validators (only on success) and the health that the
// store derives once it knows how many items were new.
func (r *Runner) prepare(c crawled, now time.Time) *pendingStore {
	p := &pendingStore{c: c}
	line := watcher.SourceReport{SourceID: c.src.ID, Duration: c.duration}
	var items []watcher.Item
	var validators []watcher.Validator
	var problems []string
	notModified := false
	if c.res != nil {
		line.Pages = c.res.Requests
		line.NotModified = c.res.Status304
		line.Bytes = c.res.Bytes
		items = c.res.Items
		validators = c.res.Validators
		problems = c.res.Problems
		notModified = c.res.NotModified
	}
	out := Outcome{Items: len(items), NotModified: notModified, Problems: problems}
	switch {
	case c.stopped:
		// A stop (SIGTERM) or the run's own deadline cut the crawl
		// short: not the site's doing, whatever the crawler made of it
		// (a timeout, a problem of one URL, zero items). ErrCanceled
		// leaves the source's health as it was.
		out.Class = watcher.ErrCanceled
		out.Err = "the run was stopped while this source was crawled"
		if c.err != nil {
			out.Err += ": " + c.err.Error()
		}
		line.ErrClass, line.Error = out.Class, out.Err
		r.log().Info("source cut short by the end of the run", slog.String("source", c.src.ID), slog.Any("err", c.err))
	case c.err != nil:
		out.Class = classify(c.err)
		out.Err = c.err.Error()
		var fe *fetch.FetchError
		if errors.As(c.err, &fe) {
			out.Status = fe.Status
		}
		line.ErrClass = out.Class
		line.Error = out.Err
		r.log().Warn("source failed", slog.String("source", c.src.ID),
			slog.String("class", string(out.Class)), slog.Any("err", c.err))
	}
	items, refused := storable(items)
	if len(refused) > 0 {
		problems = append(slices.Clip(problems), refused...)
		out.Items, out.Problems = len(items), problems
	}
	line.Problems = problems
	p.line = line
	for i := range items {
		fillDefaults(&items[i], c.src)
	}
	p.batch = state.SourceBatch{
		SourceID:   c.src.ID,
		Seen:       now,
		Items:      items,
		Validators: validators,
		Score:      r.scoreFunc(c.src),
		// Health counts the items that were really new, so a run that
		// only errs stores its validators and health and nothing else.
		HealthAfter: func(prev watcher.Health, br state.BatchResult) *watcher.Health {
			o := out
			o.New = len(br.New)
			p.prev = prev
			p.health = NextHealth(prev, c.src.ID, o, now)
			return &p.health
		},
	}
	// A failed crawl may still have found items (one of several URLs
	// failed): they are stored, but validators are only kept on success so
	// the failed part is fetched again in full next time.
	if c.err != nil || c.stopped {
		p.batch.Validators = nil
	}
	return p
}

// storable returns the items whose key the store takes, and a problem for
// each one it would refuse. A refused key fails the store's whole
// transaction, which would stop the run as if the disk had failed; it is
// one odd item of the site's (a GUID of thousands of characters), so it is
// left out and reported instead. The rules are state.CheckKey's.
func storable(items []watcher.Item) ([]watcher.Item, []string) {
	if !slices.ContainsFunc(items, func(it watcher.Item) bool { return state.CheckKey(it.Key) != nil }) {
		return items, nil
	}
	var keep []watcher.Item
	var refused []string
	for _, it := range items {
		if err := state.CheckKey(it.Key); err != nil {
			refused = append(refused, fmt.Sprintf("item %s not stored: its key is refused: %v", cmp.Or(it.URL, strconv.Quote(it.Title)), err))
			continue
		}
		keep = append(keep, it)
	}
	return keep, refused
}

// record adds what one stored source did to the run's result and returns
// its report line.
func (r *Runner) record(p *pendingStore, br state.BatchResult, res *Result) watcher.SourceReport {
	line := p.line
	line.New, line.Changed, line.Unchanged = len(br.New), len(br.Changed), len(br.Unchanged)
	line.Health = p.health.State
	if HealthNews(p.prev.State, p.health.State) {
		res.Health = append(res.Health, HealthChange{Source: p.c.src, From: p.prev.State, To: p.health})
	}
	for i := range br.NewItems {
		if r.KeepNew == nil || r.KeepNew(&br.NewItems[i]) {
			res.New = append(res.New, br.NewItems[i])
		}
	}
	res.Changes = append(res.Changes, br.Changes...)
	for _, it := range br.ChangedItems {
		if _, done := res.Changed[it.Key]; !done {
			res.Changed[it.Key] = it
		}
	}
	return line
}

func (r *Runner) scoreFunc(src watcher.Source) func(*watcher.Item) {
	if r.Scorer == nil {
		return nil
	}
	always := src.AlwaysRelevant
	return func(it *watcher.Item) { it.Relevance = r.Scorer.Score(it, always) }
}

// fillDefaults gives an item what its source knows when the site did not say.
func fillDefaults(it *watcher.Item, src watcher.Source) {
	if it.SourceID == "" {
		it.SourceID = src.ID
	}
	if it.Organisation == "" {
		it.Organisation = src.Organisation
	}
	if it.Region == "" {
		it.Region = src.Region
	}
	if it.Kind == "" {
		it.Kind = src.DocKind
	}
	if it.Language == "" {
		it.Language = src.Language
	}
}

func classify(err error) watcher.ErrClass {
	if errors.Is(err, context.Canceled) {
		return watcher.ErrCanceled
	}
	if errors.Is(err, errCrawlerPanic) {
		// Our crawler failed on what the site sent: the content could
		// not be read, not the network (crawlers.Classify's default).
		return watcher.ErrParse
	}
	return crawlers.Classify(err) // never ErrNone for an error
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

func hostOf(s watcher.Source) string {
	if len(s.URLs) == 0 {
		return ""
	}
	u, err := url.Parse(s.URLs[0])
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// byHost groups sources by the host of their first URL, keeping config
// order within a group and ordering groups by size (largest first) so the
// longest queue starts early.
func byHost(sources []watcher.Source) [][]watcher.Source {
	idx := map[string]int{}
	var groups [][]watcher.Source
	for _, s := range sources {
		h := hostOf(s)
		i, ok := idx[h]
		if !ok {
			i = len(groups)
			idx[h] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], s)
	}
	slices.SortStableFunc(groups, func(a, b []watcher.Source) int { return len(b) - len(a) })
	return groups
}
