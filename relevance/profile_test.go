package relevance

import (
	"testing"

	"watcher"
	"watcher/config"
)

// loadProfile returns the shipped profile, config/topics.yaml, as the
// config package embeds and parses it: the fixture tests prove that the
// profile watcher runs with separates related items from unrelated ones.
func loadProfile(t testing.TB) watcher.TopicProfile {
	t.Helper()
	p, err := config.ParseTopics(config.EmbeddedTopics, config.DefaultTopics())
	if err != nil {
		t.Fatal(err)
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
