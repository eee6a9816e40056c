package watcher

import "testing"

func TestManualKey(t *testing.T) {
	for key, want := range map[string]bool{
		"manual:web-1a2b":       true,
		"manual:notes-x-y":      true,
		"manual:":               false, // the prefix alone names no entry
		"regjeringen:3167072":   false,
		"https://example.org/m": false,
		"":                      false,
	} {
		if got := ManualKey(key); got != want {
			t.Errorf("ManualKey(%q) = %v, want %v", key, got, want)
		}
		if d := (Decision{Key: key}); d.Manual() != want {
			t.Errorf("Decision{Key: %q}.Manual() = %v, want %v", key, d.Manual(), want)
		}
	}
}
