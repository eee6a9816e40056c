package norway

import (
	"testing"
	"time"

	"watcher"
)

func TestParseArticlePageEvents(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, osloLoc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := map[string]struct {
		file string
		base string
		want watcher.Event
		kind watcher.DocKind
	}{
		"json-ld event": {
			file: "event_jsonld.html",
			base: "https://www.regjeringen.no/no/aktuelt/nasjonal-konferanse-om-menneskehandel-2026/id3170001/",
			want: watcher.Event{
				Start: at("2026-10-15 09:00"), End: at("2026-10-15 16:00"),
				Place:     "Oslo kongressenter, Youngs gate 21, 0181 Oslo",
				SignupURL: "https://www.regjeringen.no/no/aktuelt/nasjonal-konferanse-om-menneskehandel-2026/pamelding/id3170002/",
			},
			kind: watcher.KindEvent,
		},
		"labelled lines in nynorsk": {
			file: "event_labels.html",
			base: "https://www.regjeringen.no/no/aktuelt/webinar-om-identifisering/id3170100/",
			want: watcher.Event{
				Start: at("2026-09-12 10:00"), End: at("2026-09-12 11:30"),
				Place: "Digitalt (Teams)", SignupURL: "https://skjema.example.no/webinar-2026",
			},
			kind: watcher.KindEvent,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, problems := ParseArticlePage(readTestdata(t, tc.file), tc.base, osloLoc)
			if len(problems) > 0 {
				t.Errorf("problems: %q", problems)
			}
			if p.Event == nil {
				t.Fatal("no event")
			}
			got := *p.Event
			if !got.Start.Equal(tc.want.Start) || !got.End.Equal(tc.want.End) ||
				got.Place != tc.want.Place || got.SignupURL != tc.want.SignupURL {
				t.Errorf("event = %+v\nwant    %+v", got, tc.want)
			}
			if k := kindFromDCType(p.DCType); k != tc.kind {
				t.Errorf("kind from DC.Type %q = %q, want %q", p.DCType, k, tc.kind)
			}
		})
	}
}

// TestParseArticlePageEventBareLabels checks labels that stand alone with
// their value on the next line, as definition lists and some editors
// write them; only "Tid: …" on one line was read.
func TestParseArticlePageEventBareLabels(t *testing.T) {
	page := `<html lang="nb"><head><meta name="DC.Date" content="2026-08-25"><meta name="DC.Type" content="Kalender"></head><body>
<header class="article-header"><h1>Frokostmøte om menneskehandel</h1></header>
<div class="article-body"><p><strong>Tid:</strong></p><p>12. september 2026 kl. 08.30</p>
<p>Sted</p><p>Departementenes sikringsenhet, Akersgata 59</p></div></body></html>`
	p, _ := ParseArticlePage([]byte(page), "https://www.regjeringen.no/no/aktuelt/frokostmote/id3170300/", osloLoc)
	want := time.Date(2026, 9, 12, 8, 30, 0, 0, osloLoc)
	if p.Event == nil || !p.Event.Start.Equal(want) || p.Event.Place != "Departementenes sikringsenhet, Akersgata 59" {
		t.Errorf("event = %+v, want %v at Departementenes sikringsenhet, Akersgata 59", p.Event, want)
	}
}

// TestParseArticlePageEventDefinitionList checks event details in a
// definition list: the adapter's own line splitter did not break lines at
// <dt> and <dd>, so "Tid", its value, "Sted" and the place ran together
// into one line without a colon and the event was lost.
func TestParseArticlePageEventDefinitionList(t *testing.T) {
	page := `<html lang="nb"><head><meta name="DC.Date" content="2026-08-25"><meta name="DC.Type" content="Kalender"></head><body>
<header class="article-header"><h1>Dialogmøte om menneskehandel</h1></header>
<div class="article-body"><dl><dt>Tid</dt><dd>12. september 2026 kl. 10.00–11.30</dd><dt>Sted</dt><dd>Oslo</dd></dl></div></body></html>`
	p, _ := ParseArticlePage([]byte(page), "https://www.regjeringen.no/no/aktuelt/dialogmote/id3170400/", osloLoc)
	start, end := time.Date(2026, 9, 12, 10, 0, 0, 0, osloLoc), time.Date(2026, 9, 12, 11, 30, 0, 0, osloLoc)
	if p.Event == nil || !p.Event.Start.Equal(start) || !p.Event.End.Equal(end) || p.Event.Place != "Oslo" {
		t.Errorf("event = %+v, want %v–%v in Oslo", p.Event, start, end)
	}
}

// TestParseArticlePageEventMainEntity checks an Event that a WebPage
// node carries as its mainEntity: the adapter's own JSON-LD reader looked
// only at top-level and @graph nodes and missed it.
func TestParseArticlePageEventMainEntity(t *testing.T) {
	page := `<html lang="nb"><head><script type="application/ld+json">{"@context":"https://schema.org","@type":"WebPage","name":"Fagdag",` +
		`"mainEntity":{"@type":"Event","startDate":"2026-11-02T09:00:00+01:00","location":{"@type":"Place","name":"Bergen"}}}</script></head><body>
<header class="article-header"><h1>Fagdag om menneskehandel</h1></header></body></html>`
	p, _ := ParseArticlePage([]byte(page), "https://www.regjeringen.no/no/aktuelt/fagdag/id3170500/", osloLoc)
	want := time.Date(2026, 11, 2, 9, 0, 0, 0, osloLoc)
	if p.Event == nil || !p.Event.Start.Equal(want) || p.Event.Place != "Bergen" {
		t.Errorf("event = %+v, want %v in Bergen", p.Event, want)
	}
	if p.Meta["ld.type"] != "WebPage" {
		t.Errorf("ld.type = %q, want the page node's WebPage", p.Meta["ld.type"])
	}
}

func TestParseArticlePageNoEvent(t *testing.T) {
	// "Dato:" on regjeringen.no is the publication date, not an event time.
	page := `<html lang="nb"><body><header class="article-header"><h1>Ny rapport</h1></header>
<div class="article-info"><span class="type">Rapport</span><span class="date">Dato: 03.07.2026</span></div>
<div class="article-body"><p>Rapporten kan lastes ned. <a href="/x.pdf">Påmelding til nyhetsbrev</a></p></div></body></html>`
	p, _ := ParseArticlePage([]byte(page), "https://www.regjeringen.no/no/dokumenter/ny-rapport/id3170200/", osloLoc)
	if p.Event != nil {
		t.Errorf("event = %+v on a page that announces none", p.Event)
	}
	if !p.Published.Equal(day(t, "2026-07-03")) || p.TypeRaw != "Rapport" {
		t.Errorf("published/type = %v/%q", p.Published, p.TypeRaw)
	}
}
