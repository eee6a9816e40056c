package main

import (
	"testing"

	"watcher/config"
	"watcher/crawlers"
)

// TestDefaultConfigKinds checks that every source of the embedded
// configuration names a registered kind (config cannot see the crawlers).
func TestDefaultConfigKinds(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckKinds(crawlers.KindNames()); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"feed", "html", "page", "regjeringen-hearings", "regjeringen-feed", "stortinget",
		"europol", "frontex", "cbss", "unodc", "coe", "eu-home", "osce", "icat", "nspm"} {
		if _, ok := crawlers.KindFor(k); !ok {
			t.Errorf("kind %s is not registered", k)
		}
	}
}
