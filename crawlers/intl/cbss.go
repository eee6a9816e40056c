package intl

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
	"watcher/dates"
)

// CBSS reads the Council of the Baltic Sea States (cbss.org, WordPress
// behind Cloudflare): its RSS feed, or, when the feed fails (blocked, an
// error, or a body that is not a feed), the WordPress REST API. Items are
// keyed "cbss:<post id>" when the id is known (the feed GUID "?p=123", the
// API's id), else by canonical URL. A post without a date takes the day
// from its URL ("/2023/07/01/").
//
// Configuration: urls = [feed]; options wp_json (default
// <origin>/wp-json/wp/v2/posts?per_page=<per_page>), per_page (default 20).
type CBSS struct{}

func init() { crawlers.Register("cbss", CBSS{}) }

// Crawl implements crawlers.Kind.
func (CBSS) Crawl(ctx context.Context, env *crawlers.Env, src watcher.Source) (*crawlers.Result, error) {
	c, err := newCrawl(ctx, env, src)
	if err != nil {
		return nil, err
	}
	feed := entryPoint{url: src.URLs[0], accept: acceptFeed, parse: c.cbssFeed}
	entries, notModified, feedErr := c.readOne(feed)
	if feedErr != nil {
		api := c.option("wp_json", origin(src.URLs[0])+"/wp-json/wp/v2/posts?per_page="+strconv.Itoa(c.intOption("per_page", 20)))
		var apiErr error
		entries, notModified, apiErr = c.readOne(entryPoint{url: api, accept: acceptJSON, parse: c.cbssPosts})
		if apiErr != nil {
			return c.res, fmt.Errorf("cbss feed: %w; wp-json fallback: %w", feedErr, apiErr)
		}
		c.problemf("%s: %s: %v (read %s instead)", feed.url, crawlers.Classify(feedErr), feedErr, api)
	}
	c.res.NotModified = notModified
	c.finish(entries, watcher.KindNews, enrichCBSS)
	return c.res, nil
}

// cbssFeed reads the WordPress feed; an HTML answer (a challenge page
// served with 200) is a parse failure, so the API is tried.
func (c *crawl) cbssFeed(resp *fetch.Response) ([]*entry, error) {
	if !looksLikeFeed(resp.ContentType, resp.Body) {
		return nil, fmt.Errorf("not a feed (content type %q)", resp.ContentType)
	}
	got, err := c.feedEntries(resp)
	if err != nil {
		return nil, err
	}
	for _, e := range got {
		if id, ok := wordpressID(e.it.GUID); ok {
			e.it.Key = "cbss:" + id
		}
		e.it.Summary = wordpressSummary(e.it.Summary)
		e.it.Kind = publicationsKind(e.it.URL)
		c.cbssDateFallback(e, "")
	}
	return got, nil
}

// WordPressPost is one post of the WordPress REST API (wp/v2/posts).
type WordPressPost struct {
	ID      int64    `json:"id"`
	Date    string   `json:"date"`     // site-local time, no zone
	DateGMT string   `json:"date_gmt"` // UTC, no zone
	Link    string   `json:"link"`
	Title   rendered `json:"title"`
	Excerpt rendered `json:"excerpt"`
}

type rendered struct {
	Rendered string `json:"rendered"`
}

// WordPressPosts decodes a wp/v2/posts answer.
func WordPressPosts(body []byte) ([]WordPressPost, error) {
	var posts []WordPressPost
	if err := json.Unmarshal(body, &posts); err != nil {
		return nil, fmt.Errorf("wordpress posts: %w", err)
	}
	return posts, nil
}

// cbssPosts maps the REST API's posts.
func (c *crawl) cbssPosts(resp *fetch.Response) ([]*entry, error) {
	posts, err := WordPressPosts(resp.Body)
	if err != nil {
		return nil, err
	}
	base := crawlers.ParseBase(crawlers.FinalURL(resp))
	out := make([]*entry, 0, len(posts))
	for _, p := range posts {
		link, ok := crawlers.ResolveLink(base, p.Link)
		title := crawlers.HTMLToText(p.Title.Rendered)
		if !ok || title == "" {
			continue
		}
		e := &entry{it: watcher.Item{
			URL:     link,
			Title:   title,
			Summary: wordpressSummary(crawlers.HTMLToText(p.Excerpt.Rendered)),
			Kind:    publicationsKind(link),
		}, detail: link}
		if p.ID > 0 {
			e.it.Key = "cbss:" + strconv.FormatInt(p.ID, 10)
		}
		if t, err := time.Parse("2006-01-02T15:04:05", p.DateGMT); err == nil {
			e.setDate(t)
		}
		c.cbssDateFallback(e, p.Date)
		out = append(out, e)
	}
	return out, nil
}

// cbssDateFallback dates a post from its raw date string, else from the
// day in its URL. A URL that gives only a month or a year is not used.
func (c *crawl) cbssDateFallback(e *entry, raw string) {
	if !e.it.Published.IsZero() {
		return
	}
	if raw != "" {
		if t, err := dates.Parse(raw, c.dateOpt()); err == nil {
			e.setDate(t)
			return
		}
	}
	if t, p, ok := dates.FromURL(e.it.URL); ok && p == dates.PrecisionDay {
		e.setDate(t)
	}
}

// wordpressID returns the post id of a WordPress GUID ("https://cbss.org/?p=123").
func wordpressID(guid string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(guid))
	if err != nil {
		return "", false
	}
	id := u.Query().Get("p")
	if id == "" {
		return "", false
	}
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return "", false
	}
	return id, true
}

// wordpressTrailer is the line WordPress appends to feed excerpts.
var wordpressTrailer = regexp.MustCompile(`(?i)\s*(\[(…|&hellip;|\.\.\.)\])?\s*The post .{1,300}? appeared first on .{1,120}?\.?\s*$`)

// wordpressSummary drops WordPress's "The post … appeared first on …"
// trailer and the "[…]" continuation mark.
func wordpressSummary(s string) string {
	s = wordpressTrailer.ReplaceAllString(s, "")
	s = strings.TrimSuffix(strings.TrimSpace(s), "[…]")
	s = strings.TrimSuffix(s, "[...]")
	return strings.TrimSpace(s)
}

// cbssContent is where WordPress themes put the article body.
var cbssContent = []string{"[itemprop=articleBody]", ".article-content", ".post-content", ".entry-content", "article"}

// publishedLine is the date line of CBSS publication pages.
var publishedLine = regexp.MustCompile(`(?i)^published:?\s+`)

// enrichCBSS reads a new post's page: its text, and for publications the
// "Published October 17, 2022" line when no date is known yet.
func enrichCBSS(c *crawl, e *entry) error {
	p, err := c.fetchPage(e.detail, cbssContent...)
	if err != nil {
		return err
	}
	applyPage(c, e, p)
	if e.it.Published.IsZero() {
		for _, l := range p.Lines {
			if publishedLine.MatchString(l) {
				if t, err := dates.Parse(l, c.dateOpt()); err == nil {
					e.setDate(t)
					break
				}
			}
		}
	}
	return nil
}
