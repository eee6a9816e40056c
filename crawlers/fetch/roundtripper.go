package fetch

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"watcher"
)

// Headers of the RoundTripper protocol.
const (
	// HeaderConditional on a request ("1") makes it conditional on the
	// stored validators; it is not sent.
	HeaderConditional = "X-Watcher-Conditional"
	// HeaderSameBody on a response ("1") says the body hash equals the
	// stored one.
	HeaderSameBody = "X-Watcher-Same-Body"
	// HeaderValidator on a response holds the JSON of the
	// watcher.Validator to store once the items are stored.
	HeaderValidator = "X-Watcher-Validator"
)

// RoundTripper returns an http.RoundTripper with the Fetcher's politeness
// for libraries that take one (colly: c.WithTransport). Each request gets
// robots.txt, the host delay, retries, the body cap, decoding and
// archive/replay. It answers one hop: redirects go back to the
// http.Client, which follows them through this RoundTripper again.
//
// The response body is the decoded UTF-8 body; Content-Encoding and
// Content-Length are removed and a text Content-Type says charset=utf-8.
// A request with X-Watcher-Conditional: 1 is made conditional (a 304
// comes back as a 304 with an empty body); the response carries
// X-Watcher-Same-Body and X-Watcher-Validator. Other request headers are
// forwarded, except User-Agent, Accept-Encoding and validators, which the
// Fetcher sets. Failures
// (robots, blocked, 4xx/5xx after retries, too large…) are returned as
// *FetchError; only GET is supported.
func (f *Fetcher) RoundTripper() http.RoundTripper { return roundTripper{f} }

type roundTripper struct{ f *Fetcher }

// headersNotForwarded are set by the Fetcher itself or are ours.
var headersNotForwarded = []string{"User-Agent", "Accept-Encoding", "Accept", HeaderConditional, "If-None-Match", "If-Modified-Since"}

func (rt roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	rawURL := r.URL.String()
	if r.Method != "" && r.Method != http.MethodGet {
		return nil, &FetchError{URL: rawURL, Class: watcher.ErrHTTP, Err: errors.New("unsupported method " + r.Method + ": only GET is fetched")}
	}
	req := Request{URL: rawURL, Conditional: r.Header.Get(HeaderConditional) == "1", Accept: r.Header.Get("Accept")}
	extra := r.Header.Clone()
	for _, k := range headersNotForwarded {
		extra.Del(k)
	}
	resp, err := rt.f.get(r.Context(), req, extra, false)
	if err != nil {
		return nil, err
	}
	return toHTTPResponse(r, resp)
}

// toHTTPResponse presents a Response as a plain http.Response.
func toHTTPResponse(r *http.Request, resp *Response) (*http.Response, error) {
	h := resp.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Del("Content-Encoding")
	h.Del("Content-Length")
	if resp.Charset != "" {
		h.Set("Content-Type", mime.FormatMediaType(resp.ContentType, map[string]string{"charset": "utf-8"}))
	}
	if resp.SameBody {
		h.Set(HeaderSameBody, "1")
	}
	if !resp.Validator.FetchedAt.IsZero() {
		v, err := json.Marshal(resp.Validator)
		if err != nil {
			return nil, &FetchError{URL: resp.URL, Class: watcher.ErrParse, Err: err}
		}
		h.Set(HeaderValidator, string(v))
	}
	return &http.Response{
		Status:        strconv.Itoa(resp.Status) + " " + http.StatusText(resp.Status),
		StatusCode:    resp.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(resp.Body)),
		ContentLength: int64(len(resp.Body)),
		Request:       r,
	}, nil
}
