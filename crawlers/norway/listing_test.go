package norway

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/dates"
)

const (
	realListingURL = "https://www.regjeringen.no/no/dokument/hoyringar/id1763/"
	realHearingURL = "https://www.regjeringen.no/no/dokumenter/kort-horing-avskogingsforordningen-og-forbud-mot-eksport-til-tredjeland/id3167072/"
)

var osloLoc = dates.Oslo()

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// day is midnight in Oslo of a date given as 2006-01-02.
func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02", s, osloLoc)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseHearingListingReal(t *testing.T) {
	body := readTestdata(t, "real/hoyringar_id1763_page-001.html")
	hs, next, total, problems := ParseHearingListing(body, realListingURL, osloLoc)
	if len(problems) > 0 {
		t.Errorf("problems on the real listing: %q", problems)
	}
	if len(hs) != 20 {
		t.Fatalf("got %d hearings, want 20", len(hs))
	}
	if want := realListingURL + "?page=2"; next != want {
		t.Errorf("next = %q, want %q", next, want)
	}
	if total != 6960 {
		t.Errorf("total = %d, want 6960", total)
	}
	keys := map[string]bool{}
	for i, h := range hs {
		switch {
		case h.Title == "", h.URL == "", h.Published.IsZero(), len(h.Ministries) == 0,
			h.Deadline.IsZero(), h.Status == watcher.StatusNone, h.StatusRaw == "", h.Summary == "":
			t.Errorf("hearing %d incomplete: %+v", i, h)
		}
		if h.Key != "regjeringen:"+h.ID || !strings.HasSuffix(h.URL, "/id"+h.ID+"/") {
			t.Errorf("hearing %d: key %q, id %q, url %q disagree", i, h.Key, h.ID, h.URL)
		}
		if !strings.HasPrefix(h.URL, "https://www.regjeringen.no/no/dokumenter/") {
			t.Errorf("hearing %d: url %q not absolute on the site", i, h.URL)
		}
		if keys[h.Key] {
			t.Errorf("hearing %d: key %q twice", i, h.Key)
		}
		keys[h.Key] = true
		if h.Deadline.Before(h.Published) {
			t.Errorf("hearing %d: deadline %v before published %v", i, h.Deadline, h.Published)
		}
	}

	tests := map[string]struct {
		index      int
		id         string
		title      string
		published  string
		deadline   string
		ministries []string
		statusRaw  string
		typeRaw    string
		lang       string
	}{
		"nynorsk entry first": {
			index: 0, id: "3168525",
			title:     "Høyring – framlegg om presiseringar i reglane om Nav si opplysingsplikt overfor skattestyresmaktene",
			published: "2026-07-03", deadline: "2026-08-14",
			ministries: []string{"Finansdepartementet"}, statusRaw: "På høyring", typeRaw: "Høyring", lang: "nn",
		},
		"the captured hearing": {
			index: 1, id: "3167072",
			title:     "Kort høring - Avskogingsforordningen og forbud mot eksport til tredjeland",
			published: "2026-07-03", deadline: "2026-08-07",
			ministries: []string{"Klima- og miljødepartementet"}, statusRaw: "På høring", typeRaw: "Høring", lang: "nb",
		},
		"three ministries": {
			index: 8, id: "3167619",
			title:     "Høring - Forslag til endringer i gjødselbrukforskriften",
			published: "2026-06-30", deadline: "2026-09-08",
			ministries: []string{"Landbruks- og matdepartementet", "Helse- og omsorgsdepartementet", "Klima- og miljødepartementet"},
			statusRaw:  "På høring", typeRaw: "Høring", lang: "nb",
		},
		"last entry": {
			index: 19, id: "3167508",
			title:     "Høyring – NOU 2026: 9 Veien mot et bedre og mer forutsigbart skattesystem",
			published: "2026-06-24", deadline: "2026-09-24",
			ministries: []string{"Finansdepartementet"}, statusRaw: "På høyring", typeRaw: "Høyring", lang: "nn",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := hs[tc.index]
			if h.ID != tc.id || h.Title != tc.title {
				t.Errorf("id/title = %q/%q, want %q/%q", h.ID, h.Title, tc.id, tc.title)
			}
			if !h.Published.Equal(day(t, tc.published)) {
				t.Errorf("published = %v, want %s", h.Published, tc.published)
			}
			if !h.Deadline.Equal(day(t, tc.deadline)) {
				t.Errorf("deadline = %v, want %s", h.Deadline, tc.deadline)
			}
			if !slices.Equal(h.Ministries, tc.ministries) {
				t.Errorf("ministries = %q, want %q", h.Ministries, tc.ministries)
			}
			if h.Status != watcher.StatusOpen || h.StatusRaw != tc.statusRaw {
				t.Errorf("status = %q/%q, want open/%q", h.Status, h.StatusRaw, tc.statusRaw)
			}
			if h.TypeRaw != tc.typeRaw || h.Language != tc.lang {
				t.Errorf("type/lang = %q/%q, want %q/%q", h.TypeRaw, h.Language, tc.typeRaw, tc.lang)
			}
		})
	}
	want := "Denne høringen gjelder innføring av forbud mot eksport til tredjeland av varer som omfattes både av avskogingsforordningen og av EØS-avtalen."
	if hs[1].Summary != want {
		t.Errorf("summary = %q, want %q", hs[1].Summary, want)
	}
}

// listingHTML builds a listing page in the real page's markup.
func listingHTML(entries []string, next string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="nn"><body><div class="results"><p class="count">Viser 1-20 av 1 234 treff.</p><ul class="listing" id="searchResultsListing">`)
	for _, e := range entries {
		b.WriteString(e)
	}
	b.WriteString(`</ul><ul class="pagination">`)
	if next != "" {
		b.WriteString(`<li class="next"><a href="` + next + `"></a></li>`)
	}
	b.WriteString(`</ul></div></body></html>`)
	return b.String()
}

// listingEntryHTML is one li.listItem as the site renders it.
func listingEntryHTML(path, title, date, typ, dept, deadline, status string) string {
	return `<li class="listItem"><h2 class="title"><a href="` + path + `">` + title + ` </a></h2>
<div class="info"><span class="date">` + date + `</span><span class="type">` + typ + `</span>
<span class="department">` + dept + `</span></div><p class="excerpts">Ingress for ` + title + `.</p>
<p class="event-details"><span class="event-details">` + deadline + `</span>
<span class="event-details-open">` + status + `</span></p></li>`
}

func TestParseHearingListingStatusesAndDrift(t *testing.T) {
	page := listingHTML([]string{
		listingEntryHTML("/no/dokumenter/a/id3000001/", "Under behandling-saken", "01.02.2026", "Høring",
			"Justis- og beredskapsdepartementet", "Høringsfrist: 01.04.2026", "Status: Under behandling"),
		listingEntryHTML("/no/dokumenter/b/id3000002/", "Ferdig-saken", "01.02.2025", "Høring",
			"Barne- og familiedepartementet", "Høringsfrist: 01.04.2025", "Status: Ferdigbehandlet"),
		listingEntryHTML("/no/dokumenter/c/id3000003/", "Rar status", "01.02.2026", "Høring",
			"", "", "Status: Avlyst"),
		listingEntryHTML("/no/dokumenter/uten-id/", "Uten id", "01.02.2026", "Høring",
			"Finansdepartementet", "Høringsfrist: 01.04.2026", "Status: På høring"),
	}, "")
	hs, next, total, problems := ParseHearingListing([]byte(page), realListingURL, osloLoc)
	if next != "" {
		t.Errorf("next = %q on the last page", next)
	}
	if total != 1234 {
		t.Errorf("total = %d, want 1234", total)
	}
	if len(hs) != 3 {
		t.Fatalf("got %d hearings, want 3 (the one without id is dropped)", len(hs))
	}
	if hs[0].Status != watcher.StatusDeadlinePassed || hs[1].Status != watcher.StatusConcluded {
		t.Errorf("statuses = %q, %q", hs[0].Status, hs[1].Status)
	}
	if hs[2].Status != watcher.StatusNone || hs[2].StatusRaw != "Avlyst" {
		t.Errorf("unknown status mapped to %q/%q", hs[2].Status, hs[2].StatusRaw)
	}
	for _, want := range []string{
		`listing entry 3 (id3000003): no ministry`,
		`listing entry 3 (id3000003): no deadline`,
		`listing entry 3 (id3000003): unknown status "Avlyst"`,
		`listing entry 4 ("Uten id"): no id(\d+) in link`,
	} {
		if !containsPrefix(problems, want) {
			t.Errorf("problems %q lack %q", problems, want)
		}
	}
}

func TestParseHearingListingLayoutGone(t *testing.T) {
	hs, _, total, problems := ParseHearingListing([]byte(`<html><body><p>Vedlikehold</p></body></html>`), realListingURL, osloLoc)
	if len(hs) != 0 || total != 0 {
		t.Errorf("got %d hearings, total %d from an empty page", len(hs), total)
	}
	if !containsPrefix(problems, "listing: no entries match") || !containsPrefix(problems, "listing: no p.count") {
		t.Errorf("problems = %q", problems)
	}
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func TestHearingStatus(t *testing.T) {
	tests := map[string]struct {
		raw  string
		want watcher.Status
		ok   bool
	}{
		"bokmål open":      {"Status: På høring", watcher.StatusOpen, true},
		"nynorsk open":     {"På høyring", watcher.StatusOpen, true},
		"deadline passed":  {"Under behandling", watcher.StatusDeadlinePassed, true},
		"concluded":        {"Ferdigbehandlet", watcher.StatusConcluded, true},
		"case and spacing": {"  status:  PÅ   HØRING ", watcher.StatusOpen, true},
		"unknown":          {"Avlyst", watcher.StatusNone, false},
		"empty":            {"", watcher.StatusNone, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := HearingStatus(tc.raw)
			if got != tc.want || ok != tc.ok {
				t.Errorf("HearingStatus(%q) = %q, %v; want %q, %v", tc.raw, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestListingPageURL(t *testing.T) {
	tests := map[string]struct {
		base string
		n    int
		want string
	}{
		"page 1 is bare":         {realListingURL, 1, realListingURL},
		"page 2":                 {realListingURL, 2, realListingURL + "?page=2"},
		"filter queries dropped": {realListingURL + "?documenttype=x&page=7", 3, realListingURL + "?page=3"},
		"fragment dropped":       {realListingURL + "#top", 1, realListingURL},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := listingPageURL(tc.base, tc.n)
			if err != nil || got != tc.want {
				t.Errorf("listingPageURL(%q, %d) = %q, %v; want %q", tc.base, tc.n, got, err, tc.want)
			}
		})
	}
}

func TestPageID(t *testing.T) {
	tests := map[string]string{
		realHearingURL: "3167072",
		"https://www.regjeringen.no/nn/dokumenter/slug-id-med-id/id3167072/?ch=2": "3167072",
		"/no/dokument/hoyringar/id1763/":                                          "1763",
		"https://www.regjeringen.no/no/dokumenter/uten-id/":                       "",
		"https://svar.regjeringen.no/nb/registrer_horingsuttalelse/H3167072/":     "",
	}
	for in, want := range tests {
		if got := PageID(in); got != want {
			t.Errorf("PageID(%q) = %q, want %q", in, got, want)
		}
	}
}
