package intl

import (
	"context"
	"net/url"
	"regexp"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// ICAT reads the events of the Inter-Agency Coordination Group against
// Trafficking in Persons (icat.un.org). Event pages live at
// /events/<MM-YYYY>/<slug>; the URL gives the month, the body gives the
// day ("On 3 October 2023, …"). Every item is an event: Event.Start (and
// Published) come from the body of a new item's page, the URL's month
// standing in until then.
//
// Configuration: urls = event listing pages.
type ICAT struct{}

func init() { crawlers.Register("icat", ICAT{}) }

// icatEventPath is the path of an ICAT event page.
var icatEventPath = regexp.MustCompile(`^/events/\d{2}-\d{4}/[^/]+/?$`)

// Crawl implements crawlers.Kind.
func (ICAT) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	c, err := newCrawl(ctx, env, src)
	if err != nil {
		return nil, err
	}
	entries, err := c.readAll(c.eachURL(crawlers.AcceptHTML, c.icatListing))
	if err != nil {
		return c.res, err
	}
	c.finish(entries, watcher.KindEvent, enrichICAT)
	return c.res, nil
}

// icatListing maps a listing page's event links.
func (c *crawl) icatListing(resp *fetch.Response) ([]*entry, error) {
	base := crawlers.ParseBase(crawlers.FinalURL(resp))
	links, err := ListingLinks(resp.Body, base, "", func(u *url.URL, _ string) (string, bool) {
		return u.String(), base != nil && u.Hostname() == base.Hostname() && icatEventPath.MatchString(u.Path)
	})
	if err != nil {
		return nil, err
	}
	out := make([]*entry, 0, len(links))
	for _, l := range links {
		if l.Title == "" {
			continue
		}
		e := c.cardEntry(l)
		e.it.Kind = watcher.KindEvent
		if !e.it.Published.IsZero() {
			e.it.Event = &watcher.Event{Start: e.it.Published}
		} else if t, p, ok := dates.FromURL(l.URL); ok && p >= dates.PrecisionMonth {
			e.setWeakDate(t)
			e.it.Event = &watcher.Event{Start: t}
		}
		out = append(out, e)
	}
	return out, nil
}

// enrichICAT reads a new event's page: the day (and end day) from the lead
// paragraph, and any place or sign-up link it states.
func enrichICAT(c *crawl, e *entry) error {
	p, err := c.fetchPage(e.detail, ".field--name-body", "article", "main")
	if err != nil {
		return err
	}
	applyPage(c, e, p)
	ev := eventFromPage(p, c.dateOpt())
	if ev.Start.IsZero() {
		ev.Start, ev.End = DateRange(p.Lead(40), c.dateOpt())
	}
	if !ev.Start.IsZero() && e.weakDate && !nearMonth(ev.Start, e.it.Published) {
		c.problemf("icat: date %s in %s is far from the month in its URL", ev.Start.Format(time.DateOnly), e.it.URL)
		ev.Start, ev.End = time.Time{}, time.Time{}
	}
	if !ev.Start.IsZero() && (e.it.Published.IsZero() || e.weakDate) {
		e.setDate(ev.Start)
	}
	if e.it.Event != nil && ev.Start.IsZero() {
		ev.Start, ev.End = e.it.Event.Start, e.it.Event.End
	}
	if ev != (watcher.Event{}) {
		e.it.Event = &ev
	}
	return nil
}
