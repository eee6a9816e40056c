package fetch

import (
	"bytes"
	"testing"
)

func TestDecodeBody(t *testing.T) {
	const want = "Høringsfrist: blåbærsyltetøy"
	latin1 := []byte("H\xf8ringsfrist: bl\xe5b\xe6rsyltet\xf8y")
	tests := map[string]struct {
		contentType string
		body        []byte
		want        string
		charset     string
		mediaType   string
	}{
		"iso-8859-1 header": {
			contentType: "text/html; charset=ISO-8859-1",
			body:        latin1, want: want, charset: "windows-1252", mediaType: "text/html",
		},
		"windows-1252 header with curly quotes and euro": {
			contentType: "text/plain; charset=windows-1252",
			body:        []byte("\x93bl\xe5\x94 \x80 \xe6\xf8\xe5"),
			want:        "“blå” € æøå", charset: "windows-1252", mediaType: "text/plain",
		},
		"utf-8 header": {
			contentType: "text/html; charset=utf-8",
			body:        []byte(want), want: want, charset: "utf-8", mediaType: "text/html",
		},
		"header lies utf-8, body latin-1": {
			contentType: "text/html; charset=utf-8",
			body:        latin1, want: want, charset: "windows-1252", mediaType: "text/html",
		},
		"header lies utf-8, document declares iso-8859-15": {
			contentType: "text/html; charset=utf-8",
			body:        []byte("<meta charset=\"iso-8859-15\"><p>\xa4 \xf8</p>"),
			want:        "<meta charset=\"iso-8859-15\"><p>€ ø</p>", charset: "iso-8859-15", mediaType: "text/html",
		},
		"meta charset": {
			contentType: "text/html",
			body:        []byte("<html><head><meta charset=\"windows-1252\"></head><p>bl\xe5</p>"),
			want:        "<html><head><meta charset=\"windows-1252\"></head><p>blå</p>", charset: "windows-1252", mediaType: "text/html",
		},
		"meta http-equiv": {
			contentType: "text/html",
			body:        []byte(`<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>` + "\xe6</p>"),
			want:        `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>æ</p>`, charset: "windows-1252", mediaType: "text/html",
		},
		"no declaration, valid utf-8": {
			contentType: "text/html",
			body:        []byte("<p>" + want + "</p>"), want: "<p>" + want + "</p>", charset: "utf-8", mediaType: "text/html",
		},
		"no declaration, not utf-8": {
			contentType: "text/plain",
			body:        latin1, want: want, charset: "windows-1252", mediaType: "text/plain",
		},
		"xml declaration rewritten": {
			contentType: "application/rss+xml",
			body:        []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss><title>\xe6\xf8\xe5</title></rss>"),
			want:        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss><title>æøå</title></rss>", charset: "windows-1252", mediaType: "application/rss+xml",
		},
		"xml header charset beats declaration": {
			contentType: "text/xml; charset=windows-1252",
			body:        []byte("<?xml version='1.0' encoding='utf-8'?><a>\xf8</a>"),
			want:        "<?xml version='1.0' encoding='UTF-8'?><a>ø</a>", charset: "windows-1252", mediaType: "text/xml",
		},
		"xml served as text/plain": {
			contentType: "text/plain",
			body:        []byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\xe5</a>"),
			want:        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>å</a>", charset: "windows-1252", mediaType: "text/plain",
		},
		"utf-8 bom stripped": {
			contentType: "application/json",
			body:        append([]byte{0xEF, 0xBB, 0xBF}, `{"a":"ø"}`...),
			want:        `{"a":"ø"}`, charset: "utf-8", mediaType: "application/json",
		},
		"utf-16le bom xml": {
			contentType: "application/xml",
			body:        utf16le("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>ø</a>"),
			want:        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>ø</a>", charset: "utf-16le", mediaType: "application/xml",
		},
		"binary untouched": {
			contentType: "application/pdf",
			body:        []byte("%PDF-1.4 \xe6\xf8"), want: "%PDF-1.4 \xe6\xf8", charset: "", mediaType: "application/pdf",
		},
		"no content type, sniffed html": {
			contentType: "",
			body:        []byte("<!DOCTYPE html><p>bl\xe5</p>"), want: "<!DOCTYPE html><p>blå</p>", charset: "windows-1252", mediaType: "text/html",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d := decodeBody(tc.body, tc.contentType)
			if string(d.body) != tc.want {
				t.Errorf("body = %q, want %q", d.body, tc.want)
			}
			if d.charset != tc.charset {
				t.Errorf("charset = %q, want %q", d.charset, tc.charset)
			}
			if d.mediaType != tc.mediaType {
				t.Errorf("media type = %q, want %q", d.mediaType, tc.mediaType)
			}
		})
	}
}

func utf16le(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		if r > 0xFFFF {
			panic("test helper handles the BMP only")
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func TestRewriteXMLDeclLeavesBodyAlone(t *testing.T) {
	body := []byte("<rss><item>encoding=\"latin1\"</item></rss>")
	if got := rewriteXMLDecl(body); !bytes.Equal(got, body) {
		t.Errorf("rewrote a body without declaration: %q", got)
	}
}
