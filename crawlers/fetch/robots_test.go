package fetch

import (
	"os"
	"strings"
	"testing"
	"time"
)

func loadRealRobots(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/regjeringen-robots.txt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRobotsRegjeringen checks the rules that decide what the regjeringen
// adapters may fetch, against the site's real robots.txt.
func TestRobotsRegjeringen(t *testing.T) {
	rules := parseRobots(loadRealRobots(t), "watcher")
	tests := map[string]struct {
		path  string
		allow bool
	}{
		"listing page":                 {"/no/dokument/hoyringar/id1763/", true},
		"listing paged":                {"/no/dokument/hoyringar/id1763/?page=2", true},
		"listing filtered by type":     {"/no/dokument/hoyringar/id1763/?documenttype=x", false},
		"listing filtered by topic":    {"/no/dokument/hoyringar/id1763/?topic=12", false},
		"rss typed feed (case)":        {"/no/rss/Rss/2581966/?documentType=dokumenter/h%C3%B8ringer", true},
		"rss typed feed raw utf-8":     {"/no/rss/Rss/2581966/?documentType=dokumenter/høringer", true},
		"rss owner feed (not ownerid)": {"/no/rss/Rss/2581966/?owner=463", true},
		"ownerid filter":               {"/no/aktuelt/nyheter/id2006120/?ownerid=463", false},
		"api":                          {"/api/x", false},
		"no api":                       {"/no/api/search?q=1", false},
		"xhtml end anchor":             {"/foo.xhtml", false},
		"xhtml with query":             {"/foo.xhtml?x", true},
		"rss engine":                   {"/Utilities/RSSEngine/x", false},
		"rss engine other case":        {"/utilities/rssengine/x", true},
		"contentassets xml":            {"/contentassets/abc/feed.xml", false},
		"contentassets pdf":            {"/contentassets/abc/horingsnotat.pdf", true},
		"cedit anywhere":               {"/no/x/?a=1&cedit=true", false},
		"document archive":             {"/no/dokumentarkiv/regjeringen-solberg/", false},
		"hearing page":                 {"/no/dokumenter/kort-horing/id3167072/", true},
		"robots.txt itself":            {"/robots.txt", true},
		"root":                         {"/", true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := rules.allowed(tc.path); got != tc.allow {
				t.Errorf("allowed(%q) = %v, want %v", tc.path, got, tc.allow)
			}
		})
	}
}

func TestRobotsGroupsAndPrecedence(t *testing.T) {
	const txt = `# comment
Disallow: /before-any-group

User-agent: otherbot
Disallow: /

User-agent: Watcher/2.0
User-agent: somebot
Disallow: /private
Allow: /private/open
Disallow: /tie
Allow: /tie
Crawl-delay: 2.5

User-agent: *
Disallow: /

user-agent: WATCHER
disallow: /second-group
Disallow:
`
	rules := parseRobots([]byte(txt), "watcher")
	tests := map[string]struct {
		path  string
		allow bool
	}{
		"not in any rule":           {"/news", true},
		"rule before any group":     {"/before-any-group", true},
		"disallowed":                {"/private/x", false},
		"longer allow wins":         {"/private/open/x", true},
		"tie goes to allow":         {"/tie", true},
		"merged second group":       {"/second-group/a", false},
		"case-sensitive path":       {"/PRIVATE/x", true},
		"percent-encoded unreserve": {"/%70rivate/x", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := rules.allowed(tc.path); got != tc.allow {
				t.Errorf("allowed(%q) = %v, want %v", tc.path, got, tc.allow)
			}
		})
	}
	if rules.crawlDelay != 2500*time.Millisecond {
		t.Errorf("crawl delay = %v, want 2.5s", rules.crawlDelay)
	}
	star := parseRobots([]byte(txt), "unknownbot")
	if star.allowed("/news") {
		t.Error("an agent without its own group must get the * group (disallow all)")
	}
	none := parseRobots([]byte("User-agent: otherbot\nDisallow: /\n"), "watcher")
	if !none.allowed("/anything") {
		t.Error("no matching group and no * group must allow all")
	}
}

func TestMatchPattern(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/", "/", true},
		{"/a", "/abc", true},
		{"/a$", "/a", true},
		{"/a$", "/ab", false},
		{"/*.pdf$", "/x/y.pdf", true},
		{"/*.pdf$", "/x/y.pdf?download", false},
		{"/*.pdf", "/x/y.pdf?download", true},
		{"/*/?q", "/no/?q=1", true},
		{"/*/?q", "/no?q=1", false},
		{"*x", "/abx", true},
		{"/a*b*c", "/a-b-c", true},
		{"/a*b*c", "/a-c-b", false},
		{"/a*b$", "/a-b-b", true},
		{"/a*bb$", "/abb", true},
		{"/a*ab$", "/ab", false},
		{"/**", "/", true},
		{"/x$y", "/x$y", true},
	}
	for _, tc := range tests {
		if got := matchPattern(tc.pattern, tc.path); got != tc.want {
			t.Errorf("matchPattern(%q, %q) = %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}

func TestNormalisePath(t *testing.T) {
	tests := map[string]string{
		"/a%2fb":      "/a%2Fb", // reserved stays encoded, hex upper-cased
		"/%7Euser":    "/~user", // unreserved is decoded
		"/høringer":   "/h%C3%B8ringer",
		"/h%c3%b8":    "/h%C3%B8", // non-ASCII escapes stay, upper-cased
		"/a b":        "/a%20b",
		"/100%":       "/100%",
		"/*.xhtml$":   "/*.xhtml$",
		"/?q=%41%42c": "/?q=ABc",
	}
	for in, want := range tests {
		if got := normalisePath(in); got != want {
			t.Errorf("normalisePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRobotsParseLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for b.Len() < robotsParseLimit {
		b.WriteString("Disallow: /filler-rule-that-matches-nothing-at-all\n")
	}
	b.WriteString("Disallow: /beyond-the-limit\n")
	rules := parseRobots([]byte(b.String()), "watcher")
	if !rules.allowed("/beyond-the-limit") {
		t.Error("a rule beyond 500 KiB must not be parsed")
	}
	if rules.allowed("/filler-rule-that-matches-nothing-at-all") {
		t.Error("rules within the limit must be parsed")
	}
}

func TestCrawlDelayCapped(t *testing.T) {
	rules := parseRobots([]byte("User-agent: *\nCrawl-delay: 3600\n"), "watcher")
	if rules.crawlDelay != maxCrawlDelay {
		t.Errorf("crawl delay = %v, want the %v cap", rules.crawlDelay, maxCrawlDelay)
	}
}

func TestProductToken(t *testing.T) {
	for ua, want := range map[string]string{
		"watcher/0.1 (+mailto:x@y)": "watcher",
		"Watcher":                   "watcher",
		" Watcher (x)":              "watcher",
	} {
		if got := productToken(ua); got != want {
			t.Errorf("productToken(%q) = %q, want %q", ua, got, want)
		}
	}
}
