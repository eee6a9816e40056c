package relevance

import (
	"bytes"
	"os"
	"testing"

	"go.yaml.in/yaml/v3"

	"watcher"
)

// profileFile is the shipped profile; the fixture tests prove that it
// separates related items from unrelated ones.
const profileFile = "../config/topics.yaml"

// loadProfile reads config/topics.yaml with the schema the config package
// reads it with.
func loadProfile(t testing.TB) watcher.TopicProfile {
	t.Helper()
	b, err := os.ReadFile(profileFile)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Name         string  `yaml:"name"`
		Threshold    float64 `yaml:"threshold"`
		FieldWeights struct {
			Title   float64 `yaml:"title"`
			Summary float64 `yaml:"summary"`
			Text    float64 `yaml:"text"`
		} `yaml:"field_weights"`
		Terms []struct {
			Term     string   `yaml:"term"`
			Weight   float64  `yaml:"weight"`
			Forms    []string `yaml:"forms"`
			Prefix   bool     `yaml:"prefix"`
			Case     bool     `yaml:"case"`
			Language string   `yaml:"language"`
		} `yaml:"terms"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", profileFile, err)
	}
	p := watcher.TopicProfile{
		Name:          f.Name,
		Threshold:     f.Threshold,
		TitleWeight:   f.FieldWeights.Title,
		SummaryWeight: f.FieldWeights.Summary,
		TextWeight:    f.FieldWeights.Text,
	}
	for _, tt := range f.Terms {
		p.Terms = append(p.Terms, watcher.TopicTerm{
			Term: tt.Term, Weight: tt.Weight, Forms: tt.Forms,
			Prefix: tt.Prefix, Case: tt.Case, Language: tt.Language,
		})
	}
	return p
}

func mustNew(t testing.TB, p watcher.TopicProfile) *Scorer {
	t.Helper()
	s, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
