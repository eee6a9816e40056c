package dates

import (
	"testing"
	"time"
)

var benchInputs = []string{
	"Thu, 17 Sep 2026 11:00:00 +0200",
	"2025-09-18T10:35:21Z",
	"Dato: 03.07.2026",
	"fredag 14. august 2026",
	"25. mars 2020 kl. 14",
	"July 24, 2023",
	"not a date at all",
}

var sinkTime time.Time

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t, _ := Parse(benchInputs[i%len(benchInputs)], Options{})
		sinkTime = t
	}
}

const benchHearing = `Høring – forslag til endringer i forskrift. Dato: 03.07.2026.
Status: På høring. For å unngå at saken forsinkes unødig har departementet i denne
høringssaken dessverre sett seg nødt til å sette en kort høringsfrist. Ved tekniske
problemer kan innspill med referanse 26/2371 i stedet sendes på e-post til
postmottak@kld.dep.no. Fristen for å gi innspill er 7. august 2026.`

func BenchmarkParseDeadline(b *testing.B) {
	pub := time.Date(2026, 7, 3, 0, 0, 0, 0, time.UTC)
	inputs := []string{"Høringsfrist: 07.08.2026", "Høyringsfristen er fredag 14. august.", benchHearing}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t, _ := ParseDeadline(inputs[i%len(inputs)], pub, Options{})
		sinkTime = t
	}
}

func BenchmarkFind(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkTime, _ = Find(benchHearing, Options{})
	}
}

func BenchmarkFromURL(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkTime, _, _ = FromURL("https://cbss.org/2023/07/01/finland-takes-over-the-presidency-of-the-cbss/")
	}
}
