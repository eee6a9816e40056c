package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/digest"
	"watcher/state"
)

func TestQueueViews(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	c.submit("/decide", url.Values{"period": {"2026Q3"}, "key": {keyReport}, "action": {"exclude"}, "reason": {"Dekket i forrige nummer"}})
	tests := map[string]struct {
		view          string
		want, notWant []string
	}{
		"queue holds the undecided relevant items": {
			view: "todo",
			want: []string{"Høring om endringer i straffeloven", "Global Report on Trafficking", "UNODC lanserer kampanje",
				"menneskehandel", // a matched term
				"Regjeringen – høringer", "10. juli 2026", "15. september 2026", "8.5", "I utkastet: Aktuelle norske tiltak"},
			notWant: []string{"Rapport om tvangsarbeid", "World Drug Report"},
		},
		"excluded shows the reason": {
			view: "excluded", want: []string{"Rapport om tvangsarbeid", "Dekket i forrige nummer"},
			notWant: []string{"Global Report"},
		},
		"all holds the irrelevant too": {
			view: "all", want: []string{"World Drug Report", "Rapport om tvangsarbeid", "Global Report"},
		},
		"draft lists the sections in order": {
			view: "draft", want: []string{"Egne publikasjoner", "Arrangementer", "UNODC:", "Flytt opp"},
			notWant: []string{"Rapport om tvangsarbeid"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			res := c.get("/?period=2026Q3&view=" + tc.view)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(res.Body, w) {
					t.Errorf("shows %q", w)
				}
			}
		})
	}
	// The default period is the current quarter; a bad one is refused.
	if body := c.get("/").Body; !strings.Contains(body, "juli–september 2026") {
		t.Error("/ does not show the current quarter")
	}
	if res := c.get("/?period=2026Q9"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad period: %d", res.StatusCode)
	}
}

// TestDecideActions: each action on the queue stores the same
// watcher.Decision the CLI writes, keeping the fields other actions set.
func TestDecideActions(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	post := func(form url.Values) string {
		form.Set("period", "2026Q3")
		form.Set("key", keyGlobal)
		return c.submit("/decide", form)
	}
	steps := []struct {
		form    url.Values
		wantMsg string
		want    watcher.Decision
	}{
		{url.Values{"action": {"edit"}, "heading": {"  Ny global rapport  "}, "text": {"Første avsnitt.\r\n\r\nAndre."}}, "saved",
			watcher.Decision{Heading: "Ny global rapport", Text: "Første avsnitt.\n\nAndre."}},
		{url.Values{"action": {"include"}, "section": {"verdt"}}, "saved",
			watcher.Decision{State: watcher.DecisionInclude, Section: "verdt", Heading: "Ny global rapport", Text: "Første avsnitt.\n\nAndre."}},
		{url.Values{"action": {"include"}, "section": {"nope"}}, "bad-section",
			watcher.Decision{State: watcher.DecisionInclude, Section: "verdt", Heading: "Ny global rapport", Text: "Første avsnitt.\n\nAndre."}},
		{url.Values{"action": {"exclude"}, "reason": {"  "}}, "no-reason",
			watcher.Decision{State: watcher.DecisionInclude, Section: "verdt", Heading: "Ny global rapport", Text: "Første avsnitt.\n\nAndre."}},
		{url.Values{"action": {"exclude"}, "reason": {"For generell"}}, "saved",
			watcher.Decision{State: watcher.DecisionExclude, Section: "verdt", Reason: "For generell", Heading: "Ny global rapport", Text: "Første avsnitt.\n\nAndre."}},
		{url.Values{"action": {"same"}, "same_as": {keyScript}}, "saved",
			watcher.Decision{State: watcher.DecisionExclude, Section: "verdt", Reason: "For generell", Heading: "Ny global rapport", Text: "Første avsnitt.\n\nAndre.", SameAs: keyScript}},
		{url.Values{"action": {"same"}, "same_as": {keyGlobal}}, "same-self",
			watcher.Decision{State: watcher.DecisionExclude, Section: "verdt", Reason: "For generell", Heading: "Ny global rapport", Text: "Første avsnitt.\n\nAndre.", SameAs: keyScript}},
		{url.Values{"action": {"frobnicate"}}, "bad-action",
			watcher.Decision{State: watcher.DecisionExclude, Section: "verdt", Reason: "For generell", Heading: "Ny global rapport", Text: "Første avsnitt.\n\nAndre.", SameAs: keyScript}},
	}
	for i, st := range steps {
		if msg := post(st.form); msg != st.wantMsg {
			t.Fatalf("step %d %v: msg %q, want %q", i, st.form, msg, st.wantMsg)
		}
		got, ok := f.decision(keyGlobal)
		if !ok {
			t.Fatalf("step %d: no decision stored", i)
		}
		st.want.Period, st.want.Key, st.want.At = "2026Q3", keyGlobal, testNow
		if !got.At.Equal(st.want.At) {
			t.Errorf("step %d: At %s", i, got.At)
		}
		got.At = st.want.At
		if !equalDecision(got, st.want) {
			t.Errorf("step %d: decision\n%+v\nwant\n%+v", i, got, st.want)
		}
	}
	if msg := post(url.Values{"action": {"reset"}}); msg != "reset" {
		t.Fatalf("reset: %q", msg)
	}
	if _, ok := f.decision(keyGlobal); ok {
		t.Error("reset left the decision")
	}
	form := url.Values{"csrf": {c.csrf()}, "period": {"2026Q3"}, "key": {"nope:1"}, "action": {"reset"}}
	if res := c.post("/decide", form); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown key: %d", res.StatusCode)
	}
}

func equalDecision(a, b watcher.Decision) bool {
	return a.Period == b.Period && a.Key == b.Key && a.State == b.State && a.Section == b.Section &&
		a.Heading == b.Heading && a.Text == b.Text && a.URL == b.URL && a.Reason == b.Reason &&
		a.Order == b.Order && a.SameAs == b.SameAs && a.At.Equal(b.At)
}

func TestBulkActions(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	bulk := func(action string, keys []string, extra url.Values) string {
		form := url.Values{"period": {"2026Q3"}, "action": {action}, "key": keys}
		for k, v := range extra {
			form[k] = v
		}
		return c.submit("/bulk", form)
	}
	if msg := bulk("include", []string{keyHearing, keyReport}, url.Values{"section": {"norske"}}); msg != "bulk" {
		t.Fatalf("bulk include: %q", msg)
	}
	for _, k := range []string{keyHearing, keyReport} {
		if d, _ := f.decision(k); d.State != watcher.DecisionInclude || d.Section != "norske" {
			t.Errorf("%s: %+v", k, d)
		}
	}
	if msg := bulk("exclude", []string{keyDrugs, keyScript}, url.Values{"reason": {"Ikke vårt felt"}}); msg != "bulk" {
		t.Fatalf("bulk exclude: %q", msg)
	}
	if d, _ := f.decision(keyDrugs); d.State != watcher.DecisionExclude || d.Reason != "Ikke vårt felt" {
		t.Errorf("%+v", d)
	}
	if msg := bulk("same", []string{keyGlobal}, nil); msg != "need-two" {
		t.Errorf("same with one item: %q", msg)
	}
	if msg := bulk("same", []string{keyGlobal, keyScript}, nil); msg != "bulk" {
		t.Fatalf("bulk same: %q", msg)
	}
	if d, _ := f.decision(keyScript); d.SameAs != keyGlobal || d.State != watcher.DecisionExclude {
		t.Errorf("the second is the same as the first, keeping its state: %+v", d)
	}
	if _, ok := f.decision(keyGlobal); ok {
		t.Error("the first of a same pair got a decision")
	}
	if msg := bulk("reset", []string{keyHearing, keyDrugs}, nil); msg != "bulk" {
		t.Fatalf("bulk reset: %q", msg)
	}
	for _, k := range []string{keyHearing, keyDrugs} {
		if _, ok := f.decision(k); ok {
			t.Errorf("%s kept its decision after reset", k)
		}
	}
	if msg := c.submit("/bulk", url.Values{"period": {"2026Q3"}, "action": {"reset"}}); msg != "none" {
		t.Errorf("nothing selected: %q", msg)
	}
}

// TestMoveReorders moves an entry in the international section's UNODC
// group and checks the draft's order and the stored positions.
func TestMoveReorders(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	p := must(digest.QuarterPeriod("2026Q3", oslo))
	order := func() []string {
		_, d, err := f.srv.loadDraft(p)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, e := range entryList(d, keyGlobal) {
			keys = append(keys, e.Key)
		}
		return keys
	}
	start := order()
	if len(start) != 2 {
		t.Fatalf("UNODC group %v, want two entries", start)
	}
	last := start[1]
	if msg := c.submit("/move", url.Values{"period": {"2026Q3"}, "key": {last}, "dir": {"up"}}); msg != "moved" {
		t.Fatalf("move: %q", msg)
	}
	if got, want := order(), []string{start[1], start[0]}; !slices.Equal(got, want) {
		t.Fatalf("after moving up: %v, want %v", got, want)
	}
	for i, k := range []string{start[1], start[0]} {
		if d, _ := f.decision(k); d.Order != i+1 || d.State != watcher.DecisionNone {
			t.Errorf("%s: order %d state %q, want order %d and no verdict", k, d.Order, d.State, i+1)
		}
	}
	// Moving the first up changes nothing.
	c.submit("/move", url.Values{"period": {"2026Q3"}, "key": {last}, "dir": {"up"}})
	if got := order(); got[0] != last {
		t.Errorf("moving the first up: %v", got)
	}
	if msg := c.submit("/move", url.Values{"period": {"2026Q3"}, "key": {keyDrugs}, "dir": {"up"}}); msg != "not-placed" {
		t.Errorf("moving an item not in the draft: %q", msg)
	}
}

func TestManualEntries(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	form := url.Values{"period": {"2026Q3"}, "section": {"aktiviteter"}, "heading": {"Fagdag om menneskehandel"},
		"text": {"Enheten holdt fagdag for politiet i Bergen."}, "url": {"https://www.example.no/fagdag"}, "order": {"2"}}
	if msg := c.submit("/manual", form); msg != "manual" {
		t.Fatalf("create: %q", msg)
	}
	var d watcher.Decision
	for _, x := range must(f.store.Decisions("2026Q3")) {
		if x.Manual() {
			d = x
		}
	}
	if !strings.HasPrefix(d.Key, manualPrefix) || d.State != watcher.DecisionInclude || d.Section != "aktiviteter" ||
		d.Heading != "Fagdag om menneskehandel" || d.URL != "https://www.example.no/fagdag" || d.Order != 2 {
		t.Fatalf("stored %+v", d)
	}
	if body := c.get("/preview/digest.html?period=2026Q3").Body; !strings.Contains(body, "Fagdag om menneskehandel") {
		t.Error("the manual entry is not in the draft")
	}
	form.Set("key", d.Key)
	form.Set("heading", "Fagdag i Bergen")
	if msg := c.submit("/manual", form); msg != "manual" {
		t.Fatalf("update: %q", msg)
	}
	if got := must(f.store.Decisions("2026Q3")); len(got) != 1 || got[0].Heading != "Fagdag i Bergen" {
		t.Fatalf("after update: %+v", got)
	}
	for name, bad := range map[string]url.Values{
		"no text":          {"text": {""}},
		"javascript link":  {"url": {"javascript:alert(1)"}},
		"unknown section":  {"section": {"nope"}},
		"not a manual key": {"key": {keyHearing}},
	} {
		g := url.Values{}
		for k, v := range form {
			g[k] = v
		}
		for k, v := range bad {
			g[k] = v
		}
		if msg := c.submit("/manual", g); msg == "manual" {
			t.Errorf("%s: accepted", name)
		}
	}
	// A refused link says what is wrong with it, not "unknown action".
	g := url.Values{}
	for k, v := range form {
		g[k] = v
	}
	g.Set("url", "javascript:alert(1)")
	if msg := c.submit("/manual", g); msg != "bad-url" {
		t.Errorf("javascript link: msg %q, want bad-url", msg)
	}
	if msg := c.submit("/manual/delete", url.Values{"period": {"2026Q3"}, "key": {d.Key}}); msg != "manual-del" {
		t.Fatalf("delete: %q", msg)
	}
	if got := must(f.store.Decisions("2026Q3")); len(got) != 0 {
		t.Errorf("after delete: %+v", got)
	}
}

// TestPreviewIsDigestRender: the preview and the downloads are exactly
// what the digest package renders for the period, as `watcher digest`.
func TestPreviewIsDigestRender(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	c.submit("/decide", url.Values{"period": {"2026Q3"}, "key": {keyGlobal}, "action": {"edit"}, "heading": {"Egen overskrift"}})
	p := must(digest.QuarterPeriod("2026Q3", oslo))
	for _, tc := range []struct {
		format, path string
		provenance   bool
	}{
		{"html", "/preview/digest.html?period=2026Q3", false},
		{"html", "/preview/digest.html?period=2026Q3&provenance=1", true},
		{"html", "/download?period=2026Q3&format=html", false},
		{"md", "/download?period=2026Q3&format=md", false},
		{"md", "/download?period=2026Q3&format=md&provenance=1", true},
	} {
		in, err := digest.Load(f.store, f.cfg, p, testNow)
		if err != nil {
			t.Fatal(err)
		}
		in.Provenance = tc.provenance
		want, err := digest.Render(digest.Build(in), tc.format, "")
		if err != nil {
			t.Fatal(err)
		}
		res := c.get(tc.path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, res.StatusCode)
		}
		if res.Body != string(want) {
			t.Errorf("%s differs from digest.Render", tc.path)
		}
		if !strings.Contains(res.Body, "Egen overskrift") {
			t.Errorf("%s lacks the edited heading", tc.path)
		}
	}
	res := c.get("/download?period=2026Q3&format=md")
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="nyhetsbrev-2026Q3.md"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if res := c.get("/download?period=2026Q3&format=pdf"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown format: %d", res.StatusCode)
	}
	page := c.get("/preview?period=2026Q3&provenance=1").Body
	if !strings.Contains(page, `<iframe class="preview" id="preview" title="Utkast til nyhetsbrev" sandbox src="/preview/digest.html?period=2026Q3&amp;provenance=1">`) {
		t.Error("the preview page does not frame the document in a sandbox")
	}
	// The page's own links lead to the same bytes.
	links := regexp.MustCompile(`(?:href|src)="(/(?:download|preview/digest\.html)\?[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(links) != 3 {
		t.Fatalf("%d preview and download links, want 3", len(links))
	}
	for _, l := range links {
		u := html.UnescapeString(l[1])
		res := c.get(u)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Egen overskrift") || !strings.Contains(res.Body, "2026") {
			t.Errorf("link %s: %d", u, res.StatusCode)
		}
	}
}

func TestItemPage(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	c := f.client()
	res := c.get("/item?key=" + url.QueryEscape(keyHearing))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		"Høring om endringer i straffeloven om menneskehandel",
		"Departementet foreslår endringer.",                   // summary
		"15. september 2026",                                  // deadline now
		"1. september 2026", "15. september 2026", "deadline", // the change history
		"horingsnotat.pdf", "Høringsnotat", // attachment
		"Regjeringen – høringer", "regjeringen-horinger", // provenance
		"1. august 2026 kl. 06:00",             // first seen
		"26/1234",                              // reference
		"menneskehandel", "… menneskehandel …", // relevance explanation
		"Ingen vurdering; reglene bestemmer",
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("item page lacks %q", want)
		}
	}
	if res := c.get("/item?key=nope"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown item: %d", res.StatusCode)
	}
}

func TestDeadlinesPage(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	body := f.client().get("/deadlines").Body
	for _, want := range []string{"15. september 2026", "om 31 dager", "Fristen ble flyttet", "1. september 2026 → 15. september 2026", "/calendar.ics"} {
		if !strings.Contains(body, want) {
			t.Errorf("deadlines page lacks %q", want)
		}
	}
	f.now = f.now.AddDate(0, 0, 24) // 8 September
	if body := f.client().get("/deadlines").Body; !strings.Contains(body, "om 7 dager") || !strings.Contains(body, `class="soon"`) {
		t.Error("a week before the deadline: no \"om 7 dager\" marked soon")
	}

	// A deadline given for the first time, or set to another hour of the
	// same day, is no move: only the one real move is shown.
	f.now = testNow
	first := watcher.Item{Key: "regjeringen:first", SourceID: "regjeringen-horinger", URL: "https://www.regjeringen.no/no/dokumenter/first/id1/",
		Title: "Høring uten frist først", Kind: watcher.KindHearing, Published: osloDate(2026, 8, 2)}
	seen := osloDate(2026, 8, 2).Add(6 * time.Hour)
	for i, dl := range []time.Time{{}, osloDate(2026, 10, 1), osloDate(2026, 10, 1).Add(12 * time.Hour)} {
		first.Deadline = dl
		if _, err := f.store.ApplyBatch(state.SourceBatch{SourceID: "regjeringen-horinger", Seen: seen.Add(time.Duration(i) * 24 * time.Hour), Items: []watcher.Item{first}}); err != nil {
			t.Fatal(err)
		}
	}
	body = f.client().get("/deadlines").Body
	if !strings.Contains(body, "Høring uten frist først") {
		t.Fatal("the hearing with a first deadline is not listed")
	}
	if n := strings.Count(body, "Fristen ble flyttet"); n != 1 {
		t.Errorf("%d moves shown, want the one real move", n)
	}
}

func TestSourcesPage(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	if err := f.store.PutHealth(watcher.Health{SourceID: "politiet", State: watcher.HealthBlocked, LastErrClass: watcher.ErrBlocked,
		LastError: "403 Forbidden", LastSuccess: osloDate(2026, 8, 10).Add(6 * time.Hour), Cadence: 72 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	c := f.client()
	c.submit("/run", url.Values{})
	f.srv.Close()
	body := c.get("/sources").Body
	for _, want := range []string{"Politiet – nyheter", "blokkert", "403 Forbidden", "10. august 2026 kl. 06:00", "ca. hver 3. dag", "Sjekk nå", "Siste kjøringer"} {
		if !strings.Contains(body, want) {
			t.Errorf("sources page lacks %q", want)
		}
	}
}

func TestCadenceText(t *testing.T) {
	const day = 24 * time.Hour
	for d, want := range map[time.Duration]string{0: "", day: "ca. daglig", 3 * day: "ca. hver 3. dag", 7 * day: "ca. ukentlig",
		15 * day: "ca. hver 2. uke", 30 * day: "ca. månedlig", 92 * day: "ca. hver 3. måned"} {
		if got := cadenceText(d); got != want {
			t.Errorf("cadenceText(%s) = %q, want %q", d, got, want)
		}
	}
}
