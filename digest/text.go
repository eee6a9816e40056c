package digest

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"watcher/internal/fold"
)

// clean collapses runs of white space into one space and trims.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// normTitle is the form two titles are compared in to find the same
// document in two sources: lower case, letters and digits only, single
// spaces.
func normTitle(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// sentences splits prose into sentences at ".", "!" or "?" followed by a
// space and an upper-case letter, a digit or a quote. Abbreviations
// ("bl.a. Norge", "St. meld.") stay whole where the next word is lower
// case; a capitalised word after an abbreviation may split too early,
// which a draft can live with.
func sentences(s string) []string {
	s = clean(s)
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '"' || s[j] == ')' || s[j] == '\'' || strings.HasPrefix(s[j:], "»") || strings.HasPrefix(s[j:], "”")) {
			_, n := utf8.DecodeRuneInString(s[j:])
			j += n
		}
		if j >= len(s) || s[j] != ' ' || j+1 >= len(s) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[j+1:])
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || r == '«' || r == '"' || r == '“') || abbreviation(s[start:i+1]) {
			continue
		}
		out = append(out, s[start:j])
		start = j + 1
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// abbreviation reports whether the text ends in a short abbreviation that
// rarely ends a sentence ("Mr.", "nr.", "St.", "ca.").
func abbreviation(s string) bool {
	i := strings.LastIndexByte(s, ' ')
	w := strings.ToLower(s[i+1:])
	switch w {
	case "mr.", "mrs.", "dr.", "nr.", "no.", "st.", "ca.", "jf.", "bl.a.", "f.eks.", "e.g.", "i.e.", "vs.", "prop.", "meld.", "kap.", "art.":
		return true
	}
	return false
}

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowerFirst lower-cases the first letter of s when its first word is a
// common word that is written in lower case inside a sentence ("Politiet
// har …" → "politiet har …", "Endringer i …" → "endringer i …"). Any
// other word keeps its capital, since it may be a name ("Oslo
// politidistrikt", "Arbeidstilsynet", "NOU 2023: 5", "GRETA").
func lowerFirst(s string) string {
	word, _, _ := strings.Cut(s, " ")
	r, n := utf8.DecodeRuneInString(word)
	if n == 0 || !unicode.IsUpper(r) || !commonWords[strings.ToLower(strings.TrimRight(word, ",:;"))] {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// commonWords are words that often begin a title or an ingress and are
// not names.
var commonWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		det den de dette disse denne en et ei i på etter nå over under flere mange totalt til for med
		som når da her ifølge ingen alle to tre fire fem seks sju syv åtte ni ti
		politiet regjeringen departementet
		endringer endring ny nye nytt forslag utkast forskrift forskrifter lov lover regler regelverk
		gjennomføring implementering innføring oppheving forlengelse utvidelse revisjon tiltak
		økt økte bedre styrket styrking nasjonal nasjonale handlingsplan handlingsplanen strategi
		strategien tiltaksplan opptrappingsplan plan veileder rapport rapporten evaluering
		regjeringens lovforslag statsbudsjettet melding stortingsmelding
		framlegg endringar reglar`) {
		commonWords[w] = true
	}
}

// clip shortens s to at most n runes at a word boundary, ending with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

// safeURL returns u when it is an absolute http(s) address, else "": a
// crawled javascript: or relative link never reaches the draft.
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return u
}

// Linkable reports whether the draft links u: an absolute http(s)
// address. The review UI refuses a manual entry's link that is not.
func Linkable(u string) bool { return safeURL(u) != "" }

// host returns the host of u without "www.".
func host(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(p.Hostname()), "www.")
}

// seHer is the phrase the newsletter links its entries with.
const seHer = "se her"

// textSpans turns one paragraph of text into spans. The editor's Markdown
// links ("[se her](https://…)") become links; with none, the first "se
// her" links to primary; with neither, a "Se her." (or ", se her.") is
// added that does. Only http(s) links are kept.
func textSpans(text, primary string) []Span {
	spans, linked := parseLinks(text)
	if linked || primary == "" {
		return spans
	}
	for i, s := range spans {
		j := fold.Index(s.Text, seHer)
		if j < 0 {
			continue
		}
		out := append([]Span{}, spans[:i]...)
		if j > 0 {
			out = append(out, Span{Text: s.Text[:j]})
		}
		out = append(out, Span{Text: s.Text[j : j+len(seHer)], URL: primary})
		if rest := s.Text[j+len(seHer):]; rest != "" {
			out = append(out, Span{Text: rest})
		}
		return append(out, spans[i+1:]...)
	}
	return appendSeHer(spans, primary)
}

// appendSeHer links the end of a paragraph that has no link.
func appendSeHer(spans []Span, primary string) []Span {
	if len(spans) == 0 {
		return []Span{{Text: capitalize(seHer), URL: primary}, {Text: "."}}
	}
	last := &spans[len(spans)-1]
	t := strings.TrimRight(last.Text, " ")
	switch {
	case strings.HasSuffix(t, ".") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, "?"):
		last.Text = t + " "
		return append(spans, Span{Text: capitalize(seHer), URL: primary}, Span{Text: "."})
	default:
		last.Text = t + ", "
		return append(spans, Span{Text: seHer, URL: primary}, Span{Text: "."})
	}
}

// parseLinks splits text at Markdown links "[label](url)". A link whose
// address is not http(s) stays as its label.
func parseLinks(text string) (spans []Span, linked bool) {
	var plain strings.Builder
	flush := func() {
		if plain.Len() > 0 {
			spans = append(spans, Span{Text: plain.String()})
			plain.Reset()
		}
	}
	for i := 0; i < len(text); {
		label, u, n := link(text[i:])
		if n == 0 {
			plain.WriteByte(text[i])
			i++
			continue
		}
		i += n
		if safeURL(u) == "" {
			plain.WriteString(label)
			continue
		}
		flush()
		spans = append(spans, Span{Text: label, URL: u})
		linked = true
	}
	flush()
	return spans, linked
}

// link reads a Markdown link "[label](url)" at the start of s and returns
// its parts and length, or n == 0.
func link(s string) (label, u string, n int) {
	if !strings.HasPrefix(s, "[") {
		return "", "", 0
	}
	end := strings.Index(s, "](")
	if end < 1 || strings.ContainsAny(s[1:end], "[]") {
		return "", "", 0
	}
	rparen := closingParen(s[end+2:])
	if rparen < 0 {
		return "", "", 0
	}
	u = strings.TrimSpace(s[end+2 : end+2+rparen])
	u = strings.TrimSuffix(strings.TrimPrefix(u, "<"), ">")
	if u == "" || strings.ContainsAny(u, " \t\n") {
		return "", "", 0
	}
	return s[1:end], u, end + 3 + rparen
}

// closingParen returns the index of the ")" that closes a link's
// address, counting balanced parentheses inside it, or -1.
func closingParen(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return i
			}
			depth--
		case '\n':
			return -1
		}
	}
	return -1
}

// spansText is the plain text of spans.
func spansText(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.Text)
	}
	return b.String()
}

// paragraphs splits text at blank lines and joins each paragraph's lines.
func paragraphs(text string) []string {
	var out []string
	var cur []string
	flush := func() {
		if p := clean(strings.Join(cur, " ")); p != "" {
			out = append(out, p)
		}
		cur = cur[:0]
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return out
}
