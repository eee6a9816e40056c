package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // time zones must resolve on hosts without a zoneinfo database

	"watcher"
)

var (
	idRE      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	langRE    = regexp.MustCompile(`^[a-z]{2,3}$`)
	envRE     = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)
	productRE = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+(/[!#$%&'*+.^_`|~0-9A-Za-z-]+)?$")

	regions  = []string{string(watcher.RegionNorway), string(watcher.RegionInternational)}
	docKinds = []string{
		string(watcher.KindHearing), string(watcher.KindReport), string(watcher.KindPlan),
		string(watcher.KindProposition), string(watcher.KindNOU), string(watcher.KindRegulation),
		string(watcher.KindJudgement), string(watcher.KindNews), string(watcher.KindEvent),
		string(watcher.KindPublication), string(watcher.KindPage), string(watcher.KindOther),
	}
	dateOrders     = []string{"dmy", "mdy"}
	channelTypes   = []string{"smtp", "webhook", "console"}
	starttlsModes  = []string{"required", "opportunistic", "none"}
	webhookFormats = []string{"json", "slack", "teams"}
	groupings      = []string{"organisation"}
)

// Validate checks the configuration as it stands: required fields, formats,
// ranges and cross-references. Parse calls it; call it again after changing
// a Config in code. Errors name the line each field came from when the
// Config was parsed. Kinds are checked apart, by CheckKinds.
func (c *Config) Validate() error {
	return c.validate().sorted().err()
}

func (c *Config) validate() Errors {
	v := &validator{c: c}
	v.globals()
	v.sources()
	v.alerts()
	v.digest()
	v.serve()
	return v.errs
}

type validator struct {
	c    *Config
	errs Errors
}

// add reports a problem with the field at path, at the line it came from,
// unless the field already failed to decode.
func (v *validator) add(path, format string, args ...any) {
	if v.c.pos.isBad(path) {
		return
	}
	v.errs = append(v.errs, &Error{File: v.c.File, Line: v.c.pos.line(path), Field: path, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) missing(path, hint string) {
	field := path[strings.LastIndexAny(path, ".]")+1:]
	v.add(path, "missing required field %s (%s)", field, hint)
}

func (v *validator) globals() {
	c := v.c
	switch {
	case c.UserAgent == "":
		v.add("user_agent", "must not be empty (a product token such as %q; the contact is appended)", DefaultUserAgent)
	case !productRE.MatchString(c.UserAgent):
		v.add("user_agent", "%q is not a product token (write name/version such as %q; the contact is appended)", c.UserAgent, DefaultUserAgent)
	}
	if c.Contact == "" {
		v.missing("contact", "an e-mail address or web page where site owners can reach whoever runs watcher, e.g. "+PlaceholderContact)
	} else if msg := checkContact(c.Contact); msg != "" {
		v.add("contact", "%s", msg)
	}
	switch {
	case c.HostDelay < 0:
		v.add("host_delay", "must not be negative")
	case c.HostDelay < MinHostDelay && !c.AllowShortHostDelay:
		v.add("host_delay", "%s is below the polite minimum of %s (set allow_short_host_delay: true only for local test servers and benchmarks)", c.HostDelay, MinHostDelay)
	}
	switch {
	case c.Timeout <= 0:
		v.add("timeout", "must be positive (e.g. %q)", "30s")
	case c.Timeout > MaxTimeout:
		v.add("timeout", "%s is more than the maximum of %s", c.Timeout, MaxTimeout)
	}
	switch {
	case c.BodyCap <= 0:
		v.add("body_cap", "must be positive (e.g. %q)", "10MiB")
	case c.BodyCap > MaxBodyCap:
		v.add("body_cap", "%d bytes is more than the maximum of 1GiB", c.BodyCap)
	}
	if c.MaxRetries < 0 || c.MaxRetries > MaxRetries {
		v.add("max_retries", "%d is out of range (valid: 0 to %d)", c.MaxRetries, MaxRetries)
	}
	if msg := checkZone(c.TimeZone); msg != "" {
		v.add("time_zone", "%s", msg)
	}
	if c.Parallel < 1 || c.Parallel > MaxParallel {
		v.add("parallel", "%d is out of range (valid: 1 to %d)", c.Parallel, MaxParallel)
	}
}

// srcRef locates one source for messages: its field path and whether its
// lines are known (it came from the parsed file).
type srcRef struct {
	path     string
	fromFile bool
}

func (v *validator) source(i int, id string) srcRef {
	if j := v.c.pos.sourceIndex(i, id); j >= 0 {
		return srcRef{path: index("sources", j), fromFile: true}
	}
	return srcRef{path: index("sources", i)}
}

// at reports a problem with a field of a source.
func (v *validator) at(r srcRef, field, format string, args ...any) {
	path := join(r.path, field)
	if !r.fromFile {
		v.errs = append(v.errs, &Error{File: v.c.File, Field: path, Msg: fmt.Sprintf(format, args...)})
		return
	}
	v.add(path, format, args...)
}

func (v *validator) sources() {
	c := v.c
	if len(c.Sources) == 0 && !v.c.pos.isBad("sources") {
		v.add("sources", "no sources: add at least one (see the comment at the top of config/sources.yaml)")
	}
	first := map[string]srcRef{}
	for i := range c.Sources {
		s := &c.Sources[i]
		r := v.source(i, s.ID)
		switch {
		case s.ID == "":
			v.at(r, "id", "missing required field id (lower-case letters, digits and hyphens, e.g. %q)", "regjeringen-horinger")
		case !idRE.MatchString(s.ID):
			v.at(r, "id", "bad id %q (use lower-case letters, digits and hyphens, e.g. %q)", s.ID, "regjeringen-horinger")
		default:
			if f, dup := first[s.ID]; dup {
				v.at(r, "id", "duplicate id %q (%s)", s.ID, v.firstAt(f))
			} else {
				first[s.ID] = r
			}
		}
		v.sourceFields(r, s)
	}
}

// firstAt names where a duplicated source id was first used.
func (v *validator) firstAt(r srcRef) string {
	if r.fromFile {
		return v.first(join(r.path, "id"))
	}
	return "first used by " + r.path
}

// first names where the first of two duplicates stands.
func (v *validator) first(path string) string {
	if line := v.c.pos.line(path); line > 0 {
		return fmt.Sprintf("first at line %d", line)
	}
	return "first at " + path
}

func (v *validator) sourceFields(r srcRef, s *watcher.Source) {
	if s.Name == "" {
		v.at(r, "name", "missing required field name (the source's name as people know it)")
	}
	if s.Organisation == "" {
		v.at(r, "organisation", "missing required field organisation (the publisher as the digest names it, e.g. %q)", "Europol")
	}
	switch {
	case s.Region == "":
		v.at(r, "region", "missing required field region (valid: %s)", strings.Join(regions, ", "))
	case !s.Region.Valid():
		v.at(r, "region", "%s", oneOf("region", string(s.Region), regions))
	}
	if s.Kind == "" {
		v.at(r, "kind", "missing required field kind (e.g. feed, html, page)")
	}
	v.sourceURLs(r, s)
	if s.DocKind != "" && !slices.Contains(docKinds, string(s.DocKind)) {
		v.at(r, "doc_kind", "%s", oneOf("doc_kind", string(s.DocKind), docKinds))
	}
	if s.Language != "" && !langRE.MatchString(s.Language) {
		v.at(r, "language", "bad language %q (a lower-case ISO 639 code such as nb, nn, en, sv, fr)", s.Language)
	}
	if s.TimeZone != "" && s.TimeZone != v.c.TimeZone {
		if msg := checkZone(s.TimeZone); msg != "" {
			v.at(r, "time_zone", "%s", msg)
		}
	}
	if s.Delay < 0 {
		v.at(r, "delay", "must not be negative")
	}
	if msg := checkSchedule(s.Schedule); msg != "" {
		v.at(r, "schedule", "%s", msg)
	}
	if s.MaxPages < 1 {
		v.at(r, "max_pages", "must be at least 1, got %d", s.MaxPages)
	}
	if s.MaxItemPages < 1 {
		v.at(r, "max_item_pages", "must be at least 1, got %d", s.MaxItemPages)
	}
	v.selectors(r, s)
	for k := range s.Options {
		if strings.TrimSpace(k) == "" {
			v.at(r, "options", "an option name must not be empty")
		}
	}
}

func (v *validator) sourceURLs(r srcRef, s *watcher.Source) {
	if len(s.URLs) == 0 {
		v.at(r, "url", "missing required field url (or urls: a list of addresses)")
		return
	}
	// Decoded from a urls list when its first item has a line of its own.
	listed := (r.fromFile && v.c.pos.has(join(r.path, "urls[0]"))) || len(s.URLs) > 1
	seen := map[string]bool{}
	for k, u := range s.URLs {
		field := "url"
		if listed {
			field = index("urls", k)
		}
		if msg := checkURL(u); msg != "" {
			v.at(r, field, "%s", msg)
			continue
		}
		if seen[u] {
			v.at(r, field, "duplicate URL %q", u)
		}
		seen[u] = true
	}
}

func (v *validator) selectors(r srcRef, s *watcher.Source) {
	sel := s.Selectors
	if sel == nil {
		sel = &watcher.Selectors{}
	}
	switch s.Kind {
	case "html":
		if strings.TrimSpace(sel.Item) == "" {
			v.at(r, "selectors.item", "missing required field item: an html source needs a CSS selector matching one element per item (e.g. %q)", "ul.results > li")
		}
	case "page":
		if strings.TrimSpace(sel.Region) == "" {
			v.at(r, "selectors.region", "missing required field region: a page source needs a CSS selector for the part of the page whose links are watched (e.g. %q)", "main")
		}
	}
	css := []struct {
		key, sel string
	}{
		{"item", sel.Item}, {"title", sel.Title}, {"link", sel.Link}, {"date", sel.Date},
		{"summary", sel.Summary}, {"next", sel.Next}, {"region", sel.Region}, {"content", sel.Content},
	}
	for _, f := range css {
		if f.sel == "" {
			continue
		}
		if msg := checkSelector(f.sel); msg != "" {
			v.at(r, "selectors."+f.key, "%s", msg)
		}
	}
	if sel.DateLayout != "" {
		if msg := checkLayout(sel.DateLayout); msg != "" {
			v.at(r, "selectors.date_layout", "%s", msg)
		}
	}
	if sel.DateOrder != "" && !slices.Contains(dateOrders, sel.DateOrder) {
		v.at(r, "selectors.date_order", "%s", oneOf("date_order", sel.DateOrder, dateOrders))
	}
}

// CheckKinds reports every source whose kind is not in valid (the kinds
// the crawlers register). The config package does not know them itself.
func (c *Config) CheckKinds(valid []string) error {
	v := &validator{c: c}
	for i := range c.Sources {
		s := &c.Sources[i]
		if s.Kind == "" || slices.Contains(valid, s.Kind) {
			continue
		}
		v.at(v.source(i, s.ID), "kind", "%s", oneOf("kind", s.Kind, valid))
	}
	return v.errs.sorted().err()
}

// checkURL returns why u is not an absolute http(s) URL, or "".
func checkURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.Hostname() == "" {
		return fmt.Sprintf("%q is not an absolute http(s) URL (write it as it appears in the browser, e.g. %q)", u, "https://www.example.org/news/feed")
	}
	if p.User != nil {
		return fmt.Sprintf("%q carries a user name or password: put credentials in the environment, not in a URL", u)
	}
	return ""
}

// checkZone returns why name is not a usable IANA time zone, or "".
func checkZone(name string) string {
	if name == "" {
		return fmt.Sprintf("must not be empty (an IANA time zone such as %q or \"UTC\")", DefaultTimeZone)
	}
	if name == "Local" {
		return fmt.Sprintf("\"Local\" depends on the machine: name the zone, e.g. %q", DefaultTimeZone)
	}
	if _, err := loadZone(name); err != nil {
		return fmt.Sprintf("unknown time zone %q (an IANA name such as %q or \"UTC\")", name, DefaultTimeZone)
	}
	return ""
}

// checkSchedule returns why s is not daily, weekly or a cron expression.
func checkSchedule(s string) string {
	if s == "daily" || s == "weekly" {
		return ""
	}
	if err := checkCron(s); err != nil {
		return fmt.Sprintf("bad schedule %q: %v (valid: daily, weekly, or a cron expression such as %q)", s, err, "0 6 * * 1")
	}
	return ""
}

// checkLayout returns why layout is not a Go time layout, or "".
func checkLayout(layout string) string {
	t := time.Date(2019, 11, 23, 17, 48, 39, 0, time.UTC)
	s := t.Format(layout)
	if s == layout {
		return fmt.Sprintf("%q is not a Go time layout: write the reference date 2 January 2006 in the site's form, e.g. %q or %q", layout, "02.01.2006", "2 January 2006")
	}
	if _, err := time.Parse(layout, s); err != nil {
		return fmt.Sprintf("%q is not a usable Go time layout: %v", layout, err)
	}
	return ""
}

// checkContact returns why s is not a mailto:, bare e-mail or http(s)
// contact fit for a User-Agent header, or "".
func checkContact(s string) string {
	bad := fmt.Sprintf("%q is not an e-mail address or http(s) URL (e.g. %q or %q)", s, "mailto:unit@example.org", "https://example.org/contact")
	if strings.ContainsAny(s, "()<>; \t\r\n\\\"") || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r > 0x7e }) {
		return bad
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "mailto:"):
		if !isAddress(s[len("mailto:"):]) {
			return bad
		}
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"):
		if checkURL(s) != "" {
			return bad
		}
	default:
		if !isAddress(s) {
			return bad
		}
	}
	return ""
}

// isAddress reports whether s is a bare e-mail address ("a@b.org").
func isAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// contactHost is the domain of a contact address or URL, lower-cased.
func contactHost(s string) string {
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		if u, err := url.Parse(lower); err == nil {
			return u.Hostname()
		}
		return ""
	}
	lower = strings.TrimPrefix(lower, "mailto:")
	if i := strings.LastIndex(lower, "@"); i >= 0 {
		return lower[i+1:]
	}
	return ""
}

// IsLoopback reports whether host names this machine. Validation allows
// clear-text channels only to such hosts, and the channels themselves ask
// the same question, so both share this one answer.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
