package relevance

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"watcher"
)

// fixture is one item of testdata/items.json with the verdict an editor
// would give it and the terms that should explain that verdict.
type fixture struct {
	Key      string   `json:"key"`
	Title    string   `json:"title"`
	Summary  string   `json:"summary"`
	Text     string   `json:"text"`
	Always   bool     `json:"always"`
	Relevant bool     `json:"relevant"`
	Terms    []string `json:"terms"`
}

func loadFixtures(t *testing.T) []fixture {
	t.Helper()
	b, err := os.ReadFile("testdata/items.json")
	if err != nil {
		t.Fatal(err)
	}
	var fs []fixture
	if err := json.Unmarshal(b, &fs); err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestFixtures scores trafficking-related and unrelated hearings, reports
// and news (Norwegian bokmål and nynorsk, Swedish, English, French) with
// the shipped profile: every related item is relevant, every unrelated one
// is not, and the matched terms are the expected ones.
func TestFixtures(t *testing.T) {
	s := mustNew(t, loadProfile(t))
	fs := loadFixtures(t)
	var related, unrelated int
	for _, f := range fs {
		if f.Relevant {
			related++
		} else {
			unrelated++
		}
		t.Run(f.Key, func(t *testing.T) {
			it := watcher.Item{Key: f.Key, Title: f.Title, Summary: f.Summary, Text: f.Text}
			r := s.Score(&it, f.Always)
			t.Logf("%q: score %.2f (threshold %.2f), relevant %t", f.Title, r.Score, s.Threshold(), r.Relevant)
			for _, m := range r.Matches {
				t.Logf("  %-8s %-30q %-28q %+6.2f  %s", m.Field, m.Term, m.Matched, m.Weight, m.Snippet)
			}
			if r.Relevant != f.Relevant {
				t.Errorf("relevant = %t (score %.2f), want %t", r.Relevant, r.Score, f.Relevant)
			}
			if got, want := termSet(r.Matches), sortedCopy(f.Terms); !slices.Equal(got, want) {
				t.Errorf("matched terms %q, want %q", got, want)
			}
			if r.Profile != s.Hash() {
				t.Errorf("profile %q, want %q", r.Profile, s.Hash())
			}
			if sum := sumWeights(r.Matches); math.Abs(sum-r.Score) > 0.001 {
				t.Errorf("score %.2f is not the sum of the listed weights %.2f", r.Score, sum)
			}
		})
	}
	if len(fs) < 24 || related < 10 || unrelated < 10 {
		t.Errorf("fixture set too small: %d items, %d related, %d unrelated", len(fs), related, unrelated)
	}
}

func termSet(ms []watcher.Match) []string {
	var out []string
	for _, m := range ms {
		if !slices.Contains(out, m.Term) {
			out = append(out, m.Term)
		}
	}
	sort.Strings(out)
	return out
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}

func sumWeights(ms []watcher.Match) float64 {
	var sum float64
	for _, m := range ms {
		sum += m.Weight
	}
	return sum
}

// testProfile is a small profile for the rule-by-rule tests.
func testProfile() watcher.TopicProfile {
	return watcher.TopicProfile{
		Name:      "test",
		Threshold: 5,
		Terms: []watcher.TopicTerm{
			{Term: "menneskehandel", Weight: 5, Prefix: true, Forms: []string{"menneskehandler", "människohandel"}},
			{Term: "seksuell utnyttelse", Weight: 4, Prefix: true},
			{Term: "utnyttelse", Weight: 1, Prefix: true},
			{Term: "utnyttelse av fiskeressurs", Weight: -3, Prefix: true},
			{Term: "utnyttelsesgrad", Weight: -3, Prefix: true},
			{Term: "forced labour", Weight: 5, Forms: []string{"travail forcé"}},
			{Term: "anti-trafficking", Weight: 5},
			{Term: "sexkjøp", Weight: 4, Prefix: true},
			{Term: "THB", Weight: 5, Case: true},
			{Term: "GRETA", Weight: 4, Case: true},
			{Term: "tvangsarbeid", Weight: 5, Prefix: true},
		},
	}
}

// matchesIn scores text as an item's page text and returns the terms and
// the matched text of every match.
func matchesIn(s *Scorer, text string) []string {
	r := s.Score(&watcher.Item{Text: text}, false)
	var out []string
	for _, m := range r.Matches {
		out = append(out, m.Term+"="+m.Matched)
	}
	return out
}

func TestMatching(t *testing.T) {
	s := mustNew(t, testProfile())
	tests := map[string]struct {
		text string
		want []string
	}{
		"exact":                   {"Ny plan mot menneskehandel.", []string{"menneskehandel=menneskehandel"}},
		"upper case":              {"MENNESKEHANDEL I NORGE", []string{"menneskehandel=MENNESKEHANDEL"}},
		"definite form":           {"Menneskehandelen øker.", []string{"menneskehandel=Menneskehandelen"}},
		"compound":                {"Arbeidet på menneskehandelsfeltet.", []string{"menneskehandel=menneskehandelsfeltet"}},
		"inflected other form":    {"Menneskehandlere dømt.", []string{"menneskehandel=Menneskehandlere"}},
		"swedish":                 {"Människohandeln ökar.", []string{"menneskehandel=Människohandeln"}},
		"decomposed ä":            {"Ma\u0308nniskohandel", []string{"menneskehandel=Ma\u0308nniskohandel"}},
		"upper case å":            {"TVANGSARBEID", []string{"tvangsarbeid=TVANGSARBEID"}},
		"not inside a word":       {"ikkemenneskehandel", nil},
		"not a shorter word":      {"menneskehand", nil},
		"not the base word":       {"handel med varer", nil},
		"phrase":                  {"seksuell utnyttelse av barn", []string{"seksuell utnyttelse=seksuell utnyttelse"}},
		"phrase inflected":        {"Seksuell utnyttelsen", []string{"seksuell utnyttelse=Seksuell utnyttelsen"}},
		"phrase over line break":  {"seksuell\r\n   utnyttelse", []string{"seksuell utnyttelse=seksuell utnyttelse"}},
		"phrase over hyphen":      {"anti-trafficking work", []string{"anti-trafficking=anti-trafficking"}},
		"phrase over spaces":      {"anti  trafficking", []string{"anti-trafficking=anti trafficking"}},
		"phrase not over comma":   {"forced, labour", nil},
		"phrase not over stop":    {"seksuell. Utnyttelse", []string{"utnyttelse=Utnyttelse"}},
		"phrase accents":          {"le travail forcé", []string{"forced labour=travail forcé"}},
		"phrase accents decomp":   {"travail force\u0301", []string{"forced labour=travail force\u0301"}},
		"accent is not optional":  {"travail force", nil},
		"hyphenated at line end":  {"kan være menneske-\nhandel.", []string{"menneskehandel=menneske-handel"}},
		"soft hyphen":             {"menneske\u00adhandel", []string{"menneskehandel=menneskehandel"}},
		"soft hyphen at line end": {"menneske\u00ad\nhandel", []string{"menneskehandel=menneskehandel"}},
		"hyphenated compound":     {"Sex-kjøp er forbudt", []string{"sexkjøp=Sex-kjøp"}},
		"not across spaced dash":  {"menneske - handel", nil},
		"longest match wins":      {"seksuell utnyttelse", []string{"seksuell utnyttelse=seksuell utnyttelse"}},
		"acronym":                 {"EMPACT THB action days", []string{"THB=THB"}},
		"acronym before hyphen":   {"THB-saker", []string{"THB=THB"}},
		"acronym lower case":      {"thb", nil},
		"acronym mixed case":      {"Thb", nil},
		"acronym longer word":     {"THBS", nil},
		"acronym not a name":      {"Greta Thunberg", nil},
		"acronym name vs group":   {"GRETA og Greta", []string{"GRETA=GRETA"}},
		"negative phrase":         {"utnyttelse av fiskeressursene", []string{"utnyttelse av fiskeressurs=utnyttelse av fiskeressursene"}},
		"negative compound":       {"utnyttelsesgraden", []string{"utnyttelsesgrad=utnyttelsesgraden"}},
		"two terms":               {"menneskehandel og tvangsarbeid", []string{"menneskehandel=menneskehandel", "tvangsarbeid=tvangsarbeid"}},
		"digits are words":        {"2024menneskehandel", nil},
		"apostrophe splits words": {"l'exploitation du travail forcé", []string{"forced labour=travail forcé"}},
		"invalid utf-8":           {"\xffmenneskehandel\xfe", []string{"menneskehandel=menneskehandel"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := matchesIn(s, tc.text)
			if !slices.Equal(got, tc.want) {
				t.Errorf("matches in %q: %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestScore(t *testing.T) {
	s := mustNew(t, testProfile())
	tests := map[string]struct {
		item     watcher.Item
		always   bool
		score    float64
		relevant bool
		matches  int
	}{
		"title counts three times": {
			item: watcher.Item{Title: "Menneskehandel"}, score: 15, relevant: true, matches: 1,
		},
		"summary counts twice": {
			item: watcher.Item{Summary: "utnyttelse"}, score: 2, relevant: false, matches: 1,
		},
		"each field counts": {
			item:  watcher.Item{Title: "menneskehandel", Summary: "menneskehandel", Text: "menneskehandel"},
			score: 30, relevant: true, matches: 3,
		},
		"repeats diminish and are capped": {
			// 5 + 4 × 0.25 × 5; the sixth and seventh add nothing.
			item:  watcher.Item{Text: strings.Repeat("menneskehandel ", 7)},
			score: 10, relevant: true, matches: 5,
		},
		"repeats are per term": {
			item:  watcher.Item{Text: "menneskehandel menneskehandel tvangsarbeid"},
			score: 11.25, relevant: true, matches: 3,
		},
		"negative terms subtract": {
			item:  watcher.Item{Title: "Utnyttelse av fiskeressursene", Text: "menneskehandel"},
			score: -4, relevant: false, matches: 2,
		},
		"below threshold": {
			item: watcher.Item{Text: "GRETA"}, score: 4, relevant: false, matches: 1,
		},
		"at threshold": {
			item: watcher.Item{Text: "THB"}, score: 5, relevant: true, matches: 1,
		},
		"always relevant without matches": {
			item: watcher.Item{Title: "Country visit to Latvia"}, always: true, score: 0, relevant: true,
		},
		"always relevant with a negative score": {
			item: watcher.Item{Title: "utnyttelsesgrad"}, always: true, score: -9, relevant: true, matches: 1,
		},
		"empty item": {},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := s.Score(&tc.item, tc.always)
			if r.Score != tc.score || r.Relevant != tc.relevant || len(r.Matches) != tc.matches {
				t.Errorf("score %v relevant %t matches %d (%+v), want %v %t %d",
					r.Score, r.Relevant, len(r.Matches), r.Matches, tc.score, tc.relevant, tc.matches)
			}
			if r.Always != tc.always {
				t.Errorf("always = %t, want %t", r.Always, tc.always)
			}
			if sum := sumWeights(r.Matches); math.Abs(sum-r.Score) > 0.001 {
				t.Errorf("score %v is not the sum of the weights %v", r.Score, sum)
			}
		})
	}
}

func TestMatchFields(t *testing.T) {
	s := mustNew(t, testProfile())
	r := s.Score(&watcher.Item{
		Title:   "Høring om tvangsarbeid",
		Summary: "Forslag mot menneskehandel",
		Text:    "Tiltak mot sexkjøp",
	}, false)
	want := []watcher.Match{
		{Term: "tvangsarbeid", Matched: "tvangsarbeid", Field: "title", Snippet: "Høring om tvangsarbeid", Weight: 15},
		{Term: "menneskehandel", Matched: "menneskehandel", Field: "summary", Snippet: "Forslag mot menneskehandel", Weight: 10},
		{Term: "sexkjøp", Matched: "sexkjøp", Field: "text", Snippet: "Tiltak mot sexkjøp", Weight: 4},
	}
	if !slices.Equal(r.Matches, want) {
		t.Errorf("matches\n got %+v\nwant %+v", r.Matches, want)
	}
}

func TestFieldWeights(t *testing.T) {
	p := testProfile()
	p.TitleWeight, p.SummaryWeight, p.TextWeight = 1, 1, 0
	s := mustNew(t, p)
	r := s.Score(&watcher.Item{Title: "THB", Text: "menneskehandel"}, false)
	if r.Score != 5 || len(r.Matches) != 1 || r.Matches[0].Field != "title" {
		t.Errorf("a zero text weight should ignore the text: %+v", r)
	}
}

func TestSnippet(t *testing.T) {
	s := mustNew(t, testProfile())
	long := "Regjeringen har i dag lagt fram en ny og omfattende strategi som samler innsatsen mot " +
		"menneskehandel i Norge og i utlandet, med særlig vekt på barn og unge som utnyttes."
	tests := map[string]struct {
		text, want string
	}{
		"short text is whole": {
			"Plan mot menneskehandel.", "Plan mot menneskehandel.",
		},
		"cut between words on both sides": {
			long, "…strategi som samler innsatsen mot menneskehandel i Norge og i utlandet, med særlig vekt…",
		},
		"line breaks collapsed": {
			"Tiltak\n\nmot\tmenneskehandel\n", "Tiltak mot menneskehandel",
		},
		"long word at the edge is left out": {
			strings.Repeat("x", 60) + " menneskehandel " + strings.Repeat("y", 60), "…menneskehandel…",
		},
		"characters, not bytes, within the radius": {
			strings.Repeat("å", 39) + " menneskehandel", strings.Repeat("å", 39) + " menneskehandel",
		},
		"characters, not bytes, beyond the radius": {
			strings.Repeat("å", 40) + " menneskehandel", "…menneskehandel",
		},
		"starts with a word, not punctuation": {
			"Slutt. Planen gjelder tiltak mot alle former menneskehandel", "…Planen gjelder tiltak mot alle former menneskehandel",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := s.Score(&watcher.Item{Text: tc.text}, false)
			if len(r.Matches) != 1 {
				t.Fatalf("matches %+v", r.Matches)
			}
			if got := r.Matches[0].Snippet; got != tc.want {
				t.Errorf("snippet\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestSnippetBounds checks on every match of the fixtures that a snippet
// is a piece of its field that contains the match, keeps within the radius
// and never cuts a word.
func TestSnippetBounds(t *testing.T) {
	s := mustNew(t, loadProfile(t))
	for _, f := range loadFixtures(t) {
		it := watcher.Item{Title: f.Title, Summary: f.Summary, Text: f.Text}
		fields := map[string]string{"title": f.Title, "summary": f.Summary, "text": f.Text}
		for _, m := range s.Score(&it, false).Matches {
			body := strings.TrimSuffix(strings.TrimPrefix(m.Snippet, "…"), "…")
			if !strings.Contains(body, m.Matched) {
				t.Errorf("%s: snippet %q lacks %q", f.Key, m.Snippet, m.Matched)
			}
			if n := utf8.RuneCountInString(body) - utf8.RuneCountInString(m.Matched); n > 2*snippetRadius {
				t.Errorf("%s: snippet %q has %d characters of context", f.Key, m.Snippet, n)
			}
			src := tidy(fields[m.Field])
			i := strings.Index(src, body)
			if i < 0 {
				t.Errorf("%s: snippet %q is not in the %s", f.Key, m.Snippet, m.Field)
				continue
			}
			first, _ := utf8.DecodeRuneInString(body)
			last, _ := utf8.DecodeLastRuneInString(body)
			before, _ := utf8.DecodeLastRuneInString(src[:i])
			after, _ := utf8.DecodeRuneInString(src[i+len(body):])
			if i > 0 && isWordRune(before) && isWordRune(first) ||
				i+len(body) < len(src) && isWordRune(after) && isWordRune(last) {
				t.Errorf("%s: snippet %q cuts a word", f.Key, m.Snippet)
			}
			if (i > 0) != strings.HasPrefix(m.Snippet, "…") {
				t.Errorf("%s: snippet %q: leading ellipsis wrong", f.Key, m.Snippet)
			}
		}
	}
}

func TestHash(t *testing.T) {
	base := mustNew(t, testProfile()).Hash()
	if len(base) != 16 {
		t.Fatalf("hash %q", base)
	}
	// Every stored score carries the hash: if the same profile hashed
	// differently, every item would count as scored by another profile.
	if want := "102abe66da8a7ad6"; base != want {
		t.Errorf("hash of the test profile is %s, was %s: the hashing changed", base, want)
	}
	if again := mustNew(t, testProfile()).Hash(); again != base {
		t.Errorf("hash not stable: %s, then %s", base, again)
	}
	same := map[string]func(p *watcher.TopicProfile){
		"terms reordered": func(p *watcher.TopicProfile) { slices.Reverse(p.Terms) },
		"forms reordered": func(p *watcher.TopicProfile) { slices.Reverse(p.Terms[0].Forms) },
		"renamed":         func(p *watcher.TopicProfile) { p.Name = "other" },
		"language noted":  func(p *watcher.TopicProfile) { p.Terms[0].Language = "nb" },
		"form case":       func(p *watcher.TopicProfile) { p.Terms[0].Forms[0] = "Menneskehandler" },
		"duplicate form":  func(p *watcher.TopicProfile) { p.Terms[0].Forms = append(p.Terms[0].Forms, "menneskehandel") },
		"default fields": func(p *watcher.TopicProfile) {
			p.TitleWeight, p.SummaryWeight, p.TextWeight = DefaultTitleWeight, DefaultSummaryWeight, DefaultTextWeight
		},
	}
	changed := map[string]func(p *watcher.TopicProfile){
		"threshold":    func(p *watcher.TopicProfile) { p.Threshold = 6 },
		"weight":       func(p *watcher.TopicProfile) { p.Terms[0].Weight = 4 },
		"new form":     func(p *watcher.TopicProfile) { p.Terms[0].Forms = append(p.Terms[0].Forms, "menneskehandlar") },
		"prefix":       func(p *watcher.TopicProfile) { p.Terms[0].Prefix = false },
		"case":         func(p *watcher.TopicProfile) { p.Terms[8].Case = false },
		"field weight": func(p *watcher.TopicProfile) { p.TitleWeight, p.SummaryWeight, p.TextWeight = 3, 2, 0.5 },
		"term removed": func(p *watcher.TopicProfile) { p.Terms = p.Terms[1:] },
		"term renamed": func(p *watcher.TopicProfile) { p.Terms[0].Term = "menneskehandelen" },
	}
	for name, edit := range same {
		p := testProfile()
		edit(&p)
		if h := mustNew(t, p).Hash(); h != base {
			t.Errorf("%s: hash changed from %s to %s", name, base, h)
		}
	}
	for name, edit := range changed {
		p := testProfile()
		edit(&p)
		if h := mustNew(t, p).Hash(); h == base {
			t.Errorf("%s: hash unchanged (%s)", name, h)
		}
	}
}

func TestNewErrors(t *testing.T) {
	tests := map[string]struct {
		edit func(p *watcher.TopicProfile)
		want string
	}{
		"no terms":           {func(p *watcher.TopicProfile) { p.Terms = nil }, "no terms"},
		"zero threshold":     {func(p *watcher.TopicProfile) { p.Threshold = 0 }, "threshold"},
		"NaN threshold":      {func(p *watcher.TopicProfile) { p.Threshold = math.NaN() }, "threshold"},
		"negative field":     {func(p *watcher.TopicProfile) { p.TextWeight = -1 }, "field weight text"},
		"empty term":         {func(p *watcher.TopicProfile) { p.Terms[1].Term = " " }, "term 2: empty"},
		"zero weight":        {func(p *watcher.TopicProfile) { p.Terms[0].Weight = 0 }, `"menneskehandel": weight 0`},
		"infinite weight":    {func(p *watcher.TopicProfile) { p.Terms[0].Weight = math.Inf(1) }, "weight +Inf"},
		"form without words": {func(p *watcher.TopicProfile) { p.Terms[0].Forms = []string{"--"} }, "no letters"},
		"punctuated phrase":  {func(p *watcher.TopicProfile) { p.Terms[0].Forms = []string{"traite d'êtres"} }, "punctuation"},
		"short prefix":       {func(p *watcher.TopicProfile) { p.Terms[0].Forms = []string{"men"} }, "at least 4 letters"},
		"form in two terms":  {func(p *watcher.TopicProfile) { p.Terms[2].Forms = []string{"Seksuell  Utnyttelse"} }, "in both term"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p := testProfile()
			tc.edit(&p)
			_, err := New(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestShippedProfileCompiles(t *testing.T) {
	p := loadProfile(t)
	s := mustNew(t, p)
	if s.Name() != "menneskehandel" || len(p.Terms) < 40 {
		t.Errorf("profile %q with %d terms", s.Name(), len(p.Terms))
	}
	langs := map[string]bool{}
	var negative int
	for _, tt := range p.Terms {
		for _, l := range strings.Split(tt.Language, ",") {
			langs[strings.TrimSpace(l)] = true
		}
		if tt.Weight < 0 {
			negative++
		}
	}
	for _, l := range []string{"nb", "nn", "sv", "en", "fr"} {
		if !langs[l] {
			t.Errorf("no term in %s", l)
		}
	}
	if negative == 0 {
		t.Error("no negative terms")
	}
}

func TestConcurrentScore(t *testing.T) {
	s := mustNew(t, loadProfile(t))
	fs := loadFixtures(t)
	want := make([]float64, len(fs))
	for i, f := range fs {
		want[i] = s.Score(&watcher.Item{Title: f.Title, Summary: f.Summary, Text: f.Text}, false).Score
	}
	done := make(chan bool)
	for range 4 {
		go func() {
			ok := true
			for i, f := range fs {
				if s.Score(&watcher.Item{Title: f.Title, Summary: f.Summary, Text: f.Text}, false).Score != want[i] {
					ok = false
				}
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("concurrent scores differ")
		}
	}
}

func FuzzScore(f *testing.F) {
	for _, seed := range []string{
		"menneskehandel", "menneske-\nhandel", "seksuell\u00ad utnyttelse", "THB-saker",
		"a\u030a\u0308", "\xff\xfe", "anti--trafficking", "- -", "\u00ad\u00ad", "",
	} {
		f.Add(seed, seed, seed)
	}
	s, err := New(loadProfile(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, summary, text string) {
		r := s.Score(&watcher.Item{Title: title, Summary: summary, Text: text}, false)
		if math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
			t.Fatalf("score %v", r.Score)
		}
		for _, m := range r.Matches {
			if m.Matched == "" || m.Term == "" || !strings.Contains(m.Snippet, m.Matched) {
				t.Fatalf("bad match %+v", m)
			}
		}
	})
}

// benchText builds about 20 KB of Norwegian hearing text with a few
// relevant terms spread through it.
func benchText() string {
	sentences := []string{
		"Justis- og beredskapsdepartementet sender med dette på høring forslag til endringer i utlendingsloven og utlendingsforskriften.",
		"Forslaget innebærer at personer som kan være utsatt for menneskehandel, får en refleksjonsperiode på tolv måneder.",
		"Departementet har vurdert forholdet til Grunnloven og Norges internasjonale forpliktelser, herunder Europarådets konvensjon.",
		"Kommunene skal sørge for at tilbudet er forsvarlig, og at det finnes nok plasser i krisesentrene gjennom hele året.",
		"Høringsinstansene bes særlig om å uttale seg om de økonomiske og administrative konsekvensene av forslaget.",
		"Arbeidstilsynet og politiet har avdekket flere saker med grov arbeidsutnyttelse i bygg, renhold og landbruk.",
		"Forslaget har ingen betydning for arealutnyttelse eller for utnyttelsesgraden i kommuneplanene.",
		"Endringene skal tre i kraft 1. juli 2025, og departementet vil gi nærmere overgangsregler i forskrift.",
	}
	var b strings.Builder
	for i := 0; b.Len() < 20<<10; i++ {
		b.WriteString(sentences[i%len(sentences)])
		if i%5 == 4 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func BenchmarkScore(b *testing.B) {
	s, err := New(loadProfile(b))
	if err != nil {
		b.Fatal(err)
	}
	it := watcher.Item{
		Title:   "Høring – endringer i utlendingsforskriften om beskyttelse for ofre for menneskehandel",
		Summary: "Departementet foreslår lengre refleksjonsperiode for mulige ofre for menneskehandel.",
		Text:    benchText(),
	}
	b.SetBytes(int64(len(it.Title) + len(it.Summary) + len(it.Text)))
	b.ReportAllocs()
	for b.Loop() {
		if r := s.Score(&it, false); !r.Relevant {
			b.Fatal("not relevant")
		}
	}
}
