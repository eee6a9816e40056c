package norway

import (
	"testing"

	"watcher"
	"watcher/config"
	"watcher/crawlers"
)

// The example configuration must parse, validate and name only registered
// kinds, so that the entries can be copied into config/sources.yaml as they
// stand.
func TestSourcesExample(t *testing.T) {
	body := append([]byte("contact: mailto:kom@example.no\nsources:\n"), readFile(t, "sources.example.yaml")...)
	cfg, err := config.Parse("sources.example.yaml", body)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckKinds(crawlers.KindNames()); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]watcher.Source{}
	for _, s := range cfg.Sources {
		kinds[s.Kind] = s
	}
	for _, k := range []string{KindHearings, KindFeed, KindStortinget} {
		if _, ok := kinds[k]; !ok {
			t.Errorf("no example of kind %s", k)
		}
	}
	if s := kinds[KindHearings]; s.URLs[0] != realListingURL || s.MaxPages != 5 || s.MaxItemPages != 30 {
		t.Errorf("hearings example: %+v", s)
	}
}
