package state

import (
	"encoding/json"
	"errors"
	"fmt"
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
