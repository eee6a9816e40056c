package web

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"watcher"
	"watcher/digest"
)

// chromiumPath finds the browser. The test is skipped only when there is
// none and CI is not "true": in CI it must run (.ci/run installs Debian's
// chromium package).
func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed, and CI=true: the browser test must run (apt-get install chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium); the browser test runs in CI")
	return ""
}

// press types keys as a person does: each key's keydown carries its text,
// so the browser makes the character itself and, as in a real keyboard,
// a page that cancels the keydown (a shortcut) gets no character from it.
// (chromedp.KeyEvent sends the character as a separate event that a
// cancelled keydown cannot stop.)
func press(keys string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range keys {
			evs := kb.Encode(r)
			down, up := *evs[0], *evs[len(evs)-1]
			if len(evs) == 3 {
				down.Text, down.UnmodifiedText = evs[1].Text, evs[1].UnmodifiedText
			}
			for _, ev := range []input.DispatchKeyEventParams{down, up} {
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, ev); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// sectionView is one section of the rendered draft as the browser shows it.
type sectionView struct {
	Title    string   `json:"title"`
	Headings []string `json:"headings"`
}

// readDraftJS reads the digest document: each h2 with the bold headings of
// the entries up to the next h2.
const readDraftJS = `Array.from(document.querySelectorAll('h2')).map(function (h) {
  var out = [];
  for (var n = h.nextElementSibling; n && n.tagName !== 'H2'; n = n.nextElementSibling) {
    var entries = n.matches('.entry') ? [n] : Array.from(n.querySelectorAll('.entry'));
    entries.forEach(function (e) { var s = e.querySelector('strong'); if (s) { out.push(s.textContent); } });
  }
  return {title: h.textContent, headings: out};
})`

// TestBrowserReviewFlow drives headless Chromium through the editor's
// quarter: the queue shows a crawled title with <script> as text, two
// items are included in sections (one by mouse, one with the keyboard),
// one is excluded with a reason (keyboard), one heading is edited
// (keyboard), and the preview shows exactly those changes. No script from
// crawled text runs: no dialog opens.
func TestBrowserReviewFlow(t *testing.T) {
	chromium := chromiumPath(t)
	f := newFixture(t, fixtureOpts{})
	profile, err := os.MkdirTemp("", "watcher-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Chromium's helpers may still write for a moment after it exits.
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1400, 1000),
	)
	// The whole test, browser start included, must end within a minute.
	guard, stop := context.WithTimeout(context.Background(), 60*time.Second)
	defer stop()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(guard, opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()

	var dialogs atomic.Int32
	events := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range events {
			if err != nil {
				return
			}
			dialogs.Add(1)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()

	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// navigating runs steps that load a new page (a form post and its
	// redirect) and waits for the load.
	navigating := func(what string, step chromedp.Action[chromedp.Void]) {
		t.Helper()
		resp, err := chromedp.RunResponse(ctx, step)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if resp.Status != 200 {
			t.Fatalf("%s: page status %d", what, resp.Status)
		}
	}
	row := func(key string) string { return `tr.row[data-key="` + key + `"]` }
	queue := f.ts.URL + "/?period=2026Q3"

	// The queue, with the crawled <script> title shown as text.
	run("open the queue", chromedp.Navigate(queue), chromedp.WaitVisible(chromedp.CSS(row(keyScript))))
	title, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(row(keyScript)+" a.item-link")))
	if err != nil {
		t.Fatal(err)
	}
	if title != scriptTitle {
		t.Fatalf("the crawled title shows as %q, want the text %q", title, scriptTitle)
	}
	scripts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.scripts).map(function (s) { return s.src; })`))
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) != 1 || !strings.HasSuffix(scripts[0], "/static/app.js") {
		t.Fatalf("scripts on the page: %v, want only /static/app.js", scripts)
	}
	// The stylesheet loaded under the CSP.
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('header.top')).backgroundColor`))
	if err != nil {
		t.Fatal(err)
	}
	if bg != "rgb(246, 248, 250)" {
		t.Errorf("header background %q: the stylesheet did not load", bg)
	}

	// Include the hearing in the Norwegian section, with the mouse.
	run("choose a section", chromedp.SetValue(chromedp.CSS(row(keyHearing)+" select[name=section]"), "norske"))
	navigating("include the hearing", chromedp.Click(chromedp.CSS(row(keyHearing)+" button.do-include")))
	run("the hearing left the queue", chromedp.WaitNotPresent(chromedp.CSS(row(keyHearing))))

	// Include the global report in "Verdt å merke seg" with j and i. It
	// is now the first row (highest score).
	run("choose a section", chromedp.SetValue(chromedp.CSS(row(keyGlobal)+" select[name=section]"), "verdt"),
		chromedp.Blur(chromedp.CSS(row(keyGlobal)+" select[name=section]")))
	run("j selects the first row", press("j"), chromedp.WaitVisible(chromedp.CSS(row(keyGlobal)+".current")))
	navigating("i includes it", press("i"))
	run("the report left the queue", chromedp.WaitNotPresent(chromedp.CSS(row(keyGlobal))))

	// Edit the Norwegian report's heading with j, e and Enter.
	run("j selects the report", press("j"), chromedp.WaitVisible(chromedp.CSS(row(keyReport)+".current")))
	run("e opens the editor", press("e"), chromedp.WaitVisible(chromedp.CSS(row(keyReport)+" input.heading-input")))
	navigating("type a heading", press("Tvangsarbeid i Norge: ny rapport"+kb.Enter))

	// Exclude the campaign with j, j, x and a reason.
	run("j j selects the campaign", press("jj"), chromedp.WaitVisible(chromedp.CSS(row(keyScript)+".current")))
	run("x focuses the reason", press("x"))
	navigating("type a reason", press("Kampanje, ikke ny kunnskap"+kb.Enter))
	run("the campaign left the queue", chromedp.WaitNotPresent(chromedp.CSS(row(keyScript))))

	// The store holds the same decisions the CLI would write.
	want := map[string]watcher.Decision{
		keyHearing: {State: watcher.DecisionInclude, Section: "norske"},
		keyGlobal:  {State: watcher.DecisionInclude, Section: "verdt"},
		keyReport:  {Heading: "Tvangsarbeid i Norge: ny rapport"},
		keyScript:  {State: watcher.DecisionExclude, Reason: "Kampanje, ikke ny kunnskap"},
	}
	ds := must(f.store.Decisions("2026Q3"))
	if len(ds) != len(want) {
		t.Fatalf("%d decisions stored, want %d: %+v", len(ds), len(want), ds)
	}
	for _, d := range ds {
		w := want[d.Key]
		if d.State != w.State || d.Section != w.Section || d.Heading != w.Heading || d.Reason != w.Reason {
			t.Errorf("decision on %s: %+v, want %+v", d.Key, d, w)
		}
	}

	// The preview page frames the draft in a sandbox; the draft shows
	// exactly those changes.
	run("open the preview", chromedp.Navigate(f.ts.URL+"/preview?period=2026Q3"), chromedp.WaitVisible(chromedp.ID("preview")))
	frame, err := chromedp.Run(ctx, chromedp.Attributes(chromedp.ID("preview")))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := frame["sandbox"]; !ok || frame["sandbox"] != "" {
		t.Errorf("preview frame attributes %v: want an empty sandbox (no scripts, opaque origin)", frame)
	}
	run("open the draft document", chromedp.Navigate(f.ts.URL+frame["src"]), chromedp.WaitVisible(chromedp.CSS("h1")))
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]sectionView](readDraftJS))
	if err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	headings := func(title string) []string {
		for _, s := range shown {
			if s.Title == title {
				return s.Headings
			}
		}
		t.Errorf("the preview has no section %q", title)
		return nil
	}
	if h := headings("Aktuelle norske tiltak, rapporter og forskning"); !slices.Contains(h, "Høring om endringer i straffeloven om menneskehandel") ||
		!slices.Contains(h, "Tvangsarbeid i Norge: ny rapport") {
		t.Errorf("the Norwegian section shows %q, want the included hearing and the report under its new heading", h)
	}
	if h := headings("Verdt å merke seg"); !slices.Equal(h, []string{"Global Report on Trafficking in Persons 2026"}) {
		t.Errorf("\"Verdt å merke seg\" shows %q, want the included global report only", h)
	}
	if strings.Contains(text, "UNODC lanserer kampanje") {
		t.Error("the excluded campaign is in the preview")
	}
	if h := headings("Aktuelle norske tiltak, rapporter og forskning"); slices.Contains(h, "Rapport om tvangsarbeid i Norge") {
		t.Error("the report's old heading is still a heading in the preview")
	}
	// And section by section it is the draft the digest package builds.
	in := must(digest.Load(f.store, f.cfg, must(digest.QuarterPeriod("2026Q3", oslo)), testNow))
	for _, sec := range digest.Build(in).Sections {
		var hs []string
		for _, e := range sec.Entries {
			hs = append(hs, e.Heading)
		}
		for _, g := range sec.Groups {
			for _, e := range g.Entries {
				hs = append(hs, e.Heading)
			}
		}
		if got := headings(sec.Title); !slices.Equal(got, hs) {
			t.Errorf("section %q shows %q, the digest has %q", sec.Title, got, hs)
		}
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d JavaScript dialogs opened: crawled text ran as script", n)
	}
}
