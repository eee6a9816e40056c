package crawlers

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"watcher"
	"watcher/dates"
)

func TestDocumentBaseAndResolve(t *testing.T) {
	const page = "https://example.org/news/2026/list.html"
	tests := map[string]struct {
		head, href, want string
		ok               bool
	}{
		"relative to page":           {href: "item.html", want: "https://example.org/news/2026/item.html", ok: true},
		"root relative":              {href: "/a?b=1#c", want: "https://example.org/a?b=1", ok: true},
		"absolute base":              {head: `<base href="https://cdn.example.net/x/">`, href: "y", want: "https://cdn.example.net/x/y", ok: true},
		"relative base":              {head: `<base href="/archive/">`, href: "y", want: "https://example.org/archive/y", ok: true},
		"scheme-relative base":       {head: `<base href="//mirror.example.org/m/">`, href: "y", want: "https://mirror.example.org/m/y", ok: true},
		"javascript base ignored":    {head: `<base href="javascript:alert(1)">`, href: "y", want: "https://example.org/news/2026/y", ok: true},
		"base with only target":      {head: `<base target="_blank">`, href: "y", want: "https://example.org/news/2026/y", ok: true},
		"scheme-relative link":       {href: "//other.example.com/z", want: "https://other.example.com/z", ok: true},
		"dot segments":               {href: "../../up", want: "https://example.org/up", ok: true},
		"javascript":                 {href: " JavaScript:void(0)"},
		"mailto":                     {href: "mailto:a@example.org"},
		"tel":                        {href: "tel:+4712345678"},
		"data":                       {href: "data:text/html,<b>x</b>"},
		"fragment only":              {href: "#top"},
		"ftp":                        {href: "ftp://example.org/file.pdf"},
		"broken escape":              {href: "/a%zz"},
		"empty":                      {href: "   "},
		"whitespace around relative": {href: "\n\t item.html \n", want: "https://example.org/news/2026/item.html", ok: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader("<html><head>" + tc.head + "</head><body></body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := ResolveLink(documentBase(doc, page), tc.href)
			if ok != tc.ok || got != tc.want {
				t.Errorf("resolve %q = %q, %v; want %q, %v", tc.href, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestResolveLink holds the cases of the adapters' former copies (intl's
// resolve, norway's absURL) and the RFC 3986 rule they followed and
// resolveLink did not: an absolute href loses its dot segments too.
func TestResolveLink(t *testing.T) {
	base := ParseBase("https://www.unodc.org/unodc/en/press/releases.html")
	tests := map[string]string{
		"/unodc/en/press/releases/2023/July/a.html": "https://www.unodc.org/unodc/en/press/releases/2023/July/a.html",
		"releases/2023/July/a.html#top":             "https://www.unodc.org/unodc/en/press/releases/2023/July/a.html",
		"//cdn.unodc.org/x.pdf":                     "https://cdn.unodc.org/x.pdf",
		"  https://www.coe.int/en/web/x  ":          "https://www.coe.int/en/web/x",
		"https://www.coe.int/en/./web/old/../x":     "https://www.coe.int/en/web/x",
		"https:":                                    "",
		"https:0":                                   "",
		"#top":                                      "",
		"javascript:void(0)":                        "",
		"MAILTO:press@unodc.org":                    "",
		"ftp://files.example/x":                     "",
		"":                                          "",
		"http://[::1":                               "",
	}
	for ref, want := range tests {
		if got, ok := ResolveLink(base, ref); got != want || ok != (want != "") {
			t.Errorf("ResolveLink(%q) = %q, %v; want %q", ref, got, ok, want)
		}
	}
	if got, ok := ResolveLink(nil, "/relative"); ok {
		t.Errorf("a relative link without a base gave %q", got)
	}
	if got, _ := ResolveLink(nil, "https://example.org/a/../b#c"); got != "https://example.org/b" {
		t.Errorf("an absolute link without a base gave %q, want https://example.org/b", got)
	}
	for _, raw := range []string{"", "/relative", "ftp://example.org/", "https://", "javascript:x"} {
		if b := ParseBase(raw); b != nil {
			t.Errorf("ParseBase(%q) = %v, want nil", raw, b)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"collapse":       {"  a \n\t b\u00a0\u00a0c  ", "a b c"},
		"bidi overrides": {"\u202eevil\u202c \u2066iso\u2069 \u200fmark", "evil iso mark"},
		"controls":       {"a\x00b\x07c\x1bd\u009be\u0085f", "abcde f"}, // NEL is a line break
		"soft hyphen":    {"menneske\u00adhandel", "menneskehandel"},
		"zero width":     {"a\u200bb\ufeff", "a b"},
		"invalid utf-8":  {"ok\xff\xfe!", "ok!"},
		"keeps entities": {"a &amp; b", "a &amp; b"},
		"norwegian":      {"Høyring – æøå ÆØÅ", "Høyring – æøå ÆØÅ"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := CleanText(tc.in); got != tc.want {
				t.Errorf("CleanText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestHTMLToTextAndCap(t *testing.T) {
	got := HTMLToText(`<p>Første&nbsp;avsnitt.</p><p>Andre<br>linje</p><script>ignore()</script><style>p{}</style>`)
	if want := "Første avsnitt. Andre linje"; got != want {
		t.Errorf("HTMLToText = %q, want %q", got, want)
	}
	long := strings.Repeat("menneskehandel ", 200)
	c := capText(CleanText(long), summaryCap)
	if len(c) > summaryCap || !strings.HasSuffix(c, "…") || strings.HasSuffix(strings.TrimSuffix(c, "…"), " ") {
		t.Errorf("capText: %d bytes, ends %q", len(c), c[len(c)-20:])
	}
	if got := capText("æøå", 4); got != "…" && !strings.HasPrefix("æøå", strings.TrimSuffix(got, "…")) {
		t.Errorf("capText cut inside a rune: %q", got)
	}
	// A byte prefix of "æøå" is still a prefix, so the check above cannot
	// see a cut inside a rune: the result must also be valid UTF-8.
	for in, want := range map[string]string{"æøå": "æ…", "aæøå": "a…", "abæøå": "ab…"} {
		got := capText(in, 5)
		if !utf8.ValidString(got) || got != want {
			t.Errorf("capText(%q, 5) = %q, want %q (valid UTF-8)", in, got, want)
		}
	}
}

// FuzzExtractHTML feeds arbitrary bytes to the HTML extractors: they must
// never panic, and what they return must stay within their caps.
func FuzzExtractHTML(f *testing.F) {
	f.Add([]byte(`<ul><li><a href="/a">A</a><span class="d">03.07.2026</span></li></ul><a class="next" href="?p=2">n</a>`))
	f.Add([]byte(`<html><head><base href="javascript:x"><script type="application/ld+json">{"@type":"Event","location":[{"address":{}}]}</script></head><body><a href="x.pdf">\u202e</a></body></html>`))
	f.Add([]byte("\x00\xff<<a href=\"%zz\">"))
	sel := watcher.Selectors{Item: "li", Date: ".d", Next: "a.next", Region: "ul", Content: "body"}
	f.Fuzz(func(t *testing.T, body []byte) {
		items, _, _, err := ExtractListing(body, "https://example.org/x/", sel, dates.Options{})
		if err != nil || len(items) > maxListingEntries {
			t.Fatalf("%d entries, %v", len(items), err)
		}
		info := ExtractPage(body, "https://example.org/x/", sel, dates.Options{})
		if len(info.Text) > textCap {
			t.Fatalf("text %d bytes", len(info.Text))
		}
		links, _, _, err := ExtractLinks(body, "https://example.org/x/", sel.Region, dates.Options{})
		if err != nil || len(links) > maxPageLinks {
			t.Fatalf("%d links, %v", len(links), err)
		}
	})
}
