package crawlers

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Caps on the text kept per item.
const (
	summaryCap = 1000      // Item.Summary, in bytes
	textCap    = 20 << 10  // Item.Text, in bytes
	rawTextCap = 256 << 10 // text gathered from a page before cleaning
)

// CleanText makes a string safe and tidy to show and compare: invalid
// UTF-8, control characters, bidi overrides and invisible formatting
// characters go, every run of white space becomes one space, and the ends
// are trimmed. It does not decode HTML entities.
func CleanText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n <= 1:
			continue
		case unicode.IsSpace(r) || r == '\u200B':
			space = true
			continue
		case dropRune(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// dropRune reports characters that carry no text: C0/C1 controls, bidi
// embeddings, overrides and isolates, marks that only steer layout, the
// byte order mark and soft hyphens.
func dropRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7F && r <= 0x9F:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200E, r == 0x200F, r == 0x061C, r == 0xFEFF, r == 0x00AD, r == 0x2060:
		return true
	}
	return false
}

// CutText shortens s to at most n bytes without splitting a rune. It
// backs up to the start of the rune at the cut only: an invalid byte
// earlier in s does not empty the result.
func CutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// capText shortens s to at most max bytes, at a word boundary when one is
// near, and marks the cut with an ellipsis.
func capText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := len(CutText(s, max-len("…")))
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > cut*3/4 {
		cut = sp
	}
	return strings.TrimRight(s[:cut], " ,.;:") + "…"
}

// textOf returns the visible text of a selection, with block elements and
// line breaks separating words, scripts and styles left out, and the
// result cleaned by CleanText.
func textOf(sel *goquery.Selection) string {
	if sel == nil {
		return ""
	}
	var b strings.Builder
	for _, n := range sel.Nodes {
		writeText(&b, n, rawTextCap)
		b.WriteByte(' ')
	}
	return CleanText(b.String())
}

// TextLines is the visible text of a selection as lines: one per block
// element or <br>, each cleaned by CleanText, empty lines dropped, for
// pages that state facts as "Sted: Oslo" lines. Scripts, styles and the
// like are left out, and so is the text past the first 256 KiB.
func TextLines(sel *goquery.Selection) []string {
	var b strings.Builder
	for _, n := range sel.Nodes {
		writeText(&b, n, rawTextCap)
		b.WriteByte('\n')
	}
	var out []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = CleanText(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// writeText appends n's text to b, a newline around block elements, until
// b holds max bytes.
func writeText(b *strings.Builder, n *html.Node, max int) {
	if b.Len() >= max {
		return
	}
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		if skipText[n.DataAtom] {
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	block := n.Type == html.ElementNode && blockElements[n.DataAtom]
	if block {
		b.WriteByte('\n')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeText(b, c, max)
	}
	if block {
		b.WriteByte('\n')
	}
}

var skipText = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Iframe: true, atom.Object: true, atom.Head: true,
}

var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Tr: true, atom.Td: true, atom.Th: true, atom.Table: true, atom.Dt: true, atom.Dd: true,
	atom.Dl: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Aside: true, atom.Nav: true, atom.Main: true, atom.Blockquote: true, atom.Pre: true,
	atom.Figure: true, atom.Figcaption: true, atom.Hr: true, atom.Address: true, atom.Form: true,
	atom.Fieldset: true, atom.Legend: true, atom.Caption: true, atom.Option: true,
}

// HTMLToText turns an HTML fragment (a feed description, a JSON field)
// into clean plain text. Plain text passes through unchanged apart from
// CleanText's tidying.
func HTMLToText(fragment string) string {
	if !strings.ContainsAny(fragment, "<&") {
		return CleanText(fragment)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(fragment))
	if err != nil {
		return CleanText(fragment)
	}
	return textOf(doc.Selection)
}
