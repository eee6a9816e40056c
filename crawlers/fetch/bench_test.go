package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkGet measures the fetch pipeline (robots decision, spacing
// bookkeeping, gunzip, charset decoding, hashing) against a loopback
// server.
func BenchmarkGet(b *testing.B) {
	page := []byte("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" +
		strings.Repeat("<li class=\"listItem\"><a href=\"/no/dokumenter/x/id3167072/\">Høring om blåbær</a></li>\n", 200) +
		"</body></html>")
	zipped := gzipBytes(b, page)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			_, _ = w.Write([]byte("User-agent: *\nDisallow: /api/*\nDisallow: /*/?q\n"))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(zipped)
	}))
	defer srv.Close()
	f, err := New(Options{UserAgent: testUA})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		resp, err := f.Get(ctx, Request{URL: srv.URL + "/no/dokument/hoyringar/id1763/"})
		if err != nil {
			b.Fatal(err)
		}
		if len(resp.Body) != len(page) {
			b.Fatalf("body %d bytes, want %d", len(resp.Body), len(page))
		}
	}
}
