package crawlers

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/dates"
)

func TestExtractPageFixtures(t *testing.T) {
	opt := dates.Options{Loc: oslo(t)}
	const base = "https://www.regjeringen.no/no/dokumenter/horing-menneskehandel/id3167072/"
	tests := map[string]struct {
		file        string
		sel         watcher.Selectors
		title       string
		description string
		published   time.Time
		deadline    time.Time
		attachments []watcher.Attachment
		event       *watcher.Event
		meta        map[string]string
		canonical   string
		textHas     []string
		textHasNot  []string
		problems    []string
	}{
		"hearing with pdfs and a deadline": {
			file: "item_hearing.html", sel: watcher.Selectors{Content: "#content"},
			title:       "Høring – endringer i straffeloven om menneskehandel",
			description: "Departementet foreslår endringer i straffeloven § 257 om menneskehandel.",
			published:   osloMidnight(t, 2026, 7, 3),
			deadline:    osloMidnight(t, 2026, 8, 7),
			attachments: []watcher.Attachment{
				// Named by the title attribute; the "#page=2" link is the same file.
				{Name: "Høringsnotat – endringer i straffeloven.pdf", URL: "https://www.regjeringen.no/contentassets/4f2c/horingsnotat.pdf"},
				{Name: "Vedlegg 1 – lovutkast", URL: "https://www.regjeringen.no/contentassets/4f2c/Vedlegg%201%20-%20lovutkast.DOCX?v=2"},
			},
			meta: map[string]string{
				"DC.Title": "Høring – endringer i straffeloven om menneskehandel", "DC.Creator": "Justis- og beredskapsdepartementet",
				"DC.Date": "2026-07-03", "DC.Type": "Horing", "DC.Language": "nb-NO", "og:type": "website",
			},
			canonical:  "https://www.regjeringen.no/no/dokumenter/horing-menneskehandel/id3167072/",
			textHas:    []string{"Høringsfrist: 07.08.2026", "Høringsfristen er fredag 7. august 2026."},
			textHasNot: []string{"Forsiden", "Om nettstedet", "tracking"},
		},
		"event with labelled lines": {
			file: "item_event.html", sel: watcher.Selectors{Content: "#content"},
			title:       "Fagseminar om menneskehandel og arbeidsutnytting",
			description: "Seminar for ansatte i kommuner, politi og frivillige organisasjoner.",
			published:   osloMidnight(t, 2026, 7, 1), // "Publisert: 1. juli 2026", found in the text
			deadline:    osloMidnight(t, 2026, 10, 1),
			attachments: []watcher.Attachment{{Name: "Program (PDF)", URL: "https://www.regjeringen.no/globalassets/program-fagseminar.pdf"}},
			event: &watcher.Event{
				Start: time.Date(2026, 10, 12, 10, 0, 0, 0, oslo(t)).UTC(),
				Place: "Oslo kongressenter, Youngs gate 21",
			},
		},
		"real hearing capture, content selector gone": {
			file: "real/hearing_id3167072.html", sel: watcher.Selectors{Content: "#no-such-element"},
			title:       "Kort høring - Avskogingsforordningen og forbud mot eksport til tredjeland",
			description: "Denne høringen gjelder innføring av forbud mot eksport til tredjeland av varer som omfattes både av avskogingsforordningen og av EØS-avtalen.",
			published:   osloMidnight(t, 2026, 7, 3),
			deadline:    osloMidnight(t, 2026, 8, 7),
			attachments: []watcher.Attachment{{
				Name: "Høringsnotat - Avskogingsforordningen – eksport til tredjeland - 03.07.2026.pdf",
				URL:  "https://www.regjeringen.no/contentassets/b04cfc23c69343ef800ce6a45f8cc456/horingsnotat-avskogingsforordningen-eksport-til-tredjeland-03.07.2026.pdf",
			}},
			canonical: "https://www.regjeringen.no/no/dokumenter/kort-horing-avskogingsforordningen-og-forbud-mot-eksport-til-tredjeland/id3167072/",
			textHas:   []string{"Status: På høring"},
			problems:  []string{"selector content matched nothing"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			info := ExtractPage(readFixture(t, tc.file), base, tc.sel, opt)
			if info.Title != tc.title || info.Description != tc.description {
				t.Errorf("title %q, description %q", info.Title, info.Description)
			}
			if !info.Published.Equal(tc.published) || !info.Deadline.Equal(tc.deadline) {
				t.Errorf("published %v deadline %v; want %v, %v", info.Published, info.Deadline, tc.published, tc.deadline)
			}
			if !reflect.DeepEqual(info.Attachments, tc.attachments) {
				t.Errorf("attachments:\n got %+v\nwant %+v", info.Attachments, tc.attachments)
			}
			if !reflect.DeepEqual(info.Event, tc.event) {
				t.Errorf("event: got %+v, want %+v", info.Event, tc.event)
			}
			if tc.meta != nil && !reflect.DeepEqual(info.Meta, tc.meta) {
				t.Errorf("meta:\n got %v\nwant %v", info.Meta, tc.meta)
			}
			if info.Canonical != tc.canonical {
				t.Errorf("canonical %q, want %q", info.Canonical, tc.canonical)
			}
			for _, s := range tc.textHas {
				if !strings.Contains(info.Text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range tc.textHasNot {
				if strings.Contains(info.Text, s) {
					t.Errorf("text holds %q from outside the content", s)
				}
			}
			if !reflect.DeepEqual(info.Problems, tc.problems) {
				t.Errorf("problems %q, want %q", info.Problems, tc.problems)
			}
		})
	}
}

func TestExtractPageSources(t *testing.T) {
	opt := dates.Options{Loc: oslo(t)}
	tests := map[string]struct {
		body      string
		published time.Time
		event     *watcher.Event
	}{
		"article:published_time wins": {
			body:      `<html><head><meta property="article:published_time" content="2026-05-02T10:00:00+02:00"><meta name="DC.Date" content="2026-05-01"></head><body><time datetime="2026-04-01">x</time></body></html>`,
			published: time.Date(2026, 5, 2, 8, 0, 0, 0, time.UTC),
		},
		"time element": {
			body:      `<html><body><article><p>Publisert <time datetime="2026-04-01T09:00:00Z">1. april</time></p></article></body></html>`,
			published: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC),
		},
		"json-ld event in a graph": {
			body: `<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage","datePublished":"2026-03-01"},` +
				`{"@type":["Thing","EducationEvent"],"startDate":"2026-10-12T10:00:00+02:00","endDate":"2026-10-13","location":{"@type":"Place","name":"Scandic Holmenkollen","address":{"addressLocality":"Oslo","addressCountry":"NO"}}}]}</script></head><body></body></html>`,
			published: osloMidnight(t, 2026, 3, 1),
			event: &watcher.Event{
				Start: time.Date(2026, 10, 12, 8, 0, 0, 0, time.UTC),
				End:   osloMidnight(t, 2026, 10, 13),
				Place: "Scandic Holmenkollen, Oslo, NO",
			},
		},
		"json-ld place with a postal code": {
			body: `<html><head><script type="application/ld+json">{"@type":"Event","startDate":"2026-10-15T09:00:00+02:00",` +
				`"location":{"@type":"Place","name":"Oslo kongressenter","address":{"@type":"PostalAddress","streetAddress":"Youngs gate 21","postalCode":"0181","addressLocality":"Oslo"}}}</script></head><body></body></html>`,
			event: &watcher.Event{
				Start: time.Date(2026, 10, 15, 7, 0, 0, 0, time.UTC),
				Place: "Oslo kongressenter, Youngs gate 21, 0181 Oslo",
			},
		},
		"broken json-ld is skipped": {
			body: `<html><head><script type="application/ld+json">{"@type": "Event", "startDate": </script></head><body><main>Dato: 03.07.2026</main></body></html>`,
			// A date line alone is no event; the date is found in the text.
			published: osloMidnight(t, 2026, 7, 3),
		},
		"english venue lines": {
			body: `<html><body><article><h1>Webinar</h1><p>Time: 24 September 2026, 14:00</p><p>Venue:</p><p>Online (Zoom)</p></article></body></html>`,
			event: &watcher.Event{
				Start: time.Date(2026, 9, 24, 14, 0, 0, 0, oslo(t)).UTC(),
				Place: "Online (Zoom)",
			},
			// The only date is the event's: no publication date.
		},
		"nothing to say": {
			body: `<p>Ingen dato her.</p>`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			info := ExtractPage([]byte(tc.body), "https://example.org/a", watcher.Selectors{}, opt)
			if !info.Published.Equal(tc.published) {
				t.Errorf("published %v, want %v", info.Published, tc.published)
			}
			if !reflect.DeepEqual(info.Event, tc.event) {
				t.Errorf("event:\n got %+v\nwant %+v", info.Event, tc.event)
			}
		})
	}
}

func TestExtractPageGarbage(t *testing.T) {
	for name, body := range map[string]string{
		"binary":         "\x00\x01\x02\xff\xfe%PDF-1.4",
		"unclosed tags":  strings.Repeat("<div><p><a href='x.pdf'>", 5000),
		"empty":          "",
		"huge json-ld":   `<script type="application/ld+json">[` + strings.Repeat(`{"@type":"Event"},`, 50000) + `{}]</script>`,
		"deep json-ld":   `<script type="application/ld+json">` + strings.Repeat(`{"@graph":[`, 500) + strings.Repeat(`]}`, 500) + `</script>`,
		"control titles": "<title>\u202eevil\x07</title><h1>\u202e\u2066x\u2069</h1>",
	} {
		t.Run(name, func(t *testing.T) {
			info := ExtractPage([]byte(body), "https://example.org/a/", watcher.Selectors{Content: "#c"}, dates.Options{})
			if len(info.Text) > textCap {
				t.Errorf("text of %d bytes exceeds the cap", len(info.Text))
			}
			if strings.ContainsAny(info.Title, "\u202e\u2066\u2069\x07") {
				t.Errorf("title keeps control characters: %q", info.Title)
			}
		})
	}
}

func TestFirstNonEmpty(t *testing.T) {
	if got := FirstNonEmpty("", " \t", "\n 2024-01-05 ", "b"); got != "2024-01-05" {
		t.Errorf("FirstNonEmpty = %q, want the first non-blank value, trimmed", got)
	}
	if got := FirstNonEmpty(" ", ""); got != "" {
		t.Errorf("FirstNonEmpty of blanks = %q", got)
	}
}
