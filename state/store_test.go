package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

func TestOpenCreatesPrivateDirectoriesAndMeta(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "watcher")
	path := filepath.Join(dir, "watcher.db")
	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != path || s.SchemaVersion() != schemaVersion {
		t.Errorf("Path %q version %d", s.Path(), s.SchemaVersion())
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, %v", fi.Mode(), err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, %v", fi.Mode(), err)
	}
	if _, err := os.Stat(lockInfoPath(path)); err != nil {
		t.Errorf("no lock info while open: %v", err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		for k, want := range map[string]string{
			"schema_version": "1",
			"created_at":     "2026-03-02T06:00:00Z",
			"pid":            fmt.Sprint(os.Getpid()),
		} {
			if got := string(meta.Get([]byte(k))); got != want {
				t.Errorf("meta/%s = %q, want %q", k, got, want)
			}
		}
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				t.Errorf("bucket %s missing", b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(lockInfoPath(path)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("lock info left after Close: %v", err)
	}
}

func TestOpenLockedNamesTheHolder(t *testing.T) {
	s := openTest(t)
	for _, readOnly := range []bool{false, true} {
		opt := testOptions()
		opt.Timeout, opt.ReadOnly = 100*time.Millisecond, readOnly
		start := time.Now()
		_, err := Open(s.Path(), opt)
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("read-only %v: error %v, want ErrLocked", readOnly, err)
		}
		msg := err.Error()
		for _, want := range []string{"database " + s.Path() + " is in use by another watcher process", fmt.Sprintf("(pid %d)", os.Getpid())} {
			if !strings.Contains(msg, want) {
				t.Errorf("read-only %v: message %q lacks %q", readOnly, msg, want)
			}
		}
		if waited := time.Since(start); waited > 2*time.Second {
			t.Errorf("waited %v for a 100ms timeout", waited)
		}
	}
}

func TestOpenLockedNamesTheHolderFromProcLocks(t *testing.T) {
	if _, err := os.Stat("/proc/locks"); err != nil {
		t.Skip("no /proc/locks on this system")
	}
	s := openTest(t)
	// Without the sidecar only the kernel's lock table can name the holder.
	if err := os.Remove(lockInfoPath(s.Path())); err != nil {
		t.Fatal(err)
	}
	opt := testOptions()
	opt.Timeout = 100 * time.Millisecond
	_, err := Open(s.Path(), opt)
	if want := fmt.Sprintf("(pid %d)", os.Getpid()); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), want) {
		t.Errorf("Open = %v, want ErrLocked naming %s", err, want)
	}
}

func TestLockHolderFromSidecar(t *testing.T) {
	// Nobody holds this file's lock, so /proc/locks names no one and the
	// sidecar (as another host's process left it) is what is read.
	path := filepath.Join(t.TempDir(), "watcher.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		sidecar string
		want    string
	}{
		"other host": {`{"pid":4321,"host":"elsewhere","started":"2026-03-02T06:00:00Z"}`, "pid 4321 on host elsewhere"},
		"no host":    {`{"pid":4321}`, "pid 4321"},
		"garbage":    {`not json`, ""},
		"no pid":     {`{"host":"x"}`, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(lockInfoPath(path), []byte(tc.sidecar), 0o600); err != nil {
				t.Fatal(err)
			}
			if got := lockHolder(path); got != tc.want {
				t.Errorf("lockHolder = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	s := openTest(t)
	path := s.Path()
	_ = s.Close()
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(metaSchemaVersion, []byte("2"))
	})
	for _, readOnly := range []bool{false, true} {
		opt := testOptions()
		opt.ReadOnly = readOnly
		_, err := Open(path, opt)
		if !errors.Is(err, ErrNewerSchema) {
			t.Fatalf("error %v, want ErrNewerSchema", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "schema version 2") || !strings.Contains(msg, "version 1") {
			t.Errorf("message %q lacks both versions", msg)
		}
	}
	if err := Check(path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Check of a newer database: %v", err)
	}
}

func TestOpenRejectsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte(strings.Repeat("not a database\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "other.db")
	rawUpdate(t, foreign, func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err })
	for _, path := range []string{text, foreign} {
		_, err := Open(path, testOptions())
		if !errors.Is(err, ErrNotWatcherDB) || !strings.Contains(err.Error(), "not a watcher database") {
			t.Errorf("Open(%s) = %v, want ErrNotWatcherDB", filepath.Base(path), err)
		}
	}
}

func TestOpenReadOnly(t *testing.T) {
	opt := testOptions()
	opt.ReadOnly = true
	if _, err := Open(filepath.Join(t.TempDir(), "missing.db"), opt); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read-only open of a missing file: %v", err)
	}
	s := openTest(t)
	mustApply(t, s, SourceBatch{SourceID: "src", Items: []watcher.Item{{Key: "a", Title: "A"}}})
	path := s.Path()
	_ = s.Close()
	ro, err := Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if it := mustItem(t, ro, "a"); it.Title != "A" {
		t.Errorf("read %+v", it)
	}
	if _, err := ro.ApplyBatch(SourceBatch{SourceID: "src", Items: []watcher.Item{{Key: "b"}}}); err == nil {
		t.Error("a read-only store accepted a write")
	}
	if _, err := os.Stat(lockInfoPath(path)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a read-only open wrote lock info: %v", err)
	}
	// Two readers share the lock.
	ro2, err := Open(path, opt)
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	_ = ro2.Close()
}

// writeV0 creates a version-0 database: meta/ without schema_version, and
// items with their time indexes but no by_source/.
func writeV0(t *testing.T, path string, items ...watcher.Item) {
	t.Helper()
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket(bucketMeta)
		if err := meta.Put(metaCreatedAt, []byte("2025-01-01T00:00:00Z")); err != nil {
			return err
		}
		b, _ := tx.CreateBucket(bucketItems)
		seen, _ := tx.CreateBucket(bucketBySeen)
		date, _ := tx.CreateBucket(bucketByDate)
		for _, it := range items {
			v, _ := json.Marshal(&it)
			if err := b.Put([]byte(it.Key), v); err != nil {
				return err
			}
			_ = seen.Put(timeIndexKey(it.FirstSeen, it.Key), empty)
			_ = date.Put(timeIndexKey(it.Date(), it.Key), empty)
		}
		return nil
	})
}

func TestUpgradeFromVersion0(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "watcher.db")
	writeV0(t, path,
		watcher.Item{Key: "a1", SourceID: "a", Title: "A1", FirstSeen: day(2025, 1, 2)},
		watcher.Item{Key: "b1", SourceID: "b", Title: "B1", FirstSeen: day(2025, 1, 3)},
	)
	opt := testOptions()
	opt.BackupDir = filepath.Join(dir, "backups")
	s, err := Open(path, opt)
	if err != nil {
		t.Fatalf("Open v0: %v", err)
	}
	if s.SchemaVersion() != 1 {
		t.Errorf("version %d after upgrade", s.SchemaVersion())
	}
	got, err := s.Items(Query{Source: "a"})
	if err != nil || len(got) != 1 || got[0].Key != "a1" {
		t.Errorf("by_source after upgrade: %v, %v", keysOf(got), err)
	}
	_ = s.Close()
	if err := Check(path); err != nil {
		t.Errorf("Check after upgrade: %v", err)
	}

	backup := filepath.Join(opt.BackupDir, "watcher.db.v0-20260302T060000Z.bak")
	rawView(t, backup, func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(metaSchemaVersion); v != nil {
			t.Errorf("backup has schema version %q: not taken before the upgrade", v)
		}
		if tx.Bucket(bucketBySource) != nil || tx.Bucket(bucketItems).Get([]byte("b1")) == nil {
			t.Error("backup is not the version-0 database")
		}
		return nil
	})
}

func TestUpgradeFailureLeavesDatabaseUntouched(t *testing.T) {
	saved := upgrades[0]
	t.Cleanup(func() { upgrades[0] = saved })
	upgrades[0] = func(tx *bolt.Tx) error {
		if err := upgrade0to1(tx); err != nil {
			return err
		}
		return errors.New("step failed halfway")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "watcher.db")
	writeV0(t, path, watcher.Item{Key: "a1", SourceID: "a", FirstSeen: day(2025, 1, 2)})
	_, err := Open(path, testOptions())
	if err == nil || !strings.Contains(err.Error(), "step failed halfway") || !strings.Contains(err.Error(), "version 0 to 1") {
		t.Fatalf("Open = %v, want the step's error", err)
	}
	rawView(t, path, func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta).Get(metaSchemaVersion) != nil || tx.Bucket(bucketBySource) != nil || tx.Bucket(bucketOutbox) != nil {
			t.Error("a failed upgrade left changes behind")
		}
		return nil
	})
	if m, _ := filepath.Glob(filepath.Join(dir, "watcher.db.v0-*.bak")); len(m) != 1 {
		t.Errorf("backups beside the database: %v", m)
	}
}

func TestUpgradeStepsMatchSchemaVersion(t *testing.T) {
	if len(upgrades) != schemaVersion {
		t.Fatalf("%d upgrade steps for schema version %d", len(upgrades), schemaVersion)
	}
	for i, f := range upgrades {
		if f == nil {
			t.Errorf("upgrade step %d is nil", i)
		}
	}
}

func TestDefaultPath(t *testing.T) {
	home := t.TempDir()
	tests := map[string]struct {
		stateDir, xdg string
		want          string
	}{
		"systemd":              {"/var/lib/watcher", "/xdg", "/var/lib/watcher/watcher.db"},
		"systemd, several":     {"/var/lib/watcher:/var/lib/other", "", "/var/lib/watcher/watcher.db"},
		"xdg":                  {"", "/home/u/.state", "/home/u/.state/watcher/watcher.db"},
		"relative xdg ignored": {"", "state", filepath.Join(home, ".local/state/watcher/watcher.db")},
		"home":                 {"", "", filepath.Join(home, ".local/state/watcher/watcher.db")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Setenv("HOME", home)
			t.Setenv("STATE_DIRECTORY", tc.stateDir)
			t.Setenv("XDG_STATE_HOME", tc.xdg)
			if got := DefaultPath(); got != tc.want {
				t.Errorf("DefaultPath() = %q, want %q", got, tc.want)
			}
		})
	}
}

func rawUpdate(t *testing.T, path string, fn func(*bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func rawView(t *testing.T, path string, fn func(*bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.View(fn); err != nil {
		t.Fatal(err)
	}
}
