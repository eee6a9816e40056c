package intl

import (
	"bytes"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// TestCardBounds checks cardOf's two early-stopping tests against what
// they stand for, on every element of every HTML capture: textOver is
// len(Text()) > max, holdsOther is "some a[href] below maps to another
// item".
func TestCardBounds(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	more, _ := filepath.Glob(filepath.Join("testdata", "*", "pages", "*.html"))
	checked := 0
	for _, f := range append(files, more...) {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(readFixture(t, strings.TrimPrefix(f, "testdata/"))))
		if err != nil {
			t.Fatal(err)
		}
		linkOf := map[*html.Node]string{}
		doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) { linkOf[a.Nodes[0]] = a.AttrOr("href", "") })
		doc.Find("*").Each(func(_ int, s *goquery.Selection) {
			n := s.Nodes[0]
			for _, max := range []int{0, 40, 300, maxCardText} {
				if got, want := textOver(n, max), len(s.Text()) > max; got != want {
					t.Errorf("%s: <%s> textOver(%d) = %v, want %v", f, n.Data, max, got, want)
				}
			}
			for _, self := range []string{"", "/never-linked", s.Find("a[href]").First().AttrOr("href", "")} {
				want := false
				s.Find("a[href]").Each(func(_ int, a *goquery.Selection) { want = want || linkOf[a.Nodes[0]] != self })
				if got := holdsOther(n, linkOf, self); got != want {
					t.Errorf("%s: <%s> holdsOther(%q) = %v, want %v", f, n.Data, self, got, want)
				}
			}
			checked++
		})
	}
	if checked < 500 {
		t.Errorf("only %d elements checked", checked)
	}
}

// BenchmarkListingLinks reads a listing of 200 cards inside one list
// element: each card's widening stops at that element, whose text is the
// whole listing's.
func BenchmarkListingLinks(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("<html><body><nav>")
	for i := range 50 {
		fmt.Fprintf(&sb, `<a href="/nav/%d">Nav %d</a>`, i, i)
	}
	sb.WriteString(`</nav><main><div class="list">`)
	for i := range 200 {
		fmt.Fprintf(&sb, `<div class="row"><div><span>3 May 2024</span><h3><a href="/news/%d">Item %d</a></h3><p>%s</p><a href="/news/%d">Read more</a></div></div>`,
			i, i, strings.Repeat("Teaser words. ", 20), i)
	}
	sb.WriteString("</div></main></body></html>")
	body := []byte(sb.String())
	base, _ := url.Parse("https://x.test/news")
	item := func(u *url.URL, _ string) (string, bool) { return u.String(), strings.HasPrefix(u.Path, "/news/") }
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		links, err := ListingLinks(body, base, "main", item)
		if err != nil || len(links) != 200 || len(links[0].Lines) != 4 {
			b.Fatalf("%d links, %v", len(links), err)
		}
	}
}
