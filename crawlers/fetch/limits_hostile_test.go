package fetch_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"watcher"
	"watcher/crawlers/fetch"
)

// Bodies that never end or are far too large must cost the fetcher no more
// than its cap: what is allocated while refusing them is measured with
// runtime.ReadMemStats, not with a clock.

func hostileFetcher(t *testing.T, capBytes int64) *fetch.Fetcher {
	t.Helper()
	f, err := fetch.New(fetch.Options{
		UserAgent:  "watcher-test/1 (+mailto:test@kom.test)",
		HostDelay:  0,
		Timeout:    2 * time.Second,
		BodyCap:    capBytes,
		MaxRetries: -1,
		Now:        func() time.Time { return time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// allocated returns the bytes allocated while fn ran.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestHostileBodiesStayWithinTheCap(t *testing.T) {
	const capBytes = 1 << 20
	// A gzip bomb: 200 MiB of zeros in a few hundred kilobytes.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 200 {
		_, _ = zw.Write(zeros)
	}
	_ = zw.Close()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		class   watcher.ErrClass
	}{
		{"50 MB body without length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			chunk := bytes.Repeat([]byte("<item>menneskehandel</item>"), 1<<15)
			for sent := 0; sent < 50<<20; sent += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, watcher.ErrTooLarge},
		{"50 MB declared in Content-Length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(50<<20))
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write(make([]byte, 1<<20))
		}, watcher.ErrTooLarge},
		{"gzip bomb", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write(bomb.Bytes())
		}, watcher.ErrTooLarge},
		{"endless slow body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			for {
				if _, err := w.Write([]byte("<p>")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		}, watcher.ErrTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				tc.handler(w, r)
			}))
			defer func() { srv.CloseClientConnections(); srv.Close() }()
			f := hostileFetcher(t, capBytes)
			var err error
			n := allocated(func() {
				_, err = f.Get(context.Background(), fetch.Request{URL: srv.URL + "/x"})
			})
			var fe *fetch.FetchError
			if !errors.As(err, &fe) || fe.Class != tc.class {
				t.Fatalf("Get = %v, want class %s", err, tc.class)
			}
			t.Logf("%s: allocated %.1f MiB", fe.Class, float64(n)/(1<<20))
			// The cap, a decoding copy and buffers; far below the body.
			if limit := uint64(8 * capBytes); n > limit {
				t.Errorf("allocated %d bytes refusing the body; want at most %d", n, limit)
			}
		})
	}
}
