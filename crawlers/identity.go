package crawlers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode"

	"watcher/internal/fold"
)

// CanonicalURL returns the form of an http(s) URL used for identity: two
// addresses of the same document should give the same string, and
// CanonicalURL(CanonicalURL(x)) == CanonicalURL(x).
//
// It lower-cases scheme and host, drops default ports, credentials and the
// fragment, normalises percent-encoding, resolves dot segments, removes
// tracking and CMS session parameters (see dropParam) and ";jsessionid="
// path parameters, and sorts what is left of the query. A trailing slash is
// kept as it is: sites differ on whether it matters. regjeringen.no is
// folded onto www.regjeringen.no and its /nn/ and /en/ paths onto /no/,
// since the numeric id in the path, not the language, names the document.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("canonical url: %w", err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("canonical url %q: not an http(s) url", raw)
	}
	host, err := canonicalHost(u, scheme)
	if err != nil {
		return "", fmt.Errorf("canonical url %q: %w", raw, err)
	}
	p := normalisePercent(u.EscapedPath())
	p = stripJSession(p)
	p = removeDotSegments(p)
	if p == "" {
		p = "/"
	}
	regjeringen := host == "www.regjeringen.no"
	if regjeringen {
		p = regjeringenPath(p)
	}
	q := canonicalQuery(u.RawQuery, regjeringen)
	var b strings.Builder
	b.Grow(len(scheme) + len(host) + len(p) + len(q) + 4)
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(p)
	if q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String(), nil
}

var errBadHost = errors.New("missing or invalid host")

// canonicalHost returns the lower-cased host with its port unless the port
// is the scheme's default.
func canonicalHost(u *url.URL, scheme string) (string, error) {
	name := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	if !validHostName(name) {
		return "", errBadHost
	}
	if name == "regjeringen.no" {
		name = "www.regjeringen.no"
	}
	if strings.Contains(name, ":") { // IPv6 literal
		name = "[" + name + "]"
	}
	port := u.Port()
	if port == "" || (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		return name, nil
	}
	for _, r := range port {
		if r < '0' || r > '9' {
			return "", errBadHost
		}
	}
	return name + ":" + port, nil
}

// validHostName accepts DNS names (IDN included), IPv4 and IPv6 literals,
// and refuses empty labels and anything a second parse could read
// differently.
func validHostName(h string) bool {
	if h == "" || h[0] == '.' || strings.Contains(h, "..") {
		return false
	}
	for _, r := range h {
		switch {
		case r == '.' || r == '-' || r == '_' || r == ':':
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
		case r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)):
		default:
			return false
		}
	}
	return true
}

// normalisePercent upper-cases percent-escapes and decodes those that
// stand for unreserved characters (RFC 3986 §6.2.2), so "%7e" and "~" and
// "%7E" compare equal.
func normalisePercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			d := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(d) {
				b.WriteByte(d)
			} else {
				b.WriteByte('%')
				b.WriteByte(upperHex(s[i+1]))
				b.WriteByte(upperHex(s[i+2]))
			}
			i += 2
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

func upperHex(c byte) byte {
	if c >= 'a' && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// stripJSession removes ";jsessionid=…" path parameters (Java servlet
// sessions), whatever their case, up to the next "/" or ";".
func stripJSession(p string) string {
	const param = ";jsessionid="
	for {
		i := fold.Index(p, param)
		if i < 0 {
			return p
		}
		end := i + len(param)
		for end < len(p) && p[end] != '/' && p[end] != ';' {
			end++
		}
		p = p[:i] + p[end:]
	}
}

// removeDotSegments is RFC 3986 §5.2.4 on an escaped path. It keeps
// empty segments and the trailing slash.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	r := strings.Join(out, "/")
	if strings.HasPrefix(p, "/") && !strings.HasPrefix(r, "/") {
		r = "/" + r
	}
	return r
}

// regjeringenPath maps the nynorsk and English paths of regjeringen.no
// onto the bokmål one: the same id is the same document.
func regjeringenPath(p string) string {
	for _, lang := range []string{"/nn", "/en"} {
		if p == lang {
			return "/no"
		}
		if strings.HasPrefix(p, lang+"/") {
			return "/no" + p[len(lang):]
		}
	}
	return p
}

type queryParam struct{ key, value string }

// canonicalQuery drops tracking and session parameters, re-encodes the
// rest uniformly and sorts them by key and value.
func canonicalQuery(raw string, regjeringen bool) string {
	if raw == "" {
		return ""
	}
	// A stray "%" would make the part undecodable and keep it verbatim,
	// spaces and all; a second pass would then read it differently.
	raw = escapeStrayPercent(raw)
	var params []queryParam
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, hasValue := strings.Cut(part, "=")
		key, kerr := url.QueryUnescape(k)
		if dropParam(strings.ToLower(key), regjeringen) {
			continue
		}
		if kerr == nil {
			k = url.QueryEscape(key)
		}
		if hasValue {
			if val, err := url.QueryUnescape(v); err == nil {
				v = url.QueryEscape(val)
			}
			params = append(params, queryParam{k, "=" + v})
		} else {
			params = append(params, queryParam{k, ""})
		}
	}
	sort.Slice(params, func(i, j int) bool {
		if params[i].key != params[j].key {
			return params[i].key < params[j].key
		}
		return params[i].value < params[j].value
	})
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		b.WriteString(p.value)
	}
	return b.String()
}

// escapeStrayPercent writes a "%" that does not start an escape as "%25".
func escapeStrayPercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// trackingParams never change which document a URL names.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true,
	"mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmkt": true,
	"ref": true, "jsessionid": true, "phpsessid": true, "sid": true,
}

// dropParam reports whether a (lower-cased, decoded) query key is noise:
// tracking, a session, or Liferay portlet state (p_p_*, namespaced
// _com_liferay_…, _…_INSTANCE_…, _…_WAR_…), and on regjeringen.no the
// view switches "ch" and "showSvar".
func dropParam(key string, regjeringen bool) bool {
	switch {
	case trackingParams[key]:
		return true
	case strings.HasPrefix(key, "utm_"), strings.HasPrefix(key, "p_p_"):
		return true
	case strings.HasPrefix(key, "_") && (strings.HasPrefix(key, "_com_liferay_") ||
		strings.Contains(key, "_instance_") || strings.Contains(key, "_war_")):
		return true
	case regjeringen && (key == "ch" || key == "showsvar"):
		return true
	}
	return false
}

// ItemKey returns an item's identity. The chain, first that applies:
//
//  1. siteID: the site's own id, already prefixed ("regjeringen:3167072").
//     It survives slug changes, language variants and moves, which is
//     why an adapter that can read one must pass it.
//  2. the feed GUID, as "guid:"+guid. A GUID is the publisher's promise of
//     identity and outlives edits of title and link. A GUID that is itself
//     a URL (a permalink) is canonicalised and used as a URL key instead,
//     so that the same page reached by a link elsewhere gets the same key.
//  3. the canonical URL: stable for sites without ids or GUIDs, once the
//     tracking and session noise is gone.
//  4. "": the caller then falls back to FallbackKey(title, date). That is
//     last because titles get corrected, and a corrected title would
//     otherwise look like a new item.
func ItemKey(siteID, guid, canonicalURL string) string {
	return BoundKey(itemKey(siteID, guid, canonicalURL))
}

func itemKey(siteID, guid, canonicalURL string) string {
	if id := CleanText(siteID); id != "" {
		return id
	}
	if g := CleanText(guid); g != "" {
		if looksLikeURL(g) {
			if c, err := CanonicalURL(g); err == nil {
				return c
			}
		}
		return "guid:" + g
	}
	if u := strings.TrimSpace(canonicalURL); u != "" {
		if c, err := CanonicalURL(u); err == nil {
			return c
		}
		return CleanText(u)
	}
	return ""
}

// MaxKeyBytes is the longest item key BoundKey leaves as it is.
const MaxKeyBytes = 1024

// BoundKey keeps an item key within MaxKeyBytes: a longer one (a feed
// GUID of thousands of characters, a URL with a huge query) becomes its
// first 200 bytes, cut at a character boundary, and "#sha256:" with the
// hash of the whole key. It stays unique and stable from run to run, and
// readable where people see it; every index entry holds the key, and the
// store refuses keys over 4096 bytes.
func BoundKey(key string) string {
	if len(key) <= MaxKeyBytes {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return CutText(key, 200) + "#sha256:" + hex.EncodeToString(sum[:])
}

// FallbackKey is the identity of an item that has neither id, GUID nor
// URL: its normalised title and, when known, its date (day precision, in
// the date's own zone). It returns "" for an empty title.
func FallbackKey(title string, date time.Time) string {
	t := strings.ToLower(CleanText(title))
	if t == "" {
		return ""
	}
	if date.IsZero() {
		return BoundKey("title:" + t)
	}
	return BoundKey("title:" + t + "|" + date.Format(time.DateOnly))
}

func looksLikeURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}
