package state

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

// Alerts are delivered at least once through an outbox: EnqueueAlerts
// records each new alert key in alerts/ (so it is never enqueued again)
// and adds one outbox/ entry per channel; a sender lists Pending, sends,
// and calls MarkSent (which removes the entry) or MarkFailed (which keeps
// it, counting attempts). A crash between sending and MarkSent means the
// alert is sent again: at least once, never lost.

// Pending is one alert waiting to be delivered on one channel.
type Pending struct {
	Alert       watcher.Alert `json:"alert"`
	Channel     string        `json:"channel"`
	Attempts    int           `json:"attempts,omitempty"`
	LastError   string        `json:"last_error,omitempty"`
	LastAttempt time.Time     `json:"last_attempt,omitzero"`
}

// alertRecord is the value in alerts/: when the alert was created and when
// it was sent on each channel.
type alertRecord struct {
	Created time.Time            `json:"created"`
	Sent    map[string]time.Time `json:"sent,omitempty"`
}

// EnqueueAlerts adds the alerts whose key was never enqueued before, one
// outbox entry for each channel of the alert's audience, in one
// transaction, and returns how many alerts it added. An alert whose
// audience has no channel is still recorded as known, so that configuring
// a channel later does not flood it with old alerts.
func (s *Store) EnqueueAlerts(alerts []watcher.Alert, channels map[watcher.Audience][]string) (added int, err error) {
	for i := range alerts {
		if err := CheckKey(alerts[i].Key); err != nil {
			return 0, fmt.Errorf("state: enqueue alert %d: %w", i, err)
		}
	}
	for aud, chs := range channels {
		for _, ch := range chs {
			if ch == "" || strings.IndexByte(ch, sep) >= 0 {
				return 0, fmt.Errorf("state: enqueue alerts: bad channel name %q for %s", ch, aud)
			}
		}
	}
	err = s.update(func(tx *bolt.Tx) (bool, error) {
		added = 0
		known, outbox := tx.Bucket(bucketAlerts), tx.Bucket(bucketOutbox)
		for _, a := range alerts {
			if has(known, []byte(a.Key)) {
				continue
			}
			if a.Created.IsZero() {
				a.Created = s.opt.Now()
			}
			if err := putJSON(known, []byte(a.Key), &alertRecord{Created: a.Created}); err != nil {
				return false, err
			}
			for _, ch := range channels[a.Audience] {
				if err := putJSON(outbox, joinKey(a.Key, ch), &Pending{Alert: a, Channel: ch}); err != nil {
					return false, err
				}
			}
			added++
		}
		return added > 0, nil
	})
	if err != nil {
		return 0, fmt.Errorf("state: enqueue alerts: %w", err)
	}
	return added, nil
}

// Pending returns the undelivered outbox entries, oldest alert first.
func (s *Store) Pending() ([]Pending, error) {
	var out []Pending
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			var p Pending
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode %q: %w", k, err)
			}
			out = append(out, p)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("state: pending alerts: %w", err)
	}
	slices.SortStableFunc(out, func(a, b Pending) int {
		return cmp.Or(a.Alert.Created.Compare(b.Alert.Created),
			cmp.Compare(a.Alert.Key, b.Alert.Key), cmp.Compare(a.Channel, b.Channel))
	})
	return out, nil
}

// MarkSent removes the alert's outbox entry for channel and records when
// it was sent. It returns ErrNotFound when no such entry is pending.
func (s *Store) MarkSent(key, channel string, at time.Time) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		outbox, known := tx.Bucket(bucketOutbox), tx.Bucket(bucketAlerts)
		ok := joinKey(key, channel)
		if outbox.Get(ok) == nil {
			return ErrNotFound
		}
		if err := outbox.Delete(ok); err != nil {
			return err
		}
		var rec alertRecord
		if data := known.Get([]byte(key)); data != nil {
			if err := json.Unmarshal(data, &rec); err != nil {
				return fmt.Errorf("decode alert record: %w", err)
			}
		}
		if rec.Sent == nil {
			rec.Sent = make(map[string]time.Time, 1)
		}
		rec.Sent[channel] = at
		return putJSON(known, []byte(key), &rec)
	})
	if err != nil {
		return fmt.Errorf("state: mark alert %q sent on %s: %w", key, channel, err)
	}
	return nil
}

// MarkFailed records a failed delivery attempt; the entry stays pending.
// It returns ErrNotFound when no such entry is pending.
func (s *Store) MarkFailed(key, channel string, sendErr error, at time.Time) error {
	if sendErr == nil {
		sendErr = errors.New("unknown error")
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		outbox := tx.Bucket(bucketOutbox)
		ok := joinKey(key, channel)
		data := outbox.Get(ok)
		if data == nil {
			return ErrNotFound
		}
		var p Pending
		if err := json.Unmarshal(data, &p); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		p.Attempts++
		p.LastError = sendErr.Error()
		p.LastAttempt = at
		return putJSON(outbox, ok, &p)
	})
	if err != nil {
		return fmt.Errorf("state: mark alert %q failed on %s: %w", key, channel, err)
	}
	return nil
}

// AlertKnown reports whether an alert with this key was ever enqueued. A
// read failure reports false.
func (s *Store) AlertKnown(key string) bool {
	known := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		known = has(tx.Bucket(bucketAlerts), []byte(key))
		return nil
	})
	return known
}
