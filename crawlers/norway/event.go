package norway

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"watcher"
	"watcher/crawlers"
	"watcher/dates"
)

// Event labels as pages state them in bokmål, nynorsk and English. "Dato"
// is not among them: on regjeringen.no it labels the publication date.
var (
	whenLabels  = []string{"tid", "tidspunkt", "når", "dato og tid", "dato og klokkeslett", "time", "when"}
	placeLabels = []string{"sted", "stad", "hvor", "kvar", "lokale", "place", "venue", "where", "location"}
	signupWords = []string{"påmelding", "meld deg på", "registrer deg", "sign up", "register"}
)

var clockRe = regexp.MustCompile(`^(?:kl\.?\s*)?(\d{1,2})[.:](\d{2})$`)

// parseEvent reads when and where an event page says it takes place: a
// schema.org Event in JSON-LD wins; else labelled lines ("Tid: 12.
// september 2026 kl. 10.00–11.30", "Sted: Oslo") in the article's info and
// body, with a sign-up link ("Påmelding", "Meld deg på"), when labels is
// set. A label may stand alone with its value on the next line ("Tid:",
// or <dt>Tid</dt><dd>…</dd>), as crawlers.LabelledValues reads them. It
// returns nil when the page states neither a time nor a place.
func parseEvent(doc *goquery.Document, ld jsonLD, base string, loc *time.Location, labels bool) *watcher.Event {
	if ev := crawlers.JSONLDEvent(ld.Event, dates.Options{Loc: loc}); ev != nil {
		ev.SignupURL = absURL(base, ld.EventURL)
		return ev
	}
	if !labels {
		return nil
	}
	var ev watcher.Event
	lines := crawlers.TextLines(doc.Find("div.article-info, div.article-body"))
	known := slices.Concat(whenLabels, placeLabels)
	for _, when := range crawlers.LabelledValues(lines, whenLabels, known) {
		if ev.Start, ev.End = eventSpan(when, loc); !ev.Start.IsZero() {
			break
		}
	}
	if places := crawlers.LabelledValues(lines, placeLabels, known); len(places) > 0 {
		ev.Place = places[0]
	}
	if ev.Start.IsZero() && ev.Place == "" {
		return nil
	}
	ev.SignupURL = signupLink(doc, base)
	return &ev
}

// eventSpan reads "12. september 2026 kl. 10.00–11.30": the start is the
// first date (with its time), the end a second date after a dash, or a
// bare time after it on the start's day.
func eventSpan(value string, loc *time.Location) (start, end time.Time) {
	opt := dates.Options{Loc: loc}
	first, rest := value, ""
	for _, sep := range []string{"–", "—", " - "} {
		if i := strings.LastIndex(value, sep); i >= 0 {
			first, rest = value[:i], crawlers.CleanText(value[i+len(sep):])
			break
		}
	}
	start, ok := dates.Find(first, opt)
	if !ok {
		start, _ = dates.Find(value, opt)
		return start, time.Time{}
	}
	if rest == "" {
		return start, time.Time{}
	}
	if t, ok := dates.Find(rest, opt); ok {
		return start, t
	}
	if m := clockRe.FindStringSubmatch(strings.ToLower(rest)); m != nil {
		s := start.In(oslo(loc))
		h, mi := atoi2(m[1]), atoi2(m[2])
		if h < 24 && mi < 60 {
			end = time.Date(s.Year(), s.Month(), s.Day(), h, mi, 0, 0, s.Location())
		}
	}
	return start, end
}

func atoi2(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// signupLink returns the first link in the article whose text asks the
// reader to sign up.
func signupLink(doc *goquery.Document, base string) string {
	var out string
	doc.Find("div.article-body a[href], div.article-info a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		text := strings.ToLower(crawlers.CleanText(a.Text()))
		for _, w := range signupWords {
			if strings.Contains(text, w) {
				out = absURL(base, a.AttrOr("href", ""))
				return false
			}
		}
		return true
	})
	return out
}
