package intl

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/dates"
)

// eventWords mark an item that announces or reports a gathering. The
// Nordic words also match inside compounds ("frukostseminarium",
// "fagkonferanse").
var eventWords = regexp.MustCompile(`(?i)\b(conferences?|workshops?|symposi(?:um|a)|round ?tables?|side events?|forums?|training courses?|kurs)\b|konferanse|konferens|seminar|webinar|webbinar|frukostmöte|frokostmøte`)

// IsEventTitle reports whether a title names a conference, seminar,
// webinar or the like.
func IsEventTitle(title string) bool { return eventWords.MatchString(title) }

var (
	dateLabels  = []string{"date", "dates", "when", "date and time", "time and date", "dato", "tid og sted", "datum", "tidpunkt", "när", "datum och tid"}
	placeLabels = []string{"venue", "location", "place", "where", "sted", "plats", "lieu", "var"}
	eventLabels = slices.Concat(dateLabels, placeLabels)
	signupWords = regexp.MustCompile(`(?i)regist|sign[ -]?up|påmeld|anmäl|enrol`)
)

// EventFrom reads the when, where and sign-up link that an event page
// states in labelled lines ("Date: 3–4 October 2023", "Venue: Vienna",
// "Register here"). It returns nil unless the title names an event and the
// page states at least one of them.
func EventFrom(title string, p Page, opt dates.Options) *watcher.Event {
	if !IsEventTitle(title) {
		return nil
	}
	ev := eventFromPage(p, opt)
	if ev == (watcher.Event{}) {
		return nil
	}
	return &ev
}

// eventFromPage reads the labelled event lines and the sign-up link of a
// page known to be about an event.
func eventFromPage(p Page, opt dates.Options) watcher.Event {
	var ev watcher.Event
	for _, when := range crawlers.LabelledValues(p.Lines, dateLabels, eventLabels) {
		if ev.Start, ev.End = DateRange(when, opt); !ev.Start.IsZero() {
			break
		}
	}
	for _, place := range crawlers.LabelledValues(p.Lines, placeLabels, eventLabels) {
		if ev.Place = clip(place, 160); ev.Place != "" {
			break
		}
	}
	for _, l := range p.Links {
		if signupWords.MatchString(l.Text) || signupWords.MatchString(l.URL) {
			ev.SignupURL = l.URL
			break
		}
	}
	return ev
}

var (
	// 3–4 October 2023, 3.-4. oktober 2023
	rangeDays = regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})\.?\s*[–—-]\s*(\d{1,2}\.?\s+\p{L}+\.?\s+\d{4})`)
	// 30 September – 2 October 2023
	rangeMonths = regexp.MustCompile(`(?:^|[^\d.])(\d{1,2}\.?\s+\p{L}+)\.?\s*[–—-]\s*(\d{1,2}\.?\s+\p{L}+\.?\s+(\d{4}))`)
	// October 3–4, 2023
	rangeUS = regexp.MustCompile(`(\p{L}+)\s+(\d{1,2})\s*[–—-]\s*(\d{1,2}),?\s+(\d{4})`)
	// 3 October 2023 – 5 October 2023, 3 October 2023 to 5 October 2023
	rangeSep = regexp.MustCompile(`\s+(?:[–—-]|to|til|till)\s+`)
)

// DateRange reads a date or a range of dates ("3–4 October 2023",
// "30 September – 2 October 2023", "October 3–4, 2023",
// "3 October 2023 – 5 October 2023"). End is zero for a single date; both
// are zero when s holds no date.
func DateRange(s string, opt dates.Options) (start, end time.Time) {
	if m := rangeDays.FindStringSubmatch(s); m != nil {
		if e, err := dates.Parse(m[2], opt); err == nil {
			if st, err := dates.Parse(m[1]+" "+dropDay(m[2]), opt); err == nil && !st.After(e) {
				return st, e
			}
		}
	}
	if m := rangeMonths.FindStringSubmatch(s); m != nil {
		if e, err := dates.Parse(m[2], opt); err == nil {
			st, err := dates.Parse(m[1]+" "+m[3], opt)
			if err == nil && st.After(e) { // 28 December – 2 January 2024
				st = st.AddDate(-1, 0, 0)
			}
			if err == nil {
				return st, e
			}
		}
	}
	if m := rangeUS.FindStringSubmatch(s); m != nil {
		st, err1 := dates.Parse(m[2]+" "+m[1]+" "+m[4], opt)
		e, err2 := dates.Parse(m[3]+" "+m[1]+" "+m[4], opt)
		if err1 == nil && err2 == nil && !st.After(e) {
			return st, e
		}
	}
	if loc := rangeSep.FindStringIndex(s); loc != nil {
		st, ok1 := dates.Find(s[:loc[0]], opt)
		e, ok2 := dates.Find(s[loc[1]:], opt)
		if ok1 && ok2 && !st.After(e) {
			return st, e
		}
	}
	if st, ok := dates.Find(s, opt); ok {
		return st, time.Time{}
	}
	return time.Time{}, time.Time{}
}

// dropDay removes the leading day number of "4 October 2023" or
// "4. oktober 2023", leaving "October 2023".
func dropDay(s string) string {
	s = strings.TrimLeft(s, "0123456789")
	return strings.TrimSpace(strings.TrimPrefix(s, "."))
}

// clip cuts s to at most n bytes at a word boundary, else (one long
// word) at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if cut := strings.LastIndexByte(s[:n], ' '); cut > 0 {
		return strings.TrimSpace(s[:cut])
	}
	return strings.TrimSpace(crawlers.CutText(s, n))
}
