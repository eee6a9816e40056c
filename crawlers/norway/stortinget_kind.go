package norway

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"watcher"
	"watcher/crawlers"
)

// stortingetKind crawls Stortinget's committee hearings through the open
// data API. src.URLs[0] is the export base
// (https://data.stortinget.no/eksport/). The current session comes from
// "sesjoner" unless src.Options["session"] names one ("2025-2026"); the
// hearings from "horinger?sesjonid=<id>", fetched conditionally.
// src.Options["site"] overrides where case pages link to
// (https://www.stortinget.no). The hearings endpoint has been seen
// answering 500: that is returned as the fetch error it is, and the runner
// keeps the source's health.
type stortingetKind struct{}

func (stortingetKind) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	s, err := newSession(env, src)
	if err != nil {
		return nil, err
	}
	base := src.URLs[0]
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	session := strings.TrimSpace(src.Options["session"])
	if session == "" {
		if session, err = s.currentSession(ctx, base); err != nil {
			return s.res, err
		}
	}
	hearingsURL := absURL(base, "horinger?sesjonid="+url.QueryEscape(session)+"&format=json")
	resp, err := s.get(ctx, hearingsURL, true, "application/json")
	if err != nil {
		return s.res, fmt.Errorf("stortinget hearings: %w", err)
	}
	if resp.NotModified || resp.SameBody {
		s.res.NotModified = true
		return s.res, nil
	}
	hearings, probs, err := ParseStortingetHearings(resp.Body)
	if err != nil {
		return s.res, &crawlers.ParseError{URL: hearingsURL, Err: err}
	}
	s.res.Problems = append(s.res.Problems, probs...)
	site := pick(strings.TrimSpace(src.Options["site"]), defaultStortingetSite)
	now := s.now()
	for _, h := range hearings {
		it, p := stortingetItem(src, h, now, site)
		s.res.Problems = append(s.res.Problems, p...)
		s.res.Items = append(s.res.Items, it)
	}
	s.res.Validators = append(s.res.Validators, resp.Validator)
	return s.res, nil
}

// currentSession asks the sesjoner export for the current session's id.
func (s *session) currentSession(ctx context.Context, base string) (string, error) {
	u := absURL(base, "sesjoner?format=json")
	resp, err := s.get(ctx, u, false, "application/json")
	if err != nil {
		return "", fmt.Errorf("stortinget sessions: %w", err)
	}
	id, err := ParseSessions(resp.Body)
	if err != nil {
		return "", &crawlers.ParseError{URL: u, Err: err}
	}
	return id, nil
}
