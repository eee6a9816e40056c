package norway

import (
	"encoding/json"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"watcher/crawlers"
)

// jsonLD is what the adapters read from a page's JSON-LD: the page node
// (regjeringen.no sends a WebPage with a BreadcrumbList) and, where a page
// announces one, an Event node (schema.org/Event).
type jsonLD struct {
	Type        string // @type of the first non-breadcrumb node
	Name        string
	Description string
	Language    string
	URL         string
	Event       *ldEvent
}

// ldEvent is a schema.org Event node.
type ldEvent struct {
	Name      string
	StartDate string
	EndDate   string
	Place     string
	URL       string // the event's or its offer's URL (sign-up)
}

// parseJSONLD reads every application/ld+json script; scripts that do not
// parse are skipped (JSON-LD is a bonus, never required).
func parseJSONLD(doc *goquery.Document) jsonLD {
	var out jsonLD
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v any
		if err := json.Unmarshal([]byte(s.Text()), &v); err != nil {
			return
		}
		for _, n := range ldNodes(v) {
			out.add(n)
		}
	})
	return out
}

// ldNodes flattens a JSON-LD value (object, array or @graph) into nodes.
func ldNodes(v any) []map[string]any {
	switch t := v.(type) {
	case []any:
		var out []map[string]any
		for _, e := range t {
			out = append(out, ldNodes(e)...)
		}
		return out
	case map[string]any:
		if g, ok := t["@graph"]; ok {
			return ldNodes(g)
		}
		return []map[string]any{t}
	}
	return nil
}

func (l *jsonLD) add(n map[string]any) {
	typ := ldType(n["@type"])
	switch {
	case typ == "" || typ == "BreadcrumbList":
		return
	case strings.HasSuffix(typ, "Event"):
		if l.Event == nil {
			l.Event = &ldEvent{
				Name:      ldString(n["name"]),
				StartDate: ldString(n["startDate"]),
				EndDate:   ldString(n["endDate"]),
				Place:     ldPlace(n["location"]),
				URL:       firstNonEmpty(ldString(ldMap(n["offers"])["url"]), ldString(n["url"])),
			}
		}
	}
	if l.Type != "" {
		return
	}
	l.Type = typ
	l.Name = ldString(n["name"])
	l.Description = ldString(n["description"])
	l.Language = ldString(n["inLanguage"])
	l.URL = ldString(n["url"])
}

func ldType(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		if len(t) > 0 {
			return ldString(t[0])
		}
	}
	return ""
}

func ldString(v any) string {
	if s, ok := v.(string); ok {
		return crawlers.CleanText(s)
	}
	return ""
}

func ldMap(v any) map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return t
	case []any:
		if len(t) > 0 {
			return ldMap(t[0])
		}
	}
	return nil
}

// ldPlace renders a location: a string, a Place with a name and an
// address, or a VirtualLocation.
func ldPlace(v any) string {
	if s := ldString(v); s != "" {
		return s
	}
	m := ldMap(v)
	if m == nil {
		return ""
	}
	parts := []string{ldString(m["name"])}
	if a := ldString(m["address"]); a != "" {
		parts = append(parts, a)
	} else if am := ldMap(m["address"]); am != nil {
		parts = append(parts, ldString(am["streetAddress"]),
			strings.TrimSpace(ldString(am["postalCode"])+" "+ldString(am["addressLocality"])))
	}
	var out []string
	for _, p := range parts {
		if p = crawlers.CleanText(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}
