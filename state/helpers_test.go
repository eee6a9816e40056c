package state

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

var t0 = time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// openTest opens a fresh store in a temporary directory with a fixed clock.
func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "watcher.db"), testOptions())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func testOptions() Options {
	return Options{
		Timeout: 200 * time.Millisecond,
		Now:     func() time.Time { return t0 },
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// txID returns the id of the last committed transaction.
func txID(t testing.TB, s *Store) int {
	t.Helper()
	var id int
	if err := s.db.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil }); err != nil {
		t.Fatal(err)
	}
	return id
}

func mustApply(t testing.TB, s *Store, b SourceBatch) BatchResult {
	t.Helper()
	res, err := s.ApplyBatch(b)
	if err != nil {
		t.Fatalf("ApplyBatch: %v", err)
	}
	return res
}

func mustItem(t testing.TB, s *Store, key string) watcher.Item {
	t.Helper()
	it, ok, err := s.Item(key)
	if err != nil || !ok {
		t.Fatalf("Item(%q) = ok %v, err %v", key, ok, err)
	}
	return it
}

// hearing is a fully known regjeringen hearing, as its own page gives it.
func hearing() watcher.Item {
	return watcher.Item{
		Key:       "regjeringen:3167072",
		SourceID:  "regjeringen-horinger",
		URL:       "https://www.regjeringen.no/no/dokumenter/horing/id3167072/",
		Title:     "Høring om endringer i straffeloven",
		Summary:   "Departementet sender på høring forslag om endringer.",
		Text:      "Full text of the page.",
		Kind:      watcher.KindHearing,
		Published: day(2026, 2, 20),
		Deadline:  day(2026, 8, 7),
		Status:    watcher.StatusOpen,
		Attachments: []watcher.Attachment{
			{Name: "Høringsnotat", URL: "https://www.regjeringen.no/contentassets/a/notat.pdf"},
		},
	}
}

func keysOf(items []watcher.Item) []string {
	out := make([]string, len(items))
	for i := range items {
		out[i] = items[i].Key
	}
	return out
}
