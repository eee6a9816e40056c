package intl

import (
	"os"
	"testing"

	"watcher"
	"watcher/config"
	"watcher/crawlers"
)

// TestExampleConfig checks that sources.example.yaml parses, validates,
// names only registered kinds, and gives every adapter of this package a
// source, so the integrator can copy it as it is.
func TestExampleConfig(t *testing.T) {
	data, err := os.ReadFile("sources.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The block is copied under an existing configuration's globals.
	data = append([]byte("contact: mailto:test@example.org\n"), data...)
	cfg, err := config.Parse("sources.example.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckKinds(crawlers.KindNames()); err != nil {
		t.Fatal(err)
	}
	byKind := map[string]watcher.Source{}
	for _, s := range cfg.Sources {
		byKind[s.Kind] = s
		if s.Region != watcher.RegionInternational || s.Organisation == "" || s.Language == "" {
			t.Errorf("%s: region %q organisation %q language %q", s.ID, s.Region, s.Organisation, s.Language)
		}
	}
	for _, kind := range []string{"europol", "frontex", "cbss", "unodc", "coe", "eu-home", "osce", "icat", "nspm"} {
		if _, ok := byKind[kind]; !ok {
			t.Errorf("no example source of kind %s", kind)
		}
		if _, ok := crawlers.KindFor(kind); !ok {
			t.Errorf("kind %s is not registered", kind)
		}
	}
	for _, kind := range []string{"coe", "cbss"} {
		if d := byKind[kind].Delay; d.Seconds() < 5 {
			t.Errorf("%s sits behind anti-bot protection: delay %v, want at least 5s", kind, d)
		}
	}
	if !byKind["coe"].AlwaysRelevant {
		t.Error("the GRETA source should be always relevant")
	}
}
