package digest

import (
	"reflect"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := map[string][]string{
		"Én. To! Tre?":                          {"Én.", "To!", "Tre?"},
		"Se bl.a. Norge. Neste.":                {"Se bl.a. Norge.", "Neste."},
		"Mr. Smith came. He left.":              {"Mr. Smith came.", "He left."},
		"Det var 3. november. 12 ble pågrepet.": {"Det var 3. november.", "12 ble pågrepet."},
		"Versjon 2.1 kom.  Den er bra.":         {"Versjon 2.1 kom.", "Den er bra."},
		`Han sa «nei.» Så gikk han.`:            {`Han sa «nei.»`, "Så gikk han."},
		"ingen punktum":                         {"ingen punktum"},
		"":                                      nil,
		"Rapporten (jf. kap. 3) kom. Mer følger her.": {"Rapporten (jf. kap. 3) kom.", "Mer følger her."},
	}
	for in, want := range tests {
		if got := sentences(in); !reflect.DeepEqual(got, want) {
			t.Errorf("sentences(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLowerFirst(t *testing.T) {
	tests := map[string]string{
		"Politiet har pågrepet": "politiet har pågrepet",
		"NOU 2023: 5":           "NOU 2023: 5",
		"Prop. 12 L":            "Prop. 12 L",
		"GRETA mener":           "GRETA mener",
		"EUs forslag":           "EUs forslag",
		"allerede liten":        "allerede liten",
		"Øst-Europa":            "Øst-Europa",
		"Økt innsats":           "økt innsats",
		"Oslo politidistrikt":   "Oslo politidistrikt",
		"Arbeidstilsynet har":   "Arbeidstilsynet har",
		"Endringer, nye regler": "endringer, nye regler",
		"":                      "",
	}
	for in, want := range tests {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHearingObject(t *testing.T) {
	tests := map[string]string{
		"Høring om endringer i straffeloven":           "forslag om endringer i straffeloven",
		"Høring – forslag til endringer i loven":       "forslag til endringer i loven",
		"Høring: Utkast til ny forskrift":              "utkast til ny forskrift",
		"Høyring om nye reglar":                        "forslag om nye reglar",
		"Høringsnotat - Endringer i utlendingsloven":   "forslag om endringer i utlendingsloven",
		"Høring av NOU 2023: 5 Bedre vern":             "NOU 2023: 5 Bedre vern",
		"Forslag til lov om tiltak mot menneskehandel": "forslag til lov om tiltak mot menneskehandel",
		"Høring": "«Høring»",
		// Titles from the real listing of regjeringen.no (July 2026).
		"Høyring – framlegg om presiseringar i reglane om Nav si opplysingsplikt":   "framlegg om presiseringar i reglane om Nav si opplysingsplikt",
		"Kort høring - Avskogingsforordningen og forbud mot eksport til tredjeland": "«Avskogingsforordningen og forbud mot eksport til tredjeland»",
		"Høring - Selskapers bevegelighet over landegrensene i EØS":                 "«Selskapers bevegelighet over landegrensene i EØS»",
		"Høring av forslag til endringer i forskrift om kost-nytteanalyse":          "forslag til endringer i forskrift om kost-nytteanalyse",
		"Høring - NOU 2026: 8 Samarbeid og informasjonsdeling":                      "NOU 2026: 8 Samarbeid og informasjonsdeling",
		"Høyring – NOU 2026: 9 Veien mot et bedre skattesystem":                     "NOU 2026: 9 Veien mot et bedre skattesystem",
		"Høring – Endringer i personopplysningsloven":                               "forslag om endringer i personopplysningsloven",
		"Høring om forslag til forskrift om unntak fra åpenhetsloven":               "forslag til forskrift om unntak fra åpenhetsloven",
		"Forenklet høring: Endringar i reglane":                                     "forslag om endringar i reglane",
		"Høring – EØS-avtalen og nye regler":                                        "EØS-avtalen og nye regler",
		"Høring – Prop. 12 L om menneskehandel":                                     "Prop. 12 L om menneskehandel",
		"Høring om Oslo kommunes plan":                                              "«Oslo kommunes plan»",
	}
	for in, want := range tests {
		if got := hearingObject(in, true); got != want {
			t.Errorf("hearingObject(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextSpans(t *testing.T) {
	const p = "https://example.org/p"
	tests := []struct {
		text, primary string
		want          []Span
	}{
		{"Les rapporten, se her. Mer.", p, []Span{{Text: "Les rapporten, "}, {Text: "se her", URL: p}, {Text: ". Mer."}}},
		{"Se her for mer.", p, []Span{{Text: "Se her", URL: p}, {Text: " for mer."}}},
		{"Rapporten kom.", p, []Span{{Text: "Rapporten kom. "}, {Text: "Se her", URL: p}, {Text: "."}}},
		{"Rapporten kom", p, []Span{{Text: "Rapporten kom, "}, {Text: "se her", URL: p}, {Text: "."}}},
		{"Les [rapporten](https://a.example/r) nå.", p, []Span{{Text: "Les "}, {Text: "rapporten", URL: "https://a.example/r"}, {Text: " nå."}}},
		{"Farlig [lenke](javascript:alert(1)) her.", "", []Span{{Text: "Farlig lenke her."}}},
		{"Se [wiki](https://en.example.org/Trafficking_(law)).", "", []Span{{Text: "Se "}, {Text: "wiki", URL: "https://en.example.org/Trafficking_(law)"}, {Text: "."}}},
		{"Uten lenke.", "", []Span{{Text: "Uten lenke."}}},
		{"İstanbul-protokollen, se her.", p, []Span{{Text: "İstanbul-protokollen, "}, {Text: "se her", URL: p}, {Text: "."}}},
		{"[a](<https://a.example/x y>)", "", []Span{{Text: "[a](<https://a.example/x y>)"}}},
		{"Klammer [uten] lenke.", "", []Span{{Text: "Klammer [uten] lenke."}}},
	}
	for _, tc := range tests {
		if got := textSpans(tc.text, tc.primary); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("textSpans(%q) = %+v, want %+v", tc.text, got, tc.want)
		}
	}
}

func TestMarkdownEscape(t *testing.T) {
	tests := map[string]string{
		"plain text, æøå":      "plain text, æøå",
		"*bold* and _it_":      `\*bold\* and \_it\_`,
		"snake_case_name":      "snake_case_name",
		"[not a link](x)":      `\[not a link\](x)`,
		"<b>tag</b>":           `\<b>tag\</b>`,
		"a `code` span":        "a \\`code\\` span",
		`back\slash`:           `back\\slash`,
		"AT&T and &amp; &#39;": `AT&T and \&amp; \&#39;`,
		"~~struck~~":           `\~\~struck\~\~`,
		"2023/2024 – 50 % økt": "2023/2024 – 50 % økt",
	}
	for in, want := range tests {
		if got := mdEscape(in); got != want {
			t.Errorf("mdEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdownSpans(t *testing.T) {
	tests := []struct {
		in   []Span
		want string
	}{
		{[]Span{{Text: "# Ikke overskrift"}}, `\# Ikke overskrift`},
		{[]Span{{Text: "- ikke liste"}}, `\- ikke liste`},
		{[]Span{{Text: "> ikke sitat"}}, `\> ikke sitat`},
		{[]Span{{Text: "2023. Et år"}}, `2023\. Et år`},
		{[]Span{{Text: "1) punkt"}}, `1\) punkt`},
		{[]Span{{Text: "Se "}, {Text: "her", URL: "https://example.org/a (b)"}}, "Se [her](https://example.org/a%20%28b%29)"},
		{[]Span{{Text: "[x]", URL: "https://example.org/"}}, `[\[x\]](https://example.org/)`},
	}
	for _, tc := range tests {
		if got := mdSpans(tc.in); got != tc.want {
			t.Errorf("mdSpans(%+v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSlugAndNormTitle(t *testing.T) {
	slugs := map[string]string{
		"Nytt fra samarbeidspartnerne":  "nytt-fra-samarbeidspartnerne",
		"Ærlig talt: Østlandet & Åsane": "aerlig-talt-ostlandet-asane",
		"  --Statusrapport 2023--  ":    "statusrapport-2023",
		"":                              "",
	}
	for in, want := range slugs {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
	if a, b := normTitle("Risk Analysis for 2023/2024"), normTitle(" risk analysis  for 2023-2024."); a != b {
		t.Errorf("normTitle: %q != %q", a, b)
	}
	if a, b := normTitle("Rapport 2023"), normTitle("Rapport 2022"); a == b {
		t.Errorf("normTitle makes different titles equal: %q", a)
	}
}
