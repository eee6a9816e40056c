package crawlers

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCanonicalURL(t *testing.T) {
	tests := map[string]struct {
		in, want string
	}{
		"case and default https port": {"HTTPS://WWW.Example.ORG:443/Path/Doc", "https://www.example.org/Path/Doc"},
		"default http port":           {"http://example.org:80/a", "http://example.org/a"},
		"other port kept":             {"http://example.org:8080/a", "http://example.org:8080/a"},
		"fragment dropped":            {"https://example.org/a/#section-2", "https://example.org/a/"},
		"trailing slash kept":         {"https://example.org/a/", "https://example.org/a/"},
		"no trailing slash kept":      {"https://example.org/a", "https://example.org/a"},
		"empty path is root":          {"https://example.org", "https://example.org/"},
		"tracking params":             {"https://example.org/n?utm_source=x&utm_MEDIUM=y&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&_hsenc=5&_hsmkt=6&ref=rss&id=7", "https://example.org/n?id=7"},
		"session params":              {"https://example.org/n?PHPSESSID=ab&sid=1&jsessionid=2&page=2", "https://example.org/n?page=2"},
		"jsessionid path param":       {"https://example.org/app/view;jsessionid=ABC123?x=1", "https://example.org/app/view?x=1"},
		"jsessionid after non-ASCII":  {"https://example.org/İİİİ;jsessionid=Z/next", "https://example.org/%C4%B0%C4%B0%C4%B0%C4%B0/next"},
		"JSESSIONID upper case":       {"https://example.org/app;JSESSIONID=Z/next", "https://example.org/app/next"},
		"sorted query":                {"https://example.org/s?b=2&a=3&a=1", "https://example.org/s?a=1&a=3&b=2"},
		"query encoding unified":      {"https://example.org/s?q=a%20b&r=%c3%b8", "https://example.org/s?q=a+b&r=%C3%B8"},
		"empty query dropped":         {"https://example.org/s?", "https://example.org/s"},
		"only tracking query":         {"https://example.org/s?utm_campaign=z", "https://example.org/s"},
		"dot segments":                {"https://example.org/a/b/../c/./d", "https://example.org/a/c/d"},
		"dot segments at end":         {"https://example.org/a/b/..", "https://example.org/a/"},
		"dot segments above root":     {"https://example.org/../../a", "https://example.org/a"},
		"unreserved escapes decoded":  {"https://example.org/%7Euser/%61", "https://example.org/~user/a"},
		"escape case":                 {"https://example.org/a%2fb", "https://example.org/a%2Fb"},
		"non-ascii path":              {"https://example.org/høring", "https://example.org/h%C3%B8ring"},
		"credentials dropped":         {"https://user:pw@example.org/a", "https://example.org/a"},
		"host trailing dot":           {"https://example.org./a", "https://example.org/a"},
		"ipv6 literal":                {"http://[::1]:80/a", "http://[::1]/a"},
		"liferay portlet params": {
			"https://www.coe.int/en/web/anti-human-trafficking/-/greta-report?p_p_id=101&p_p_lifecycle=0&p_p_state=normal&_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_aDbNlJDXRxKb_assetEntryId=1&_101_INSTANCE_xyz_redirect=%2Fen&delta=20&start=2",
			"https://www.coe.int/en/web/anti-human-trafficking/-/greta-report?delta=20&start=2",
		},
		"regjeringen bare host": {"https://regjeringen.no/no/dokumenter/x/id3167072/", "https://www.regjeringen.no/no/dokumenter/x/id3167072/"},
		"regjeringen nn":        {"https://www.regjeringen.no/nn/dokument/hoyringar/id1763/?page=2", "https://www.regjeringen.no/no/dokument/hoyringar/id1763/?page=2"},
		"regjeringen en":        {"https://www.regjeringen.no/en/dokumenter/x/id3167072/", "https://www.regjeringen.no/no/dokumenter/x/id3167072/"},
		"regjeringen ch showSvar": {
			"https://www.regjeringen.no/no/dokumenter/x/id3167072/?ch=2&showSvar=true",
			"https://www.regjeringen.no/no/dokumenter/x/id3167072/",
		},
		"ch kept elsewhere":   {"https://example.org/a?ch=2", "https://example.org/a?ch=2"},
		"nn kept elsewhere":   {"https://example.org/nn/a", "https://example.org/nn/a"},
		"regjeringen nn only": {"https://www.regjeringen.no/nn", "https://www.regjeringen.no/no"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := CanonicalURL(tc.in)
			if err != nil {
				t.Fatalf("CanonicalURL(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("CanonicalURL(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			again, err := CanonicalURL(got)
			if err != nil || again != got {
				t.Errorf("not idempotent: %q -> %q (%v)", got, again, err)
			}
		})
	}
}

func TestCanonicalURLRejects(t *testing.T) {
	for _, in := range []string{"", "/relative/path", "mailto:a@example.org", "javascript:alert(1)", "ftp://example.org/x", "http://", "http://exa mple.org/", "http://example.org:abc/"} {
		if got, err := CanonicalURL(in); err == nil {
			t.Errorf("CanonicalURL(%q) = %q, want an error", in, got)
		}
	}
}

func TestItemKey(t *testing.T) {
	tests := map[string]struct {
		siteID, guid, url string
		want              string
	}{
		"site id wins":          {"regjeringen:3167072", "3167072", "https://www.regjeringen.no/no/x/id3167072/", "regjeringen:3167072"},
		"opaque guid":           {"", "tag:example.org,2026:item-17", "https://example.org/a", "guid:tag:example.org,2026:item-17"},
		"numeric guid":          {"", " 3167072 ", "https://example.org/a", "guid:3167072"},
		"permalink guid":        {"", "HTTPS://Example.org/news/a?utm_source=rss#top", "https://example.org/other", "https://example.org/news/a"},
		"guid with controls":    {"", "abc\x00\u202edef", "", "guid:abcdef"},
		"canonical url":         {"", "", "https://Example.org/a?utm_source=x", "https://example.org/a"},
		"nothing":               {"", "", "", ""},
		"broken url kept clean": {"", "", "not a url", "not a url"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := ItemKey(tc.siteID, tc.guid, tc.url); got != tc.want {
				t.Errorf("ItemKey(%q, %q, %q) = %q, want %q", tc.siteID, tc.guid, tc.url, got, tc.want)
			}
		})
	}
}

func TestFallbackKey(t *testing.T) {
	d := time.Date(2026, 7, 3, 0, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		title string
		date  time.Time
		want  string
	}{
		"title and date": {"  Høring:  Ny  LOV\u202e ", d, "title:høring: ny lov|2026-07-03"},
		"undated":        {"Rapport 2026", time.Time{}, "title:rapport 2026"},
		"empty title":    {" \t", d, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := FallbackKey(tc.title, tc.date); got != tc.want {
				t.Errorf("FallbackKey(%q) = %q, want %q", tc.title, got, tc.want)
			}
		})
	}
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{
		"https://www.regjeringen.no/nn/dokument/hoyringar/id1763/?page=2&ch=1#x",
		"HTTP://Example.ORG:80/a/./b/../%7e?utm_source=x&b=1&a=2",
		"https://example.org/app;jsessionid=1/x?PHPSESSID=2",
		"http://[::1]:8080/%2f%2F?q=%zz",
		"https://example.org/a b/ø?q=a+b%20c&&x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := CanonicalURL(raw)
		if err != nil {
			return
		}
		again, err := CanonicalURL(c)
		if err != nil {
			t.Fatalf("canonical %q of %q does not canonicalise: %v", c, raw, err)
		}
		if again != c {
			t.Fatalf("not idempotent for %q:\n once  %q\n twice %q", raw, c, again)
		}
	})
}

func BenchmarkCanonicalURL(b *testing.B) {
	urls := []string{
		"https://www.regjeringen.no/nn/dokumenter/horing-endringer-i-straffeloven/id3167072/?ch=2&utm_source=rss&utm_medium=feed",
		"https://www.coe.int/en/web/anti-human-trafficking/-/greta-report?p_p_id=101&p_p_lifecycle=0&_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_aDbNlJDXRxKb_redirect=%2Fen",
		"HTTPS://Example.ORG:443/a/./b/../c/%7euser?b=2&a=1#frag",
		"https://www.unodc.org/unodc/en/press/releases/2023/July/unodc-report.html",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, u := range urls {
			if _, err := CanonicalURL(u); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestBoundKey(t *testing.T) {
	short := "guid:" + strings.Repeat("a", MaxKeyBytes-5)
	if got := BoundKey(short); got != short {
		t.Errorf("a key of %d bytes changed", len(short))
	}
	long := "guid:" + strings.Repeat("ø", 3000) // 6,005 bytes
	got := BoundKey(long)
	if len(got) > MaxKeyBytes || !utf8.ValidString(got) || !strings.HasPrefix(got, "guid:øøø") || !strings.Contains(got, "#sha256:") {
		t.Errorf("BoundKey(%d bytes) = %q (%d bytes)", len(long), got, len(got))
	}
	if BoundKey(long) != got {
		t.Error("BoundKey is not stable")
	}
	if other := BoundKey(long + "x"); other == got {
		t.Error("two long keys with the same start share a bound key")
	}
	// Through ItemKey: a feed GUID of thousands of characters.
	if k := ItemKey("", strings.Repeat("x", 5000), ""); len(k) > MaxKeyBytes || !strings.HasPrefix(k, "guid:xxx") {
		t.Errorf("ItemKey with a 5,000-character GUID = %d bytes", len(k))
	}
	if k := FallbackKey(strings.Repeat("Tittel ", 1000), time.Time{}); len(k) > MaxKeyBytes {
		t.Errorf("FallbackKey with a 7,000-byte title = %d bytes", len(k))
	}
}
