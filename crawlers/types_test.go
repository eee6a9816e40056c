package crawlers

import (
	"testing"

	"watcher"
)

func TestEnvStored(t *testing.T) {
	if _, ok := (&Env{}).Stored("k"); ok {
		t.Error("an environment without a store found an item")
	}
	env := &Env{Known: func(key string) (watcher.Item, bool) { return watcher.Item{Key: key}, true }}
	if it, ok := env.Stored("k"); !ok || it.Key != "k" {
		t.Errorf("Stored(k) = %+v, %v", it, ok)
	}
	if _, ok := env.Stored(""); ok {
		t.Error("an empty key was looked up")
	}
}
