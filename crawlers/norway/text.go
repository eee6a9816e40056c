package norway

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"watcher/crawlers"
	"watcher/dates"
)

// maxText caps Item.Text: enough for relevance scoring, small enough for
// the store.
const maxText = 16 << 10

// afterLabel returns what follows the first colon of s ("Høringsfrist:
// 07.08.2026" → "07.08.2026"), or s itself when it has no colon.
func afterLabel(s string) string {
	if i := strings.Index(s, ":"); i >= 0 {
		return crawlers.CleanText(s[i+1:])
	}
	return crawlers.CleanText(s)
}

// absURL is crawlers.ResolveLink for the adapter's string base: ref as an
// absolute http(s) URL without its fragment, "" when it is none.
func absURL(base, ref string) string {
	u, _ := crawlers.ResolveLink(crawlers.ParseBase(base), ref)
	return u
}

// splitList splits a comma-separated list of names and drops empty parts.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = crawlers.CleanText(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// langCode reduces a language tag ("nb-NO", "nn", "no") to the code the
// project uses (nb, nn, en…); "no" means bokmål on regjeringen.no.
func langCode(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	if tag == "no" {
		return "nb"
	}
	return tag
}

// oslo is the fallback time zone when the environment gives none: the
// dates package's Europe/Oslo, loaded once (dayString asks per item).
func oslo(loc *time.Location) *time.Location {
	if loc != nil {
		return loc
	}
	return dates.Oslo()
}

var pageIDRe = regexp.MustCompile(`(?i)(?:^|/)id(\d+)(?:/|$)`)

// PageID returns the numeric regjeringen.no page id of a URL
// ("/no/dokumenter/<slug>/id3167072/" → "3167072"), or "" when it has none.
// The last id segment wins: the listing id1763 is a parent, not the page.
func PageID(rawURL string) string {
	path := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		path = u.Path
	}
	m := pageIDRe.FindAllStringSubmatch(path, -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1][1]
}

// regjeringenKey is the item key for a regjeringen.no page id.
func regjeringenKey(id string) string { return "regjeringen:" + id }
