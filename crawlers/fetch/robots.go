package fetch

import (
	"bufio"
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"
)

// robotsParseLimit is how much of a robots.txt is parsed (RFC 9309 §2.5
// asks for at least 500 KiB).
const robotsParseLimit = 500 << 10

// maxCrawlDelay caps a robots.txt Crawl-delay used as a host delay floor,
// so that a hostile or mistaken value cannot stall a run.
const maxCrawlDelay = 60 * time.Second

// robotsRules is the group of a robots.txt that applies to us.
type robotsRules struct {
	rules      []robotsRule
	crawlDelay time.Duration
	// disallowAll is set when robots.txt was unreachable (5xx, network):
	// RFC 9309 §2.3.1.4 says to assume complete disallow.
	disallowAll bool
	// unreachable is why, for disallowAll: the failed robots.txt fetch,
	// whose class (network, timeout, 5xx, 429) the pages' errors take, so
	// that health says "unreachable" for a host that did not answer rather
	// than "blocked" as if its rules had refused us.
	unreachable *FetchError
}

type robotsRule struct {
	allow   bool
	pattern string // normalised, may hold '*' and a trailing '$'
}

var allowAllRules = &robotsRules{}

// robotsGroup is one group while parsing: its user agents and rules.
type robotsGroup struct {
	agents     []string
	rules      []robotsRule
	crawlDelay time.Duration
	hasDelay   bool
}

// parseRobots parses a robots.txt (RFC 9309) and returns the rules of the
// group for product token (lower-case), falling back to the "*" group.
// Groups naming the same agent are merged (§2.2.1).
func parseRobots(body []byte, token string) *robotsRules {
	if len(body) > robotsParseLimit {
		body = body[:robotsParseLimit]
	}
	groups := splitRobotsGroups(body)
	if r := mergeGroups(groups, token); r != nil {
		return r
	}
	if r := mergeGroups(groups, "*"); r != nil {
		return r
	}
	return allowAllRules
}

// splitRobotsGroups reads the lines of a robots.txt into groups. A
// user-agent line after a rule starts a new group; lines of other kinds
// (sitemap, unknown keys) neither end nor start a group.
func splitRobotsGroups(body []byte) []*robotsGroup {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	var groups []*robotsGroup
	var cur *robotsGroup
	inAgents := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), robotsParseLimit)
	for sc.Scan() {
		key, value, ok := robotsLine(sc.Text())
		if !ok {
			continue
		}
		switch key {
		case "user-agent":
			if !inAgents {
				cur = &robotsGroup{}
				groups = append(groups, cur)
				inAgents = true
			}
			cur.agents = append(cur.agents, agentToken(value))
		case "allow", "disallow":
			inAgents = false
			if cur == nil || value == "" {
				continue // rules before any user-agent, or an empty rule
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: normalisePath(value)})
		case "crawl-delay":
			inAgents = false
			if cur == nil {
				continue
			}
			if d, ok := parseCrawlDelay(value); ok {
				cur.crawlDelay, cur.hasDelay = d, true
			}
		}
	}
	return groups
}

// robotsLine splits one line into a lower-case key and a trimmed value,
// dropping comments.
func robotsLine(line string) (key, value string, ok bool) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	k, v, found := strings.Cut(line, ":")
	if !found {
		return "", "", false
	}
	key = strings.ToLower(strings.TrimSpace(k))
	if key == "useragent" || key == "user agent" {
		key = "user-agent" // common misspellings, accepted by major crawlers
	}
	return key, strings.TrimSpace(v), true
}

// agentToken reduces a user-agent line's value to a lower-case product
// token ("Watcher/1.0" → "watcher").
func agentToken(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if i := strings.IndexAny(v, "/ \t"); i >= 0 {
		v = v[:i]
	}
	return v
}

func parseCrawlDelay(v string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	d := time.Duration(f * float64(time.Second))
	return min(d, maxCrawlDelay), true
}

// mergeGroups combines every group that names agent, or returns nil when
// none does.
func mergeGroups(groups []*robotsGroup, agent string) *robotsRules {
	var out *robotsRules
	for _, g := range groups {
		if !slices.Contains(g.agents, agent) {
			continue
		}
		if out == nil {
			out = &robotsRules{}
		}
		out.rules = append(out.rules, g.rules...)
		if g.hasDelay && g.crawlDelay > out.crawlDelay {
			out.crawlDelay = g.crawlDelay
		}
	}
	return out
}

// allowed reports whether the path-and-query pathQuery (as sent in the
// request line) may be fetched. The most specific (longest) matching rule
// wins; on a tie, Allow wins (RFC 9309 §2.2.2).
func (r *robotsRules) allowed(pathQuery string) bool {
	if r.disallowAll {
		return false
	}
	if pathQuery == "" {
		pathQuery = "/"
	}
	if pathQuery == "/robots.txt" {
		return true
	}
	p := normalisePath(pathQuery)
	best, allow := -1, true
	for _, rule := range r.rules {
		if !matchPattern(rule.pattern, p) {
			continue
		}
		n := len(rule.pattern)
		if n > best || (n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// matchPattern matches a robots.txt path pattern against a path from its
// start: '*' matches any run of characters and a trailing '$' anchors the
// end. Matching is case-sensitive.
func matchPattern(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	pos := len(parts[0])
	if len(parts) == 1 {
		return !anchored || pos == len(path)
	}
	// Leftmost placement of each middle literal leaves the most room for
	// the rest, so a greedy scan is exact here.
	for _, lit := range parts[1 : len(parts)-1] {
		i := strings.Index(path[pos:], lit)
		if i < 0 {
			return false
		}
		pos += i + len(lit)
	}
	last := parts[len(parts)-1]
	if anchored {
		return len(path)-pos >= len(last) && strings.HasSuffix(path, last)
	}
	return strings.Contains(path[pos:], last)
}

// normalisePath brings a path (or pattern) to one percent-encoding form so
// that equal paths compare equal (RFC 9309 §2.2.2): escapes of unreserved
// characters are decoded, other escapes get upper-case hex digits, and
// octets that are not allowed raw in a URI (non-ASCII, controls, space and
// a few delimiters) are percent-encoded.
func normalisePath(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				writeEscape(&b, v)
			}
			i += 2
			continue
		}
		if needsEscape(c) {
			writeEscape(&b, c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func writeEscape(b *strings.Builder, c byte) {
	const hex = "0123456789ABCDEF"
	b.WriteByte('%')
	b.WriteByte(hex[c>>4])
	b.WriteByte(hex[c&15])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func needsEscape(c byte) bool {
	return c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0
}
