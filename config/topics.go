package config

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"watcher"
)

var (
	topicKeys  = []string{"name", "threshold", "field_weights", "terms"}
	weightKeys = []string{"title", "summary", "text"}
	termKeys   = []string{"term", "weight", "forms", "prefix", "case", "language"}
)

// Default field weights of a topic profile.
const (
	DefaultTitleWeight   = 3
	DefaultSummaryWeight = 2
	DefaultTextWeight    = 1
)

// ParseTopics reads a topic profile (config/topics.yaml):
//
//	name: menneskehandel          # informational
//	threshold: 3                  # required, > 0: the score at which an item is relevant
//	field_weights: {title: 3, summary: 2, text: 1}   # the defaults, each >= 0
//	terms:
//	  - term: menneskehandel      # required: the canonical form
//	    weight: 5                 # required, not 0; negative for a negative term
//	    forms: [human trafficking, trafficking in human beings]
//	    prefix: true              # also match words that begin with a form
//	    case: false               # case-sensitive (acronyms)
//	    language: nb              # informational
//
// Errors are an Errors list naming the file, line and field.
func ParseTopics(name string, data []byte) (watcher.TopicProfile, error) {
	d := newDecoder(name)
	root := d.document(data)
	if len(d.errs) > 0 {
		return watcher.TopicProfile{}, d.errs.sorted()
	}
	p := watcher.TopicProfile{
		TitleWeight:   DefaultTitleWeight,
		SummaryWeight: DefaultSummaryWeight,
		TextWeight:    DefaultTextWeight,
	}
	fields, ok := d.mapping(root, "", topicKeys)
	thresholdLine := 0
	for _, f := range fields {
		switch f.key {
		case "name":
			d.setStr(&p.Name, f, f.key)
		case "threshold":
			if v, ok := d.number(f.val, f.key); ok {
				p.Threshold, thresholdLine = v, f.line
			}
		case "field_weights":
			d.fieldWeights(&p, f.val, f.key)
		case "terms":
			p.Terms = d.terms(f.val, f.key)
		}
	}
	if ok {
		d.checkProfile(&p, thresholdLine)
	}
	if len(d.errs) > 0 {
		return watcher.TopicProfile{}, d.errs.sorted()
	}
	return p, nil
}

func (d *decoder) checkProfile(p *watcher.TopicProfile, thresholdLine int) {
	switch {
	case thresholdLine == 0 && !d.pos.isBad("threshold"):
		d.errorf(d.pos.line(""), "", "missing required field threshold (the score at which an item becomes relevant, e.g. 3)")
	case thresholdLine > 0 && p.Threshold <= 0:
		d.errorf(thresholdLine, "threshold", "must be positive, got %v", p.Threshold)
	}
	if p.TitleWeight == 0 && p.SummaryWeight == 0 && p.TextWeight == 0 && !d.pos.isBad("field_weights") {
		d.errorf(d.pos.line("field_weights"), "field_weights", "at least one field weight must be positive, or nothing can ever match")
	}
	if len(p.Terms) == 0 && !d.pos.isBad("terms") {
		d.errorf(d.pos.line("terms"), "terms", "no terms: list at least one (term and weight)")
	}
}

func (d *decoder) fieldWeights(p *watcher.TopicProfile, n *yaml.Node, path string) {
	fields, _ := d.mapping(n, path, weightKeys)
	dst := map[string]*float64{"title": &p.TitleWeight, "summary": &p.SummaryWeight, "text": &p.TextWeight}
	for _, f := range fields {
		fp := join(path, f.key)
		v, ok := d.number(f.val, fp)
		if !ok {
			continue
		}
		if v < 0 {
			d.fail(resolve(f.val), fp, "must not be negative, got %v", v)
			continue
		}
		*dst[f.key] = v
	}
}

func (d *decoder) terms(n *yaml.Node, path string) []watcher.TopicTerm {
	items, _ := d.list(n, path, "terms")
	out := make([]watcher.TopicTerm, 0, len(items))
	first := map[string]int{} // lower-cased term → line
	for i, item := range items {
		p := index(path, i)
		d.setLine(p, item.Line)
		t, termLine := d.term(item, p)
		key := strings.ToLower(strings.TrimSpace(t.Term))
		if key != "" {
			if line, dup := first[key]; dup {
				d.errorf(termLine, join(p, "term"), "duplicate term %q (first at line %d)", t.Term, line)
			} else {
				first[key] = termLine
			}
		}
		out = append(out, t)
	}
	return out
}

// term reads one term and returns it with the line of its "term" key.
func (d *decoder) term(n *yaml.Node, path string) (watcher.TopicTerm, int) {
	var t watcher.TopicTerm
	fields, ok := d.mapping(n, path, termKeys)
	if !ok {
		return t, 0
	}
	var termLine, weightLine int
	for _, f := range fields {
		p := join(path, f.key)
		switch f.key {
		case "term":
			d.setStr(&t.Term, f, p)
			termLine = f.line
		case "weight":
			if v, ok := d.number(f.val, p); ok {
				t.Weight, weightLine = v, f.line
			}
		case "forms":
			d.setStrList(&t.Forms, f, p)
			for i, form := range t.Forms {
				if strings.TrimSpace(form) == "" && !d.pos.isBad(index(p, i)) {
					d.errorf(d.pos.line(index(p, i)), index(p, i), "a form must not be empty")
				}
			}
		case "prefix":
			d.setBool(&t.Prefix, f, p)
		case "case":
			d.setBool(&t.Case, f, p)
		case "language":
			d.setStr(&t.Language, f, p)
			if !validLanguages(t.Language) {
				d.errorf(f.line, p, "bad language %q (a lower-case ISO 639 code such as nb, nn, en, sv, fr, or a comma-separated list of them)", t.Language)
			}
		}
	}
	if strings.TrimSpace(t.Term) == "" && !d.pos.isBad(join(path, "term")) {
		d.errorf(d.pos.line(join(path, "term")), join(path, "term"), "missing required field term (the canonical form, shown in explanations)")
	}
	switch {
	case weightLine == 0 && !d.pos.isBad(join(path, "weight")):
		d.errorf(d.pos.line(path), join(path, "weight"), "missing required field weight (a number; negative for a term that counts against relevance)")
	case weightLine > 0 && t.Weight == 0:
		d.errorf(weightLine, join(path, "weight"), "must not be 0 (positive for a topic term, negative for a term that counts against relevance)")
	}
	if termLine == 0 {
		termLine = d.pos.line(path)
	}
	return t, termLine
}

// validLanguages reports whether s is empty, a language code, or a
// comma-separated list of codes ("nb, nn").
func validLanguages(s string) bool {
	if s == "" {
		return true
	}
	for code := range strings.SplitSeq(s, ",") {
		if !langRE.MatchString(strings.TrimSpace(code)) {
			return false
		}
	}
	return true
}
