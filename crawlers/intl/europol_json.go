package intl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"watcher/crawlers"
)

// EuropolEntry is one item of Europol's newsroom listing, as embedded in the
// page's SERVER_DATA.
type EuropolEntry struct {
	Title     string
	Alias     string // site path: "/media-press/newsroom/news/…"
	Published int64  // Unix seconds; 0 when absent
	Summary   string // plain text
}

// EuropolNode is what Europol's node API says about one page.
type EuropolNode struct {
	Title      string
	Summary    string   // introduction (or summary), plain text
	Text       string   // introduction and body, plain text
	Type       string   // articleType.title: "Press Release", "News"…
	CrimeAreas []string // crimeAreas[].title
	Published  int64    // Unix seconds; 0 when absent
	Changed    int64    // Unix seconds; 0 when absent
}

// unixField reads a Unix time given as a JSON number or a numeric string.
type unixField int64

func (u *unixField) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	if s == "" || s == "null" {
		*u = 0
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("unix time %q: %w", s, err)
	}
	if f > 1e11 { // milliseconds: no Europol page is dated after 5138
		f /= 1000
	}
	*u = unixField(f)
	return nil
}

// titled is the {"title": …} shape of Europol's taxonomy references.
type titled struct {
	Title string `json:"title"`
}

type europolServerData struct {
	NodeLoader *struct {
		Node *struct {
			Lists []struct {
				Items []struct {
					Title     string    `json:"title"`
					Alias     string    `json:"alias"`
					Published unixField `json:"published"`
					Summary   string    `json:"summary"`
				} `json:"items"`
			} `json:"lists"`
		} `json:"node"`
	} `json:"NodeLoader"`
}

// EuropolListing extracts the newsroom items from a Europol page: the
// JSON assigned to window.SERVER_DATA, at NodeLoader.node.lists[0].items.
// A page without that path is an error (the layout changed).
func EuropolListing(page []byte) ([]EuropolEntry, error) {
	raw, err := ServerData(page)
	if err != nil {
		return nil, err
	}
	var sd europolServerData
	if err := json.Unmarshal(raw, &sd); err != nil {
		return nil, fmt.Errorf("europol server data: %w", err)
	}
	if sd.NodeLoader == nil || sd.NodeLoader.Node == nil || len(sd.NodeLoader.Node.Lists) == 0 {
		return nil, fmt.Errorf("europol server data: no NodeLoader.node.lists[0]")
	}
	var out []EuropolEntry
	for _, it := range sd.NodeLoader.Node.Lists[0].Items {
		alias := aliasPath(it.Alias)
		if alias == "" || strings.TrimSpace(it.Title) == "" {
			continue
		}
		out = append(out, EuropolEntry{
			Title:     crawlers.CleanText(it.Title),
			Alias:     alias,
			Published: int64(it.Published),
			Summary:   crawlers.HTMLToText(it.Summary),
		})
	}
	return out, nil
}

type europolNodeJSON struct {
	Title        string    `json:"title"`
	Introduction string    `json:"introduction"`
	Summary      string    `json:"summary"`
	Body         string    `json:"body"`
	ArticleType  *titled   `json:"articleType"`
	CrimeAreas   []titled  `json:"crimeAreas"`
	Published    unixField `json:"published"`
	Created      unixField `json:"created"`
	Changed      unixField `json:"changed"`
}

// EuropolNodeInfo reads the node API's answer for one page. The fields may
// sit at the top level or under "node".
func EuropolNodeInfo(body []byte) (EuropolNode, error) {
	var top struct {
		europolNodeJSON
		Node *europolNodeJSON `json:"node"`
	}
	if err := json.Unmarshal(body, &top); err != nil {
		return EuropolNode{}, fmt.Errorf("europol node: %w", err)
	}
	n := top.europolNodeJSON
	if top.Node != nil {
		n = *top.Node
	}
	if n.Title == "" && n.Introduction == "" && n.Summary == "" && n.Published == 0 {
		return EuropolNode{}, fmt.Errorf("europol node: no title, introduction, summary or published field")
	}
	out := EuropolNode{
		Title:     crawlers.CleanText(n.Title),
		Summary:   crawlers.HTMLToText(crawlers.FirstNonEmpty(n.Introduction, n.Summary)),
		Published: int64(n.Published),
		Changed:   int64(n.Changed),
	}
	if out.Published == 0 {
		out.Published = int64(n.Created)
	}
	out.Text = strings.TrimSpace(out.Summary + "\n" + crawlers.HTMLToText(n.Body))
	if n.ArticleType != nil {
		out.Type = crawlers.CleanText(n.ArticleType.Title)
	}
	for _, c := range n.CrimeAreas {
		if t := crawlers.CleanText(c.Title); t != "" {
			out.CrimeAreas = append(out.CrimeAreas, t)
		}
	}
	return out, nil
}

// aliasPath normalises a Europol alias or link to its site path: leading
// slash, no trailing slash, no query or fragment.
func aliasPath(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
		if j := strings.IndexByte(s, '/'); j >= 0 {
			s = s[j:]
		} else {
			s = "/"
		}
	}
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, "/")
	if s == "" {
		return ""
	}
	if !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	return s
}
