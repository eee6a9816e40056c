package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

// Validator returns the conditional-GET validators stored for url. A read
// failure counts as "not found": the fetch then simply is unconditional.
func (s *Store) Validator(url string) (watcher.Validator, bool) {
	var (
		v  watcher.Validator
		ok bool
	)
	_ = s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucketFetch).Get([]byte(url))
		ok = data != nil && json.Unmarshal(data, &v) == nil
		return nil
	})
	if !ok {
		return watcher.Validator{}, false
	}
	return v, true
}

// LoadValidators returns the stored validators by URL, all of them when
// no argument is given. An argument with "://" is a URL prefix; any other
// is a host, matching http and https URLs on it (with any port).
func (s *Store) LoadValidators(prefixHosts ...string) (map[string]watcher.Validator, error) {
	out := make(map[string]watcher.Validator)
	collect := func(k, v []byte) (bool, error) {
		var val watcher.Validator
		if err := json.Unmarshal(v, &val); err != nil {
			return false, fmt.Errorf("decode %q: %w", k, err)
		}
		out[string(k)] = val
		return true, nil
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFetch)
		if len(prefixHosts) == 0 {
			return scanPrefix(b, nil, collect)
		}
		for _, p := range prefixHosts {
			if strings.Contains(p, "://") {
				if err := scanPrefix(b, []byte(p), collect); err != nil {
					return err
				}
				continue
			}
			for _, scheme := range []string{"http://", "https://"} {
				prefix := []byte(scheme + p)
				err := scanPrefix(b, prefix, func(k, v []byte) (bool, error) {
					if rest := k[len(prefix):]; len(rest) > 0 && !bytes.ContainsAny(rest[:1], "/:?#") {
						return true, nil // another host that starts the same way
					}
					return collect(k, v)
				})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("state: load validators: %w", err)
	}
	return out, nil
}

// robotsEntry is a host's robots.txt as last fetched.
type robotsEntry struct {
	Status int       `json:"status"`
	Body   []byte    `json:"body,omitempty"`
	At     time.Time `json:"at"`
}

// PutRobots stores a host's robots.txt answer.
func (s *Store) PutRobots(host string, status int, body []byte, at time.Time) error {
	if host == "" {
		return errors.New("state: put robots: empty host")
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		return putJSON(tx.Bucket(bucketRobots), []byte(host), &robotsEntry{Status: status, Body: body, At: at})
	})
	if err != nil {
		return fmt.Errorf("state: put robots for %s: %w", host, err)
	}
	return nil
}

// Robots returns a host's stored robots.txt answer; ok is false when none
// is stored or it cannot be read.
func (s *Store) Robots(host string) (status int, body []byte, at time.Time, ok bool) {
	var e robotsEntry
	_ = s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucketRobots).Get([]byte(host))
		ok = data != nil && json.Unmarshal(data, &e) == nil
		return nil
	})
	if !ok {
		return 0, nil, time.Time{}, false
	}
	return e.Status, e.Body, e.At, true
}
