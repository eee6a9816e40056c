package norway

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
)

// Names the kinds are registered under (config: kind).
const (
	KindHearings   = "regjeringen-hearings"
	KindFeed       = "regjeringen-feed"
	KindStortinget = "stortinget"
)

func init() {
	crawlers.Register(KindHearings, hearingsKind{})
	crawlers.Register(KindFeed, feedKind{})
	crawlers.Register(KindStortinget, stortingetKind{})
}

// maxPages is the hard cap on listing pages per run; a source that sets
// none gets the html kind's default.
func maxPages(src watcher.Source) int {
	if src.MaxPages > 0 {
		return src.MaxPages
	}
	return crawlers.DefaultMaxPages
}

// maxItemPages is the cap on item pages per run, by default the html
// kind's; a negative setting turns item pages off.
func maxItemPages(src watcher.Source) int {
	switch {
	case src.MaxItemPages > 0:
		return src.MaxItemPages
	case src.MaxItemPages < 0:
		return 0
	}
	return crawlers.DefaultMaxItemPages
}

// session is one crawl of one source: the environment, the result being
// built, and the bookkeeping every request needs.
type session struct {
	env *crawlers.Env
	src watcher.Source
	loc *time.Location
	log *slog.Logger
	res *crawlers.Result
}

func newSession(env *crawlers.Env, src watcher.Source) (*session, error) {
	if env == nil || env.Fetch == nil {
		return nil, fmt.Errorf("%s %s: no fetcher in the environment", src.Kind, src.ID)
	}
	if len(src.URLs) == 0 {
		return nil, fmt.Errorf("%s %s: no url configured", src.Kind, src.ID)
	}
	log := env.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &session{
		env: env,
		src: src,
		loc: oslo(crawlers.SourceLoc(env, src)),
		log: log, // the runner tags it with the source id
		res: &crawlers.Result{},
	}, nil
}

func (s *session) now() time.Time {
	if s.env.Now != nil {
		return s.env.Now()
	}
	return time.Now()
}

func (s *session) problemf(format string, args ...any) {
	s.res.Problems = append(s.res.Problems, fmt.Sprintf(format, args...))
}

// get fetches one URL and counts it (crawlers.Result.Get).
func (s *session) get(ctx context.Context, url string, conditional bool, accept string) (*fetch.Response, error) {
	return s.res.Get(ctx, s.env.Fetch, fetch.Request{URL: url, Conditional: conditional, Accept: accept})
}
