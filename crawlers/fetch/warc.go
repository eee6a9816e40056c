package fetch

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// warcWriter writes the run's exchanges to one WARC file: a warcinfo
// record, then for every response a request record and a response record
// holding the HTTP response as received (status line, headers, body as
// sent on the wire; a chunked transfer coding is already undone). Each
// record is its own gzip member, as .warc.gz readers expect.
type warcWriter struct {
	path string

	mu   sync.Mutex
	file *os.File
	err  error // first write error, reported by Close
	m    gowarc.Marshaler
}

// newWarcWriter creates dir/watcher-<UTC timestamp>.warc.gz (with a
// numeric suffix if a run in the same second left one) and writes the
// warcinfo record.
func newWarcWriter(dir string, now time.Time, software string) (*warcWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("warc archive: %w", err)
	}
	base := "watcher-" + now.UTC().Format("20060102T150405Z")
	var file *os.File
	var name string
	for i := 0; i < 100; i++ {
		name = base + ".warc.gz"
		if i > 0 {
			name = base + "-" + strconv.Itoa(i) + ".warc.gz"
		}
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("warc archive: %w", err)
		}
		file = f
		break
	}
	if file == nil {
		return nil, fmt.Errorf("warc archive: too many files named %s* in %s", base, dir)
	}
	w := &warcWriter{path: file.Name(), file: file, m: gowarc.NewMarshaler()}
	info := fmt.Sprintf("software: %s\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n", software)
	rec, err := buildRecord(gowarc.Warcinfo, "", now, gowarc.ApplicationWarcFields, []byte(info), func(rb gowarc.WarcRecordBuilder) {
		rb.AddWarcHeader(gowarc.WarcFilename, name)
	})
	if err == nil {
		err = w.write(rec)
	}
	if err != nil {
		_ = file.Close()
		return nil, fmt.Errorf("warc archive: warcinfo: %w", err)
	}
	return w, nil
}

// writeExchange archives one request and its response. body is the body
// as read from the wire; truncated marks one cut at the cap.
func (w *warcWriter) writeExchange(req *http.Request, resp *http.Response, body []byte, truncated bool, at time.Time) error {
	target := req.URL.String()
	respRec, err := buildRecord(gowarc.Response, target, at, "application/http;msgtype=response", rawResponse(resp, body), func(rb gowarc.WarcRecordBuilder) {
		if truncated {
			rb.AddWarcHeader(gowarc.WarcTruncated, "length")
		}
	})
	if err != nil {
		return w.fail(fmt.Errorf("warc response record %s: %w", target, err))
	}
	reqRec, err := buildRecord(gowarc.Request, target, at, "application/http;msgtype=request", rawRequest(req), func(rb gowarc.WarcRecordBuilder) {
		rb.AddWarcHeader(gowarc.WarcConcurrentTo, "<"+respRec.RecordId()+">")
	})
	if err != nil {
		_ = respRec.Close()
		return w.fail(fmt.Errorf("warc request record %s: %w", target, err))
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.file == nil {
		return errors.New("warc archive is closed")
	}
	if err := w.writeLocked(reqRec); err != nil {
		_ = respRec.Close()
		return err
	}
	return w.writeLocked(respRec)
}

func (w *warcWriter) write(rec gowarc.WarcRecord) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.writeLocked(rec)
}

// writeLocked writes one record as one gzip member.
func (w *warcWriter) writeLocked(rec gowarc.WarcRecord) error {
	defer rec.Close()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, _, err := w.m.Marshal(zw, rec, 0); err != nil {
		return w.failLocked(err)
	}
	if err := zw.Close(); err != nil {
		return w.failLocked(err)
	}
	if _, err := w.file.Write(buf.Bytes()); err != nil {
		return w.failLocked(err)
	}
	return nil
}

func (w *warcWriter) fail(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.failLocked(err)
}

func (w *warcWriter) failLocked(err error) error {
	if w.err == nil {
		w.err = err
	}
	return err
}

// Close syncs and closes the file and reports the first write error.
func (w *warcWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.file == nil {
		return w.err
	}
	err := errors.Join(w.file.Sync(), w.file.Close())
	w.file = nil
	if err != nil {
		w.failLocked(fmt.Errorf("close warc archive: %w", err))
	}
	return w.err
}

// buildRecord makes a record with id, date, content length and sha256
// digests.
func buildRecord(t gowarc.RecordType, target string, at time.Time, contentType string, block []byte, extra func(gowarc.WarcRecordBuilder)) (gowarc.WarcRecord, error) {
	rb := gowarc.NewRecordBuilder(t, gowarc.WithAddMissingDigest(true), gowarc.WithSpecViolationPolicy(gowarc.ErrFail), gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail))
	if _, err := rb.Write(block); err != nil {
		return nil, err
	}
	rb.AddWarcHeaderTime(gowarc.WarcDate, at.UTC())
	rb.AddWarcHeader(gowarc.ContentType, contentType)
	if target != "" {
		rb.AddWarcHeader(gowarc.WarcTargetURI, target)
	}
	if extra != nil {
		extra(rb)
	}
	rec, _, err := rb.Build()
	return rec, err
}

// rawResponse rebuilds the HTTP response message as received.
func rawResponse(resp *http.Response, body []byte) []byte {
	var b bytes.Buffer
	proto := resp.Proto
	if proto == "" || proto == "HTTP/2.0" || proto == "HTTP/3.0" {
		proto = "HTTP/1.1" // WARC readers expect an HTTP/1 status line
	}
	status := resp.Status
	if status == "" {
		status = strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode)
	}
	fmt.Fprintf(&b, "%s %s\r\n", proto, status)
	_ = resp.Header.Write(&b)
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// rawRequest rebuilds the HTTP request message as sent.
func rawRequest(req *http.Request) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", req.Method, req.URL.RequestURI(), req.URL.Host)
	_ = req.Header.Write(&b)
	b.WriteString("\r\n")
	return b.Bytes()
}
