package fetch

import (
	"bytes"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// declScan is how far into a body the HTML meta prescan and the XML
// declaration are looked for (the HTML standard's prescan length).
const declScan = 1024

// decodedBody is a body brought to UTF-8.
type decodedBody struct {
	body      []byte
	mediaType string // without parameters; sniffed when the header had none
	charset   string // canonical name of the source encoding; "" for binary
}

// decodeBody converts a text body to UTF-8. The encoding is chosen, in
// order, from a byte-order mark, the Content-Type charset, and the
// document's own declaration (HTML meta charset, XML declaration); without
// any, valid UTF-8 is taken as UTF-8 and anything else as Windows-1252.
//
// A body declared UTF-8 (by header or document) that is not valid UTF-8
// is a lie we meet in practice with Latin-1 era servers: it is decoded
// with the document's own non-UTF-8 declaration if it has one, else as
// Windows-1252, the superset of ISO-8859-1 that browsers use for it.
//
// XML bodies get their declaration's encoding rewritten to UTF-8 so that
// feed parsers do not decode them a second time. Binary bodies are
// returned unchanged.
func decodeBody(body []byte, contentType string) decodedBody {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt == "" {
		// The sniffer's charset guess is no declaration: drop it.
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(body))
		params = nil
	}
	xml := isXML(mt, body)
	if !isText(mt) && !xml {
		return decodedBody{body: body, mediaType: mt}
	}
	enc, name, rest := chooseEncoding(body, mt, params["charset"], xml)
	out := rest
	if name != "utf-8" {
		if d, err := enc.NewDecoder().Bytes(rest); err == nil {
			out = d
		}
	}
	if xml {
		out = rewriteXMLDecl(out)
	}
	return decodedBody{body: out, mediaType: mt, charset: name}
}

// chooseEncoding picks the body's encoding and returns the body without
// its byte-order mark.
func chooseEncoding(body []byte, mediaType, headerLabel string, xml bool) (encoding.Encoding, string, []byte) {
	if enc, name, n := bomEncoding(body); enc != nil {
		return enc, name, body[n:]
	}
	docLabel := ""
	switch {
	case xml:
		docLabel = xmlDeclEncoding(body)
	case mediaType == "text/html" || mediaType == "application/xhtml+xml":
		docLabel = htmlMetaCharset(body)
	}
	label := headerLabel
	if label == "" {
		label = docLabel
	}
	enc, name := charset.Lookup(label)
	valid := utf8.Valid(body)
	if enc == nil {
		if valid {
			return encoding.Nop, "utf-8", body
		}
		return windows1252(body)
	}
	if name == "utf-8" && !valid {
		if d, dn := charset.Lookup(docLabel); d != nil && dn != "utf-8" {
			return d, dn, body
		}
		return windows1252(body)
	}
	return enc, name, body
}

func windows1252(body []byte) (encoding.Encoding, string, []byte) {
	enc, name := charset.Lookup("windows-1252")
	return enc, name, body
}

// bomEncoding recognises a UTF-8 or UTF-16 byte-order mark; n is its
// length.
func bomEncoding(b []byte) (encoding.Encoding, string, int) {
	var label string
	var n int
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		label, n = "utf-8", 3
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		label, n = "utf-16be", 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		label, n = "utf-16le", 2
	default:
		return nil, "", 0
	}
	enc, name := charset.Lookup(label)
	return enc, name, n
}

// isText reports the media types whose bodies are decoded to UTF-8.
func isText(mt string) bool {
	return strings.HasPrefix(mt, "text/") ||
		strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml") ||
		strings.HasSuffix(mt, "/json") || strings.HasSuffix(mt, "+json")
}

// isXML reports an XML media type, or a body that opens with an XML
// declaration (feeds served as text/plain or text/html happen).
func isXML(mt string, body []byte) bool {
	if strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml") {
		return true
	}
	return isText(mt) && bytes.HasPrefix(bytes.TrimLeft(head(body), " \t\r\n"), []byte("<?xml"))
}

func head(b []byte) []byte {
	if len(b) > declScan {
		return b[:declScan]
	}
	return b
}

var (
	xmlDeclEnc     = regexp.MustCompile(`\A\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)
	xmlDeclRewrite = regexp.MustCompile(`\A(\s*<\?xml\s[^>]*?\bencoding\s*=\s*)(["'])[A-Za-z0-9._:-]*(["'])`)
)

// xmlDeclEncoding returns the encoding named by an XML declaration.
func xmlDeclEncoding(body []byte) string {
	m := xmlDeclEnc.FindSubmatch(head(body))
	if m == nil {
		return ""
	}
	return string(m[1])
}

// rewriteXMLDecl makes the XML declaration of a decoded body say UTF-8.
func rewriteXMLDecl(body []byte) []byte {
	h := head(body)
	loc := xmlDeclRewrite.FindSubmatchIndex(h)
	if loc == nil {
		return body
	}
	// Keep the declaration up to and including the opening quote, then
	// the new name, then everything from the closing quote on.
	out := make([]byte, 0, len(body)+8)
	out = append(out, body[:loc[5]]...)
	out = append(out, "UTF-8"...)
	return append(out, body[loc[6]:]...)
}

// htmlMetaCharset finds <meta charset> or <meta http-equiv=content-type
// content="…; charset=…"> in the first 1024 bytes of an HTML document.
func htmlMetaCharset(body []byte) string {
	z := html.NewTokenizer(bytes.NewReader(head(body)))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "meta" {
				continue
			}
			if cs := metaCharset(z, hasAttr); cs != "" {
				return cs
			}
		}
	}
}

func metaCharset(z *html.Tokenizer, hasAttr bool) string {
	var cs, content string
	httpEquiv := false
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		switch string(k) {
		case "charset":
			cs = strings.TrimSpace(string(v))
		case "content":
			content = string(v)
		case "http-equiv":
			httpEquiv = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
		}
	}
	if cs != "" || !httpEquiv {
		return cs
	}
	if _, params, err := mime.ParseMediaType(content); err == nil {
		return params["charset"]
	}
	return ""
}
