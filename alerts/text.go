package alerts

import (
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"watcher"
	"watcher/dates"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// texts holds the Norwegian alert texts: for each alert kind a template
// "<kind>.subject" and "<kind>.body".
var texts = template.Must(template.New("").Option("missingkey=error").ParseFS(templateFS, "templates/*.tmpl"))

// maxSummary caps the ingress quoted in a new-hearing alert, in characters.
const maxSummary = 600

// itemData is what the texts about one consultation show.
type itemData struct {
	Title       string
	Deadline    string // "6. november 2023", or "" when unknown
	Countdown   string // "om 7 dager"
	OldDeadline string // deadline_moved
	Status      string // Norwegian: "på høring"
	OldStatus   string // status_changed
	Ministry    string // the ministries, comma-separated
	Publisher   string // the organisation, when no ministry is named
	Summary     string
	Why         string // the matched terms: "menneskehandel (tittel), tvangsarbeid (tekst)"
	Included    bool   // relevant only because the editor included it
	URL         string
}

// healthData is what a source health text shows.
type healthText struct {
	SourceID, Name string
	From, To       string // Norwegian state words
	Since          string // "3. mars 2026"
	Detail         string
	Recovered      bool
	First          bool // the source's first check: it had no state before
}

func baseData(p *planner, it *watcher.Item) itemData {
	d := itemData{
		Title:     oneLine(it.Title),
		Status:    StatusWord(it.Status),
		Ministry:  strings.Join(it.Ministries, ", "),
		Publisher: it.Organisation,
		URL:       it.URL,
	}
	if d.Title == "" {
		d.Title = it.URL
	}
	if !it.Deadline.IsZero() {
		d.Deadline = dates.Long(it.Deadline, p.loc)
		d.Countdown = dates.Countdown(p.daysLeft(it))
	}
	return d
}

func newHearingData(p *planner, it *watcher.Item) itemData {
	d := baseData(p, it)
	d.Summary = truncate(oneLine(it.Summary), maxSummary)
	d.Why = why(it.Relevance.Matches)
	d.Included = p.in.Included[it.Key] && !it.Relevance.Relevant
	return d
}

func reminderData(p *planner, it *watcher.Item) itemData { return baseData(p, it) }

func movedData(p *planner, it *watcher.Item, old, nu time.Time) itemData {
	d := baseData(p, it)
	d.OldDeadline = dates.Long(old, p.loc)
	d.Deadline = dates.Long(nu, p.loc)
	d.Countdown = dates.Countdown(dates.DaysUntil(p.in.Now, nu, p.loc))
	return d
}

func statusData(p *planner, it *watcher.Item, old, nu watcher.Status) itemData {
	d := baseData(p, it)
	d.OldStatus, d.Status = StatusWord(old), StatusWord(nu)
	return d
}

func healthData(p *planner, h HealthChange, at time.Time) healthText {
	name := h.Name
	if name == "" {
		name = h.SourceID
	}
	return healthText{
		SourceID:  h.SourceID,
		Name:      name,
		From:      HealthWord(h.From),
		To:        HealthWord(h.To),
		Since:     dates.Long(at, p.loc),
		Detail:    truncate(oneLine(h.Detail), 300),
		Recovered: !bad(h.To),
		First:     h.From == watcher.HealthUnknown,
	}
}

// healthGroupText is what the source_health_group templates read.
type healthGroupText struct {
	Count   int
	Summary string // "3 utilgjengelig, 1 i orden"
	Since   string // the run's date
	Sources []healthText
	AnyBad  bool
	// Outage: two or more sources became unreachable in the same run,
	// which more often means the machine's own network than the sites.
	Outage bool
}

func healthGroupData(p *planner, news []HealthChange) healthGroupText {
	d := healthGroupText{Count: len(news), Since: dates.Long(p.in.Now, p.loc)}
	var words []string
	count := map[string]int{}
	unreachable := 0
	for _, h := range news {
		t := healthData(p, h, h.At)
		d.Sources = append(d.Sources, t)
		d.AnyBad = d.AnyBad || bad(h.To)
		if h.To == watcher.HealthUnreachable {
			unreachable++
		}
		if count[t.To] == 0 {
			words = append(words, t.To)
		}
		count[t.To]++
	}
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = strconv.Itoa(count[w]) + " " + w
	}
	d.Summary = strings.Join(parts, ", ")
	d.Outage = unreachable >= 2
	return d
}

// render executes the subject and body templates of kind. The templates
// are fixed and their data complete, so an error is a programming error.
func render(kind string, data any) (subject, body string) {
	var b strings.Builder
	if err := texts.ExecuteTemplate(&b, kind+".subject", data); err != nil {
		panic(fmt.Sprintf("alerts: render %s subject: %v", kind, err))
	}
	subject = oneLine(b.String())
	b.Reset()
	if err := texts.ExecuteTemplate(&b, kind+".body", data); err != nil {
		panic(fmt.Sprintf("alerts: render %s body: %v", kind, err))
	}
	return subject, b.String()
}

// StatusWord names a consultation status in Norwegian: "på høring",
// "høringsfristen er ute", "ferdigbehandlet", or "ukjent".
func StatusWord(s watcher.Status) string {
	switch s {
	case watcher.StatusOpen:
		return "på høring"
	case watcher.StatusDeadlinePassed:
		return "høringsfristen er ute"
	case watcher.StatusConcluded:
		return "ferdigbehandlet"
	}
	return "ukjent"
}

// HealthWord names a source health state in Norwegian.
func HealthWord(s watcher.HealthState) string {
	switch s {
	case watcher.HealthHealthy:
		return "i orden"
	case watcher.HealthQuiet:
		return "stille"
	case watcher.HealthDegraded:
		return "redusert"
	case watcher.HealthBroken:
		return "ødelagt"
	case watcher.HealthBlocked:
		return "blokkert"
	case watcher.HealthUnreachable:
		return "utilgjengelig"
	}
	return "ukjent"
}

// fieldWord names a scored field in Norwegian.
func fieldWord(f string) string {
	switch f {
	case "title":
		return "tittel"
	case "summary":
		return "ingress"
	case "text":
		return "tekst"
	}
	return f
}

// why lists the positive terms that made an item relevant, each with the
// fields it matched in: "menneskehandel (tittel, tekst), tvangsarbeid (ingress)".
func why(ms []watcher.Match) string {
	var terms []string
	fields := map[string][]string{}
	for _, m := range ms {
		if m.Weight <= 0 {
			continue
		}
		if _, ok := fields[m.Term]; !ok {
			terms = append(terms, m.Term)
		}
		if f := fieldWord(m.Field); !slices.Contains(fields[m.Term], f) {
			fields[m.Term] = append(fields[m.Term], f)
		}
	}
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t + " (" + strings.Join(fields[t], ", ") + ")"
	}
	return strings.Join(parts, ", ")
}

// oneLine collapses white space, line breaks included, to single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// truncate cuts s to at most n characters, at a space where it can, and
// marks the cut with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:–-") + "…"
}

// classText says in Norwegian what kind of failure an error class is, for
// the health alerts the admin reads; the technical error follows it.
func classText(c watcher.ErrClass) string {
	switch c {
	case watcher.ErrNetwork:
		return "nettverksfeil"
	case watcher.ErrTimeout:
		return "tidsavbrudd"
	case watcher.ErrHTTP:
		return "uventet svar fra nettstedet"
	case watcher.ErrBlocked:
		return "nettstedet avviser oss (403/429 eller en utfordringsside)"
	case watcher.ErrParse:
		return "innholdet kunne ikke leses"
	case watcher.ErrRobots:
		return "robots.txt tillater ikke henting"
	case watcher.ErrLayout:
		return "siden ga ingen saker der den før ga saker (endret utforming?)"
	case watcher.ErrTooLarge:
		return "svaret var større enn grensen"
	case watcher.ErrNotArchived:
		return "adressen finnes ikke i WARC-arkivet"
	case watcher.ErrCanceled:
		return "kjøringen ble avbrutt"
	}
	return ""
}

// HealthDetail joins the Norwegian class text and the technical error.
func HealthDetail(c watcher.ErrClass, err string) string {
	text := classText(c)
	switch {
	case text == "":
		return err
	case err == "" || c == watcher.ErrLayout && err == watcher.ZeroItems: // the class text says it all
		return text
	}
	return text + " (" + err + ")"
}
