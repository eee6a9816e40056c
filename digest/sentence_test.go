package digest

import (
	"testing"
	"time"

	"watcher"
)

func TestDraftSentences(t *testing.T) {
	d := drafter{loc: oslo, year: 2023}
	const u = "https://example.org/doc"
	tests := map[string]struct {
		m    member
		want string
	}{
		"hearing, deadline this year": {
			member{it: watcher.Item{Title: "Høring om endringer i straffeloven", Ministries: []string{"Justis- og beredskapsdepartementet"},
				Published: day(2023, 8, 10), Deadline: day(2023, 11, 3)}, kind: watcher.KindHearing, region: watcher.RegionNorway, org: "Regjeringen"},
			"Justis- og beredskapsdepartementet sendte i august på høring forslag om endringer i straffeloven, se her. Høringsfrist er 3. november.",
		},
		"hearing, deadline next year": {
			member{it: watcher.Item{Title: "Høring - Forslag til ny lov om tiltak mot menneskehandel", Published: day(2023, 9, 1), Deadline: day(2024, 1, 8)},
				kind: watcher.KindHearing, region: watcher.RegionNorway, org: "Arbeids- og inkluderingsdepartementet"},
			"Arbeids- og inkluderingsdepartementet sendte i september på høring forslag til ny lov om tiltak mot menneskehandel, se her. Høringsfrist er 8. januar 2024.",
		},
		"hearing without a deadline": {
			member{it: watcher.Item{Title: "NOU 2023: 5 Bedre vern mot utnyttelse", Published: day(2023, 7, 3)},
				kind: watcher.KindHearing, region: watcher.RegionNorway, org: "Regjeringen"},
			"Regjeringen sendte i juli på høring NOU 2023: 5 Bedre vern mot utnyttelse, se her. Høringsfristen er ikke oppgitt.",
		},
		"hearing with a plain title": {
			member{it: watcher.Item{Title: "Endringer i utlendingsloven", Published: day(2023, 7, 3), Deadline: day(2023, 10, 1)},
				kind: watcher.KindHearing, region: watcher.RegionNorway, org: "Justis- og beredskapsdepartementet"},
			"Justis- og beredskapsdepartementet sendte i juli på høring forslag om endringer i utlendingsloven, se her. Høringsfrist er 1. oktober.",
		},
		"international hearing": {
			member{it: watcher.Item{Title: "Call for evidence: trafficking directive", Language: "en", Published: day(2023, 7, 3), Deadline: day(2023, 10, 1)},
				kind: watcher.KindHearing, region: watcher.RegionInternational, org: "EU-kommisjonen"},
			"EU-kommisjonen sendte i juli på høring «Call for evidence: trafficking directive», se her. Høringsfrist er 1. oktober.",
		},
		"report": {
			member{it: watcher.Item{Title: "Risk Analysis 2023", Language: "en", Published: day(2023, 9, 3)},
				kind: watcher.KindReport, region: watcher.RegionInternational, org: "Frontex"},
			"Frontex publiserte i september rapporten «Risk Analysis 2023», se her.",
		},
		"report from a body named with its parent": {
			member{it: watcher.Item{Title: "Fourth evaluation report on Norway", Language: "en", Published: day(2023, 9, 3)},
				kind: watcher.KindReport, region: watcher.RegionInternational, org: "GRETA/Europarådet"},
			"GRETA publiserte i september rapporten «Fourth evaluation report on Norway», se her.",
		},
		"nynorsk hearing": {
			member{it: watcher.Item{Title: "Høyring – framlegg om nye tiltak mot arbeidslivskriminalitet", Language: "nn",
				Ministries: []string{"Arbeids- og inkluderingsdepartementet"}, Published: day(2023, 7, 3), Deadline: day(2023, 10, 1)},
				kind: watcher.KindHearing, region: watcher.RegionNorway, org: "Regjeringen"},
			"Arbeids- og inkluderingsdepartementet sendte i juli på høring framlegg om nye tiltak mot arbeidslivskriminalitet, se her. Høringsfrist er 1. oktober.",
		},
		"short hearing with a capitalised title": {
			member{it: watcher.Item{Title: "Kort høring - Avskogingsforordningen og forbud mot eksport", Language: "nb",
				Ministries: []string{"Klima- og miljødepartementet"}, Published: day(2023, 7, 3), Deadline: day(2023, 8, 7)},
				kind: watcher.KindHearing, region: watcher.RegionNorway, org: "Regjeringen"},
			"Klima- og miljødepartementet sendte i juli på høring «Avskogingsforordningen og forbud mot eksport», se her. Høringsfrist er 7. august.",
		},
		"report from another year": {
			member{it: watcher.Item{Title: "Årsrapport", Published: day(2022, 12, 20)},
				kind: watcher.KindReport, region: watcher.RegionNorway, org: "Politiet"},
			"Politiet publiserte i desember 2022 rapporten «Årsrapport», se her.",
		},
		"plan with a generic title": {
			member{it: watcher.Item{Title: "Handlingsplan mot menneskehandel", Published: day(2023, 9, 3)},
				kind: watcher.KindPlan, region: watcher.RegionNorway, org: "Justis- og beredskapsdepartementet"},
			"Regjeringen la i september frem handlingsplan mot menneskehandel, se her.",
		},
		"bill": {
			member{it: watcher.Item{Title: "Prop. 12 L (2023–2024) Endringer i straffeloven", Published: day(2023, 8, 3)},
				kind: watcher.KindProposition, region: watcher.RegionNorway, org: "Regjeringen"},
			"Regjeringen la i august frem Prop. 12 L (2023–2024) Endringer i straffeloven, se her.",
		},
		"international strategy": {
			member{it: watcher.Item{Title: "EU Strategy on Combatting Trafficking", Language: "en", Published: day(2023, 8, 3)},
				kind: watcher.KindPlan, region: watcher.RegionInternational, org: "EU-kommisjonen"},
			"EU-kommisjonen la i august frem «EU Strategy on Combatting Trafficking», se her.",
		},
		"Norwegian news with an ingress": {
			member{it: watcher.Item{Title: "Aksjon", Published: day(2023, 9, 14),
				Summary: "Politiet har pågrepet to personer. De er siktet for menneskehandel. Saken etterforskes. Mer kommer."},
				kind: watcher.KindNews, region: watcher.RegionNorway, org: "Politiet"},
			"Politiet meldte i september at politiet har pågrepet to personer, se her. De er siktet for menneskehandel. Saken etterforskes.",
		},
		"news in English": {
			member{it: watcher.Item{Title: "27 arrested", Language: "en", Summary: "Police arrested 27.", Published: day(2023, 9, 14)},
				kind: watcher.KindNews, region: watcher.RegionInternational, org: "Europol"},
			"Europol meldte i september: «27 arrested», se her.",
		},
		"regulation": {
			member{it: watcher.Item{Title: "Forskrift om endring i utlendingsforskriften", Published: day(2023, 9, 14)},
				kind: watcher.KindRegulation, region: watcher.RegionNorway, org: "Lovdata"},
			"Lovdata kunngjorde i september «Forskrift om endring i utlendingsforskriften», se her.",
		},
		"event over two days with sign-up": {
			member{it: watcher.Item{Title: "Nordic conference", Published: day(2023, 8, 1),
				Event: &watcher.Event{Start: day(2023, 11, 14), End: day(2023, 11, 15), Place: "Oslo", SignupURL: "https://example.org/signup/"}},
				kind: watcher.KindEvent},
			"Nordic conference arrangeres 14.–15. november i Oslo, se her. Påmelding: example.org/signup.",
		},
		"event at a venue named after its town, long sign-up address": {
			member{it: watcher.Item{Title: "Nasjonal fagkonferanse om menneskehandel", Published: day(2023, 8, 1),
				Event: &watcher.Event{Start: day(2023, 11, 18), End: day(2023, 11, 19), Place: "Trondheim, trondheim",
					SignupURL: "https://www.regjeringen.no/no/aktuelt/nasjonal-fagkonferanse-om-menneskehandel/pamelding/id3102002/"}},
				kind: watcher.KindEvent},
			"Nasjonal fagkonferanse om menneskehandel arrangeres 18.–19. november i Trondheim, se her. Meld deg på her.",
		},
		"event across months and years": {
			member{it: watcher.Item{Title: "winter school", Published: day(2023, 8, 1),
				Event: &watcher.Event{Start: day(2023, 12, 30), End: day(2024, 1, 2), Place: "online"}}, kind: watcher.KindEvent},
			"Winter school arrangeres 30. desember 2023–2. januar 2024 digitalt, se her.",
		},
		"event across months": {
			member{it: watcher.Item{Title: "Kurs", Published: day(2023, 8, 1),
				Event: &watcher.Event{Start: day(2023, 11, 30), End: day(2023, 12, 1)}}, kind: watcher.KindEvent},
			"Kurs arrangeres 30. november–1. desember, se her.",
		},
		"event next year, one day": {
			member{it: watcher.Item{Title: "Seminar", Published: day(2023, 8, 1),
				Event: &watcher.Event{Start: at(2024, 2, 6, 9).UTC(), End: at(2024, 2, 6, 15).UTC(), Place: "Bergen"}}, kind: watcher.KindEvent},
			"Seminar arrangeres 6. februar 2024 i Bergen, se her.",
		},
		"event without date": {
			member{it: watcher.Item{Title: "Seminar", Published: day(2023, 8, 1), Event: &watcher.Event{Place: "Bergen"}}, kind: watcher.KindEvent},
			"Seminar arrangeres i Bergen (datoen er ikke oppgitt), se her.",
		},
		"event without date and place": {
			member{it: watcher.Item{Title: "Seminar", Published: day(2023, 8, 1)}, kind: watcher.KindEvent},
			"Tid og sted for «Seminar» er ikke oppgitt, se her.",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := spansText(d.draft(&tc.m, u))
			if got != tc.want {
				t.Errorf("draft =\n  %q\nwant\n  %q", got, tc.want)
			}
		})
	}
}

func TestDraftLinksSeHer(t *testing.T) {
	d := drafter{loc: oslo, year: 2023}
	m := member{it: watcher.Item{Title: "R", Published: day(2023, 8, 1)}, kind: watcher.KindReport, org: "UNODC"}
	spans := d.draft(&m, "https://example.org/r")
	var linked []Span
	for _, s := range spans {
		if s.URL != "" {
			linked = append(linked, s)
		}
	}
	if len(linked) != 1 || linked[0].Text != "se her" || linked[0].URL != "https://example.org/r" {
		t.Errorf("links = %+v, want one: «se her» to the document", linked)
	}
	if got := spansText(d.draft(&m, "")); got != "UNODC publiserte i august rapporten «R»." {
		t.Errorf("without a link: %q", got)
	}
}

func TestMonthInZone(t *testing.T) {
	d := drafter{loc: oslo, year: 2023}
	// 23:30 UTC on 31 July is 1 August in Oslo.
	if got := d.month(time.Date(2023, 7, 31, 23, 30, 0, 0, time.UTC)); got != "i august" {
		t.Errorf("month = %q, want i august", got)
	}
}
