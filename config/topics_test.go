package config

import (
	"testing"

	"watcher"
)

func TestParseTopics(t *testing.T) {
	in := `name: test
threshold: 4.5
terms:
  - term: menneskehandel
    weight: 5
    forms: [menneskehandler, menneskehandlar]
    prefix: true
    language: nb, nn
  - term: THB
    weight: 5
    case: true
  - term: utnyttelsesgrad
    weight: -3
`
	p, err := ParseTopics("topics.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "test" || p.Threshold != 4.5 || len(p.Terms) != 3 {
		t.Fatalf("profile = %+v", p)
	}
	if p.TitleWeight != 3 || p.SummaryWeight != 2 || p.TextWeight != 1 {
		t.Errorf("field weights %v/%v/%v, want the defaults 3/2/1", p.TitleWeight, p.SummaryWeight, p.TextWeight)
	}
	want := watcher.TopicTerm{Term: "menneskehandel", Weight: 5, Forms: []string{"menneskehandler", "menneskehandlar"}, Prefix: true, Language: "nb, nn"}
	if got := p.Terms[0]; got.Term != want.Term || got.Weight != want.Weight || len(got.Forms) != 2 || !got.Prefix || got.Case || got.Language != want.Language {
		t.Errorf("term 0 = %+v", got)
	}
	if !p.Terms[1].Case || p.Terms[2].Weight != -3 {
		t.Errorf("terms = %+v", p.Terms)
	}

	p, err = ParseTopics("topics.yaml", []byte("threshold: 1\nfield_weights: {title: 5, text: 0}\nterms: [{term: a, weight: 1}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.TitleWeight != 5 || p.SummaryWeight != 2 || p.TextWeight != 0 {
		t.Errorf("field weights %v/%v/%v, want 5/2/0", p.TitleWeight, p.SummaryWeight, p.TextWeight)
	}
}

func TestParseTopicsErrors(t *testing.T) {
	tests := map[string]struct {
		in   string
		want []wantErr
	}{
		"missing term and weight": {
			in: "threshold: 3\nterms:\n  - weight: 2\n  - term: b\n",
			want: []wantErr{
				{3, "terms[0].term", "missing required field term"},
				{4, "terms[1].weight", "missing required field weight"},
			},
		},
		"zero weight and bad types": {
			in: "threshold: 3\nterms:\n  - term: a\n    weight: 0\n  - term: b\n    weight: high\n    forms: b\n    prefix: maybe\n",
			want: []wantErr{
				{4, "terms[0].weight", "must not be 0"},
				{6, "terms[1].weight", `expected a number, got "high"`},
				{7, "terms[1].forms", "expected a list of strings, got \"b\""},
				{8, "terms[1].prefix", `expected true or false, got "maybe"`},
			},
		},
		"unknown key with suggestion": {
			in:   "threshold: 3\nterms:\n  - term: a\n    wieght: 2\n",
			want: []wantErr{{4, "terms[0]", `unknown key "wieght" (valid keys: term, weight, forms, prefix, case, language; did you mean "weight"?)`}, {3, "terms[0].weight", "missing required field weight"}},
		},
		"duplicate term": {
			in:   "threshold: 3\nterms:\n  - {term: Menneskehandel, weight: 5}\n  - {term: menneskehandel, weight: 4}\n",
			want: []wantErr{{4, "terms[1].term", `duplicate term "menneskehandel" (first at line 3)`}},
		},
		"threshold": {
			in:   "name: x\nterms: [{term: a, weight: 1}]\n",
			want: []wantErr{{1, "", "missing required field threshold"}},
		},
		"threshold not positive": {
			in:   "threshold: 0\nterms: [{term: a, weight: 1}]\n",
			want: []wantErr{{1, "threshold", "must be positive, got 0"}},
		},
		"field weights": {
			in: "threshold: 3\nfield_weights:\n  title: -1\n  body: 2\nterms: [{term: a, weight: 1}]\n",
			want: []wantErr{
				{3, "field_weights.title", "must not be negative, got -1"},
				{4, "field_weights", `unknown key "body" (valid keys: title, summary, text)`},
			},
		},
		"all field weights zero": {
			in:   "threshold: 3\nfield_weights: {title: 0, summary: 0, text: 0}\nterms: [{term: a, weight: 1}]\n",
			want: []wantErr{{2, "field_weights", "at least one field weight must be positive"}},
		},
		"no terms": {
			in:   "threshold: 3\nterms: []\n",
			want: []wantErr{{2, "terms", "no terms"}},
		},
		"empty form and bad language": {
			in:   "threshold: 3\nterms:\n  - term: a\n    weight: 1\n    forms: [b, \"\"]\n    language: Norsk\n",
			want: []wantErr{{5, "terms[0].forms[1]", "a form must not be empty"}, {6, "terms[0].language", `bad language "Norsk"`}},
		},
		"syntax error": {
			in:   "threshold: 3\nterms:\n  - term: a\n   weight: 1\n",
			want: []wantErr{{2, "", "invalid YAML"}},
		},
		"not a mapping": {
			in:   "[a, b]\n",
			want: []wantErr{{1, "", "expected a mapping of settings, got a list"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ParseTopics("topics.yaml", []byte(tc.in))
			checkErrors(t, err, "topics.yaml", tc.want)
		})
	}
}
