package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
)

// head is a minimal valid configuration of 8 lines; cases append to it, so
// their first line is 9.
const head = `contact: mailto:kom@example.no
sources:
  - id: one
    name: One
    organisation: Org
    region: norway
    kind: feed
    url: https://one.example.no/feed
`

// wantErr is one expected problem: its line, its field and a part of its
// message.
type wantErr struct {
	line  int
	field string
	msg   string
}

// checkErrors asserts that err is an Errors list holding exactly the wanted
// problems (in any order among equal lines) for file, sorted by line.
func checkErrors(t *testing.T, err error, file string, want []wantErr) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %d", len(want))
	}
	var list Errors
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, not Errors: %v", err, err)
	}
	used := make([]bool, len(list))
	for _, w := range want {
		found := false
		for i, e := range list {
			if !used[i] && e.Line == w.line && e.Field == w.field && strings.Contains(e.Msg, w.msg) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing error %d: %s: %s", w.line, w.field, w.msg)
		}
	}
	for i, e := range list {
		if e.File != file {
			t.Errorf("error %q names file %q, want %q", e, e.File, file)
		}
		if !used[i] {
			t.Errorf("unexpected error: %s", e)
		}
		if i > 0 && e.File == list[i-1].File && lineKey(e.Line) < lineKey(list[i-1].Line) {
			t.Errorf("errors not sorted by line: %q after %q", e, list[i-1])
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := map[string]struct {
		in   string
		want []wantErr
	}{
		"unknown top-level key with a suggestion": {
			in:   head + "hostdelay: 2s\n",
			want: []wantErr{{9, "", `unknown key "hostdelay" (valid keys: user_agent, contact, host_delay,`}},
		},
		"unknown source key": {
			in:   head + "    follow: true\n",
			want: []wantErr{{9, "sources[0]", `unknown key "follow" (valid keys: id,`}},
		},
		"duplicate key": {
			in:   head + "contact: mailto:other@example.no\n",
			want: []wantErr{{9, "", `duplicate key "contact" (first at line 1)`}},
		},
		"syntax error": {
			in:   "contact: x@example.no\nsources:\n  - id: a\n   name: b\n",
			want: []wantErr{{2, "", "invalid YAML: did not find expected '-' indicator"}},
		},
		"tab indentation": {
			in:   "contact: x@example.no\nsources:\n\t- id: a\n",
			want: []wantErr{{3, "", "invalid YAML: found character that cannot start any token"}},
		},
		"second document": {
			in:   head + "---\ncontact: y@example.no\n",
			want: []wantErr{{9, "", "a second YAML document starts here"}},
		},
		"invalid UTF-8": {
			in:   head + "user_agent: \xff\n",
			want: []wantErr{{9, "", "invalid UTF-8"}},
		},
		"root is not a mapping": {
			in:   "- a\n- b\n",
			want: []wantErr{{1, "", "expected a mapping of settings, got a list"}},
		},
		"sources is not a list": {
			in:   "contact: x@example.no\nsources:\n  id: a\n",
			want: []wantErr{{3, "sources", "expected a list of sources, got a mapping"}},
		},
		"empty document": {
			in: "# nothing here\n",
			want: []wantErr{
				{0, "contact", "missing required field contact"},
				{0, "sources", "no sources"},
			},
		},
		"wrong types": {
			in: head + "parallel: eight\nmax_retries: 2.5\nallow_short_host_delay: 1\n",
			want: []wantErr{
				{9, "parallel", `expected a whole number, got "eight"`},
				{10, "max_retries", "expected a whole number, got the number 2.5"},
				{11, "allow_short_host_delay", "expected true or false, got the number 1"},
			},
		},
		"wrong types in a source": {
			in: head + "  - id: two\n    name: [a]\n    organisation: O\n    region: norway\n    kind: feed\n" +
				"    url: https://x.example.no/\n    disabled: yes\n    max_pages: lots\n",
			want: []wantErr{
				{10, "sources[1].name", "expected a string, got a list"},
				{15, "sources[1].disabled", `expected true or false, got "yes"`},
				{16, "sources[1].max_pages", `expected a whole number, got "lots"`},
			},
		},
		"missing source fields": {
			in: head + "  - id: two\n",
			want: []wantErr{
				{9, "sources[1].name", "missing required field name"},
				{9, "sources[1].organisation", "missing required field organisation"},
				{9, "sources[1].region", "missing required field region (valid: norway, international)"},
				{9, "sources[1].kind", "missing required field kind"},
				{9, "sources[1].url", "missing required field url (or urls"},
			},
		},
		"missing id and empty url": {
			in: head + "  - name: Two\n    organisation: O\n    region: norway\n    kind: feed\n    url:\n",
			want: []wantErr{
				{9, "sources[1].id", "missing required field id"},
				{13, "sources[1].url", "missing required field url"},
			},
		},
		"bad and duplicate ids": {
			in: head + "  - id: One Two\n    name: Two\n    organisation: O\n    region: norway\n    kind: feed\n    url: https://x.example.no/\n" +
				"  - id: one\n    name: Three\n    organisation: O\n    region: norway\n    kind: feed\n    url: https://y.example.no/\n",
			want: []wantErr{
				{9, "sources[1].id", `bad id "One Two" (use lower-case letters, digits and hyphens`},
				{15, "sources[2].id", `duplicate id "one" (first at line 3)`},
			},
		},
		"bad URLs": {
			in: head + "  - id: two\n    name: Two\n    organisation: O\n    region: norway\n    kind: feed\n" +
				"    urls:\n      - www.example.no/feed\n      - ftp://example.no/x\n      - https://ok.example.no/\n      - https://ok.example.no/\n",
			want: []wantErr{
				{15, "sources[1].urls[0]", `"www.example.no/feed" is not an absolute http(s) URL`},
				{16, "sources[1].urls[1]", `"ftp://example.no/x" is not an absolute http(s) URL`},
				{18, "sources[1].urls[3]", `duplicate URL "https://ok.example.no/"`},
			},
		},
		"url and urls": {
			in:   head + "    urls: [https://two.example.no/]\n",
			want: []wantErr{{9, "sources[0].urls", "give either url (one address) or urls (a list), not both (url is at line 8)"}},
		},
		"bad enumerations": {
			in: head + "    doc_kind: hearings\n    language: Norsk\n    time_zone: Europe/Olso\n" +
				"  - id: two\n    name: Two\n    organisation: O\n    region: norge\n    kind: feed\n    url: https://x.example.no/\n",
			want: []wantErr{
				{9, "sources[0].doc_kind", `did you mean "hearing"?`},
				{10, "sources[0].language", `bad language "Norsk"`},
				{11, "sources[0].time_zone", `unknown time zone "Europe/Olso"`},
				{15, "sources[1].region", `unknown region "norge" (valid: norway, international)`},
			},
		},
		"negative numbers": {
			in: head + "    delay: -2s\n    max_pages: -1\n    max_item_pages: 0\n" +
				"max_retries: -1\nbody_cap: -5\nhost_delay: -1s\nparallel: 100\ntimeout: 11m\n",
			want: []wantErr{
				{9, "sources[0].delay", "must not be negative"},
				{10, "sources[0].max_pages", "must be at least 1, got -1"},
				{11, "sources[0].max_item_pages", "must be at least 1, got 0"},
				{12, "max_retries", "-1 is out of range (valid: 0 to 10)"},
				{13, "body_cap", "must be positive"},
				{14, "host_delay", "must not be negative"},
				{15, "parallel", "100 is out of range (valid: 1 to 64)"},
				{16, "timeout", "11m0s is more than the maximum of 10m0s"},
			},
		},
		"bad durations and sizes": {
			in: head + "host_delay: 30\ntimeout: 2 sec\nbody_cap: 10 megs\n",
			want: []wantErr{
				{9, "host_delay", `bad duration 30: write it with a unit, e.g. "30s"`},
				{10, "timeout", `bad duration "2 sec" (write e.g. "2s", "500ms"`},
				{11, "body_cap", `bad size "10 megs" (write bytes as a whole number, or e.g. "10MiB", "512KiB", "10MB")`},
			},
		},
		"short host delay needs the explicit key": {
			in:   head + "host_delay: 500ms\n",
			want: []wantErr{{9, "host_delay", "500ms is below the polite minimum of 2s (set allow_short_host_delay: true"}},
		},
		"schedules": {
			in: head + "    schedule: hourly\n" +
				"  - id: two\n    name: Two\n    organisation: O\n    region: norway\n    kind: feed\n    url: https://x.example.no/\n    schedule: \"0 24 * * *\"\n" +
				"  - id: three\n    name: Three\n    organisation: O\n    region: norway\n    kind: feed\n    url: https://y.example.no/\n    schedule: \"0 6 * *\"\n",
			want: []wantErr{
				{9, "sources[0].schedule", `bad schedule "hourly": a cron expression has 5 fields`},
				{16, "sources[1].schedule", `hour field "24": "24" is not a value from 0 to 23`},
				{23, "sources[2].schedule", "this one has 4"},
			},
		},
		"selectors": {
			in: head + "  - id: two\n    name: Two\n    organisation: O\n    region: norway\n    kind: html\n    url: https://x.example.no/\n" +
				"    selectors:\n      title: \"h2 >\"\n      date_layout: dd.mm.yyyy\n      date_order: ymd\n      itme: li\n" +
				"  - id: three\n    name: Three\n    organisation: O\n    region: norway\n    kind: page\n    url: https://y.example.no/\n",
			want: []wantErr{
				{15, "sources[1].selectors.item", "missing required field item: an html source needs a CSS selector"},
				{16, "sources[1].selectors.title", `bad CSS selector "h2 >"`},
				{17, "sources[1].selectors.date_layout", `"dd.mm.yyyy" is not a Go time layout`},
				{18, "sources[1].selectors.date_order", `unknown date_order "ymd" (valid: dmy, mdy)`},
				{19, "sources[1].selectors", `unknown key "itme" (valid keys: item,`},
				{20, "sources[2].selectors.region", "missing required field region: a page source needs"},
			},
		},
		"options must be scalars": {
			in:   head + "    options:\n      pages: 3\n      list: [a]\n",
			want: []wantErr{{11, "sources[0].options.list", "expected a string, got a list"}},
		},
		"contact and user agent": {
			in: "user_agent: watcher 0.1 (me)\ncontact: kom at example.no\nsources:\n" +
				"  - id: one\n    name: One\n    organisation: Org\n    region: norway\n    kind: feed\n    url: https://one.example.no/feed\n",
			want: []wantErr{
				{1, "user_agent", `"watcher 0.1 (me)" is not a product token`},
				{2, "contact", `"kom at example.no" is not an e-mail address or http(s) URL`},
			},
		},
		"global time zone": {
			in:   head + "time_zone: Local\n",
			want: []wantErr{{9, "time_zone", `"Local" depends on the machine`}},
		},
		"alerts: channel references and names": {
			in: head + "alerts:\n  editor: [console, mail]\n  admin: [consol]\n  reminders: [14, -1, 14]\n  channels:\n" +
				"    - name: console\n      type: console\n      host: x\n" +
				"    - name: console\n      type: sms\n",
			want: []wantErr{
				{10, "alerts.editor[1]", `unknown channel "mail" (valid: console)`},
				{11, "alerts.admin[0]", `unknown channel "consol" (valid: console; did you mean "console"?)`},
				{12, "alerts.reminders[1]", "-1 is out of range"},
				{12, "alerts.reminders[2]", "duplicate reminder 14"},
				{16, "alerts.channels[0]", `key "host" does not apply to console channels (valid keys: name, type)`},
				{17, "alerts.channels[1].name", `duplicate channel name "console" (first at line 14)`},
				{18, "alerts.channels[1].type", `unknown channel type "sms" (valid: smtp, webhook, console)`},
			},
		},
		"alerts: smtp": {
			in: head + "alerts:\n  channels:\n" +
				"    - name: mail\n      type: smtp\n      password: hunter2\n      password_env: smtp-pass\n      to: [kom@example.no, not an address]\n      starttls: none\n      port: 70000\n" +
				"    - name: mail2\n      type: smtp\n      host: smtp.example.no\n      from: watcher@example.no\n      to: [kom@example.no]\n      username: watcher\n      starttls: sometimes\n",
			want: []wantErr{
				{11, "alerts.channels[0].host", "missing required field host"},
				{11, "alerts.channels[0].from", "missing required field from"},
				{11, "alerts.channels[0].username", "missing required field username"},
				{13, "alerts.channels[0].password", "never write a password in the configuration: set password_env"},
				{14, "alerts.channels[0].password_env", `"smtp-pass" is not an environment variable name`},
				{15, "alerts.channels[0].to[1]", `"not an address" is not an e-mail address`},
				{17, "alerts.channels[0].port", "70000 is out of range"},
				{18, "alerts.channels[1].password_env", `missing required field password_env (the environment variable that holds the password of "watcher")`},
				{24, "alerts.channels[1].starttls", `unknown starttls mode "sometimes" (valid: required, opportunistic, none)`},
			},
		},
		"alerts: starttls none only on loopback": {
			in: head + "alerts:\n  channels:\n" +
				"    - {name: a, type: smtp, host: smtp.example.no, from: w@example.no, to: [k@example.no], starttls: none}\n" +
				"    - {name: b, type: smtp, host: localhost, from: w@example.no, to: [k@example.no], starttls: none}\n",
			want: []wantErr{{11, "alerts.channels[0].starttls", `"none" sends mail in clear text`}},
		},
		"alerts: webhook": {
			in: head + "alerts:\n  channels:\n" +
				"    - {name: a, type: webhook}\n" +
				"    - {name: b, type: webhook, url: \"http://hooks.example.no/x\", format: xml, token_env: token}\n" +
				"    - {name: c, type: webhook, url: \"http://127.0.0.1:9000/x\", host: x}\n",
			want: []wantErr{
				{11, "alerts.channels[0].url", "missing required field url"},
				{12, "alerts.channels[1].url", "must use https (plain http is allowed only for localhost)"},
				{12, "alerts.channels[1].format", `unknown webhook format "xml" (valid: json, slack, teams)`},
				{12, "alerts.channels[1].token_env", `"token" is not an environment variable name`},
				{13, "alerts.channels[2]", `key "host" does not apply to webhook channels`},
			},
		},
		"digest": {
			in: head + "digest:\n  title: \"\"\n  max_highlights: -1\n  organisations: [UNODC, ILO, UNODC]\n  sections:\n" +
				"    - {id: egne, title: Egne, editor: true, region: norway}\n" +
				"    - {id: egne, title: Andre, kinds: [event, events], group_by: country}\n" +
				"    - {id: a, title: A, highlights: true}\n" +
				"    - {id: b, title: B, highlights: true, region: europe}\n" +
				"    - {id: c}\n",
			want: []wantErr{
				{10, "digest.title", "must not be empty"},
				{11, "digest.max_highlights", "must not be negative"},
				{12, "digest.organisations[2]", `duplicate organisation "UNODC"`},
				{14, "digest.sections[0].region", "an editor section is written by hand and takes no rules"},
				{15, "digest.sections[1].id", `duplicate section id "egne" (first at line 14)`},
				{15, "digest.sections[1].kinds[1]", `unknown kind "events"`},
				{15, "digest.sections[1].group_by", `unknown grouping "country" (valid: organisation)`},
				{17, "digest.sections[3].highlights", "only one section can hold the highlights (digest.sections[2] already does)"},
				{17, "digest.sections[3].region", `unknown region "europe"`},
				{18, "digest.sections[4].title", "missing required field title"},
			},
		},
		"digest: empty section list": {
			in:   head + "digest:\n  sections: []\n",
			want: []wantErr{{10, "digest.sections", "no sections"}},
		},
		"serve": {
			in: head + "serve:\n  addr: localhost\n  schedule: \"0 6 * * mon-sun/0\"\n  jitter: -1m\n  token_env: \"\"\n",
			want: []wantErr{
				{10, "serve.addr", `"localhost" is not a host:port address`},
				{11, "serve.schedule", `bad step "0"`},
				{12, "serve.jitter", "must not be negative"},
				{13, "serve.token_env", `"" is not an environment variable name`},
			},
		},
		"a merge of itself adds nothing": {
			in: head + "  - &a\n    <<: *a\n    id: x\n",
			want: []wantErr{
				{9, "sources[1].name", "missing required field name"},
				{9, "sources[1].organisation", "missing required field organisation"},
				{9, "sources[1].region", "missing required field region"},
				{9, "sources[1].kind", "missing required field kind"},
				{9, "sources[1].url", "missing required field url"},
			},
		},
		"aliased key": {
			in:   "&k contact: x@example.no\n*k : y\n",
			want: []wantErr{{2, "", `duplicate key "contact" (first at line 1)`}, {1, "sources", "no sources"}},
		},
		"unknown key in a merged mapping": {
			in: head + "  - &base\n    id: two\n    name: Two\n    organisation: O\n    region: norway\n    kind: feed\n    url: https://x.example.no/\n    colour: red\n" +
				"  - <<: *base\n    id: three\n",
			want: []wantErr{
				{16, "sources[1]", `unknown key "colour"`},
				{16, "sources[2]", `unknown key "colour"`},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cfg, err := Parse("sources.yaml", []byte(tc.in))
			if cfg != nil {
				t.Errorf("Parse returned a config along with errors")
			}
			checkErrors(t, err, "sources.yaml", tc.want)
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	cfg, err := Default()
	if err != nil {
		t.Fatalf("the embedded configuration does not parse:\n%v", err)
	}
	if cfg.File != EmbeddedSources {
		t.Errorf("File = %q, want %q", cfg.File, EmbeddedSources)
	}
	// The kinds are checked against the registered crawlers in
	// cmd/watcher (TestDefaultConfigKinds): config cannot see them.
	if !cfg.ContactIsPlaceholder() {
		t.Errorf("the shipped contact %q is not recognised as the placeholder", cfg.Contact)
	}
	if cfg.TopicsSource() != EmbeddedTopics || len(cfg.Topics.Terms) == 0 {
		t.Errorf("topics from %q with %d terms, want the embedded profile", cfg.TopicsSource(), len(cfg.Topics.Terms))
	}
	ids := map[string]bool{}
	for _, s := range cfg.Sources {
		ids[s.ID] = true
		if s.Region == watcher.RegionInternational && !slices.Contains(cfg.Digest.Organisations, s.Organisation) {
			t.Errorf("source %s: organisation %q is not in digest.organisations, so the digest cannot order it", s.ID, s.Organisation)
		}
	}
	for _, id := range []string{"regjeringen-horinger", "regjeringen-jd", "regjeringen-bfd", "lovdata-lovtidend", "politiet-kom", "regjeringen-horinger-liste", "stortinget-horinger", "unodc-pressemeldinger", "greta-nyheter", "frontex-nyheter", "europol-nyheter", "cbss-nyheter", "eu-home-affairs"} {
		if !ids[id] {
			t.Errorf("the default configuration lacks source %s", id)
		}
	}
	if !slices.Equal(cfg.Alerts.Editor, []string{"console"}) || !slices.Equal(cfg.Alerts.Admin, []string{"console"}) {
		t.Errorf("alerts editor %v admin %v, want the console channel for both", cfg.Alerts.Editor, cfg.Alerts.Admin)
	}
	if _, err := ParseTopics(EmbeddedTopics, DefaultTopics()); err != nil {
		t.Errorf("DefaultTopics does not parse: %v", err)
	}
	again, err := Parse("copy.yaml", DefaultSources())
	if err != nil || len(again.Sources) != len(cfg.Sources) {
		t.Errorf("DefaultSources does not parse to the same sources: %v", err)
	}
}

func TestDefaultsApplied(t *testing.T) {
	in := head + "    kind: html\n    selectors: {item: li}\n"
	// kind is given twice above: replace the feed kind instead.
	in = strings.Replace(head, "kind: feed", "kind: html\n    selectors: {item: li}", 1)
	in += "alerts:\n  channels:\n" +
		"    - {name: mail, type: smtp, host: smtp.example.no, from: w@example.no, to: [k@example.no]}\n" +
		"    - {name: mails, type: smtp, host: smtp.example.no, from: w@example.no, to: [k@example.no], tls: true}\n" +
		"    - {name: hook, type: webhook, url: \"https://hooks.example.no/x\"}\n"
	cfg, err := Parse("sources.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"user_agent", cfg.UserAgent, DefaultUserAgent},
		{"host_delay", cfg.HostDelay, 2 * time.Second},
		{"timeout", cfg.Timeout, 30 * time.Second},
		{"body_cap", cfg.BodyCap, int64(10 << 20)},
		{"max_retries", cfg.MaxRetries, 3},
		{"time_zone", cfg.TimeZone, "Europe/Oslo"},
		{"parallel", cfg.Parallel, 8},
		{"source schedule", cfg.Sources[0].Schedule, "daily"},
		{"source max_pages", cfg.Sources[0].MaxPages, 5},
		{"source max_item_pages", cfg.Sources[0].MaxItemPages, 30},
		{"source time_zone", cfg.Sources[0].TimeZone, "Europe/Oslo"},
		{"reminders", cfg.Alerts.Reminders, []int{14, 7, 2}},
		{"smtp port", cfg.Alerts.Channels[0].Port, 587},
		{"smtp port with tls", cfg.Alerts.Channels[1].Port, 465},
		{"starttls", cfg.Alerts.Channels[0].StartTLS, "required"},
		{"webhook format", cfg.Alerts.Channels[2].Format, "json"},
		{"digest title", cfg.Digest.Title, "Nyhetsbrev fra Koordineringsenheten for ofre for menneskehandel"},
		{"max_highlights", cfg.Digest.MaxHighlights, 3},
		{"organisations", cfg.Digest.Organisations[:3], []string{"UNODC", "ILO", "OSSE"}},
		{"serve addr", cfg.Serve.Addr, "127.0.0.1:8080"},
		{"serve schedule", cfg.Serve.Schedule, "0 6 * * *"},
		{"serve jitter", cfg.Serve.Jitter, 10 * time.Minute},
		{"serve token_env", cfg.Serve.TokenEnv, "WATCHER_TOKEN"},
	}
	for _, c := range checks {
		if !equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	var ids, titles []string
	for _, s := range cfg.Digest.Sections {
		ids = append(ids, s.ID)
		titles = append(titles, s.Title)
	}
	if want := []string{"egne", "aktiviteter", "verdt", "norske", "internasjonale", "arrangementer"}; !slices.Equal(ids, want) {
		t.Errorf("section ids = %v, want %v", ids, want)
	}
	if titles[4] != "Aktuelle internasjonale tiltak, rapporter og forskning" || cfg.Digest.Sections[4].GroupBy != "organisation" {
		t.Errorf("international section = %+v", cfg.Digest.Sections[4])
	}
	if ev := cfg.Digest.Sections[5]; !slices.Equal(ev.Kinds, []watcher.DocKind{watcher.KindEvent}) {
		t.Errorf("events section kinds = %v", ev.Kinds)
	}
	if slices.Contains(cfg.Digest.Sections[3].Kinds, watcher.KindEvent) {
		t.Errorf("the Norwegian section takes events, so none would reach the events section")
	}
	if !cfg.Digest.Sections[0].Editor || !cfg.Digest.Sections[2].Highlights {
		t.Errorf("egne must be an editor section and verdt the highlights")
	}
	if !strings.Contains(cfg.Digest.Closing, "Koordineringsenheten") {
		t.Errorf("closing = %q", cfg.Digest.Closing)
	}
}

func equal(a, b any) bool {
	switch a := a.(type) {
	case []int:
		return slices.Equal(a, b.([]int))
	case []string:
		return slices.Equal(a, b.([]string))
	}
	return a == b
}

func TestExplicitValuesOverrideDefaults(t *testing.T) {
	in := head + "    schedule: weekly\n    max_pages: 1\nmax_retries: 0\nparallel: 1\nuser_agent:\n" +
		"alerts:\n  reminders: [30]\n" +
		"digest:\n  organisations: [ILO]\n  sections:\n    - {id: alt, title: Alt}\n"
	cfg, err := Parse("sources.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MaxRetries != 0 || cfg.Parallel != 1 {
		t.Errorf("max_retries %d parallel %d: explicit values lost", cfg.MaxRetries, cfg.Parallel)
	}
	if cfg.UserAgent != DefaultUserAgent {
		t.Errorf("an empty user_agent should keep the default, got %q", cfg.UserAgent)
	}
	if s := cfg.Sources[0]; s.Schedule != "weekly" || s.MaxPages != 1 {
		t.Errorf("source schedule %q max_pages %d", s.Schedule, s.MaxPages)
	}
	if !slices.Equal(cfg.Alerts.Reminders, []int{30}) || !slices.Equal(cfg.Digest.Organisations, []string{"ILO"}) || len(cfg.Digest.Sections) != 1 {
		t.Errorf("lists must replace the defaults: %v %v %d", cfg.Alerts.Reminders, cfg.Digest.Organisations, len(cfg.Digest.Sections))
	}
}

func TestDurationsAndSizes(t *testing.T) {
	tests := []struct {
		in      string
		timeout time.Duration
		bodyCap int64
		err     string
	}{
		{in: "timeout: 500ms\nbody_cap: 1024", timeout: 500 * time.Millisecond, bodyCap: 1024},
		{in: "timeout: 1m30s\nbody_cap: 512KiB", timeout: 90 * time.Second, bodyCap: 512 << 10},
		{in: "timeout: 2s\nbody_cap: 10MB", timeout: 2 * time.Second, bodyCap: 10_000_000},
		{in: "timeout: 2s\nbody_cap: 10mib", timeout: 2 * time.Second, bodyCap: 10 << 20},
		{in: "timeout: 2s\nbody_cap: 1GiB", timeout: 2 * time.Second, bodyCap: 1 << 30},
		{in: "timeout: 2s\nbody_cap: 2GiB", err: "body_cap: 2147483648 bytes is more than the maximum of 1GiB"},
		{in: "timeout: 2s\nbody_cap: 10M", err: `bad size "10M"`},
		{in: "timeout: 2s\nbody_cap: 1.5MiB", err: `bad size "1.5MiB"`},
		{in: "timeout: 2s\nbody_cap: 99999999999999999999", err: `bad size "99999999999999999999"`},
		{in: "timeout: 2s\nbody_cap: 9999999999999GiB", err: `bad size "9999999999999GiB"`},
		{in: "timeout: 0\nbody_cap: 1", err: "timeout: must be positive"},
		{in: "timeout: 1.5\nbody_cap: 1", err: `bad duration 1.5: write it with a unit, e.g. "1.5s"`},
		{in: "timeout: 2d\nbody_cap: 1", err: `bad duration "2d"`},
		{in: "timeout: true\nbody_cap: 1", err: "expected a duration such as"},
		{in: "timeout: 2s\nbody_cap: [1]", err: "body_cap: expected a size, got a list"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			cfg, err := Parse("sources.yaml", []byte(head+tc.in+"\n"))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), "sources.yaml:9") && !strings.Contains(err.Error(), "sources.yaml:10") || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one at line 9 or 10 containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Timeout != tc.timeout || cfg.BodyCap != tc.bodyCap {
				t.Errorf("timeout %v body_cap %d, want %v %d", cfg.Timeout, cfg.BodyCap, tc.timeout, tc.bodyCap)
			}
		})
	}
}

func TestShortHostDelay(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"host_delay: 0\nallow_short_host_delay: true\n", 0},
		{"host_delay: 0s\nallow_short_host_delay: true\n", 0},
		{"host_delay: 100ms\nallow_short_host_delay: true\n", 100 * time.Millisecond},
		{"host_delay: 3s\n", 3 * time.Second},
	}
	for _, tc := range tests {
		cfg, err := Parse("sources.yaml", []byte(head+tc.in))
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if cfg.HostDelay != tc.want {
			t.Errorf("%q: host_delay %v, want %v", tc.in, cfg.HostDelay, tc.want)
		}
	}
	_, err := Parse("sources.yaml", []byte(head+"host_delay: 0\n"))
	checkErrors(t, err, "sources.yaml", []wantErr{{9, "host_delay", "0s is below the polite minimum of 2s"}})
}

func TestMergeKeys(t *testing.T) {
	in := head + "  - &regj\n    id: two\n    name: Two\n    organisation: Regjeringen\n    region: norway\n    kind: feed\n" +
		"    url: https://www.example.no/rss?type=a\n    delay: 5s\n" +
		"  - <<: *regj\n    id: three\n    name: Three\n    url: https://www.example.no/rss?type=b\n"
	cfg, err := Parse("sources.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Sources[2]
	if s.ID != "three" || s.Name != "Three" || s.Organisation != "Regjeringen" || s.Delay != 5*time.Second || s.URLs[0] != "https://www.example.no/rss?type=b" {
		t.Errorf("merged source = %+v", s)
	}
}

func TestTopicsFile(t *testing.T) {
	dir := t.TempDir()
	topics := "name: test\nthreshold: 2\nterms:\n  - {term: slaveri, weight: 3}\n"
	if err := os.WriteFile(filepath.Join(dir, "my-topics.yaml"), []byte(topics), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "watcher.yaml")
	if err := os.WriteFile(cfgPath, []byte(head+"topics_file: my-topics.yaml\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Topics.Name != "test" || cfg.TopicsSource() != filepath.Join(dir, "my-topics.yaml") {
		t.Errorf("topics %q from %q", cfg.Topics.Name, cfg.TopicsSource())
	}

	// A missing topics file is reported at the topics_file line.
	_, err = Parse(cfgPath, []byte(head+"topics_file: none.yaml\n"))
	checkErrors(t, err, cfgPath, []wantErr{{9, "topics_file", "cannot read the topic profile"}})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not wrap fs.ErrNotExist", err)
	}

	// Errors in the topics file name that file, after the config file's.
	bad := filepath.Join(dir, "bad-topics.yaml")
	if err := os.WriteFile(bad, []byte("threshold: 2\nterms:\n  - {term: x}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Parse(cfgPath, []byte("contact: x@example.no\ntopics_file: bad-topics.yaml\nsources: []\n"))
	var list Errors
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want two errors, got %v", err)
	}
	if list[0].File != cfgPath || list[0].Line != 3 || list[1].File != bad || list[1].Line != 3 || list[1].Field != "terms[0].weight" {
		t.Errorf("errors = %q, %q", list[0], list[1])
	}
}

func TestLoad(t *testing.T) {
	cfg, err := Load("")
	if err != nil || cfg.File != EmbeddedSources {
		t.Fatalf("Load(\"\") = %v, %v", cfg, err)
	}
	_, err = Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v", err)
	}
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte(head+"parallel: 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path)
	if err == nil || err.Error() != path+":9: parallel: 0 is out of range (valid: 1 to 64)" {
		t.Errorf("Load error = %v", err)
	}
}

func TestValidateAfterChange(t *testing.T) {
	in := head + "  - id: two\n    name: Two\n    organisation: O\n    region: norway\n    kind: feed\n    url: https://two.example.no/\n"
	cfg, err := Parse("sources.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	// Keep only the second source, as --only does, then break it: the
	// message still names the line it came from.
	cfg.Sources = cfg.Sources[1:]
	cfg.Sources[0].URLs = []string{"two.example.no"}
	checkErrors(t, cfg.Validate(), "sources.yaml", []wantErr{{14, "sources[1].url", `"two.example.no" is not an absolute http(s) URL`}})

	// A source added in code has no line.
	cfg.Sources = append(cfg.Sources, watcher.Source{ID: "new", Name: "New", Organisation: "O", Region: "norway", Kind: "feed",
		URLs: []string{"https://new.example.no/"}, Schedule: "daily", MaxPages: 0, MaxItemPages: 1})
	checkErrors(t, cfg.Validate(), "sources.yaml", []wantErr{
		{14, "sources[1].url", "not an absolute"},
		{0, "sources[1].max_pages", "must be at least 1, got 0"},
	})
}

func TestValidateWithoutPositions(t *testing.T) {
	cfg := defaults()
	cfg.Contact = "kom@example.no"
	cfg.Sources = []watcher.Source{{ID: "a", Name: "A", Organisation: "O", Region: "norway", Kind: "feed",
		URLs: []string{"https://a.example.no/"}, Schedule: "daily", MaxPages: 1, MaxItemPages: 1}}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("valid config built in code: %v", err)
	}
	cfg.Parallel = 0
	err := cfg.Validate()
	if err == nil || err.Error() != "parallel: 0 is out of range (valid: 1 to 64)" {
		t.Errorf("error = %v", err)
	}
}

func TestCheckKinds(t *testing.T) {
	in := head + "  - id: two\n    name: Two\n    organisation: O\n    region: norway\n    kind: fead\n    url: https://two.example.no/\n" +
		"  - id: three\n    name: Three\n    organisation: O\n    region: international\n    kind: europol\n    url: https://three.example.no/\n"
	cfg, err := Parse("sources.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckKinds([]string{"feed", "html", "page", "europol"}); err == nil {
		t.Fatal("no error for kind fead")
	} else {
		checkErrors(t, err, "sources.yaml", []wantErr{{13, "sources[1].kind", `unknown kind "fead" (valid: feed, html, page, europol; did you mean "feed"?)`}})
	}
	checkErrors(t, cfg.CheckKinds([]string{"feed"}), "sources.yaml", []wantErr{
		{13, "sources[1].kind", `unknown kind "fead" (valid: feed; did you mean "feed"?)`},
		{19, "sources[2].kind", `unknown kind "europol" (valid: feed)`},
	})
	if err := cfg.CheckKinds([]string{"feed", "fead", "europol"}); err != nil {
		t.Errorf("all kinds valid: %v", err)
	}
}

func TestUserAgentString(t *testing.T) {
	tests := []struct {
		ua, contact, want string
	}{
		{"watcher/0.1", "mailto:kom@example.no", "watcher/0.1 (+mailto:kom@example.no; source monitoring for a national coordination unit against human trafficking)"},
		{"watcher/0.1", "kom@example.no", "watcher/0.1 (+mailto:kom@example.no; source monitoring for a national coordination unit against human trafficking)"},
		{"kom-watcher/2", "https://kom.example.no/robot", "kom-watcher/2 (+https://kom.example.no/robot; source monitoring for a national coordination unit against human trafficking)"},
		{"", "", "watcher/0.1 (source monitoring for a national coordination unit against human trafficking)"},
	}
	for _, tc := range tests {
		c := &Config{UserAgent: tc.ua, Contact: tc.contact}
		if got := c.UserAgentString(); got != tc.want {
			t.Errorf("UserAgentString(%q, %q) = %q, want %q", tc.ua, tc.contact, got, tc.want)
		}
	}
}

func TestContactIsPlaceholder(t *testing.T) {
	tests := map[string]bool{
		PlaceholderContact:                 true,
		"mailto:someone@example.com":       true,
		"https://www.example.net/contact":  true,
		"ops@watcher.example":              true,
		"mailto:kom@politiet.no":           false,
		"https://kom.politiet.no/kontakt":  false,
		"mailto:admin@notexample.org":      false,
		"mailto:admin@example.org.invalid": true,
	}
	for contact, want := range tests {
		c := &Config{Contact: contact}
		if got := c.ContactIsPlaceholder(); got != want {
			t.Errorf("ContactIsPlaceholder(%q) = %v, want %v", contact, got, want)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{File: "sources.yaml", Line: 42, Field: "sources[3].kind", Msg: "bad"}, "sources.yaml:42: sources[3].kind: bad"},
		{Error{File: "sources.yaml", Line: 7, Msg: "bad"}, "sources.yaml:7: bad"},
		{Error{File: "sources.yaml", Field: "contact", Msg: "bad"}, "sources.yaml: contact: bad"},
		{Error{Field: "contact", Msg: "bad"}, "contact: bad"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	list := Errors{{File: "a", Line: 2, Msg: "x"}, {File: "a", Line: 1, Msg: "y"}, {File: "b", Line: 1, Msg: "z"}, {File: "a", Line: 1, Msg: "y"}}
	if got, want := list.sorted().Error(), "a:1: y\na:2: x\nb:1: z"; got != want {
		t.Errorf("sorted = %q, want %q", got, want)
	}
	var one *Error
	if !errors.As(error(list), &one) || one.Msg != "x" {
		t.Errorf("errors.As does not reach the first *Error: %v", one)
	}
}

func TestExactMessage(t *testing.T) {
	_, err := Parse("sources.yaml", []byte(head+"    kind: feed\n"))
	if err == nil || err.Error() != `sources.yaml:9: sources[0]: duplicate key "kind" (first at line 7)` {
		t.Errorf("error = %v", err)
	}
}

func TestCron(t *testing.T) {
	tests := map[string]string{
		"0 6 * * *":              "",
		"*/15 0-23/2 1,15 * 1-5": "",
		"0 6 * jan-dec mon":      "",
		"30 5 * * 7":             "",
		"0 6 * * 8":              `day of week field "8": "8" is not a value from 0 to 7`,
		"0 6 32 * *":             `day of month field "32"`,
		"0 6 * 0 *":              `month field "0"`,
		"0 6 * * 5-1":            `range "5-1" runs backwards`,
		"0 6 * * * *":            "this one has 6",
		"0 6 * * x":              `"x" is not a value from 0 to 7`,
		"0 6 * * */0":            `bad step "0"`,
		"":                       "this one has 0",
	}
	for expr, want := range tests {
		err := checkCron(expr)
		switch {
		case want == "" && err != nil:
			t.Errorf("checkCron(%q) = %v", expr, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("checkCron(%q) = %v, want %q", expr, err, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	valid := []string{"user_agent", "contact", "host_delay", "timeout"}
	tests := map[string]string{
		"hostdelay":  "host_delay",
		"Host-Delay": "host_delay",
		"contatc":    "contact",
		"timeuot":    "timeout",
		"colour":     "",
		"":           "",
	}
	for got, want := range tests {
		if s := suggest(got, valid); s != want {
			t.Errorf("suggest(%q) = %q, want %q", got, s, want)
		}
	}
}

// TestKeysCoverTypes keeps the decoder's key lists in step with the types:
// a field added to a type without a key the decoder reads fails here.
func TestKeysCoverTypes(t *testing.T) {
	tests := []struct {
		typ  any
		tag  string
		keys []string
	}{
		{Config{}, "yaml", topKeys},
		{Alerts{}, "yaml", alertKeys},
		{Channel{}, "yaml", allChannelKeys},
		{Digest{}, "yaml", digestKeys},
		{Section{}, "yaml", sectionKeys},
		{Serve{}, "yaml", serveKeys},
		{watcher.Source{}, "json", sourceKeys},
		{watcher.Selectors{}, "json", selectorKeys},
	}
	for _, tc := range tests {
		typ := reflect.TypeOf(tc.typ)
		for i := range typ.NumField() {
			f := typ.Field(i)
			key, _, _ := strings.Cut(f.Tag.Get(tc.tag), ",")
			if !f.IsExported() || key == "-" || key == "" {
				continue
			}
			if !slices.Contains(tc.keys, key) {
				t.Errorf("%s.%s: key %q is not read from the file", typ.Name(), f.Name, key)
			}
		}
	}
}

// TestSourceLocation: a source's own zone wins, an empty or unknown one
// falls back to the configured zone, and an unknown configured zone to
// UTC; a zone asked for again is the same loaded *time.Location.
func TestSourceLocation(t *testing.T) {
	tests := map[string]struct {
		cfg, src, want string
	}{
		"configured zone":       {"Europe/Oslo", "", "Europe/Oslo"},
		"source's own zone":     {"Europe/Oslo", "America/New_York", "America/New_York"},
		"source's zone unknown": {"Europe/Oslo", "Nowhere/City", "Europe/Oslo"},
		"configured unknown":    {"Nowhere/City", "", "UTC"},
		"UTC":                   {"UTC", "", "UTC"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := &Config{TimeZone: tc.cfg}
			src := watcher.Source{ID: "s", TimeZone: tc.src}
			first := c.SourceLocation(src)
			if first.String() != tc.want {
				t.Errorf("SourceLocation = %s, want %s", first, tc.want)
			}
			if again := c.SourceLocation(src); again != first {
				t.Errorf("second SourceLocation is a new %p, want the loaded %p", again, first)
			}
		})
	}
}
