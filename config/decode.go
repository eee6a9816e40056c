package config

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"watcher"
)

// The keys each mapping accepts, in the order the messages list them.
var (
	topKeys = []string{
		"user_agent", "contact", "host_delay", "allow_short_host_delay", "timeout", "body_cap",
		"max_retries", "time_zone", "parallel", "topics_file", "sources", "alerts", "digest", "serve",
	}
	sourceKeys = []string{
		"id", "name", "organisation", "region", "kind", "url", "urls", "doc_kind", "language",
		"time_zone", "delay", "schedule", "disabled", "always_relevant", "max_pages",
		"follow_items", "max_item_pages", "selectors", "options",
	}
	selectorKeys = []string{
		"item", "title", "link", "date", "summary", "next", "region", "content", "date_layout", "date_order",
	}
	alertKeys   = []string{"reminders", "editor", "admin", "channels"}
	channelKeys = map[string][]string{
		"smtp":    {"name", "type", "host", "port", "username", "password_env", "from", "to", "starttls", "tls"},
		"webhook": {"name", "type", "url", "format", "token_env"},
		"console": {"name", "type"},
	}
	allChannelKeys = []string{
		"name", "type", "host", "port", "username", "password_env", "from", "to", "starttls", "tls",
		"url", "format", "token_env",
		"password", // refused with a pointer to password_env
	}
	digestKeys  = []string{"title", "sections", "organisations", "closing", "contact", "max_highlights"}
	sectionKeys = []string{"id", "title", "editor", "highlights", "region", "kinds", "group_by", "min_score"}
	serveKeys   = []string{"addr", "schedule", "jitter", "token_env"}
)

// decodeConfig reads the root node into a Config that starts from the
// defaults: keys present override them, keys absent or empty leave them.
func (d *decoder) decodeConfig(root *yaml.Node) *Config {
	c := defaults()
	fields, _ := d.mapping(root, "", topKeys)
	for _, f := range fields {
		p := f.key
		switch f.key {
		case "user_agent":
			d.setStr(&c.UserAgent, f, p)
		case "contact":
			d.setStr(&c.Contact, f, p)
		case "host_delay":
			d.setDuration(&c.HostDelay, f, p)
		case "allow_short_host_delay":
			d.setBool(&c.AllowShortHostDelay, f, p)
		case "timeout":
			d.setDuration(&c.Timeout, f, p)
		case "body_cap":
			if v, ok := d.size(f.val, p); ok {
				c.BodyCap = v
			}
		case "max_retries":
			d.setInt(&c.MaxRetries, f, p)
		case "time_zone":
			d.setStr(&c.TimeZone, f, p)
		case "parallel":
			d.setInt(&c.Parallel, f, p)
		case "topics_file":
			d.setStr(&c.TopicsFile, f, p)
		case "sources":
			c.Sources = d.sources(f.val, p)
		case "alerts":
			d.alerts(&c.Alerts, f.val, p)
		case "digest":
			d.digest(&c.Digest, f.val, p)
		case "serve":
			d.serve(&c.Serve, f.val, p)
		}
	}
	for i := range c.Sources {
		if c.Sources[i].TimeZone == "" {
			c.Sources[i].TimeZone = c.TimeZone
		}
	}
	return c
}

func (d *decoder) sources(n *yaml.Node, path string) []watcher.Source {
	out, _ := listOf(d, n, path, "sources", d.source)
	for _, s := range out {
		d.pos.ids = append(d.pos.ids, s.ID)
	}
	return out
}

func (d *decoder) source(n *yaml.Node, path string) watcher.Source {
	s := defaultSource()
	fields, _ := d.mapping(n, path, sourceKeys)
	var urlField *field
	for _, f := range fields {
		p := join(path, f.key)
		switch f.key {
		case "id":
			d.setStr(&s.ID, f, p)
		case "name":
			d.setStr(&s.Name, f, p)
		case "organisation":
			d.setStr(&s.Organisation, f, p)
		case "region":
			setNamed(d, &s.Region, f, p)
		case "kind":
			d.setStr(&s.Kind, f, p)
		case "url", "urls":
			if isNull(resolve(f.val)) {
				continue
			}
			if urlField != nil {
				d.errorf(f.line, p, "give either url (one address) or urls (a list), not both (%s is at line %d)", urlField.key, urlField.line)
				d.pos.bad[join(path, "url")] = true
				continue
			}
			urlField = &f
			if f.key == "url" {
				if v, ok := d.str(f.val, p); ok {
					s.URLs = []string{v}
				}
			} else {
				d.setStrList(&s.URLs, f, p)
			}
			if d.pos.isBad(p) {
				d.pos.bad[join(path, "url")] = true
			}
		case "doc_kind":
			setNamed(d, &s.DocKind, f, p)
		case "language":
			d.setStr(&s.Language, f, p)
		case "time_zone":
			d.setStr(&s.TimeZone, f, p)
		case "delay":
			d.setDuration(&s.Delay, f, p)
		case "schedule":
			d.setStr(&s.Schedule, f, p)
		case "disabled":
			d.setBool(&s.Disabled, f, p)
		case "always_relevant":
			d.setBool(&s.AlwaysRelevant, f, p)
		case "max_pages":
			d.setInt(&s.MaxPages, f, p)
		case "follow_items":
			d.setBool(&s.FollowItems, f, p)
		case "max_item_pages":
			d.setInt(&s.MaxItemPages, f, p)
		case "selectors":
			s.Selectors = d.selectors(f.val, p)
		case "options":
			s.Options = d.options(f.val, p)
		}
	}
	return s
}

func (d *decoder) selectors(n *yaml.Node, path string) *watcher.Selectors {
	fields, ok := d.mapping(n, path, selectorKeys)
	if !ok || isNull(resolve(n)) {
		return nil
	}
	sel := &watcher.Selectors{}
	dst := map[string]*string{
		"item": &sel.Item, "title": &sel.Title, "link": &sel.Link, "date": &sel.Date,
		"summary": &sel.Summary, "next": &sel.Next, "region": &sel.Region, "content": &sel.Content,
		"date_layout": &sel.DateLayout, "date_order": &sel.DateOrder,
	}
	for _, f := range fields {
		d.setStr(dst[f.key], f, join(path, f.key))
	}
	return sel
}

// options reads a free-form mapping of adapter settings; scalar values of
// any type are kept as their text.
func (d *decoder) options(n *yaml.Node, path string) map[string]string {
	fields, ok := d.mapping(n, path, nil)
	if !ok || len(fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(fields))
	for _, f := range fields {
		if v, ok := d.str(f.val, join(path, f.key)); ok {
			out[f.key] = v
		} else {
			out[f.key] = ""
		}
	}
	return out
}

func (d *decoder) alerts(a *Alerts, n *yaml.Node, path string) {
	fields, _ := d.mapping(n, path, alertKeys)
	for _, f := range fields {
		p := join(path, f.key)
		switch f.key {
		case "reminders":
			if v, ok := d.intList(f.val, p); ok {
				a.Reminders = v
			}
		case "editor":
			d.setStrList(&a.Editor, f, p)
		case "admin":
			d.setStrList(&a.Admin, f, p)
		case "channels":
			if chs, ok := listOf(d, f.val, p, "channels", d.channel); ok {
				a.Channels = chs
			}
		}
	}
}

func (d *decoder) channel(n *yaml.Node, path string) Channel {
	var ch Channel
	fields, _ := d.mapping(n, path, allChannelKeys)
	for _, f := range fields {
		if f.key == "type" {
			d.setStr(&ch.Type, f, join(path, f.key))
		}
	}
	valid := channelKeys[ch.Type]
	portGiven := false
	for _, f := range fields {
		p := join(path, f.key)
		if f.key == "password" {
			d.errorf(f.line, p, "never write a password in the configuration: set password_env to the name of an environment variable that holds it")
			continue
		}
		if valid != nil && !slices.Contains(valid, f.key) {
			d.errorf(f.line, path, "key %q does not apply to %s channels (valid keys: %s)", f.key, ch.Type, strings.Join(valid, ", "))
			continue
		}
		switch f.key {
		case "name":
			d.setStr(&ch.Name, f, p)
		case "host":
			d.setStr(&ch.Host, f, p)
		case "port":
			d.setInt(&ch.Port, f, p)
			portGiven = true
		case "username":
			d.setStr(&ch.Username, f, p)
		case "password_env":
			d.setStr(&ch.PasswordEnv, f, p)
		case "from":
			d.setStr(&ch.From, f, p)
		case "to":
			d.setStrList(&ch.To, f, p)
		case "starttls":
			d.setStr(&ch.StartTLS, f, p)
		case "tls":
			d.setBool(&ch.TLS, f, p)
		case "url":
			d.setStr(&ch.URL, f, p)
		case "format":
			d.setStr(&ch.Format, f, p)
		case "token_env":
			d.setStr(&ch.TokenEnv, f, p)
		}
	}
	switch ch.Type {
	case "smtp":
		if !portGiven || d.pos.isBad(join(path, "port")) {
			ch.Port = DefaultSMTPPort
			if ch.TLS {
				ch.Port = DefaultSMTPTLSPort
			}
		}
		if ch.StartTLS == "" {
			ch.StartTLS = "required"
		}
	case "webhook":
		if ch.Format == "" {
			ch.Format = "json"
		}
	}
	return ch
}

func (d *decoder) digest(g *Digest, n *yaml.Node, path string) {
	fields, _ := d.mapping(n, path, digestKeys)
	for _, f := range fields {
		p := join(path, f.key)
		switch f.key {
		case "title":
			d.setStr(&g.Title, f, p)
		case "sections":
			if secs, ok := listOf(d, f.val, p, "sections", d.section); ok {
				g.Sections = secs
			}
		case "organisations":
			d.setStrList(&g.Organisations, f, p)
		case "closing":
			d.setStr(&g.Closing, f, p)
		case "contact":
			d.setStr(&g.Contact, f, p)
		case "max_highlights":
			d.setInt(&g.MaxHighlights, f, p)
		}
	}
}

func (d *decoder) section(n *yaml.Node, path string) Section {
	var s Section
	fields, _ := d.mapping(n, path, sectionKeys)
	for _, f := range fields {
		p := join(path, f.key)
		switch f.key {
		case "id":
			d.setStr(&s.ID, f, p)
		case "title":
			d.setStr(&s.Title, f, p)
		case "editor":
			d.setBool(&s.Editor, f, p)
		case "highlights":
			d.setBool(&s.Highlights, f, p)
		case "region":
			setNamed(d, &s.Region, f, p)
		case "kinds":
			var kinds []string
			d.setStrList(&kinds, f, p)
			for _, k := range kinds {
				s.Kinds = append(s.Kinds, watcher.DocKind(k))
			}
		case "group_by":
			d.setStr(&s.GroupBy, f, p)
		case "min_score":
			if v, ok := d.number(f.val, p); ok {
				s.MinScore = v
			}
		}
	}
	return s
}

func (d *decoder) serve(s *Serve, n *yaml.Node, path string) {
	fields, _ := d.mapping(n, path, serveKeys)
	for _, f := range fields {
		p := join(path, f.key)
		switch f.key {
		case "addr":
			d.setStr(&s.Addr, f, p)
		case "schedule":
			d.setStr(&s.Schedule, f, p)
		case "jitter":
			d.setDuration(&s.Jitter, f, p)
		case "token_env":
			d.setStr(&s.TokenEnv, f, p)
		}
	}
}
