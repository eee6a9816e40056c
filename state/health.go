package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

// Health returns the stored health of a source.
func (s *Store) Health(sourceID string) (watcher.Health, bool, error) {
	var (
		h  watcher.Health
		ok bool
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucketSources).Get([]byte(sourceID))
		if data == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(data, &h)
	})
	if err != nil {
		return watcher.Health{}, false, fmt.Errorf("state: health of %s: %w", sourceID, err)
	}
	return h, ok, nil
}

// AllHealth returns every source's health, by source id.
func (s *Store) AllHealth() ([]watcher.Health, error) {
	var out []watcher.Health
	err := s.db.View(func(tx *bolt.Tx) error {
		defer s.releaseMappedIn(tx)
		return tx.Bucket(bucketSources).ForEach(func(k, v []byte) error {
			var h watcher.Health
			if err := json.Unmarshal(v, &h); err != nil {
				return fmt.Errorf("decode %q: %w", k, err)
			}
			out = append(out, h)
			if len(out)%releaseEvery == 0 {
				s.releaseMappedIn(tx) // thousands of sources are scattered over the file
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("state: all health: %w", err)
	}
	return out, nil
}

// PutHealth stores a source's health.
func (s *Store) PutHealth(h watcher.Health) error {
	if h.SourceID == "" {
		return errors.New("state: put health: empty source id")
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketSources), []byte(h.SourceID), &h)
	})
	if err != nil {
		return fmt.Errorf("state: put health of %s: %w", h.SourceID, err)
	}
	return nil
}

// PutRun stores a run report under its start time (a report with the same
// start replaces the earlier one).
func (s *Store) PutRun(r watcher.RunReport) error {
	if r.Started.IsZero() {
		return errors.New("state: put run: zero start time")
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketRuns), timeKey(r.Started), &r)
	})
	if err != nil {
		return fmt.Errorf("state: put run: %w", err)
	}
	return nil
}

// RunStarts returns when up to limit runs started (all when limit <= 0),
// newest first, from the keys alone: a run report of many sources is
// large, and a caller that needs only the times should not decode them.
func (s *Store) RunStarts(limit int) ([]time.Time, error) {
	var out []time.Time
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRuns).Cursor()
		for k, _ := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Prev() {
			if len(k) == 8 {
				out = append(out, keyTime(k))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("state: run starts: %w", err)
	}
	return out, nil
}

// Runs returns up to limit run reports (all when limit <= 0), newest first.
func (s *Store) Runs(limit int) ([]watcher.RunReport, error) {
	out, err := s.runs(nil, nil, limit)
	if err != nil {
		return nil, fmt.Errorf("state: runs: %w", err)
	}
	return out, nil
}

// RunsBetween returns the run reports of runs that started in [from, to),
// newest first, decoding only those: the run keys are start times in
// order, so the range is one cursor walk.
func (s *Store) RunsBetween(from, to time.Time) ([]watcher.RunReport, error) {
	out, err := s.runs(timeKey(from), timeKey(to), 0)
	if err != nil {
		return nil, fmt.Errorf("state: runs between %s and %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return out, nil
}

// runs decodes the run reports whose keys are in [lo, hi) (nil: no bound),
// newest first, up to limit (all when limit <= 0).
func (s *Store) runs(lo, hi []byte, limit int) ([]watcher.RunReport, error) {
	var out []watcher.RunReport
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRuns).Cursor()
		k, v := c.Last()
		if hi != nil {
			if k, v = c.Seek(hi); k == nil {
				k, v = c.Last()
			}
		}
		for ; k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			if hi != nil && (len(k) != len(hi) || bytes.Compare(k, hi) >= 0) {
				continue
			}
			if lo != nil && bytes.Compare(k, lo) < 0 {
				break
			}
			var r watcher.RunReport
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode run %s: %w", keyTime(k).Format("2006-01-02T15:04:05Z"), err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// LastRun returns the newest run report.
func (s *Store) LastRun() (watcher.RunReport, bool, error) {
	runs, err := s.Runs(1)
	if err != nil || len(runs) == 0 {
		return watcher.RunReport{}, false, err
	}
	return runs[0], true, nil
}
