package fetch

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"watcher"
)

// fetchPlan says how one logical fetch is carried out.
type fetchPlan struct {
	maxRedirects int   // <0: return redirects to the caller
	robots       bool  // check robots.txt for every hop
	limit        int64 // body cap, on the wire and decoded
	truncate     bool  // keep the first limit bytes instead of failing (robots.txt)
}

// reply is one HTTP answer after retries: final status, headers and the
// body with its content coding removed.
type reply struct {
	url    *url.URL
	status int
	header http.Header
	body   []byte
	wire   int64 // body bytes as received
}

// follow runs the attempts for u and for each redirect target.
func (f *Fetcher) follow(ctx context.Context, rawURL string, u *url.URL, hdr http.Header, p fetchPlan) (*reply, error) {
	seen := map[string]bool{}
	for hops := 0; ; hops++ {
		if p.robots {
			if err := f.checkRobots(ctx, rawURL, u); err != nil {
				return nil, err
			}
		}
		rep, err := f.withRetries(ctx, rawURL, u, hdr, p)
		if err != nil {
			return nil, err
		}
		loc := rep.header.Get("Location")
		if p.maxRedirects < 0 || !isRedirect(rep.status) || loc == "" {
			return rep, nil
		}
		next, err := nextHop(rawURL, u, loc, rep.status, hops, p.maxRedirects, seen)
		if err != nil {
			return nil, err
		}
		f.opt.Log.Debug("redirect", "url", rawURL, "from", u.String(), "to", next.String(), "status", rep.status)
		u = next
	}
}

// nextHop validates a redirect: an http(s) target, no loop, and not more
// than max hops.
func nextHop(rawURL string, u *url.URL, loc string, status, hops, maxHops int, seen map[string]bool) (*url.URL, error) {
	fail := func(format string, a ...any) error {
		return &FetchError{URL: rawURL, Class: watcher.ErrHTTP, Status: status, Err: fmt.Errorf(format, a...)}
	}
	next, err := u.Parse(loc)
	if err != nil {
		return nil, fail("bad redirect location %q: %w", loc, err)
	}
	if next.Scheme != "http" && next.Scheme != "https" {
		return nil, fail("redirect to unsupported scheme %q (%s)", next.Scheme, loc)
	}
	next.Fragment, next.RawFragment = "", ""
	seen[u.String()] = true
	if seen[next.String()] {
		return nil, fail("redirect loop at %s", next)
	}
	if hops >= maxHops {
		return nil, fail("more than %d redirects", maxHops)
	}
	return next, nil
}

// attempt makes one request (or one replay look-up) and reads its body
// through the cap. The attempt's timeout starts after the host's turn
// has come, so a long host delay never eats into it.
func (f *Fetcher) attempt(ctx context.Context, rawURL string, u *url.URL, hdr http.Header, p fetchPlan) (*reply, error) {
	if f.replay == nil {
		if err := f.limiter.wait(ctx, u.Host); err != nil {
			return nil, ctxError(rawURL, ctx)
		}
	}
	actx, cancel := context.WithTimeout(ctx, f.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &FetchError{URL: rawURL, Class: watcher.ErrHTTP, Err: fmt.Errorf("build request: %w", err)}
	}
	req.Header = hdr.Clone()
	resp, err := f.send(ctx, actx, rawURL, req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return f.readReply(ctx, actx, rawURL, u, req, resp, p)
}

// send makes the request, or answers it from the replay archive, and
// tells Options.Observe what came back.
func (f *Fetcher) send(ctx, actx context.Context, rawURL string, req *http.Request) (*http.Response, error) {
	resp, err := f.answer(ctx, actx, rawURL, req)
	if f.opt.Observe != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		f.opt.Observe(req.Method, req.URL.String(), status, err)
	}
	return resp, err
}

func (f *Fetcher) answer(ctx, actx context.Context, rawURL string, req *http.Request) (*http.Response, error) {
	if f.replay != nil {
		return f.replay.response(req, rawURL)
	}
	f.opt.Log.Debug("request", "url", req.URL.String())
	resp, err := f.opt.Transport.RoundTrip(req)
	if err != nil {
		return nil, &FetchError{URL: rawURL, Class: errClass(ctx, actx, err), Err: err}
	}
	return resp, nil
}

// readReply reads the body through the cap, archives the exchange and
// removes the content coding.
func (f *Fetcher) readReply(ctx, actx context.Context, rawURL string, u *url.URL, req *http.Request, resp *http.Response, p fetchPlan) (*reply, error) {
	tooLarge := func(what string) error {
		return &FetchError{URL: rawURL, Class: watcher.ErrTooLarge, Status: resp.StatusCode,
			Err: fmt.Errorf("%s over the %d-byte cap", what, p.limit)}
	}
	if !p.truncate && resp.ContentLength > p.limit {
		return nil, tooLarge("declared body length")
	}
	wire, over, err := readCapped(resp.Body, p.limit)
	if err != nil {
		return nil, &FetchError{URL: rawURL, Class: errClass(ctx, actx, err), Status: resp.StatusCode, Err: fmt.Errorf("read body: %w", err)}
	}
	if f.archive != nil {
		if err := f.archive.writeExchange(req, resp, wire, over, f.opt.Now()); err != nil {
			f.opt.Log.Error("archive write failed", "url", rawURL, "err", err)
		}
	}
	if over {
		if !p.truncate {
			return nil, tooLarge("body")
		}
		wire = wire[:p.limit]
	}
	body, over, err := decodeContent(resp.Header.Get("Content-Encoding"), wire, p.limit)
	switch {
	case over && !p.truncate:
		return nil, tooLarge("decompressed body")
	case err != nil && !p.truncate:
		return nil, &FetchError{URL: rawURL, Class: watcher.ErrParse, Status: resp.StatusCode, Err: err}
	}
	return &reply{url: u, status: resp.StatusCode, header: resp.Header, body: body, wire: int64(len(wire))}, nil
}

// readCapped reads at most limit+1 bytes; over reports a body longer than
// limit (the rest is left unread).
func readCapped(r io.Reader, limit int64) (b []byte, over bool, err error) {
	b, err = io.ReadAll(io.LimitReader(r, limit+1))
	return b, int64(len(b)) > limit, err
}

// decodeContent removes a gzip or deflate content coding, reading at most
// limit+1 decoded bytes so that a compression bomb stops at the cap.
func decodeContent(coding string, wire []byte, limit int64) (body []byte, over bool, err error) {
	coding = strings.ToLower(strings.TrimSpace(coding))
	if len(wire) == 0 || coding == "" || coding == "identity" {
		return wire, false, nil
	}
	var zr io.ReadCloser
	switch coding {
	case "gzip", "x-gzip":
		zr, err = gzip.NewReader(bytes.NewReader(wire))
	case "deflate":
		zr, err = zlib.NewReader(bytes.NewReader(wire))
	default:
		return wire, false, fmt.Errorf("unsupported content encoding %q", coding)
	}
	if err != nil {
		return nil, false, fmt.Errorf("decode %s body: %w", coding, err)
	}
	defer zr.Close()
	body, over, err = readCapped(zr, limit)
	if over {
		body = body[:limit]
	}
	if err != nil {
		return body, over, fmt.Errorf("decode %s body: %w", coding, err)
	}
	return body, over, nil
}
