package intl

import (
	"bytes"
	"strings"

	"watcher/crawlers"
	"watcher/crawlers/fetch"
)

// feedEntries reads a feed with the crawlers package's feed mapping (the
// one place gofeed's types become Items) and wraps its items as entries to
// be enriched from their own pages. The feed's own problems (dates it could
// not read, an empty feed) become the crawl's.
func (c *crawl) feedEntries(resp *fetch.Response) ([]*entry, error) {
	items, problems, err := crawlers.ParseFeed(resp.Body, crawlers.FinalURL(resp), c.src, c.tz)
	if err != nil {
		return nil, err
	}
	for _, p := range problems {
		c.problemf("%s: %s", resp.URL, p)
	}
	out := make([]*entry, 0, len(items))
	for _, it := range items {
		if it.Title == "" && it.URL == "" {
			continue
		}
		out = append(out, &entry{it: it, detail: it.URL})
	}
	return out, nil
}

// looksLikeFeed reports whether a body is XML or a JSON Feed rather than an
// HTML page (a challenge page or an error page served with status 200).
func looksLikeFeed(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "xml") || strings.Contains(ct, "rss") || strings.Contains(ct, "atom") || ct == "application/feed+json" {
		return true
	}
	head := bytes.TrimSpace(body)
	if len(head) > 512 {
		head = head[:512]
	}
	lower := bytes.ToLower(head)
	return bytes.HasPrefix(lower, []byte("<?xml")) || bytes.HasPrefix(lower, []byte("<rss")) ||
		bytes.HasPrefix(lower, []byte("<feed")) || bytes.Contains(lower, []byte("jsonfeed.org"))
}
