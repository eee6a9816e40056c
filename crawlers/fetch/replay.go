package fetch

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"watcher"
)

// replayIndex maps a WARC-Target-URI to the response record that answers
// it. When a URL was archived more than once, the latest record (by
// WARC-Date, then by position, later files after earlier ones) wins.
type replayIndex struct {
	entries map[string]replayRef
}

type replayRef struct {
	file   string
	offset int64
	date   time.Time
}

// openReplay indexes the response records of the given WARC files.
func openReplay(files []string) (*replayIndex, error) {
	ix := &replayIndex{entries: map[string]replayRef{}}
	for _, name := range files {
		if err := ix.add(name); err != nil {
			return nil, fmt.Errorf("replay %s: %w", name, err)
		}
	}
	return ix, nil
}

func (ix *replayIndex) add(name string) error {
	r, err := gowarc.NewWarcFileReader(name, 0, gowarc.WithNoValidation())
	if err != nil {
		return err
	}
	defer r.Close()
	for rec, err := range r.Records() {
		if err != nil {
			return err
		}
		ix.addRecord(name, rec)
		_ = rec.Close()
	}
	return nil
}

func (ix *replayIndex) addRecord(name string, rec gowarc.Record) {
	wr := rec.WarcRecord
	h := wr.WarcHeader()
	if wr.Type() != gowarc.Response || !strings.HasPrefix(h.Get(gowarc.ContentType), gowarc.ApplicationHttp) {
		return
	}
	target := strings.Trim(h.Get(gowarc.WarcTargetURI), "<>")
	date, _ := wr.Date()
	if old, ok := ix.entries[target]; ok && date.Before(old.date) {
		return
	}
	ix.entries[target] = replayRef{file: name, offset: rec.Offset, date: date}
}

// response answers req from the archive. The body streams from the WARC
// file and closes it when closed. A robots.txt the archive lacks is
// answered 404, as a site without one would be: replay then applies no
// rules, like a run on the day with no robots.txt.
func (ix *replayIndex) response(req *http.Request, rawURL string) (*http.Response, error) {
	target := req.URL.String()
	ref, ok := ix.entries[target]
	if !ok && req.URL.Path == "/robots.txt" {
		return &http.Response{
			Status: "404 Not Found", StatusCode: http.StatusNotFound, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, Body: http.NoBody, Request: req,
		}, nil
	}
	if !ok {
		return nil, &FetchError{URL: rawURL, Class: watcher.ErrNotArchived, NotSent: true, Err: fmt.Errorf("not in the WARC archive: %s", target)}
	}
	resp, err := readArchived(ref)
	if err != nil {
		return nil, &FetchError{URL: rawURL, Class: watcher.ErrParse, Err: fmt.Errorf("replay %s from %s: %w", target, ref.file, err)}
	}
	return resp, nil
}

func readArchived(ref replayRef) (*http.Response, error) {
	r, err := gowarc.NewWarcFileReader(ref.file, ref.offset)
	if err != nil {
		return nil, err
	}
	rec, err := r.Next()
	if err != nil {
		_ = r.Close()
		return nil, err
	}
	raw, err := rec.WarcRecord.Block().RawBytes()
	if err != nil {
		_ = rec.Close()
		_ = r.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(raw), nil)
	if err != nil {
		_ = rec.Close()
		_ = r.Close()
		return nil, err
	}
	resp.Body = &archivedBody{ReadCloser: resp.Body, closers: []io.Closer{rec, r}}
	return resp, nil
}

// archivedBody closes the record and the WARC reader with the body.
type archivedBody struct {
	io.ReadCloser
	closers []io.Closer
}

func (b *archivedBody) Close() error {
	errs := []error{b.ReadCloser.Close()}
	for _, c := range b.closers {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
