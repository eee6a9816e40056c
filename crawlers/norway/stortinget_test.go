package norway

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"watcher"
	"watcher/crawlers"
	"watcher/crawlers/fetch"
)

func osloTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, osloLoc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseSessions(t *testing.T) {
	id, err := ParseSessions(readTestdata(t, "stortinget/sesjoner.json"))
	if err != nil || id != "2025-2026" {
		t.Errorf("ParseSessions = %q, %v; want 2025-2026", id, err)
	}
	for name, body := range map[string]string{
		"no current session": `{"sesjoner_liste": []}`,
		"not json":           `<html>Feil</html>`,
	} {
		if _, err := ParseSessions([]byte(body)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestStortingetHearings(t *testing.T) {
	hs, problems, err := ParseStortingetHearings(readTestdata(t, "stortinget/horinger.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 4 {
		t.Fatalf("got %d hearings, want 4", len(hs))
	}
	for _, want := range []string{
		"hearing 10005702: no committee (komite.navn)",
		"hearing 10005702: no cases (horing_sak_info_liste)",
	} {
		if !slices.Contains(problems, want) {
			t.Errorf("problems %q lack %q", problems, want)
		}
	}
	src := watcher.Source{ID: "stortinget-horinger", Kind: KindStortinget, Region: watcher.RegionNorway}
	now := osloTime(t, "2026-03-10 12:00")
	items := map[string]watcher.Item{}
	var itemProblems []string
	for _, h := range hs {
		it, p := stortingetItem(src, h, now, defaultStortingetSite)
		items[it.Key] = it
		itemProblems = append(itemProblems, p...)
	}

	tests := map[string]struct {
		key, title, org, url, typeRaw, summary string
		deadline                               time.Time
		status                                 watcher.Status
		statusRaw                              string
		event                                  *watcher.Event
		alt                                    []string
	}{
		"innspillsfrist wins; earliest sitting": {
			key:       "stortinget:horing:10005544",
			title:     "Høring: Endringer i straffeloven mv. (styrket vern mot menneskehandel og utnyttelse)",
			org:       "Stortinget – Justiskomiteen",
			url:       "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=104952",
			typeRaw:   "Høring",
			summary:   "Prop. 58 L (2025–2026). Anmodning om å delta må sendes innen fristen",
			deadline:  osloTime(t, "2026-03-20 12:00"),
			status:    watcher.StatusOpen,
			statusRaw: "Planlagt",
			event:     &watcher.Event{Start: osloTime(t, "2026-03-26 09:00"), Place: "Stortingets komitéhus, Høringssal 2"},
		},
		"written hearing, deadline passed": {
			key:       "stortinget:horing:10005601",
			title:     "Høring: Representantforslag om bedre oppfølging av ofre for arbeidslivskriminalitet og menneskehandel",
			org:       "Stortinget – Arbeids- og sosialkomiteen",
			url:       "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=104811",
			typeRaw:   "Skriftlig høring",
			summary:   "Dokument 8:112 S (2025–2026)",
			deadline:  osloTime(t, "2026-02-27 12:00"),
			status:    watcher.StatusDeadlinePassed,
			statusRaw: "Avholdt",
		},
		"anmodningsfrist fallback; two cases": {
			key:       "stortinget:horing:10005650",
			title:     "Høring: Endringer i barnevernsloven (enslige mindreårige) / Tiltak mot utnyttelse av barn og unge",
			org:       "Stortinget – Familie- og kulturkomiteen",
			url:       "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=104990",
			alt:       []string{"https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=104991"},
			typeRaw:   "Høring",
			summary:   "Prop. 71 L (2025–2026). Meld. St. 14 (2025–2026)",
			deadline:  osloTime(t, "2026-04-07 12:00"),
			status:    watcher.StatusOpen,
			statusRaw: "Planlagt",
			event:     &watcher.Event{Start: osloTime(t, "2026-04-14 10:00"), Place: "Stortingets komitéhus, Høringssal 1"},
		},
		"fields missing": {
			key:       "stortinget:horing:10005702",
			title:     "Høring på Stortinget",
			org:       "Stortinget",
			typeRaw:   "Høring",
			statusRaw: "Planlagt med forbehold",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			it, ok := items[tc.key]
			if !ok {
				t.Fatalf("no item %s", tc.key)
			}
			if it.Title != tc.title || it.Organisation != tc.org || it.URL != tc.url || it.TypeRaw != tc.typeRaw {
				t.Errorf("title/org/url/type = %q / %q / %q / %q", it.Title, it.Organisation, it.URL, it.TypeRaw)
			}
			if it.Summary != tc.summary {
				t.Errorf("summary = %q, want %q", it.Summary, tc.summary)
			}
			if !it.Deadline.Equal(tc.deadline) || it.Status != tc.status || it.StatusRaw != tc.statusRaw {
				t.Errorf("deadline/status = %v %q %q; want %v %q %q", it.Deadline, it.Status, it.StatusRaw, tc.deadline, tc.status, tc.statusRaw)
			}
			if !slices.Equal(it.AltURLs, tc.alt) {
				t.Errorf("alt urls = %q, want %q", it.AltURLs, tc.alt)
			}
			switch {
			case tc.event == nil && it.Event != nil:
				t.Errorf("event = %+v, want none", it.Event)
			case tc.event != nil && (it.Event == nil || !it.Event.Start.Equal(tc.event.Start) || it.Event.Place != tc.event.Place):
				t.Errorf("event = %+v, want %+v", it.Event, tc.event)
			}
			if it.Kind != watcher.KindHearing || it.Region != watcher.RegionNorway || it.Language != "nb" {
				t.Errorf("kind/region/lang = %q/%q/%q", it.Kind, it.Region, it.Language)
			}
		})
	}
	if !items["stortinget:horing:10005544"].Published.Equal(osloTime(t, "2026-03-02 10:15")) {
		t.Errorf("published = %v", items["stortinget:horing:10005544"].Published)
	}
	for _, want := range []string{
		"stortinget:horing:10005702: no case id for a link (horing_sak_info_liste[].sak_id)",
		"stortinget:horing:10005702: no case title",
	} {
		if !slices.Contains(itemProblems, want) {
			t.Errorf("item problems %q lack %q", itemProblems, want)
		}
	}
}

func TestParseStortingetHearingsTolerance(t *testing.T) {
	tests := map[string]struct {
		body     string
		ids      []string
		problem  string
		parseErr bool
	}{
		"horing_id instead of id": {body: `{"horinger_liste":[{"horing_id":"42","komite":{"navn":"Justiskomiteen"},"horing_sak_info_liste":[{"sak_id":1,"sak_tittel":"Sak"}]}]}`, ids: []string{"42"}},
		"no id at all":            {body: `{"horinger_liste":[{"komite":{"navn":"Justiskomiteen"}}]}`, problem: "hearing #1: no id (horing_id, id)"},
		"bad date":                {body: `{"horinger_liste":[{"id":7,"innspillsfrist":"i morgen","komite":{"navn":"K"},"horing_sak_info_liste":[{"sak_id":1,"sak_tittel":"S"}]}]}`, ids: []string{"7"}, problem: "hearing 7: innspillsfrist: "},
		"list missing":            {body: `{"sesjon_id":"2025-2026"}`, problem: "hearings: no horinger_liste in the export"},
		"empty list is no fault":  {body: `{"horinger_liste":[]}`},
		"not json":                {body: `Internal Server Error`, parseErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			hs, problems, err := ParseStortingetHearings([]byte(tc.body))
			if (err != nil) != tc.parseErr {
				t.Fatalf("err = %v, want error %v", err, tc.parseErr)
			}
			var ids []string
			for _, h := range hs {
				ids = append(ids, h.ID)
			}
			if !slices.Equal(ids, tc.ids) {
				t.Errorf("ids = %q, want %q", ids, tc.ids)
			}
			if tc.problem == "" && len(problems) > 0 {
				t.Errorf("problems = %q, want none", problems)
			}
			if tc.problem != "" && !containsPrefix(problems, tc.problem) {
				t.Errorf("problems = %q, want one starting %q", problems, tc.problem)
			}
		})
	}
}

func stortingetSource(site *testSite) watcher.Source {
	return watcher.Source{
		ID: "stortinget-horinger", Name: "Stortinget: høringer", Kind: KindStortinget,
		Organisation: "Stortinget", Region: watcher.RegionNorway, DocKind: watcher.KindHearing,
		URLs: []string{site.URL + "/eksport/"}, Language: "nb",
	}
}

func TestStortingetCrawl(t *testing.T) {
	now := osloTime(t, "2026-03-10 12:00")
	const hearingsKey = "/eksport/horinger?sesjonid=2025-2026&format=json"
	site := newTestSite(t)
	site.handle("/eksport/sesjoner?format=json", "application/json", readTestdata(t, "stortinget/sesjoner.json"))
	site.handle(hearingsKey, "application/json; charset=utf-8", readTestdata(t, "stortinget/horinger.json"))

	res, err := stortingetKind{}.Crawl(context.Background(), testEnv(t, now, nil), stortingetSource(site))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 4 || res.Requests != 2 {
		t.Errorf("items %d, requests %d; want 4 and 2", len(res.Items), res.Requests)
	}
	if len(res.Validators) != 1 {
		t.Errorf("validators = %+v, want the hearings export's", res.Validators)
	}
	if !containsPrefix(res.Problems, "hearing 10005702: no committee") {
		t.Errorf("problems = %q", res.Problems)
	}
	hits := site.takeHits()
	if hits["/eksport/sesjoner?format=json"] != 1 || hits[hearingsKey] != 1 {
		t.Errorf("requests = %v", hits)
	}

	t.Run("configured session skips sesjoner", func(t *testing.T) {
		src := stortingetSource(site)
		src.Options = map[string]string{"session": "2025-2026"}
		res, err := stortingetKind{}.Crawl(context.Background(), testEnv(t, now, nil), src)
		if err != nil || len(res.Items) != 4 {
			t.Fatalf("items %d, err %v", len(res.Items), err)
		}
		if hits := site.takeHits(); hits["/eksport/sesjoner?format=json"] != 0 {
			t.Errorf("sesjoner asked despite the configured session: %v", hits)
		}
	})

	t.Run("hearings export answering 500", func(t *testing.T) {
		site.handleStatus(hearingsKey, 500, "text/html", []byte("<h1>Runtime Error</h1>"))
		_, err := stortingetKind{}.Crawl(context.Background(), testEnv(t, now, nil), stortingetSource(site))
		var fe *fetch.FetchError
		if !errors.As(err, &fe) || crawlers.Classify(err) != watcher.ErrHTTP {
			t.Fatalf("err = %v (class %q), want an http fetch error", err, crawlers.Classify(err))
		}
	})

	t.Run("sessions not json", func(t *testing.T) {
		site.handle("/eksport/sesjoner?format=json", "text/html", []byte("<html>Vedlikehold</html>"))
		_, err := stortingetKind{}.Crawl(context.Background(), testEnv(t, now, nil), stortingetSource(site))
		if crawlers.Classify(err) != watcher.ErrParse {
			t.Errorf("err = %v (class %q), want parse", err, crawlers.Classify(err))
		}
	})
}
