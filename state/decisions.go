package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

// PutDecision stores the editor's decision on d.Key for d.Period,
// replacing an earlier one. A zero d.At is set from the clock.
func (s *Store) PutDecision(d watcher.Decision) error {
	if d.Period == "" || strings.IndexByte(d.Period, sep) >= 0 {
		return fmt.Errorf("state: put decision: bad period %q", d.Period)
	}
	if err := CheckKey(d.Key); err != nil {
		return fmt.Errorf("state: put decision for %s: %w", d.Period, err)
	}
	if d.At.IsZero() {
		d.At = s.opt.Now()
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketDecisions), joinKey(d.Period, d.Key), &d)
	})
	if err != nil {
		return fmt.Errorf("state: put decision %s %q: %w", d.Period, d.Key, err)
	}
	return nil
}

// DeleteDecision removes a decision; removing one that does not exist is
// not an error.
func (s *Store) DeleteDecision(period, key string) error {
	if period == "" || key == "" {
		return errors.New("state: delete decision: empty period or key")
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDecisions).Delete(joinKey(period, key))
	})
	if err != nil {
		return fmt.Errorf("state: delete decision %s %q: %w", period, key, err)
	}
	return nil
}

// Decisions returns the decisions of a period ("" for every period),
// ordered by key.
func (s *Store) Decisions(period string) ([]watcher.Decision, error) {
	var prefix []byte
	if period != "" {
		prefix = prefixKey(period)
	}
	var out []watcher.Decision
	err := s.db.View(func(tx *bolt.Tx) error {
		return scanPrefix(tx.Bucket(bucketDecisions), prefix, func(k, v []byte) (bool, error) {
			var d watcher.Decision
			if err := json.Unmarshal(v, &d); err != nil {
				return false, fmt.Errorf("decode %q: %w", k, err)
			}
			out = append(out, d)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("state: decisions of %q: %w", period, err)
	}
	return out, nil
}
