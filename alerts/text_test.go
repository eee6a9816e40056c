package alerts

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"watcher"
	"watcher/dates"
)

var oslo = dates.Oslo()

// day returns midnight of a date in Oslo. Items hold it in UTC, as the
// adapters (through the dates package) and the store do: see hearing.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, oslo) }

// at returns a time of day in Oslo.
func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, oslo) }

func hearing(key, title string, deadline time.Time) watcher.Item {
	return watcher.Item{
		Key:        key,
		SourceID:   "regjeringen-horinger",
		URL:        "https://www.regjeringen.no/no/dokumenter/" + strings.TrimPrefix(key, "regjeringen:") + "/",
		Title:      title,
		Summary:    "Justis- og beredskapsdepartementet sender på høring forslag om å styrke vernet for ofre for menneskehandel.",
		Kind:       watcher.KindHearing,
		Ministries: []string{"Justis- og beredskapsdepartementet"},
		Deadline:   deadline.UTC(),
		Status:     watcher.StatusOpen,
		Relevance: watcher.Relevance{Score: 25, Relevant: true, Matches: []watcher.Match{
			{Term: "menneskehandel", Field: "title", Weight: 15},
			{Term: "menneskehandel", Field: "summary", Weight: 10},
			{Term: "utnyttelsesgrad", Field: "text", Weight: -3},
			{Term: "tvangsarbeid", Field: "text", Weight: 5},
		}},
	}
}

const title = "Høring – endringer i utlendingsforskriften om beskyttelse for ofre for menneskehandel"

// TestTexts checks every alert text against its exact Norwegian wording.
func TestTexts(t *testing.T) {
	it := hearing("regjeringen:3167072", title, day(2023, 11, 6))
	moved := it
	moved.Deadline = day(2023, 11, 20)
	closedIt := it
	closedIt.Status = watcher.StatusDeadlinePassed
	noDeadline := it
	noDeadline.Key, noDeadline.Deadline, noDeadline.Ministries, noDeadline.Organisation = "eu:consultation", time.Time{}, nil, "Europakommisjonen"
	noDeadline.URL, noDeadline.Summary = "https://example.eu/c/1", ""
	noDeadline.Relevance = watcher.Relevance{Score: 1.5, Matches: []watcher.Match{{Term: "utnyttelse", Field: "title", Weight: 1.5}}}
	now := at(2023, 10, 30, 9)

	tests := map[string]struct {
		in            PlanInput
		key           string
		subject, body string
	}{
		"new hearing": {
			in:      PlanInput{Now: now, New: []watcher.Item{it}},
			key:     "new:regjeringen:3167072",
			subject: "Ny høring: " + title,
			body: title + "\n\n" +
				"Høringsfrist 6. november 2023 (om 7 dager).\n" +
				"Departement: Justis- og beredskapsdepartementet\n\n" +
				"Justis- og beredskapsdepartementet sender på høring forslag om å styrke vernet for ofre for menneskehandel.\n\n" +
				"Treff: menneskehandel (tittel, ingress), tvangsarbeid (tekst)\n\n" +
				"Lenke: https://www.regjeringen.no/no/dokumenter/3167072/\n",
		},
		"new consultation without deadline or ministry": {
			in:      PlanInput{Now: now, New: []watcher.Item{noDeadline}, Included: map[string]bool{"eu:consultation": true}},
			key:     "new:eu:consultation",
			subject: "Ny høring: " + title,
			body: title + "\n\n" +
				"Høringsfristen er ikke oppgitt.\n" +
				"Utgiver: Europakommisjonen\n\n" +
				"Treff: utnyttelse (tittel)\n\n" +
				"Tatt med av redaktøren.\n\n" +
				"Lenke: https://example.eu/c/1\n",
		},
		"reminder": {
			in:      PlanInput{Now: now, Open: []watcher.Item{it}},
			key:     "reminder:regjeringen:3167072:2023-11-06:7",
			subject: "Påminnelse: høringsfristen for «" + title + "» er 6. november 2023 (om 7 dager)",
			body: "Påminnelse: høringsfristen for «" + title + "» er 6. november 2023 (om 7 dager).\n" +
				"Departement: Justis- og beredskapsdepartementet\n\n" +
				"Lenke: https://www.regjeringen.no/no/dokumenter/3167072/\n",
		},
		"reminder on the day": {
			in:      PlanInput{Now: at(2023, 11, 6, 23), Open: []watcher.Item{it}},
			key:     "reminder:regjeringen:3167072:2023-11-06:2",
			subject: "Påminnelse: høringsfristen for «" + title + "» er 6. november 2023 (i dag)",
			body: "Påminnelse: høringsfristen for «" + title + "» er 6. november 2023 (i dag).\n" +
				"Departement: Justis- og beredskapsdepartementet\n\n" +
				"Lenke: https://www.regjeringen.no/no/dokumenter/3167072/\n",
		},
		"deadline moved": {
			in: PlanInput{Now: now, Changed: map[string]watcher.Item{it.Key: moved}, Changes: []watcher.Change{
				{Key: it.Key, Field: "deadline", Old: "2023-11-06", New: "2023-11-20", At: now},
			}},
			key:     "moved:regjeringen:3167072:2023-11-06:2023-11-20",
			subject: "Høringsfristen er flyttet: " + title,
			body: "Høringsfristen for «" + title + "» er flyttet fra 6. november 2023 til 20. november 2023 (om 21 dager).\n" +
				"Departement: Justis- og beredskapsdepartementet\n\n" +
				"Lenke: https://www.regjeringen.no/no/dokumenter/3167072/\n",
		},
		"status changed": {
			in: PlanInput{Now: now, Changed: map[string]watcher.Item{it.Key: closedIt}, Changes: []watcher.Change{
				{Key: it.Key, Field: "status", Old: "open", New: "deadline_passed", At: now},
			}},
			key:     "status:regjeringen:3167072:open:deadline_passed",
			subject: "Ny status for høringen: " + title,
			body: "Høringen «" + title + "» har endret status fra «på høring» til «høringsfristen er ute».\n" +
				"Høringsfrist 6. november 2023 (om 7 dager).\n" +
				"Departement: Justis- og beredskapsdepartementet\n\n" +
				"Lenke: https://www.regjeringen.no/no/dokumenter/3167072/\n",
		},
		"source unreachable": {
			in: PlanInput{Now: at(2026, 3, 4, 6), Health: []HealthChange{{
				SourceID: "europol-news", Name: "Europol", From: watcher.HealthHealthy, To: watcher.HealthUnreachable,
				At: at(2026, 3, 3, 6), Detail: "GET https://www.europol.europa.eu/: connection refused",
			}}},
			key:     "health:europol-news:unreachable:" + itoa(at(2026, 3, 3, 6).Unix()),
			subject: "Kilden «Europol» er nå utilgjengelig",
			body: "Kilden «Europol» er nå utilgjengelig (siden 3. mars 2026): GET https://www.europol.europa.eu/: connection refused.\n" +
				"Forrige tilstand: i orden.\n" +
				"Nye saker fra kilden kan mangle til feilen er rettet. Se `watcher check europol-news`.\n",
		},
		"source broken at its first check": {
			in: PlanInput{Now: at(2026, 3, 4, 6), Health: []HealthChange{{
				SourceID: "nspm", Name: "NSPM", From: watcher.HealthUnknown, To: watcher.HealthBroken,
				At: at(2026, 3, 4, 6), Detail: "innholdet kunne ikke leses",
			}}},
			key:     "health:nspm:broken:" + itoa(at(2026, 3, 4, 6).Unix()),
			subject: "Kilden «NSPM» er nå ødelagt",
			body: "Kilden «NSPM» er nå ødelagt (siden 4. mars 2026): innholdet kunne ikke leses.\n" +
				"Dette var første sjekk av kilden.\n" +
				"Nye saker fra kilden kan mangle til feilen er rettet. Se `watcher check nspm`.\n",
		},
		"source recovered": {
			in: PlanInput{Now: at(2026, 3, 5, 6), Health: []HealthChange{{
				SourceID: "europol-news", Name: "Europol", From: watcher.HealthBlocked, To: watcher.HealthHealthy,
				At: at(2026, 3, 5, 6),
			}}},
			key:     "health:europol-news:healthy:" + itoa(at(2026, 3, 5, 6).Unix()),
			subject: "Kilden «Europol» er nå i orden",
			body: "Kilden «Europol» er nå i orden (siden 5. mars 2026).\n" +
				"Forrige tilstand: blokkert.\n" +
				"Ingen handling er nødvendig.\n",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := Plan(tc.in)
			a, ok := find(got, tc.key)
			if !ok {
				t.Fatalf("no alert %q in %v", tc.key, keys(got))
			}
			if a.Subject != tc.subject {
				t.Errorf("subject\n got %q\nwant %q", a.Subject, tc.subject)
			}
			if a.Body != tc.body {
				t.Errorf("body\n got %q\nwant %q", a.Body, tc.body)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := map[string]struct {
		in   string
		n    int
		want string
	}{
		"short":         {"Kort tekst.", 20, "Kort tekst."},
		"at a space":    {"Regjeringen foreslår nye regler mot menneskehandel", 30, "Regjeringen foreslår nye…"},
		"counts runes":  {"æøå æøå æøå", 7, "æøå æøå…"},
		"one long word": {strings.Repeat("x", 12), 5, "xxxxx…"},
	}
	for name, tc := range tests {
		if got := truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("%s: truncate(%q, %d) = %q, want %q", name, tc.in, tc.n, got, tc.want)
		}
	}
}

func find(as []watcher.Alert, key string) (watcher.Alert, bool) {
	for _, a := range as {
		if a.Key == key {
			return a, true
		}
	}
	return watcher.Alert{}, false
}

func keys(as []watcher.Alert) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Key
		if a.Audience == AudienceNone {
			out[i] += " (covered)"
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestHealthDetail(t *testing.T) {
	tests := []struct {
		class watcher.ErrClass
		err   string
		want  string
	}{
		{watcher.ErrNetwork, "dial tcp: connection refused", "nettverksfeil (dial tcp: connection refused)"},
		{watcher.ErrLayout, watcher.ZeroItems, "siden ga ingen saker der den før ga saker (endret utforming?)"},
		{watcher.ErrLayout, "source s: the html kind needs selectors", "siden ga ingen saker der den før ga saker (endret utforming?) (source s: the html kind needs selectors)"},
		{watcher.ErrNone, "", ""},
		{watcher.ErrBlocked, "", "nettstedet avviser oss (403/429 eller en utfordringsside)"},
	}
	for _, tc := range tests {
		if got := HealthDetail(tc.class, tc.err); got != tc.want {
			t.Errorf("HealthDetail(%q, %q) = %q, want %q", tc.class, tc.err, got, tc.want)
		}
	}
}
