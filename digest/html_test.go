package digest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"watcher"
)

// tidyPath finds the independent HTML5 checker. Without it the test is
// skipped on a workstation and fails in CI, which installs it (.ci/run).
func tidyPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tidy")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tidy is not installed; CI must install the Debian package tidy")
		}
		t.Skip("tidy is not installed (apt-get install tidy)")
	}
	return p
}

// checkHTML5 runs tidy over html and fails on any error or warning.
func checkHTML5(t *testing.T, tidy string, name string, html []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".html")
	if err := os.WriteFile(path, html, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tidy, "-q", "-e", "--doctype", "html5", "-utf8", path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil && out.Len() == 0:
		return
	case err == nil || errors.As(err, &exit):
		// tidy exits 1 on warnings and 2 on errors.
		t.Errorf("tidy finds problems in the %s draft:\n%s", name, out.String())
	default:
		t.Fatalf("running tidy: %v", err)
	}
}

func TestHTMLValidates(t *testing.T) {
	tidy := tidyPath(t)
	drafts := map[string]*Draft{
		"quarter":    quarterDraft(t, false),
		"provenance": quarterDraft(t, true),
		"hostile":    Build(hostileInput()),
	}
	empty := hostileInput()
	empty.Items, empty.Decisions = nil, nil
	drafts["empty"] = Build(empty)
	extra := hostileInput()
	extra.Decisions = append(extra.Decisions,
		watcher.Decision{Key: "manual:u", Section: "Nytt & nyttig", Text: "Uten overskrift."},
		watcher.Decision{Key: "manual:v", Section: "Nytt & nyttig", Heading: "Bare overskrift"},
		watcher.Decision{Key: "x:1", Text: "Første avsnitt.\n\nAndre avsnitt."})
	drafts["extra"] = Build(extra)
	for name, d := range drafts {
		t.Run(name, func(t *testing.T) {
			checkHTML5(t, tidy, name, render(t, d, "html"))
		})
	}
}

// hostileInput is a quarter whose crawled text tries to break out of the
// HTML and the Markdown.
func hostileInput() Input {
	cfg := fixtureConfig()
	p, _ := QuarterPeriod("2023Q3", oslo)
	return Input{
		Period: p.Name, From: p.From, To: p.To, Loc: oslo, Config: cfg.Digest, Sources: cfg.Sources, Now: now,
		Items: []watcher.Item{
			{Key: "x:1", SourceID: "unodc", URL: "javascript:alert(1)", Title: `<script>alert("x")</script> Report`,
				Kind: watcher.KindReport, Organisation: `UNODC</h3><script>`, Published: day(2023, 8, 1), FirstSeen: day(2023, 8, 1), Relevance: rel(2)},
			{Key: "x:2", SourceID: "politiet", URL: "https://example.org/a?b=1&c=<2>", Title: "# Ikke en overskrift",
				Summary: "</p><p onclick=alert(1)>Klikk. [lenke](javascript:alert(1)) og *stjerner*.",
				Kind:    watcher.KindNews, Published: day(2023, 8, 2), FirstSeen: day(2023, 8, 2), Relevance: rel(2),
				AltURLs: []string{"data:text/html,<script>alert(1)</script>"}},
		},
		Decisions: []watcher.Decision{{Period: p.Name, Key: "manual:x", Section: "egne", Heading: "<b>Fet</b>",
			Text: "Tekst med [farlig lenke](javascript:alert(1)) og [trygg lenke](https://example.org/ok).", URL: "vbscript:x"}},
	}
}

func TestRenderErrors(t *testing.T) {
	d := Build(hostileInput())
	if _, err := Render(d, "pdf", ""); err == nil {
		t.Error("Render accepts the format pdf")
	}
	if _, err := Render(d, "html", "{{.Nope}"); err == nil {
		t.Error("Render accepts a template that does not parse")
	}
	if _, err := Render(d, "md", "{{.NoSuchField}}"); err == nil {
		t.Error("Render accepts a template that names no field of the draft")
	}
	for _, f := range Formats {
		tmpl, err := Template(f)
		if err != nil {
			t.Fatal(err)
		}
		own, err := Render(d, f, tmpl)
		if err != nil {
			t.Fatal(err)
		}
		if embedded := render(t, d, f); !bytes.Equal(own, embedded) {
			t.Errorf("%s: the embedded template given as --template renders differently", f)
		}
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	d := Build(hostileInput())
	html := string(render(t, d, "html"))
	for _, bad := range []string{"<script", `href="javascript:`, `href="vbscript:`, `href="data:`, "<p onclick", "<b>", "</h3><"} {
		if strings.Contains(html, bad) {
			t.Errorf("the HTML contains %q", bad)
		}
	}
	md := string(render(t, d, "md"))
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(^|[^\\])<(script|/p|p |b>)`),              // raw HTML
		regexp.MustCompile(`(^|[^\\])\]\((javascript|vbscript|data):`), // a live link to a script
		regexp.MustCompile(`(?m)^# Ikke`),                              // a heading made of a title
		regexp.MustCompile(`(^|[^\\])\*stjerner`),                      // emphasis from crawled text
	} {
		if loc := bad.FindStringIndex(md); loc != nil {
			t.Errorf("the Markdown matches %s at %q", bad, md[loc[0]:loc[1]])
		}
	}
	if !strings.Contains(html, `<a href="https://example.org/ok">trygg lenke</a>`) {
		t.Error("the editor's safe link is lost")
	}
}
