package norway

import (
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
	Event       map[string]any // the first schema.org Event node
	EventURL    string         // its offer's URL, else its own (sign-up)
}

// parseJSONLD reads the page's JSON-LD nodes as crawlers.JSONLDNodes
// finds them (JSON-LD is a bonus, never required).
func parseJSONLD(doc *goquery.Document) jsonLD {
	var out jsonLD
	for _, n := range crawlers.JSONLDNodes(doc) {
		out.add(n)
	}
	return out
}

func (l *jsonLD) add(n map[string]any) {
	typ := crawlers.JSONLDString(n["@type"])
	if typ == "" || typ == "BreadcrumbList" {
		return
	}
	if l.Event == nil && crawlers.IsJSONLDEvent(n) {
		l.Event = n
		l.EventURL = crawlers.FirstNonEmpty(crawlers.JSONLDString(ldMap(n["offers"])["url"]), crawlers.JSONLDString(n["url"]))
	}
	if l.Type != "" {
		return
	}
	l.Type = typ
	l.Name = crawlers.JSONLDString(n["name"])
	l.Description = crawlers.JSONLDString(n["description"])
	l.Language = crawlers.JSONLDString(n["inLanguage"])
}

// ldMap reads a node-valued property: an object, or the first of a list.
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
