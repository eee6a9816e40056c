package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/runner"
)

// checkReport is what `watcher check` prints (and emits with --json).
type checkReport struct {
	Source    watcher.Source   `json:"source"`
	Replay    []string         `json:"replay,omitempty"` // the WARC files that answered
	Robots    []robotsDecision `json:"robots"`
	Responses []seenResponse   `json:"responses"`
	Items     []watcher.Item   `json:"items"`
	Count     int              `json:"count"`
	Problems  []string         `json:"problems"`
	Error     string           `json:"error,omitempty"`
	ErrClass  watcher.ErrClass `json:"err_class,omitempty"`
}

type robotsDecision struct {
	URL     string `json:"url"`
	Allowed bool   `json:"allowed"`
	Error   string `json:"error,omitempty"`
}

type seenResponse struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	Status int    `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
}

// recorder keeps every answer the check's fetcher got (fetch.Options.Observe).
type recorder struct {
	mu   sync.Mutex
	seen []seenResponse
}

func (r *recorder) observe(method, url string, status int, err error) {
	s := seenResponse{Method: method, URL: url, Status: status}
	if err != nil {
		s.Error = err.Error()
	}
	r.mu.Lock()
	r.seen = append(r.seen, s)
	r.mu.Unlock()
}

func (r *recorder) responses() []seenResponse {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seenResponse(nil), r.seen...)
}

// checkFetcher returns the Fetcher of a check. Live, it is as polite as a
// run (host delays, retries); with replay files it answers from them at
// once. Either way rec sees every answer.
func (m *Main) checkFetcher(src watcher.Source, replay []string, rec *recorder) (*fetch.Fetcher, error) {
	cfg := m.Config
	f, err := fetch.New(fetch.Options{
		UserAgent: cfg.UserAgentString(), HostDelay: cfg.HostDelay, Timeout: cfg.Timeout,
		BodyCap: cfg.BodyCap, MaxRetries: 1, Replay: replay, Observe: rec.observe, Now: m.Now, Log: m.Log,
	})
	if err != nil {
		return nil, fmt.Errorf("fetcher: %w", err)
	}
	if len(replay) == 0 && src.Delay > 0 {
		for _, u := range src.URLs {
			if h := hostOfURL(u); h != "" {
				f.SetHostDelay(h, src.Delay)
			}
		}
	}
	return f, nil
}

func cmdCheck(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("check", "SOURCE")
	var replay stringList
	fs.Var(&replay, "replay", "answer requests from this WARC file instead of the network (repeatable)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	show := fs.Int("show", 5, "print every field of this many items")
	ids, err := parseInterspersed(m, fs, args)
	if err != nil {
		return err
	}
	if len(ids) != 1 {
		return fmt.Errorf("%w: check takes one source id, got %d: %s", errUsage, len(ids), strings.Join(ids, " "))
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	srcs, err := runner.Select(m.Config, ids)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	src := srcs[0]
	rec := &recorder{}
	f, err := m.checkFetcher(src, replay, rec)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, cerr := checkSource(ctx, m, f, src)
	rep.Replay = replay
	rep.Responses = rec.responses()
	if *asJSON {
		if err := writeJSON(m.Stdout, rep); err != nil {
			return err
		}
	} else {
		printCheck(m.Stdout, rep, *show, m.Config.Location(), m.Config.SourceLocation(src))
	}
	if cerr != nil {
		return fmt.Errorf("source %s: %w", src.ID, cerr)
	}
	return nil
}

// checkSource asks robots.txt about the source's URLs and crawls it once
// as if nothing were stored.
func checkSource(ctx context.Context, m *Main, f *fetch.Fetcher, src watcher.Source) (checkReport, error) {
	rep := checkReport{Source: src}
	for _, u := range src.URLs {
		ok, err := f.Allowed(ctx, u)
		d := robotsDecision{URL: u, Allowed: ok}
		if err != nil {
			d.Error = err.Error()
		}
		rep.Robots = append(rep.Robots, d)
	}
	kind, ok := crawlers.KindFor(src.Kind)
	if !ok {
		return rep, fmt.Errorf("source %s: unknown kind %q", src.ID, src.Kind)
	}
	env := &crawlers.Env{Fetch: f, Known: func(string) (watcher.Item, bool) { return watcher.Item{}, false },
		Now: m.Now, Loc: m.Config.SourceLocation(src), Log: m.Log.With("source", src.ID)}
	res, cerr := kind.Crawl(ctx, env, src)
	if res != nil {
		rep.Items = res.Items
		rep.Problems = res.Problems
	}
	for i := range rep.Items {
		if rep.Items[i].SourceID == "" {
			rep.Items[i].SourceID = src.ID
		}
	}
	rep.Count = len(rep.Items)
	if cerr != nil {
		rep.Error = cerr.Error()
		rep.ErrClass = crawlers.Classify(cerr)
	}
	return rep, cerr
}

// printCheck writes the report for a person: the source, robots.txt's
// decisions, every response, then the items field by field (times in loc;
// midnight in site, the source's zone, as that date), the problems and the
// error.
func printCheck(w io.Writer, rep checkReport, show int, loc, site *time.Location) {
	src := rep.Source
	dates := dateFormat{loc: loc, site: site}
	fmt.Fprintf(w, "source %s: %s (kind %s)\n", src.ID, src.Name, src.Kind)
	for _, u := range src.URLs {
		fmt.Fprintf(w, "  url     %s\n", u)
	}
	for _, f := range rep.Replay {
		fmt.Fprintf(w, "  replay  %s\n", f)
	}
	fmt.Fprintln(w, "\nrobots.txt:")
	if len(rep.Robots) == 0 {
		fmt.Fprintln(w, "  (not asked)")
	}
	for _, d := range rep.Robots {
		verdict := "allowed   "
		if !d.Allowed {
			verdict = "DISALLOWED"
		}
		fmt.Fprintf(w, "  %s %s%s\n", verdict, d.URL, suffix(": ", d.Error))
	}
	fmt.Fprintf(w, "\nresponses (%d):\n", len(rep.Responses))
	for _, r := range rep.Responses {
		if r.Error != "" {
			fmt.Fprintf(w, "  ERR %s %s: %s\n", r.Method, r.URL, r.Error)
			continue
		}
		fmt.Fprintf(w, "  %d %s %s\n", r.Status, r.Method, r.URL)
	}
	fmt.Fprintf(w, "\nitems: %d", rep.Count)
	if rep.Count > 0 {
		fmt.Fprintf(w, " (every field of the first %d; times in %s)", min(show, rep.Count), loc)
	}
	fmt.Fprintln(w)
	for i, it := range rep.Items {
		if i >= show {
			fmt.Fprintf(w, "\n… and %d more (--show N prints more)\n", len(rep.Items)-show)
			break
		}
		fmt.Fprintf(w, "\nitem %d\n", i+1)
		for _, f := range itemFields(it, dates) {
			printField(w, f.label, f.values)
		}
	}
	switch {
	case len(rep.Problems) == 0 && rep.Error != "":
		fmt.Fprintln(w, "\nproblems: none before the error below")
	case len(rep.Problems) == 0:
		fmt.Fprintln(w, "\nno problems: every selector and date matched")
	default:
		fmt.Fprintf(w, "\nproblems (%d):\n", len(rep.Problems))
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "  - %s\n", p)
		}
	}
	if rep.Error != "" {
		fmt.Fprintf(w, "\nerror (%s): %s\n", rep.ErrClass, rep.Error)
	}
}

// field is one labelled line (or several, for lists) of an item.
type field struct {
	label  string
	values []string
}

// fieldLabelWidth aligns the values of printCheck's item fields.
const fieldLabelWidth = 13

// textShown is how much of an item's page text printCheck shows.
const textShown = 240

func printField(w io.Writer, label string, values []string) {
	for i, v := range values {
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(w, "  %-*s %s\n", fieldLabelWidth, label, v)
	}
}

// itemFields lists an item's non-empty fields in reading order.
func itemFields(it watcher.Item, dates dateFormat) []field {
	var out []field
	add := func(label string, values ...string) {
		var vs []string
		for _, v := range values {
			if v = strings.TrimSpace(v); v != "" {
				vs = append(vs, v)
			}
		}
		if len(vs) > 0 {
			out = append(out, field{label, vs})
		}
	}
	add("key", it.Key)
	add("title", it.Title)
	add("url", it.URL)
	add("alt urls", it.AltURLs...)
	add("guid", it.GUID)
	add("kind", string(it.Kind)+suffix(" — site type: ", it.TypeRaw))
	add("organisation", it.Organisation)
	add("ministries", strings.Join(it.Ministries, "; "))
	add("region", string(it.Region))
	add("language", it.Language)
	add("tags", strings.Join(it.Tags, "; "))
	add("published", dates.format(it.Published))
	add("updated", dates.format(it.Updated))
	add("deadline", dates.format(it.Deadline))
	if it.Status != watcher.StatusNone || it.StatusRaw != "" {
		add("status", string(it.Status)+suffix(" — site text: ", it.StatusRaw))
	}
	add("reference", it.Reference)
	if it.Consultees > 0 {
		add("consultees", fmt.Sprint(it.Consultees))
	}
	add("response url", it.ResponseURL)
	var atts []string
	for _, a := range it.Attachments {
		atts = append(atts, a.Name+" <"+a.URL+">")
	}
	add("attachments", atts...)
	if ev := it.Event; ev != nil {
		add("event start", dates.format(ev.Start))
		add("event end", dates.format(ev.End))
		add("event place", ev.Place)
		add("event signup", ev.SignupURL)
	}
	add("summary", it.Summary)
	add("text", shorten(it.Text, textShown))
	keys := make([]string, 0, len(it.Meta))
	for k := range it.Meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var meta []string
	for _, k := range keys {
		meta = append(meta, k+" = "+it.Meta[k])
	}
	add("meta", meta...)
	return out
}

// dateFormat shows the item's times to a person in Oslo (loc). A time at
// midnight where the site is (site) is a calendar date and shows as that
// date; any other time shows with its clock, in loc.
type dateFormat struct{ loc, site *time.Location }

func (d dateFormat) format(t time.Time) string {
	switch {
	case t.IsZero():
		return ""
	case t.In(d.site).Hour() == 0 && t.In(d.site).Minute() == 0:
		return t.In(d.site).Format("2006-01-02")
	}
	return t.In(d.loc).Format("2006-01-02 15:04")
}

// shorten cuts s to about n characters on one line, saying how long it was.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + fmt.Sprintf("… (%d characters)", len(r))
}

// suffix is sep+s, or "" when s is empty.
func suffix(sep, s string) string {
	if s == "" {
		return ""
	}
	return sep + s
}
