package crawlers

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/dates"
)

// The hot paths of a run, split so that a profile's share can be put on
// the library or on the project's own code. Commands and figures are in
// BENCHMARKS.md.

// benchFeedShaped is an RSS 2.0 feed shaped like the yardstick's (and
// regjeringen.no's): k items with title, link, guid, pubDate and a
// one-paragraph description.
func benchFeedShaped(k int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
		`<rss version="2.0"><channel><title>Justis- og beredskapsdepartementet – høringer</title>` +
		`<link>http://127.0.0.1:8900/s/7/list.html</link><description>Høringer</description>` +
		`<language>nb-no</language><lastBuildDate>Mon, 06 Jan 2025 08:00:00 GMT</lastBuildDate>` + "\n")
	day := time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)
	for j := k; j > 0; j-- {
		fmt.Fprintf(&b, "<item><title>Høring – endringer i forskrift om informasjon og kontroll (%d)</title>"+
			"<link>http://127.0.0.1:8900/s/7/item/%d.html</link><guid isPermaLink=\"true\">http://127.0.0.1:8900/s/7/item/%d.html</guid>"+
			"<pubDate>%s</pubDate><description>Rett tannhelse innspill utvalget eldreomsorg budsjett innspill, likestilling merknader, "+
			"skole informasjon klima tannhelse administrative tjenester organisasjoner plikt avgift, næring energi tilsyn "+
			"universitet sykehus. Høringsfrist: 07.03.2025.</description></item>\n",
			j, j, j, day.Add(-time.Duration(k-j)*7*time.Hour).Format(time.RFC1123))
	}
	b.WriteString("</channel></rss>\n")
	return []byte(b.String())
}

var benchFeedSource = watcher.Source{ID: "fw-7", Organisation: "Fixtureweb 7", Region: watcher.RegionNorway,
	DocKind: watcher.KindHearing, Language: "nb"}

// BenchmarkFeedParseShaped parses and maps one 50-item feed shaped like
// the yardstick's: what a cold run does per feed source.
func BenchmarkFeedParseShaped(b *testing.B) {
	body := benchFeedShaped(50)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		items, _, err := ParseFeed(body, "http://127.0.0.1:8900/s/7/feed.xml", benchFeedSource, time.UTC)
		if err != nil || len(items) != 50 {
			b.Fatalf("%d items, %v", len(items), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/50, "ns/item")
}

// BenchmarkFeedLibraryParse is the library's share of the above: gofeed
// alone (as ParseFeed configures it), no mapping.
func BenchmarkFeedLibraryParse(b *testing.B) {
	body := benchFeedShaped(50)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		f, err := newFeedParser().Parse(bytes.NewReader(body))
		if err != nil || len(f.Items) != 50 {
			b.Fatalf("%v", err)
		}
	}
}

// BenchmarkFeedMap is the project's share: mapping 50 parsed entries to
// items (text cleaning, dates, links, identity).
func BenchmarkFeedMap(b *testing.B) {
	f, err := newFeedParser().Parse(bytes.NewReader(benchFeedShaped(50)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, fi := range f.Items {
			if it, _ := feedItem(benchFeedSource, fi, "http://127.0.0.1:8900/s/7/list.html", time.UTC); it.Key == "" {
				b.Fatal("no key")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(f.Items)), "ns/item")
}

// BenchmarkItemKey canonicalises a link and derives the key, per item.
func BenchmarkItemKey(b *testing.B) {
	cases := []struct{ site, guid, link string }{
		{"", "http://127.0.0.1:8900/s/7/item/50.html", ""},
		{"", "", "https://www.regjeringen.no/nn/dokumenter/horing-endringer-i-straffeloven/id3167072/?ch=2&utm_source=rss&utm_medium=feed"},
		{"", "urn:uuid:5f1b9c1e-4f1d-4b8a-9a57-2c0d5c3a1e11", "https://www.unodc.org/unodc/en/press/releases/2023/July/unodc-report.html"},
		{"regjeringen:3167072", "", "https://www.regjeringen.no/no/dokumenter/id3167072/"},
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cases {
			if ItemKey(c.site, c.guid, c.link) == "" {
				b.Fatal("empty key")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(cases)), "ns/key")
}

// BenchmarkExtractPageHearing reads a real regjeringen.no hearing page
// (about 100 KB): what follow_items costs per new item.
func BenchmarkExtractPageHearing(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "real", "hearing_id3167072.html"))
	if err != nil {
		b.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		b.Fatal(err)
	}
	opt := dates.Options{Loc: loc}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		info := ExtractPage(body, "https://www.regjeringen.no/no/dokumenter/horing/id3167072/", watcher.Selectors{}, opt)
		if info.Published.IsZero() {
			b.Fatalf("no date: %v", info.Problems)
		}
	}
}
