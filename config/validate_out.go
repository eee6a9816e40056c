package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/andybalholm/cascadia"
)

// Validation of what watcher sends and serves: alerts, digest, serve.

const maxReminderDays = 365

func (v *validator) alerts() {
	a := &v.c.Alerts
	seen := map[int]bool{}
	for i, d := range a.Reminders {
		p := index("alerts.reminders", i)
		switch {
		case d < 0 || d > maxReminderDays:
			v.add(p, "%d is out of range (valid: 0 to %d days before the deadline)", d, maxReminderDays)
		case seen[d]:
			v.add(p, "duplicate reminder %d", d)
		}
		seen[d] = true
	}
	names := map[string]string{} // name → path of its first channel
	for i := range a.Channels {
		p := index("alerts.channels", i)
		ch := &a.Channels[i]
		switch {
		case ch.Name == "":
			v.missing(join(p, "name"), "the name editor and admin refer to, e.g. \"kom-epost\"")
		case names[ch.Name] != "":
			v.add(join(p, "name"), "duplicate channel name %q (%s)", ch.Name, v.first(join(names[ch.Name], "name")))
		default:
			names[ch.Name] = p
		}
		v.channel(p, ch)
	}
	defined := make([]string, 0, len(a.Channels))
	for _, ch := range a.Channels {
		if ch.Name != "" && !slices.Contains(defined, ch.Name) {
			defined = append(defined, ch.Name)
		}
	}
	v.channelRefs("alerts.editor", a.Editor, defined)
	v.channelRefs("alerts.admin", a.Admin, defined)
}

func (v *validator) channelRefs(path string, refs, defined []string) {
	for i, name := range refs {
		if slices.Contains(defined, name) {
			continue
		}
		if len(defined) == 0 {
			v.add(index(path, i), "unknown channel %q (no channels are defined under alerts.channels)", name)
			continue
		}
		v.add(index(path, i), "%s", oneOf("channel", name, defined))
	}
}

func (v *validator) channel(p string, ch *Channel) {
	switch ch.Type {
	case "":
		v.missing(join(p, "type"), "valid: "+strings.Join(channelTypes, ", "))
	case "smtp":
		v.smtp(p, ch)
	case "webhook":
		v.webhook(p, ch)
	case "console":
	default:
		v.add(join(p, "type"), "%s", oneOf("channel type", ch.Type, channelTypes))
	}
}

func (v *validator) smtp(p string, ch *Channel) {
	switch {
	case ch.Host == "":
		v.missing(join(p, "host"), "the mail server's host name, e.g. \"smtp.example.org\"")
	case strings.ContainsAny(ch.Host, ":/ @"):
		v.add(join(p, "host"), "%q is not a host name (write the name alone, e.g. \"smtp.example.org\", and the port under port)", ch.Host)
	}
	if ch.Port < 1 || ch.Port > 65535 {
		v.add(join(p, "port"), "%d is out of range (valid: 1 to 65535; usually 587, or 465 with tls: true)", ch.Port)
	}
	if ch.From == "" {
		v.missing(join(p, "from"), "the sender address, e.g. \"watcher@example.org\"")
	} else if _, err := mail.ParseAddress(ch.From); err != nil {
		v.add(join(p, "from"), "%q is not an e-mail address (e.g. \"watcher@example.org\" or \"Watcher <watcher@example.org>\")", ch.From)
	}
	if len(ch.To) == 0 {
		v.missing(join(p, "to"), "a list of recipient addresses")
	}
	for i, to := range ch.To {
		if _, err := mail.ParseAddress(to); err != nil {
			v.add(join(p, index("to", i)), "%q is not an e-mail address (e.g. \"kom@example.org\")", to)
		}
	}
	switch {
	case !slices.Contains(starttlsModes, ch.StartTLS):
		v.add(join(p, "starttls"), "%s", oneOf("starttls mode", ch.StartTLS, starttlsModes))
	case ch.StartTLS == "none" && !ch.TLS && ch.Host != "" && !IsLoopback(ch.Host):
		v.add(join(p, "starttls"), "\"none\" sends mail in clear text and is allowed only for a server on this machine (localhost); use required or opportunistic")
	}
	if ch.PasswordEnv != "" && !envRE.MatchString(ch.PasswordEnv) {
		v.add(join(p, "password_env"), "%q is not an environment variable name (upper-case letters, digits and _, e.g. \"WATCHER_SMTP_PASSWORD\")", ch.PasswordEnv)
	}
	switch {
	case ch.Username != "" && ch.PasswordEnv == "":
		v.missing(join(p, "password_env"), "the environment variable that holds the password of "+strconv.Quote(ch.Username))
	case ch.Username == "" && ch.PasswordEnv != "":
		v.missing(join(p, "username"), "password_env is set, so the server needs a user name too")
	}
}

func (v *validator) webhook(p string, ch *Channel) {
	if ch.URL == "" {
		v.missing(join(p, "url"), "the address the alerts are posted to")
	} else if msg := checkURL(ch.URL); msg != "" {
		v.add(join(p, "url"), "%s", msg)
	} else if u, _ := url.Parse(ch.URL); u.Scheme != "https" && !IsLoopback(u.Hostname()) {
		v.add(join(p, "url"), "%q must use https (plain http is allowed only for localhost)", ch.URL)
	}
	if !slices.Contains(webhookFormats, ch.Format) {
		v.add(join(p, "format"), "%s", oneOf("webhook format", ch.Format, webhookFormats))
	}
	if ch.TokenEnv != "" && !envRE.MatchString(ch.TokenEnv) {
		v.add(join(p, "token_env"), "%q is not an environment variable name (upper-case letters, digits and _, e.g. \"WATCHER_WEBHOOK_TOKEN\")", ch.TokenEnv)
	}
}

func (v *validator) digest() {
	g := &v.c.Digest
	if strings.TrimSpace(g.Title) == "" {
		v.add("digest.title", "must not be empty (the newsletter's title)")
	}
	if len(g.Sections) == 0 && !v.c.pos.isBad("digest.sections") {
		v.add("digest.sections", "no sections: leave the key out for the default sections, or list at least one")
	}
	ids := map[string]string{}
	highlights := ""
	for i := range g.Sections {
		p := index("digest.sections", i)
		s := &g.Sections[i]
		switch {
		case s.ID == "":
			v.missing(join(p, "id"), "lower-case letters, digits and hyphens, e.g. \"norske\"")
		case !idRE.MatchString(s.ID):
			v.add(join(p, "id"), "bad id %q (use lower-case letters, digits and hyphens, e.g. \"norske\")", s.ID)
		case ids[s.ID] != "":
			v.add(join(p, "id"), "duplicate section id %q (%s)", s.ID, v.first(join(ids[s.ID], "id")))
		default:
			ids[s.ID] = p
		}
		if strings.TrimSpace(s.Title) == "" {
			v.missing(join(p, "title"), "the heading the newsletter prints")
		}
		if s.Highlights {
			if highlights != "" {
				v.add(join(p, "highlights"), "only one section can hold the highlights (%s already does)", highlights)
			}
			highlights = p
		}
		v.sectionRules(p, s)
	}
	for i, org := range g.Organisations {
		p := index("digest.organisations", i)
		switch {
		case strings.TrimSpace(org) == "":
			v.add(p, "must not be empty")
		case slices.Index(g.Organisations, org) < i:
			v.add(p, "duplicate organisation %q", org)
		}
	}
	if g.MaxHighlights < 0 {
		v.add("digest.max_highlights", "must not be negative, got %d", g.MaxHighlights)
	}
}

func (v *validator) sectionRules(p string, s *Section) {
	if s.Region != "" && !s.Region.Valid() {
		v.add(join(p, "region"), "%s", oneOf("region", string(s.Region), regions))
	}
	for i, k := range s.Kinds {
		if !slices.Contains(docKinds, string(k)) {
			v.add(join(p, index("kinds", i)), "%s", oneOf("kind", string(k), docKinds))
		}
	}
	if s.GroupBy != "" && !slices.Contains(groupings, s.GroupBy) {
		v.add(join(p, "group_by"), "%s", oneOf("grouping", s.GroupBy, groupings))
	}
	if s.MinScore < 0 {
		v.add(join(p, "min_score"), "must not be negative")
	}
	if !s.Editor {
		return
	}
	rules := map[string]bool{
		"highlights": s.Highlights, "region": s.Region != "", "kinds": len(s.Kinds) > 0,
		"group_by": s.GroupBy != "", "min_score": s.MinScore != 0,
	}
	for _, key := range []string{"highlights", "region", "kinds", "group_by", "min_score"} {
		if rules[key] {
			v.add(join(p, key), "an editor section is written by hand and takes no rules: remove %s or editor: true", key)
		}
	}
}

func (v *validator) serve() {
	s := &v.c.Serve
	if msg := checkAddr(s.Addr); msg != "" {
		v.add("serve.addr", "%s", msg)
	}
	if err := checkCron(s.Schedule); err != nil {
		v.add("serve.schedule", "bad schedule %q: %v (a cron expression in time_zone, e.g. %q)", s.Schedule, err, DefaultCron)
	}
	if s.Jitter < 0 {
		v.add("serve.jitter", "must not be negative")
	}
	if !envRE.MatchString(s.TokenEnv) {
		v.add("serve.token_env", "%q is not an environment variable name (upper-case letters, digits and _, e.g. %q)", s.TokenEnv, DefaultTokenEnv)
	}
}

func checkAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	bad := fmt.Sprintf("%q is not a host:port address (e.g. %q)", addr, DefaultAddr)
	if err != nil || strings.ContainsAny(host, "/ ") {
		return bad
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return bad
	}
	return ""
}

// checkSelector returns why sel is not a CSS selector the crawlers can
// use, or "".
func checkSelector(sel string) string {
	if _, err := cascadia.ParseGroup(sel); err != nil {
		return fmt.Sprintf("bad CSS selector %q: %v", sel, err)
	}
	return ""
}
