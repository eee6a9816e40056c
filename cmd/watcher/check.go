package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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
	Status int    `json:"status"`
	Error  string `json:"error,omitempty"`
}

// recorder is a base transport that notes every response the fetcher gets.
type recorder struct {
	mu   sync.Mutex
	base http.RoundTripper
	seen []seenResponse
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	s := seenResponse{Method: req.Method, URL: req.URL.String()}
	if err != nil {
		s.Error = err.Error()
	} else {
		s.Status = resp.StatusCode
	}
	r.mu.Lock()
	r.seen = append(r.seen, s)
	r.mu.Unlock()
	return resp, err
}

func cmdCheck(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("check", "SOURCE")
	var replay stringList
	fs.Var(&replay, "replay", "answer requests from this WARC file instead of the network (repeatable)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	show := fs.Int("show", 5, "print every field of this many items")
	if err := m.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: check takes one source id", errUsage)
	}
	if err := m.loadConfig(); err != nil {
		return err
	}
	srcs, err := runner.Select(m.Config, []string{fs.Arg(0)})
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	src := srcs[0]
	rep := checkReport{Source: src}
	rec := &recorder{base: http.DefaultTransport}
	cfg := m.Config
	f, err := fetch.New(fetch.Options{
		UserAgent: cfg.UserAgentString(), HostDelay: cfg.HostDelay, Timeout: cfg.Timeout,
		BodyCap: cfg.BodyCap, MaxRetries: 1, Replay: replay, Transport: rec, Now: m.Now, Log: m.Log,
	})
	if err != nil {
		return fmt.Errorf("fetcher: %w", err)
	}
	defer f.Close()
	if src.Delay > 0 {
		for _, u := range src.URLs {
			if h := hostOfURL(u); h != "" {
				f.SetHostDelay(h, src.Delay)
			}
		}
	}
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
		return fmt.Errorf("source %s: unknown kind %q", src.ID, src.Kind)
	}
	env := &crawlers.Env{Fetch: f, Known: func(string) (watcher.Item, bool) { return watcher.Item{}, false },
		Now: m.Now, Loc: cfg.SourceLocation(src), Log: m.Log.With("source", src.ID)}
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
	rec.mu.Lock()
	rep.Responses = append([]seenResponse(nil), rec.seen...)
	rec.mu.Unlock()
	if *asJSON {
		if err := writeJSON(m.Stdout, rep); err != nil {
			return err
		}
	} else {
		printCheck(m.Stdout, rep, *show, cfg.Location())
	}
	if cerr != nil {
		return fmt.Errorf("source %s: %w", src.ID, cerr)
	}
	return nil
}

func printCheck(w io.Writer, rep checkReport, show int, loc *time.Location) {
	fmt.Fprintf(w, "source %s (%s, kind %s)\n", rep.Source.ID, rep.Source.Name, rep.Source.Kind)
	for _, d := range rep.Robots {
		verdict := "allowed"
		if !d.Allowed {
			verdict = "DISALLOWED"
		}
		fmt.Fprintf(w, "robots.txt: %s %s %s\n", verdict, d.URL, d.Error)
	}
	for _, r := range rep.Responses {
		if r.Error != "" {
			fmt.Fprintf(w, "response: %s %s: %s\n", r.Method, r.URL, r.Error)
			continue
		}
		fmt.Fprintf(w, "response: %d %s %s\n", r.Status, r.Method, r.URL)
	}
	fmt.Fprintf(w, "items: %d\n", rep.Count)
	for i, it := range rep.Items {
		if i >= show {
			fmt.Fprintf(w, "… and %d more\n", len(rep.Items)-show)
			break
		}
		b, _ := json.MarshalIndent(it, "  ", "  ")
		fmt.Fprintf(w, "\n  item %d:\n  %s\n", i+1, b)
	}
	if len(rep.Problems) == 0 {
		fmt.Fprintln(w, "\nproblems: none (every selector and date matched)")
	} else {
		fmt.Fprintf(w, "\nproblems (%d):\n", len(rep.Problems))
		for _, p := range rep.Problems {
			fmt.Fprintln(w, "  -", p)
		}
	}
	if rep.Error != "" {
		fmt.Fprintf(w, "error (%s): %s\n", rep.ErrClass, rep.Error)
	}
	_ = loc
}
