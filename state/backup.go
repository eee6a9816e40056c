package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

// Backup writes a consistent copy of the database to w from one read
// transaction; writers carry on meanwhile. It returns the bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("state: backup %s: %w", s.path, err)
	}
	return n, nil
}

// BackupFile writes a consistent copy of the database to path: to a
// temporary file beside it, synced, then renamed over path, so path is
// never a partial copy.
func (s *Store) BackupFile(path string) (err error) {
	if same, _ := samePath(path, s.path); same {
		return fmt.Errorf("state: backup to %s: that is the database itself", path)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("state: backup to %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err := s.Backup(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("state: backup to %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("state: backup to %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("state: backup to %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// samePath reports whether a and b name the same file (an existing b).
func samePath(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// syncDir makes a rename durable where the platform allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// maxProblems caps the watcher-level problems Check lists one by one.
const maxProblems = 100

// Check opens the database read-only (it fails with ErrLocked while a
// writer holds it) and verifies it: bbolt's page-level check first, then,
// if that passes and the schema is the current one, the watcher layout:
// every bucket present, every item decodable and present in each index,
// no index entry or history without its item, no outbox entry without
// its alert. It returns nil or an error listing every problem found.
func Check(path string) (err error) {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("state: check %s: %w", path, err)
	}
	defer func() {
		// A badly damaged file can make bbolt panic while opening it.
		if r := recover(); r != nil {
			err = fmt.Errorf("state: check %s: 1 problem:\n%v", path, r)
		}
	}()
	db, err := bolt.Open(path, fileMode, &bolt.Options{
		ReadOnly:        true,
		Timeout:         defaultTimeout,
		PreLoadFreelist: true,
		FreelistType:    bolt.FreelistMapType,
	})
	if err != nil {
		return openError(path, err)
	}
	defer db.Close()
	var problems []error
	err = db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			problems = append(problems, e)
		}
		if len(problems) == 0 {
			problems = checkSchema(tx)
		}
		return nil
	})
	if err != nil {
		problems = append(problems, err)
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("state: check %s: %d problem(s):\n%w", path, len(problems), errors.Join(problems...))
}

// schemaChecker collects watcher-level problems, up to maxProblems.
type schemaChecker struct {
	tx       *bolt.Tx
	problems []error
	dropped  int
}

func (c *schemaChecker) add(format string, args ...any) {
	if len(c.problems) >= maxProblems {
		c.dropped++
		return
	}
	c.problems = append(c.problems, fmt.Errorf(format, args...))
}

func checkSchema(tx *bolt.Tx) []error {
	c := &schemaChecker{tx: tx}
	version, fresh, err := readVersion(tx)
	switch {
	case err != nil:
		c.add("not a watcher database: %w", err)
	case fresh:
		c.add("not a watcher database: no buckets")
	case version > schemaVersion:
		c.add("schema version %d is newer than this watcher's %d: only the file structure was checked", version, schemaVersion)
	case version < schemaVersion:
		// Older but valid: Open upgrades it. Its layout is not this version's.
	default:
		c.layout()
	}
	if c.dropped > 0 {
		c.problems = append(c.problems, fmt.Errorf("and %d more problems", c.dropped))
	}
	return c.problems
}

func (c *schemaChecker) layout() {
	for _, name := range allBuckets {
		if c.tx.Bucket(name) == nil {
			c.add("bucket %s is missing", name)
		}
	}
	if len(c.problems) > 0 {
		return
	}
	items := c.tx.Bucket(bucketItems)
	withDeadline := 0
	_ = items.ForEach(func(k, v []byte) error {
		var it watcher.Item
		if err := json.Unmarshal(v, &it); err != nil {
			c.add("items/%q: %v", k, err)
			return nil
		}
		if it.Key != string(k) {
			c.add("items/%q holds the item %q", k, it.Key)
		}
		ix := indexOf(&it)
		if ix.deadline != nil {
			withDeadline++
		}
		for _, x := range []struct {
			bucket, key []byte
		}{{bucketBySeen, ix.seen}, {bucketByDate, ix.date}, {bucketDeadlines, ix.deadline}, {bucketBySource, ix.source}} {
			if x.key != nil && !has(c.tx.Bucket(x.bucket), x.key) {
				c.add("%s has no entry for item %q", x.bucket, k)
			}
		}
		return nil
	})
	// Every item's entries exist; equal counts mean there are no others.
	n := items.Stats().KeyN
	c.indexCount(bucketBySeen, n, 8)
	c.indexCount(bucketByDate, n, 8)
	c.indexCount(bucketDeadlines, withDeadline, 8)
	c.indexCount(bucketBySource, n, -1)
	c.history()
	c.outbox()
}

// indexCount compares an index's size with the expected one and, when
// they differ, lists the entries whose item does not exist. skip is the
// length of the prefix before the item key, or -1 for "after the NUL".
func (c *schemaChecker) indexCount(name []byte, want, skip int) {
	b := c.tx.Bucket(name)
	got := b.Stats().KeyN
	if got == want {
		return
	}
	c.add("%s has %d entries for %d items", name, got, want)
	_ = b.ForEach(func(k, _ []byte) error {
		key := k
		if skip >= 0 && len(k) >= skip {
			key = k[skip:]
		} else if i := bytes.IndexByte(k, sep); i >= 0 {
			key = k[i+1:]
		}
		if c.tx.Bucket(bucketItems).Get(key) == nil {
			c.add("%s entry %q points to no item", name, k)
		}
		return nil
	})
}

func (c *schemaChecker) history() {
	items := c.tx.Bucket(bucketItems)
	_ = c.tx.Bucket(bucketHistory).ForEach(func(k, v []byte) error {
		i := bytes.IndexByte(k, sep)
		if i < 0 || len(k) != i+1+8 {
			c.add("history key %q is malformed", k)
			return nil
		}
		if items.Get(k[:i]) == nil {
			c.add("history %q belongs to no item", k)
		}
		var ch watcher.Change
		if err := json.Unmarshal(v, &ch); err != nil {
			c.add("history %q: %v", k, err)
		}
		return nil
	})
}

func (c *schemaChecker) outbox() {
	alerts := c.tx.Bucket(bucketAlerts)
	_ = c.tx.Bucket(bucketOutbox).ForEach(func(k, _ []byte) error {
		i := bytes.IndexByte(k, sep)
		if i < 0 {
			c.add("outbox key %q is malformed", k)
			return nil
		}
		if !has(alerts, k[:i]) {
			c.add("outbox entry %q: alert %q is not in alerts/", k, k[:i])
		}
		return nil
	})
}
