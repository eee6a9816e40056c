package runner

import (
	"slices"
	"time"

	"watcher"
)

// Outcome is what one source's crawl came to, as health sees it.
type Outcome struct {
	Class       watcher.ErrClass // ErrNone on success
	Err         string
	Status      int // HTTP status of a failed fetch, if any
	Items       int // items the source yielded
	New         int // of which new to the store
	NotModified bool
	Problems    []string
}

// NextHealth derives a source's health after a run from its previous
// health and the run's outcome. It is pure: now is the run's time.
//
// The states: a fetch error is blocked (403/429/challenge/robots),
// unreachable (network, timeout, 5xx, not archived) or broken (parse
// errors, 404/410: the address or format changed). A successful fetch with
// zero items where the source used to yield items is broken (a redesign);
// one with items but drift signs (selectors that matched nothing, dates
// that did not parse) is degraded; otherwise healthy when something new
// came, quiet when nothing did. Retrying never stops: every run tries
// again, whatever the state.
//
// A crawl the run itself stopped (ErrCanceled: a shutdown, an interrupt)
// says nothing about the site: the health stays as it was.
func NextHealth(prev watcher.Health, sourceID string, o Outcome, now time.Time) watcher.Health {
	if o.Class == watcher.ErrCanceled {
		prev.SourceID = sourceID
		return prev
	}
	h := prev
	h.SourceID = sourceID
	h.LastRun = now
	h.Checks++
	h.Problems = slices.Clone(o.Problems)
	state := judge(&h, o, now)
	if state != prev.State {
		h.PrevState = prev.State
		h.State = state
		h.Since = now
	}
	return h
}

func judge(h *watcher.Health, o Outcome, now time.Time) watcher.HealthState {
	if o.Class != watcher.ErrNone {
		h.FailureStreak++
		h.LastErrClass = o.Class
		h.LastError = o.Err
		return failureState(o)
	}
	h.FailureStreak = 0
	h.LastSuccess = now
	prevClass, prevErr := h.LastErrClass, h.LastError
	h.LastErrClass = watcher.ErrNone
	h.LastError = ""
	if o.NotModified {
		// The same body as last time: what its content showed then still
		// holds (a redesigned page that parsed to nothing is still broken).
		if h.State == watcher.HealthBroken || h.State == watcher.HealthDegraded {
			h.LastErrClass, h.LastError = prevClass, prevErr
			return h.State
		}
		h.ZeroStreak = 0
		return okState(h, 0, now)
	}
	h.LastItems = o.Items
	if o.Items == 0 {
		h.ZeroStreak++
		if h.MaxItems > 0 {
			h.LastErrClass = watcher.ErrLayout
			h.LastError = watcher.ZeroItems
			return watcher.HealthBroken
		}
		return watcher.HealthDegraded
	}
	h.ZeroStreak = 0
	if o.Items > h.MaxItems {
		h.MaxItems = o.Items
	}
	if len(o.Problems) > 0 {
		return watcher.HealthDegraded
	}
	return okState(h, o.New, now)
}

// okState is healthy when new items came and quiet when none did; it also
// keeps the source's cadence, the typical gap between new items, as an
// exponentially weighted mean.
func okState(h *watcher.Health, newItems int, now time.Time) watcher.HealthState {
	if newItems == 0 {
		return watcher.HealthQuiet
	}
	if !h.LastNew.IsZero() && now.After(h.LastNew) {
		gap := now.Sub(h.LastNew)
		if h.Cadence == 0 {
			h.Cadence = gap
		} else {
			h.Cadence = (h.Cadence*3 + gap) / 4
		}
	}
	h.LastNew = now
	return watcher.HealthHealthy
}

func failureState(o Outcome) watcher.HealthState {
	switch o.Class {
	case watcher.ErrBlocked, watcher.ErrRobots:
		return watcher.HealthBlocked
	case watcher.ErrParse, watcher.ErrLayout, watcher.ErrTooLarge:
		return watcher.HealthBroken
	case watcher.ErrHTTP:
		if o.Status == 404 || o.Status == 410 {
			return watcher.HealthBroken
		}
		return watcher.HealthUnreachable
	default:
		return watcher.HealthUnreachable
	}
}

// Troubled reports whether a state needs a person's attention. Healthy and
// quiet are both fine: moving between them is not news.
func Troubled(s watcher.HealthState) bool {
	switch s {
	case watcher.HealthHealthy, watcher.HealthQuiet, watcher.HealthUnknown:
		return false
	}
	return true
}

// HealthNews reports whether a change from prev to next is worth one alert:
// into trouble, out of trouble, or from one kind of trouble to another.
func HealthNews(prev, next watcher.HealthState) bool {
	if prev == next {
		return false
	}
	if prev == watcher.HealthUnknown {
		return Troubled(next)
	}
	return Troubled(prev) || Troubled(next)
}
