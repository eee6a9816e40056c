package crawlers

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"watcher"
	"watcher/dates"
)

// maxJSONLD bounds the JSON-LD read from one page.
const maxJSONLD = 256 << 10

// jsonLD is what the JSON-LD blocks of a page say, as far as the page
// kind cares: the first datePublished, and the first Event node.
type jsonLD struct {
	datePublished string
	event         map[string]any
}

// readJSONLD reads the page's first datePublished and first Event.
func readJSONLD(doc *goquery.Document) jsonLD {
	var ld jsonLD
	for _, n := range JSONLDNodes(doc) {
		if ld.datePublished == "" {
			ld.datePublished = JSONLDString(n["datePublished"])
		}
		if ld.event == nil && IsJSONLDEvent(n) {
			ld.event = n
		}
	}
	return ld
}

// JSONLDNodes decodes every application/ld+json script of the page and
// returns its nodes in document order: each object, the members of
// arrays and @graph lists, and the nodes under mainEntity and subjectOf,
// a node before the nodes inside it. Scripts that do not decode are
// skipped, and so is everything past the first 256 KiB of JSON-LD or
// eight levels deep.
func JSONLDNodes(doc *goquery.Document) []map[string]any {
	var nodes []map[string]any
	read := 0
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		raw := s.Text()
		if read += len(raw); read > maxJSONLD {
			return
		}
		var v any
		if json.Unmarshal([]byte(raw), &v) == nil {
			nodes = appendLDNodes(nodes, v, 0)
		}
	})
	return nodes
}

func appendLDNodes(nodes []map[string]any, v any, depth int) []map[string]any {
	if depth > 8 {
		return nodes
	}
	switch n := v.(type) {
	case []any:
		for _, e := range n {
			nodes = appendLDNodes(nodes, e, depth+1)
		}
	case map[string]any:
		nodes = append(nodes, n)
		for _, k := range []string{"@graph", "mainEntity", "subjectOf"} {
			if c, ok := n[k]; ok {
				nodes = appendLDNodes(nodes, c, depth+1)
			}
		}
	}
	return nodes
}

// JSONLDEvent reads an Event node's start and end (dates.Parse with opt)
// and place (JSONLDPlace); nil when it states neither a start nor a place.
func JSONLDEvent(node map[string]any, opt dates.Options) *watcher.Event {
	if node == nil {
		return nil
	}
	ev := &watcher.Event{Place: JSONLDPlace(node["location"])}
	ev.Start, _ = dates.Parse(JSONLDString(node["startDate"]), opt)
	ev.End, _ = dates.Parse(JSONLDString(node["endDate"]), opt)
	if ev.Start.IsZero() && ev.Place == "" {
		return nil
	}
	return ev
}

// IsJSONLDEvent reports whether a node's @type names schema.org's Event
// or one of its subtypes (EducationEvent, BusinessEvent…), alone or in a
// list of types.
func IsJSONLDEvent(node map[string]any) bool { return isEventType(node["@type"]) }

func isEventType(t any) bool {
	switch v := t.(type) {
	case string:
		return strings.HasSuffix(v, "Event")
	case []any:
		for _, e := range v {
			if isEventType(e) {
				return true
			}
		}
	}
	return false
}

// JSONLDString reads a JSON-LD text value: a string, or the first of a
// list, cleaned by CleanText; "" for anything else.
func JSONLDString(v any) string {
	switch s := v.(type) {
	case string:
		return CleanText(s)
	case []any:
		if len(s) > 0 {
			return JSONLDString(s[0])
		}
	}
	return ""
}

// JSONLDPlace reads a location as one line: text, a Place with name and
// address ("Oslo kongressenter, Youngs gate 21, 0181 Oslo"), a
// VirtualLocation's URL, or a list of those joined with "; ".
func JSONLDPlace(v any) string {
	switch p := v.(type) {
	case string:
		return CleanText(p)
	case []any:
		var parts []string
		for _, e := range p {
			if s := JSONLDPlace(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		name := JSONLDString(p["name"])
		addr := ldAddress(p["address"])
		switch {
		case name != "" && addr != "" && !strings.Contains(name, addr):
			return name + ", " + addr
		case name != "":
			return name
		case addr != "":
			return addr
		}
		return JSONLDString(p["url"])
	}
	return ""
}

// ldAddress reads a PostalAddress the way it is written: street, postal
// code and town, country.
func ldAddress(v any) string {
	switch a := v.(type) {
	case string:
		return CleanText(a)
	case map[string]any:
		var parts []string
		town := strings.TrimSpace(JSONLDString(a["postalCode"]) + " " + JSONLDString(a["addressLocality"]))
		for _, s := range []string{JSONLDString(a["streetAddress"]), town, JSONLDString(a["addressCountry"])} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	}
	return ""
}

// Labels of the lines that state an event's when and where.
var (
	timeLabels  = []string{"tid", "time", "når", "when"}
	dateLabels  = []string{"dato", "date", "dag", "day"}
	placeLabels = []string{"sted", "stad", "venue", "place", "location", "where", "hvor", "kvar"}
	eventLabels = slices.Concat(timeLabels, dateLabels, placeLabels)
)

// pageEvent is the event a page announces: JSON-LD Event first, else
// labelled lines ("Tid: 12. oktober 2026 kl. 10", "Sted: Oslo"). A date
// line alone ("Dato: 03.07.2026") is a publication date, not an event.
func pageEvent(ld jsonLD, lines []string, opt dates.Options) *watcher.Event {
	if ev := JSONLDEvent(ld.event, opt); ev != nil {
		return ev
	}
	first := func(labels []string) string {
		if vs := LabelledValues(lines, labels, eventLabels); len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	timeVal, dateVal, placeVal := first(timeLabels), first(dateLabels), first(placeLabels)
	if timeVal == "" && placeVal == "" {
		return nil
	}
	ev := &watcher.Event{Place: capText(placeVal, 200)}
	ev.Start = eventStart(timeVal, dateVal, opt)
	if ev.Start.IsZero() && ev.Place == "" {
		return nil
	}
	return ev
}

// eventStart reads the start from a time line, a date line, or the two
// together ("Dato: 12. oktober 2026", "Tid: kl. 10.00–15.00").
func eventStart(timeVal, dateVal string, opt dates.Options) time.Time {
	for _, s := range []string{timeVal, strings.TrimSpace(dateVal + " " + timeVal), dateVal} {
		if s == "" {
			continue
		}
		if t, ok := dates.Find(s, opt); ok {
			return t
		}
	}
	return time.Time{}
}

// LabelledValues returns, in page order, the values of the lines (as
// TextLines gives them) labelled with one of labels: the text after the
// colon of "Sted: Oslo", or the line after a bare label ("Sted:", or a
// <dt>Sted</dt> followed by its <dd>) unless that line is itself labelled
// with one of known. labels and known are lower case; a line's label
// matches without regard to case.
func LabelledValues(lines, labels, known []string) []string {
	var out []string
	for i, l := range lines {
		label, value, _ := strings.Cut(l, ":")
		if !slices.Contains(labels, labelOf(label)) {
			continue
		}
		if value = strings.TrimSpace(value); value != "" {
			out = append(out, value)
			continue
		}
		if i+1 < len(lines) {
			if next, _, _ := strings.Cut(lines[i+1], ":"); !slices.Contains(known, labelOf(next)) {
				out = append(out, lines[i+1])
			}
		}
	}
	return out
}

func labelOf(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
