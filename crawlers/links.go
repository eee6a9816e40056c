package crawlers

import (
	"net/url"
	"path"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"watcher"
)

// ParseBase parses the URL a page was fetched from, as the base for
// ResolveLink; nil when it is not an absolute http(s) URL (relative links
// are then dropped).
func ParseBase(raw string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

// documentBase is the base for a document's relative links: its
// <base href> resolved against the page URL, else the page URL.
func documentBase(doc *goquery.Document, pageURL string) *url.URL {
	base := ParseBase(pageURL)
	href, ok := doc.Find("head base[href]").First().Attr("href")
	if !ok {
		href, ok = doc.Find("base[href]").First().Attr("href")
	}
	if !ok {
		return base
	}
	ref, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return base
	}
	if base != nil {
		ref = base.ResolveReference(ref)
	}
	if b := ParseBase(ref.String()); b != nil {
		return b
	}
	return base
}

// ResolveLink turns an href into an absolute http(s) URL without its
// fragment, resolved against base as RFC 3986 says (dot segments go, in
// an absolute href too). It refuses script, mail, data and phone links,
// fragment-only links, relative links when base is nil, and anything
// that does not resolve to http(s).
func ResolveLink(base *url.URL, href string) (string, bool) {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return "", false
	}
	ref, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	if base == nil {
		base = &url.URL{} // an absolute href still has its dot segments removed
	}
	ref = base.ResolveReference(ref)
	scheme := strings.ToLower(ref.Scheme)
	if (scheme != "http" && scheme != "https") || ref.Host == "" {
		return "", false
	}
	ref.Fragment, ref.RawFragment = "", ""
	return ref.String(), true
}

// documentExts are the file types taken as attachments.
var documentExts = map[string]bool{".pdf": true, ".docx": true, ".doc": true, ".odt": true}

// isDocumentURL reports whether u points at a PDF or office document.
func isDocumentURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	return documentExts[strings.ToLower(path.Ext(p.Path))]
}

// fileName is the last path segment of u, unescaped, for an attachment
// that has no better name.
func fileName(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return CleanText(path.Base(p.Path))
}

// attachmentSet collects attachments in order, once per canonical URL.
type attachmentSet struct {
	list []watcher.Attachment
	seen map[string]bool
}

func (s *attachmentSet) add(name, u string) {
	key, err := CanonicalURL(u)
	if err != nil {
		key = u
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if s.seen[key] {
		return
	}
	s.seen[key] = true
	if name = CleanText(name); name == "" {
		name = fileName(u)
	}
	s.list = append(s.list, watcher.Attachment{Name: name, URL: u})
}
