package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"watcher"
	"watcher/alerts"
	"watcher/dates"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds one parsed template set per page, each with the layout.
type pages struct {
	byName map[string]*template.Template
}

func newPages() (*pages, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list templates: %w", err)
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", n, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// staticHandler serves the embedded CSS and JavaScript.
func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// view is what every page's template gets.
type view struct {
	Title    string
	Nav      string // the active menu entry
	CSRF     string
	Flash    string
	FlashBad bool
	Period   string // the period the page is about, for the menu's links
	Running  *RunStatus
	Next     time.Time
	Auth     bool // logged in with a token: show "logg ut"
	Version  string
	Loc      *time.Location
	Page     any
}

// flashes are the messages a redirect after a POST may show, by code, so
// that no text from the query string is ever echoed.
var flashes = map[string]struct {
	text string
	bad  bool
}{
	"saved":       {"Lagret.", false},
	"reset":       {"Vurderingen er fjernet; reglene bestemmer igjen.", false},
	"bulk":        {"Lagret for de valgte sakene.", false},
	"none":        {"Ingen saker var valgt.", true},
	"need-two":    {"Velg nøyaktig to saker for å merke dem som samme dokument.", true},
	"same-self":   {"En sak kan ikke være samme dokument som seg selv.", true},
	"moved":       {"Rekkefølgen er endret.", false},
	"not-placed":  {"Saken står ikke i noen seksjon i utkastet, så den kan ikke flyttes.", true},
	"started":     {"Kjøringen er startet. Last siden på nytt om litt for å se resultatet.", false},
	"busy":        {"En kjøring pågår allerede; vent til den er ferdig.", true},
	"manual":      {"Oppføringen er lagret.", false},
	"manual-del":  {"Oppføringen er slettet.", false},
	"bad-section": {"Ukjent seksjon.", true},
	"bad-action":  {"Ukjent handling.", true},
	"too-long": {fmt.Sprintf("Teksten er for lang, og ingenting ble lagret: overskrift høyst %d tegn, tekst høyst %d, begrunnelse høyst %d, lenke høyst %d.",
		maxHeading, maxText, maxReason, maxURL), true},
	"bad-url":    {"Lenken må være en full adresse som begynner med https:// eller http://.", true},
	"no-reason":  {"Skriv en begrunnelse for å utelate saken.", true},
	"need-text":  {"En egen oppføring trenger overskrift og tekst.", true},
	"logged-out": {"Du er logget ut.", false},
}

func (s *Server) newView(w http.ResponseWriter, r *http.Request, title, nav string, page any) *view {
	v := &view{Title: title, Nav: nav, Version: s.version, Loc: s.loc, Page: page,
		Auth: s.sec.authRequired() && s.sec.session(r)}
	v.CSRF = s.sec.csrfToken(ensureCSRFCookie(w, r))
	if r.URL.Query().Get("period") != "" {
		if p, err := s.period(r); err == nil {
			v.Period = p.Name
		}
	}
	if f, ok := flashes[r.URL.Query().Get("msg")]; ok {
		v.Flash, v.FlashBad = f.text, f.bad
	}
	if st, ok := s.jobs.Current(); ok {
		v.Running = &st
	}
	if !s.noSched {
		v.Next = s.sched.Next()
	}
	return v
}

// render writes a page; it renders into a buffer first so a template
// error gives a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, v *view) {
	t, ok := s.pages.byName[name]
	if !ok {
		s.log.Error("no such template", slog.String("name", name))
		http.Error(w, "intern feil", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.log.Error("rendering page", slog.String("page", name), slog.Any("err", err))
		http.Error(w, "intern feil", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderStatus writes a short message page with a status code.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	s.render(w, r, status, "message", s.newView(w, r, title, "", msg))
}

// serverError logs err and writes a 500 page.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", slog.String("path", r.URL.Path), slog.Any("err", err))
	s.renderStatus(w, r, http.StatusInternalServerError, "Noe gikk galt", "Siden kunne ikke vises. Feilen er logget.")
}

// funcs are the template helpers: Norwegian dates and labels.
var funcs = template.FuncMap{
	"longDate": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return ""
		}
		return dates.Long(t, loc)
	},
	"dateTime": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return ""
		}
		return dates.Long(t, loc) + " kl. " + t.In(loc).Format("15:04")
	},
	"countdown":  dates.Countdown,
	"score":      func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
	"healthName": alerts.HealthWord,
	"kindName":   kindName,
	"statusName": statusName,
	"triggerName": func(t string) string {
		if n, ok := triggerNames[t]; ok {
			return n
		}
		return t
	},
	"cadence":   cadenceText,
	"histValue": histValue,
	"join":      strings.Join,
	"dict":      dict,
}

// histValue shows a recorded old or new value: a date field as a
// Norwegian date in the configured zone, anything else as it was stored.
func histValue(field, value string, loc *time.Location) string {
	switch field {
	case "published", "updated", "deadline":
		if t, ok := alerts.HistoryDate(value, loc); ok {
			return dates.Long(t, loc)
		}
	}
	return value
}

// dict makes a map of key-value pairs, to pass several values to a
// template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

var triggerNames = map[string]string{
	TriggerSchedule: "planlagt",
	TriggerCatchUp:  "innhenting av tapt kjøring",
	TriggerManual:   "startet for hånd",
	TriggerCheck:    "sjekk av én kilde",
}

func kindName(k watcher.DocKind) string {
	switch k {
	case watcher.KindHearing:
		return "høring"
	case watcher.KindReport:
		return "rapport"
	case watcher.KindPlan:
		return "handlingsplan"
	case watcher.KindProposition:
		return "proposisjon/melding"
	case watcher.KindNOU:
		return "NOU"
	case watcher.KindRegulation:
		return "lov/forskrift"
	case watcher.KindJudgement:
		return "dom"
	case watcher.KindNews:
		return "nyhet"
	case watcher.KindEvent:
		return "arrangement"
	case watcher.KindPublication:
		return "publikasjon"
	case watcher.KindPage:
		return "lenke på side"
	case "", watcher.KindOther:
		return "annet"
	}
	return string(k)
}

// statusName names a consultation status as the alerts do; nothing for
// an item that is no consultation.
func statusName(s watcher.Status) string {
	if s == watcher.StatusNone {
		return ""
	}
	return alerts.StatusWord(s)
}

// cadenceText says how often a source publishes: "ca. hver 3. dag".
func cadenceText(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	days := int(d.Round(24*time.Hour) / (24 * time.Hour))
	weeks, months := (days+3)/7, (days+15)/30
	switch {
	case d < 36*time.Hour:
		return "ca. daglig"
	case days < 7:
		return "ca. hver " + strconv.Itoa(days) + ". dag"
	case weeks == 1:
		return "ca. ukentlig"
	case days < 28:
		return "ca. hver " + strconv.Itoa(weeks) + ". uke"
	case months == 1:
		return "ca. månedlig"
	}
	return "ca. hver " + strconv.Itoa(months) + ". måned"
}
