package state

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

// batchOf returns n items with keys prefix0…, each with some text so the
// items bucket spans many pages.
func batchOf(prefix string, n int) []watcher.Item {
	items := make([]watcher.Item, n)
	for i := range items {
		items[i] = watcher.Item{
			Key:       fmt.Sprintf("%s%d", prefix, i),
			Title:     "Item " + prefix,
			Text:      strings.Repeat("menneskehandel ", 40),
			Published: day(2026, 1, 1).Add(time.Duration(i) * time.Hour),
			Deadline:  day(2026, 6, 1).Add(time.Duration(i) * time.Hour),
		}
	}
	return items
}

func TestBackupWhileWriting(t *testing.T) {
	s := openTest(t)
	mustApply(t, s, SourceBatch{SourceID: "src", Items: batchOf("a", 200)})

	var wg sync.WaitGroup
	stop, started := make(chan struct{}), make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.ApplyBatch(SourceBatch{SourceID: "src", Items: batchOf(fmt.Sprintf("w%d-", i), 50)}); err != nil {
				t.Error(err)
				return
			}
			if i == 0 {
				close(started)
			}
		}
	}()
	<-started
	dir := t.TempDir()
	var copies []string
	for i := range 3 {
		p := filepath.Join(dir, fmt.Sprintf("copy%d.db", i))
		if err := s.BackupFile(p); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, p)
	}
	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	close(stop)
	wg.Wait()
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup = %d, %v (buffer %d)", n, err, buf.Len())
	}
	for _, p := range copies {
		if err := Check(p); err != nil {
			t.Errorf("Check(%s): %v", filepath.Base(p), err)
		}
		c, err := Open(p, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		if n, err := c.Count(); err != nil || n < 200 || n%50 != 0 {
			t.Errorf("copy holds %d items, %v: not a whole number of batches", n, err)
		}
		_ = c.Close()
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.tmp-*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

func TestBackupFileRefusesTheDatabaseItself(t *testing.T) {
	s := openTest(t)
	mustApply(t, s, SourceBatch{SourceID: "src", Items: batchOf("a", 3)})
	rel, err := filepath.Rel(".", filepath.Join(filepath.Dir(s.Path()), ".", "watcher.db"))
	if err != nil {
		rel = s.Path()
	}
	if err := s.BackupFile(rel); err == nil || !strings.Contains(err.Error(), "the database itself") {
		t.Fatalf("BackupFile over the database: %v", err)
	}
	if n, err := s.Count(); err != nil || n != 3 {
		t.Errorf("database after the refused backup: %d items, %v", n, err)
	}
}

func TestCheckFindsCorruption(t *testing.T) {
	s := openTest(t)
	mustApply(t, s, SourceBatch{SourceID: "src", Items: batchOf("a", 300)})
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := Check(path); err != nil {
		t.Fatalf("Check of a sound database: %v", err)
	}

	var root uint64
	var pageSize int
	rawView(t, path, func(tx *bolt.Tx) error {
		root = uint64(tx.Bucket(bucketItems).Root())
		pageSize = tx.DB().Info().PageSize
		return nil
	})
	if root == 0 {
		t.Fatal("items bucket is inline; the test needs a page to damage")
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	// A page header is id (8 bytes), flags (2), count (2), overflow (4).
	var flags [2]byte
	binary.LittleEndian.PutUint16(flags[:], 0x0100) // no such page type
	if _, err := f.WriteAt(flags[:], int64(root)*int64(pageSize)+8); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()

	err = Check(path)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("page %d", root)) {
		t.Fatalf("Check = %v, want a problem on page %d", err, root)
	}
}

func TestCheckFindsIndexProblems(t *testing.T) {
	s := openTest(t)
	items := batchOf("a", 3)
	mustApply(t, s, SourceBatch{SourceID: "src", Items: items})
	path := s.Path()
	_ = s.Close()
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		// Lose one item's by_date entry, and leave a deadline entry
		// pointing to no item, and an outbox entry for an unknown alert.
		if err := tx.Bucket(bucketByDate).Delete(timeIndexKey(items[1].Published, items[1].Key)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketDeadlines).Put(timeIndexKey(day(2027, 1, 1), "ghost"), empty); err != nil {
			return err
		}
		return tx.Bucket(bucketOutbox).Put(joinKey("alert:x", "email"), []byte("{}"))
	})
	err := Check(path)
	if err == nil {
		t.Fatal("Check passed a database with broken indexes")
	}
	for _, want := range []string{
		`by_date has no entry for item "a1"`,
		"by_date has 2 entries for 3 items",
		"deadlines has 4 entries for 3 items",
		`points to no item`,
		`alert "alert:x" is not in alerts/`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Check error lacks %q:\n%v", want, err)
		}
	}
}

func TestCheckLockedAndMissing(t *testing.T) {
	s := openTest(t)
	if err := Check(s.Path()); err == nil || !strings.Contains(err.Error(), "in use by another watcher process") {
		t.Errorf("Check while open for writing: %v", err)
	}
	if err := Check(filepath.Join(t.TempDir(), "none.db")); err == nil {
		t.Error("Check of a missing file passed")
	}
}
