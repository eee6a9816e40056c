package digest

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"watcher"
	"watcher/dates"
)

// drafter writes an item's draft sentences, in the newsletter's patterns,
// for a period whose dates are written without the year when it is the
// period's own.
type drafter struct {
	loc  *time.Location
	year int // the period's year
}

// maxSentences and maxDraftRunes bound a drafted text.
const (
	maxSentences  = 3
	maxDraftRunes = 450
	maxClauseRune = 300 // one quoted sentence from an ingress
)

// draft returns the member's sentences as spans; primary is the link "se
// her" points to.
func (d *drafter) draft(m *member, primary string) []Span {
	it := &m.it
	title := clean(it.Title)
	month := d.month(it.Date())
	norwegian := m.norwegian()
	subject := sentenceSubject(m.org)
	var s []Span
	switch m.kind {
	case watcher.KindHearing:
		if len(it.Ministries) > 0 {
			subject = it.Ministries[0]
		}
		return d.hearing(it, subject, month, primary, norwegian)
	case watcher.KindEvent:
		return d.event(it, primary)
	case watcher.KindPlan, watcher.KindProposition, watcher.KindNOU:
		s = seHerSpans(presenter(m.region, subject)+" la "+month+" frem "+planObject(title, norwegian), primary, ".")
	case watcher.KindReport:
		s = seHerSpans(subject+" publiserte "+month+" rapporten "+quote(title), primary, ".")
	case watcher.KindJudgement:
		s = seHerSpans(subject+" publiserte "+month+" avgjørelsen "+quote(title), primary, ".")
	case watcher.KindRegulation:
		s = seHerSpans(subject+" kunngjorde "+month+" "+quote(title), primary, ".")
	case watcher.KindNews:
		return d.news(it, subject, month, primary, norwegian)
	default:
		s = seHerSpans(subject+" publiserte "+month+" "+quote(title), primary, ".")
	}
	return s
}

// hearing: "<Departement> sendte i august på høring forslag om …, se her.
// Høringsfrist er 3. november." The deadline is always stated.
func (d *drafter) hearing(it *watcher.Item, subject, month, primary string, norwegian bool) []Span {
	s := seHerSpans(subject+" sendte "+month+" på høring "+hearingObject(clean(it.Title), norwegian), primary, ".")
	if it.Deadline.IsZero() {
		return append(s, Span{Text: " Høringsfristen er ikke oppgitt."})
	}
	return append(s, Span{Text: " Høringsfrist er " + d.day(it.Deadline) + "."})
}

// event: "<tittel> arrangeres 12. oktober i Wien, se her. Påmelding: <lenke>."
func (d *drafter) event(it *watcher.Item, primary string) []Span {
	title := strings.TrimRight(clean(it.Title), ".")
	var ev watcher.Event
	if it.Event != nil {
		ev = *it.Event
	}
	when := d.span(ev.Start, ev.End)
	where := place(ev.Place)
	var text string
	switch {
	case when == "" && where == "":
		text = "Tid og sted for " + quote(title) + " er ikke oppgitt"
	case when == "":
		text = capitalize(title) + " arrangeres " + where + " (datoen er ikke oppgitt)"
	default:
		text = capitalize(title) + " arrangeres " + strings.TrimSpace(when+" "+where)
	}
	s := seHerSpans(text, primary, ".")
	if u := safeURL(ev.SignupURL); u != "" && u != primary {
		if label, whole := displayURL(u); whole {
			s = append(s, Span{Text: " Påmelding: "}, Span{Text: label, URL: u}, Span{Text: "."})
		} else {
			// A clipped address reads badly in print: link a word instead.
			s = append(s, Span{Text: " Meld deg på "}, Span{Text: "her", URL: u}, Span{Text: "."})
		}
	}
	return s
}

// news: "<Organisasjon> meldte i august at …", from the ingress's first
// sentence when the item is in Norwegian, and up to two more of its
// sentences; else the title, quoted.
func (d *drafter) news(it *watcher.Item, subject, month, primary string, norwegian bool) []Span {
	var ingress []string
	if norwegian {
		ingress = sentences(it.Summary)
	}
	if len(ingress) == 0 {
		return seHerSpans(subject+" meldte "+month+": "+quote(clean(it.Title)), primary, ".")
	}
	first := strings.TrimRight(clip(ingress[0], maxClauseRune), ".!? ")
	s := seHerSpans(subject+" meldte "+month+" at "+lowerFirst(first), primary, ".")
	n := len(spansText(s))
	for _, more := range ingress[1:min(len(ingress), maxSentences)] {
		if n+1+len([]rune(more)) > maxDraftRunes {
			break
		}
		s = append(s, Span{Text: " " + more})
		n += 1 + len([]rune(more))
	}
	return s
}

// sentenceSubject is how an organisation is named as the subject of a
// sentence: a group heading that names a body and its parent
// ("GRETA/Europarådet") gives the body ("GRETA publiserte …").
func sentenceSubject(org string) string {
	if body, _, ok := strings.Cut(org, "/"); ok && strings.TrimSpace(body) != "" && !strings.Contains(org, "://") {
		return strings.TrimSpace(body)
	}
	return org
}

// presenter is who "la frem" a plan or bill: the government for a
// Norwegian ministry's document, else the publisher.
func presenter(region watcher.Region, subject string) string {
	if region == watcher.RegionNorway && (subject == "Regjeringen" || strings.HasSuffix(strings.ToLower(subject), "departementet")) {
		return "Regjeringen"
	}
	return subject
}

// month is "i august", with the year when it is not the period's.
func (d *drafter) month(t time.Time) string {
	t = t.In(d.loc)
	m := "i " + dates.MonthName(t.Month())
	if t.Year() != d.year {
		m += " " + strconv.Itoa(t.Year())
	}
	return m
}

// day is "3. november", with the year when it is not the period's.
func (d *drafter) day(t time.Time) string {
	if t.In(d.loc).Year() != d.year {
		return dates.Long(t, d.loc)
	}
	return dates.DayMonth(t, d.loc)
}

// span writes an event's dates: "12. oktober", "12.–13. oktober",
// "30. november–1. desember", with the year when it is not the period's.
func (d *drafter) span(start, end time.Time) string {
	if start.IsZero() {
		return ""
	}
	s, e := start.In(d.loc), end.In(d.loc)
	if end.IsZero() || sameDay(s, e) || e.Before(s) {
		return d.day(start)
	}
	switch {
	case s.Year() == e.Year() && s.Month() == e.Month():
		return strconv.Itoa(s.Day()) + ".–" + d.day(end)
	case s.Year() == e.Year():
		return dates.DayMonth(start, d.loc) + "–" + d.day(end)
	}
	return dates.Long(start, d.loc) + "–" + dates.Long(end, d.loc)
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// place is "i Wien", or "digitalt" for an online event.
func place(p string) string {
	p = dedupeParts(strings.TrimRight(clean(p), "."))
	switch strings.ToLower(p) {
	case "":
		return ""
	case "online", "digital", "digitalt", "webinar", "virtual", "virtuelt", "zoom", "teams", "nett", "på nett":
		return "digitalt"
	}
	return "i " + p
}

// dedupeParts drops the repeats of a comma-separated place, which a
// venue named after its town gives ("Trondheim, Trondheim" → "Trondheim").
func dedupeParts(p string) string {
	parts := strings.Split(p, ",")
	out := parts[:0]
	seen := map[string]bool{}
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if k := strings.ToLower(part); part != "" && !seen[k] {
			seen[k] = true
			out = append(out, part)
		}
	}
	return strings.Join(out, ", ")
}

// seHerSpans ends text with ", se her" linked to primary, and end.
func seHerSpans(text, primary, end string) []Span {
	text = strings.TrimRight(text, " .")
	if primary == "" {
		return []Span{{Text: text + end}}
	}
	return []Span{{Text: text + ", "}, {Text: seHer, URL: primary}, {Text: end}}
}

// quote puts a title in Norwegian quotation marks.
func quote(title string) string {
	title = strings.TrimSpace(title)
	if strings.HasPrefix(title, "«") && strings.HasSuffix(title, "»") {
		return title
	}
	return "«" + strings.Trim(title, `"“”`) + "»"
}

// hearingPrefix is the "Høring om"/"Høring –"/"Høringsnotat:" that
// regjeringen.no puts before what is on hearing, with a qualifier in
// front of it ("Kort høring -", "Forenklet høring:").
var hearingPrefix = regexp.MustCompile(`(?i)^((kort|forenklet|forenkla|offentlig|offentleg|åpen|open|ny)\s+)?(høringsnotat|høyringsnotat|høring|høyring)(\s*[-–:]\s*|\s+om\s+|\s+av\s+|\s+|$)`)

// hearingObject turns a hearing's title into what was sent on hearing:
// "Høring om endringer i straffeloven" → "forslag om endringer i
// straffeloven"; "Høring – forslag til …" → "forslag til …" (also
// "utkast" and the nynorsk "framlegg"); a title that starts with a
// document's designation or an acronym ("NOU 2023: 5 …", "EØS-…") stays
// as it is; one that starts with another capitalised word, which may be
// a name or a capitalised common word ("Avskogingsforordningen og …",
// "Oslo kommunes …"), is quoted, as is one not in Norwegian.
func hearingObject(title string, norwegian bool) string {
	if !norwegian {
		return quote(title)
	}
	rest := strings.TrimSpace(hearingPrefix.ReplaceAllString(title, ""))
	if rest == "" {
		return quote(title)
	}
	low := lowerFirst(rest)
	for _, w := range []string{"forslag", "utkast", "framlegg"} {
		if strings.HasPrefix(low, w) {
			return low
		}
	}
	if r, _ := utf8.DecodeRuneInString(low); unicode.IsUpper(r) {
		if designation(low) {
			return rest
		}
		return quote(rest)
	}
	return "forslag om " + low
}

// designation reports whether a title starts with a document's
// designation or an acronym, which reads well unquoted: a first word with
// a digit or more than one capital ("NOU", "EØS-avtalen", "EUs"), or
// "Prop."/"Meld." and the like.
func designation(s string) bool {
	word, _, _ := strings.Cut(s, " ")
	if strings.HasSuffix(word, ".") {
		return true
	}
	upper := 0
	for _, r := range word {
		switch {
		case unicode.IsDigit(r):
			return true
		case unicode.IsUpper(r):
			upper++
		}
	}
	return upper > 1
}

// planObject writes a plan's or bill's title inside "Regjeringen la i
// oktober frem …": a title that starts with a common word is lower-cased
// ("handlingsplan mot menneskehandel"), one that starts with a name or a
// number stays as it is ("NOU 2023: 5 …", "Prop. 12 L …"), one not in
// Norwegian is quoted.
func planObject(title string, norwegian bool) string {
	if !norwegian {
		return quote(title)
	}
	return lowerFirst(title)
}

// isNorwegian reports whether a text in language, from a source in
// region, is in Norwegian: a stated nb or nn, or no stated language from
// a Norwegian source.
func isNorwegian(language string, region watcher.Region) bool {
	switch strings.ToLower(language) {
	case "nb", "nn", "no", "nob", "nno":
		return true
	case "":
		return region == watcher.RegionNorway
	}
	return false
}

// maxDisplayURL is the longest sign-up address printed as it is.
const maxDisplayURL = 60

// displayURL is how a sign-up address is printed: no scheme, no "www.",
// no trailing slash. whole is false when that is longer than
// maxDisplayURL characters, and the label is then clipped.
func displayURL(u string) (label string, whole bool) {
	s := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	s = strings.TrimPrefix(strings.TrimSuffix(s, "/"), "www.")
	if utf8.RuneCountInString(s) > maxDisplayURL {
		return clip(s, maxDisplayURL), false
	}
	return s, true
}
