package digest

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"strconv"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"watcher/dates"
)

//go:embed templates/*
var templates embed.FS

// Formats are the output formats Render writes.
var Formats = []string{"md", "html"}

// Render writes the draft in format ("md" or "html") with the embedded
// template, or with tmpl when it is not empty (the text of a template
// file, parsed by text/template for Markdown and html/template for HTML,
// with the same functions; see Funcs). The CLI and the review UI's
// preview both call it, so they give the same bytes.
func Render(d *Draft, format, tmpl string) ([]byte, error) {
	name, err := templateName(format)
	if err != nil {
		return nil, err
	}
	funcs := Funcs(d)
	var execute func(io.Writer, any) error
	if format == "html" {
		t, err := htmlTemplate(name, tmpl)
		if err != nil {
			return nil, err
		}
		execute = t.Funcs(htmltemplate.FuncMap(funcs)).Execute
	} else {
		t, err := markdownTemplate(name, tmpl)
		if err != nil {
			return nil, err
		}
		execute = t.Funcs(funcs).Execute
	}
	var buf bytes.Buffer
	if err := execute(&buf, d); err != nil {
		return nil, fmt.Errorf("digest: render %s: %w", format, err)
	}
	return buf.Bytes(), nil
}

// The embedded templates are parsed once. Render executes a clone of one,
// with its own draft's functions bound, so that a preview in the review
// UI does not parse the template again for every request.
var (
	embeddedMarkdown = sync.OnceValues(func() (*texttemplate.Template, error) {
		text, err := Template("md")
		if err != nil {
			return nil, err
		}
		return parseMarkdown("digest.md.tmpl", text)
	})
	embeddedHTML = sync.OnceValues(func() (*htmltemplate.Template, error) {
		text, err := Template("html")
		if err != nil {
			return nil, err
		}
		return parseHTML("digest.html.tmpl", text)
	})
)

// markdownTemplate returns text parsed, or a clone of the embedded
// Markdown template when text is empty.
func markdownTemplate(name, text string) (*texttemplate.Template, error) {
	if text != "" {
		return parseMarkdown(name, text)
	}
	t, err := embeddedMarkdown()
	if err != nil {
		return nil, err
	}
	return t.Clone()
}

// htmlTemplate returns text parsed, or a clone of the embedded HTML
// template when text is empty.
func htmlTemplate(name, text string) (*htmltemplate.Template, error) {
	if text != "" {
		return parseHTML(name, text)
	}
	t, err := embeddedHTML()
	if err != nil {
		return nil, err
	}
	return t.Clone()
}

// parseMarkdown and parseHTML parse a template with the functions of
// Funcs bound to no draft; Render binds its draft's before executing.
func parseMarkdown(name, text string) (*texttemplate.Template, error) {
	t, err := texttemplate.New(name).Funcs(Funcs(&Draft{})).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("digest: parse markdown template: %w", err)
	}
	return t, nil
}

func parseHTML(name, text string) (*htmltemplate.Template, error) {
	t, err := htmltemplate.New(name).Funcs(htmltemplate.FuncMap(Funcs(&Draft{}))).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("digest: parse html template: %w", err)
	}
	return t, nil
}

// Template returns the embedded template of a format, as a starting
// point for a --template file.
func Template(format string) (string, error) {
	name, err := templateName(format)
	if err != nil {
		return "", err
	}
	b, err := templates.ReadFile("templates/" + name)
	if err != nil {
		return "", fmt.Errorf("digest: template: %w", err)
	}
	return string(b), nil
}

func templateName(format string) (string, error) {
	switch format {
	case "md":
		return "digest.md.tmpl", nil
	case "html":
		return "digest.html.tmpl", nil
	}
	return "", fmt.Errorf("digest: unknown format %q (want md or html)", format)
}

// Funcs are the functions the templates may call:
//
//	date t        "6. november 2023" in the draft's zone ("" for a zero time)
//	daymonth t    "6. november"
//	more links    every link but the first
//	status line   a "Kilder" line's figures in Norwegian
//	provenance    whether provenance is printed
//	last i ps     whether i is the last index of the paragraphs ps
//	md s          s escaped for Markdown text
//	mdspans p     a paragraph of spans as Markdown, links as [label](url)
//	mdurl u       an address for a Markdown link
//	join list sep strings.Join
func Funcs(d *Draft) texttemplate.FuncMap {
	loc := orOslo(d.Loc)
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return dates.Long(t, loc)
	}
	return texttemplate.FuncMap{
		"date": date,
		"daymonth": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return dates.DayMonth(t, loc)
		},
		"more": func(ls []Link) []Link {
			if len(ls) < 2 {
				return nil
			}
			return ls[1:]
		},
		"status":     func(s SourceLine) string { return sourceStatus(s, date) },
		"provenance": func() bool { return d.Provenance },
		"last":       func(i int, ps [][]Span) bool { return i == len(ps)-1 },
		"md":         mdEscape,
		"mdspans":    mdSpans,
		"mdurl":      mdURL,
		"join":       strings.Join,
	}
}

// sourceStatus writes a source's line in the appendix: "sjekket 92
// ganger (2 feilet), sist vellykket 30. september 2023, 4 saker i
// perioden (2 med i utkastet), i orden".
func sourceStatus(s SourceLine, date func(time.Time) string) string {
	if s.Disabled {
		return s.Health + ", ikke sjekket"
	}
	var parts []string
	switch s.Checks {
	case 0:
		parts = append(parts, "ikke sjekket i perioden")
	case 1:
		parts = append(parts, "sjekket 1 gang")
	default:
		parts = append(parts, "sjekket "+strconv.Itoa(s.Checks)+" ganger")
	}
	if s.Failures > 0 {
		parts[0] += " (" + strconv.Itoa(s.Failures) + " feilet)"
	}
	switch {
	case !s.LastSuccess.IsZero():
		parts = append(parts, "sist vellykket "+date(s.LastSuccess))
	case s.Checks > 0:
		parts = append(parts, "ingen vellykket sjekk")
	}
	items := "ingen saker i perioden"
	switch {
	case s.Items == 1:
		items = "1 sak i perioden"
	case s.Items > 1:
		items = strconv.Itoa(s.Items) + " saker i perioden"
	}
	if s.Items > 0 || s.Selected > 0 {
		items += " (" + strconv.Itoa(s.Selected) + " med i utkastet)"
	}
	parts = append(parts, items, s.Health)
	return strings.Join(parts, ", ")
}

// mdEscape escapes crawled text so that it reads as itself in Markdown:
// backslashes, emphasis and code marks, brackets, "<" (HTML and
// autolinks), "~" (strike-through), an "&" that would start an entity,
// and an "_" at the edge of a word (inside a word it is literal).
func mdEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	var prev rune
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '[', ']', '<', '~':
			b.WriteByte('\\')
		case '_':
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if !wordRune(prev) || !wordRune(next) {
				b.WriteByte('\\')
			}
		case '&':
			if entityAt(s[i+1:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// entityAt reports whether s (after an "&") reads as an HTML entity:
// "amp;", "#39;", "#x27;".
func entityAt(s string) bool {
	semi := strings.IndexByte(s, ';')
	if semi < 1 || semi > 32 {
		return false
	}
	name := strings.TrimPrefix(s[:semi], "#")
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return name != ""
}

// mdLineStart escapes what would make a line's start a heading, a quote,
// a list item or a rule: "#", ">", "-", "+", "=", and "1." or "1)".
func mdLineStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '>', '-', '+', '=':
		return `\` + s
	}
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// mdSpans writes a paragraph as Markdown: text escaped, links as
// [label](url), the paragraph's start made safe.
func mdSpans(p []Span) string {
	var b strings.Builder
	for _, s := range p {
		if s.URL == "" {
			b.WriteString(mdEscape(s.Text))
			continue
		}
		b.WriteString("[" + mdEscape(s.Text) + "](" + mdURL(s.URL) + ")")
	}
	return mdLineStart(b.String())
}

// mdURL makes an address safe inside a Markdown link's parentheses.
func mdURL(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", `\`, "%5C").Replace(u)
}
