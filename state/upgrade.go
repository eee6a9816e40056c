package state

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// upgrades[i] turns a version-i database into version i+1. Open writes a
// backup, then runs every step from the stored version up in ONE
// transaction together with the new version number, so an upgrade either
// completes or leaves the file as it was. len(upgrades) must equal
// schemaVersion; a test holds it to that.
//
// To change the schema: bump schemaVersion, add the bucket to schema.go
// (it is created at open), and append the step that converts old data.
var upgrades = []func(tx *bolt.Tx) error{
	0: upgrade0to1,
}

// runUpgrades applies the steps from version from to schemaVersion.
func runUpgrades(tx *bolt.Tx, from int) error {
	if len(upgrades) != schemaVersion {
		return fmt.Errorf("upgrade: %d steps for schema version %d", len(upgrades), schemaVersion)
	}
	for v := from; v < schemaVersion; v++ {
		if err := upgrades[v](tx); err != nil {
			return fmt.Errorf("upgrade from version %d to %d: %w", v, v+1, err)
		}
	}
	return nil
}

// backupBeforeUpgrade copies the database, as it is, to
// <BackupDir>/<name>.v<from>-<time>.bak and returns the copy's path.
func (s *Store) backupBeforeUpgrade(from int) (string, error) {
	dir := s.opt.BackupDir
	if dir == "" {
		dir = filepath.Dir(s.path)
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return "", fmt.Errorf("state: backup before upgrade: %w", err)
	}
	name := fmt.Sprintf("%s.v%d-%s.bak", filepath.Base(s.path), from, s.opt.Now().UTC().Format("20060102T150405Z"))
	path := filepath.Join(dir, name)
	if err := s.BackupFile(path); err != nil {
		return "", fmt.Errorf("state: backup before upgrade: %w", err)
	}
	return path, nil
}

// upgrade0to1 builds the by_source/ index, which version 0 did not have.
func upgrade0to1(tx *bolt.Tx) error {
	items := tx.Bucket(bucketItems)
	if items == nil {
		return nil // nothing stored yet; the buckets are created at open
	}
	idx, err := tx.CreateBucketIfNotExists(bucketBySource)
	if err != nil {
		return err
	}
	return items.ForEach(func(k, v []byte) error {
		var it struct {
			SourceID string `json:"source"`
		}
		if err := json.Unmarshal(v, &it); err != nil {
			return fmt.Errorf("item %q: %w", k, err)
		}
		return idx.Put(joinKey(it.SourceID, string(k)), empty)
	})
}
