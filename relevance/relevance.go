// Package relevance scores items against the topic profile and explains
// the score: every term that matched, where, and the words around it.
//
// A profile (config/topics.yaml) is a list of terms, each with a weight
// (negative for terms that mark an item as off-topic) and forms: other
// spellings, inflections and languages. New compiles the profile once;
// Score then reads each field of an item once:
//
//   - Text is split into words (runs of letters and digits), normalised
//     (combining accents composed, soft hyphens dropped) and lower-cased, so
//     "Menneskehandel", "MENNESKEHANDEL" and a decomposed "å" all match.
//   - A term marked case matches only with its exact letters (acronyms:
//     "THB", "GRETA"), and always as a whole word.
//   - A term marked prefix also matches words that begin with a form:
//     "menneskehandel" matches "menneskehandelen" and
//     "menneskehandelsfeltet". Other forms match whole words only.
//   - A form of several words is a phrase; it matches across spaces, line
//     breaks and hyphens ("forced\nlabour", "anti-trafficking"), never
//     across other punctuation. A word broken by a hyphen at a line end
//     ("menneske-\nhandel") or written with a hyphen ("sex-kjøp") also
//     matches its closed form.
//   - Matches do not overlap: at each word the longest match wins, so
//     "seksuell utnyttelse" counts once, not also as "utnyttelse", and the
//     negative "utnyttelse av fiskeressursene" hides the "utnyttelse" in it.
//
// The score is Σ field weight × term weight over the matches, with
// diminishing returns: within one field a term's first match counts in
// full, each of the next four a quarter, any further nothing. An item is
// relevant when its score reaches the profile's threshold, or when its
// source is marked always relevant. Relevance.Matches lists the matches
// that counted, and Relevance.Score is the sum of their weights.
package relevance

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"watcher"
)

// Scoring constants. Changing any of them, or the matching rules, must
// change algorithmVersion so that stored scores are recomputed.
const (
	algorithmVersion = "relevance/1"
	repeatFactor     = 0.25 // weight of a repeated match of a term within one field
	maxRepeats       = 4    // repeats that still count; a term adds at most 2× its weight per field
	minPrefixRunes   = 4    // a prefix form shorter than this would match too much
	snippetRadius    = 40   // characters of context on each side of a match
)

// Default field weights, used when the profile sets none.
const (
	DefaultTitleWeight   = 3
	DefaultSummaryWeight = 2
	DefaultTextWeight    = 1
)

// Scorer is a compiled topic profile. It is safe for concurrent use.
type Scorer struct {
	name      string
	threshold float64
	fields    [3]field
	terms     []watcher.TopicTerm
	folded    *trie // case-insensitive forms
	cased     *trie // case-sensitive forms
	hash      string
	pool      sync.Pool // *text
}

type field struct {
	name   string
	weight float64
}

// New compiles a profile. It fails on a profile without terms, a threshold
// that is not positive, a negative field weight, a term without a name or
// weight, a form with no letters or with punctuation between its words, a
// prefix form shorter than four letters, and one form claimed by two terms.
func New(p watcher.TopicProfile) (*Scorer, error) {
	if len(p.Terms) == 0 {
		return nil, errors.New("relevance: profile has no terms")
	}
	if !finite(p.Threshold) || p.Threshold <= 0 {
		return nil, fmt.Errorf("relevance: threshold %v: must be a positive number", p.Threshold)
	}
	s := &Scorer{
		name:      p.Name,
		threshold: p.Threshold,
		folded:    newTrie(false),
		cased:     newTrie(true),
	}
	if err := s.setFields(p); err != nil {
		return nil, err
	}
	if err := s.compileTerms(p.Terms); err != nil {
		return nil, err
	}
	s.hash = s.computeHash()
	s.pool.New = func() any { return new(text) }
	return s, nil
}

func (s *Scorer) setFields(p watcher.TopicProfile) error {
	w := [3]float64{p.TitleWeight, p.SummaryWeight, p.TextWeight}
	if w == [3]float64{} {
		w = [3]float64{DefaultTitleWeight, DefaultSummaryWeight, DefaultTextWeight}
	}
	for i, name := range [3]string{"title", "summary", "text"} {
		if !finite(w[i]) || w[i] < 0 {
			return fmt.Errorf("relevance: field weight %s %v: must be zero or positive", name, w[i])
		}
		s.fields[i] = field{name, w[i]}
	}
	return nil
}

// compileTerms adds every form of every term to the tries.
func (s *Scorer) compileTerms(terms []watcher.TopicTerm) error {
	seen := map[string]string{} // "<case><prefix><key>" → term
	var x text
	for i, tt := range terms {
		name := strings.TrimSpace(tt.Term)
		if name == "" {
			return fmt.Errorf("relevance: term %d: empty term", i+1)
		}
		if !finite(tt.Weight) || tt.Weight == 0 {
			return fmt.Errorf("relevance: term %q: weight %v: must be a non-zero number (negative for a negative term)", name, tt.Weight)
		}
		tt.Term = name
		s.terms = append(s.terms, tt)
		for _, form := range append([]string{name}, tt.Forms...) {
			key, err := formKey(&x, form, tt.Case, tt.Prefix)
			if err != nil {
				return fmt.Errorf("relevance: term %q: %w", name, err)
			}
			id := fmt.Sprintf("%t%t%s", tt.Case, tt.Prefix, key)
			if owner, ok := seen[id]; ok {
				if owner == name {
					continue // the same form twice in one term
				}
				return fmt.Errorf("relevance: form %q is in both term %q and term %q", form, owner, name)
			}
			seen[id] = name
			t := s.folded
			if tt.Case {
				t = s.cased
			}
			t.add(phrase{term: len(s.terms) - 1, key: key, prefix: tt.Prefix})
		}
	}
	return nil
}

// formKey tokenises a form as text is tokenised and returns its words
// joined by spaces: folded, or only normalised for a case-sensitive form.
func formKey(x *text, form string, cased, prefix bool) (string, error) {
	x.tokenize(form)
	if len(x.tokens) == 0 {
		return "", fmt.Errorf("form %q has no letters or digits", form)
	}
	var b strings.Builder
	for i, tk := range x.tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		if cased {
			b.Write(x.norm[tk.norm0:tk.norm1])
		} else {
			b.Write(x.fold[tk.fold0:tk.fold1])
		}
		if i < len(x.tokens)-1 && tk.after == gapHard {
			return "", fmt.Errorf("form %q has punctuation between its words, so it could never match", form)
		}
	}
	if prefix {
		last := x.tokens[len(x.tokens)-1]
		if utf8.RuneCount(x.fold[last.fold0:last.fold1]) < minPrefixRunes {
			return "", fmt.Errorf("prefix form %q: the last word must have at least %d letters", form, minPrefixRunes)
		}
	}
	return b.String(), nil
}

// Name returns the profile's name.
func (s *Scorer) Name() string { return s.name }

// Threshold returns the score at which an item is relevant.
func (s *Scorer) Threshold() float64 { return s.threshold }

// Hash returns a stable hash of the compiled profile: the threshold, the
// field weights and every term with its weight, flags and forms, in an
// order that does not depend on the order of the file. It is stored with
// every score, so `watcher rescore` can tell which items a changed profile
// affects. Renaming the profile or changing a term's language does not
// change it; a new version of the matching rules does.
func (s *Scorer) Hash() string { return s.hash }

func (s *Scorer) computeHash() string {
	lines := make([]string, 0, len(s.terms))
	var x text
	for _, tt := range s.terms {
		keys := make([]string, 0, 1+len(tt.Forms))
		for _, f := range append([]string{tt.Term}, tt.Forms...) {
			k, _ := formKey(&x, f, tt.Case, tt.Prefix) // validated by compileTerms
			keys = append(keys, strconv.Quote(k))
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		lines = append(lines, fmt.Sprintf("%q %s case=%t prefix=%t forms=%s",
			tt.Term, fmtFloat(tt.Weight), tt.Case, tt.Prefix, strings.Join(keys, ",")))
	}
	slices.Sort(lines)
	h := sha256.New()
	fmt.Fprintf(h, "%s\nthreshold=%s\n", algorithmVersion, fmtFloat(s.threshold))
	for _, f := range s.fields {
		fmt.Fprintf(h, "%s=%s\n", f.name, fmtFloat(f.weight))
	}
	for _, l := range lines {
		fmt.Fprintln(h, l)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Score scores an item's title, summary and text. always marks an item
// from a source configured as always relevant: it is relevant whatever its
// score, and its matches are still listed.
func (s *Scorer) Score(it *watcher.Item, always bool) watcher.Relevance {
	r := watcher.Relevance{Always: always, Profile: s.hash}
	x := s.pool.Get().(*text)
	defer s.pool.Put(x)
	counts := make([]int, len(s.terms))
	var hits []hit
	for i, f := range s.fields {
		if f.weight == 0 {
			continue
		}
		clear(counts)
		x.tokenize([...]string{it.Title, it.Summary, it.Text}[i])
		hits = s.scan(x, f, counts, hits, &r)
	}
	r.Score = round2(r.Score)
	r.Relevant = always || r.Score >= s.threshold
	return r
}

// scan finds the leftmost-longest matches in x and adds them to r.
func (s *Scorer) scan(x *text, f field, counts []int, hits []hit, r *watcher.Relevance) []hit {
	for i := 0; i < len(x.tokens); {
		hits = s.folded.find(x, i, hits[:0])
		hits = s.cased.find(x, i, hits)
		if len(hits) == 0 {
			i++
			continue
		}
		h := best(hits)
		s.record(x, f, i, h, counts, r)
		i = h.last + 1
	}
	return hits
}

// best picks the match that covers the most words, then the longest form,
// then a whole-word form over a prefix, then the earlier term.
func best(hits []hit) hit {
	b := hits[0]
	for _, h := range hits[1:] {
		switch {
		case h.last != b.last:
			if h.last > b.last {
				b = h
			}
		case len(h.phrase.key) != len(b.phrase.key):
			if len(h.phrase.key) > len(b.phrase.key) {
				b = h
			}
		case h.phrase.prefix != b.phrase.prefix:
			if !h.phrase.prefix {
				b = h
			}
		case h.phrase.term < b.phrase.term:
			b = h
		}
	}
	return b
}

// record adds one match, if it still counts, to r.
func (s *Scorer) record(x *text, f field, first int, h hit, counts []int, r *watcher.Relevance) {
	ti := h.phrase.term
	n := counts[ti]
	counts[ti]++
	factor := 1.0
	switch {
	case n > maxRepeats:
		return
	case n > 0:
		factor = repeatFactor
	}
	w := round2(f.weight * s.terms[ti].Weight * factor)
	start, end := x.tokens[first].raw0, x.tokens[h.last].raw1
	r.Matches = append(r.Matches, watcher.Match{
		Term:    s.terms[ti].Term,
		Matched: tidy(x.raw[start:end]),
		Field:   f.name,
		Snippet: snippet(x.raw, start, end),
		Weight:  w,
	})
	r.Score += w
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func round2(f float64) float64 { return math.Round(f*100) / 100 }

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
