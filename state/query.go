package state

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

// Query selects stored items. Zero fields do not filter. Results are in
// Item.Date() order (oldest first, or newest first with Newest), ties by
// key; Limit then keeps the first Limit of them.
type Query struct {
	Source      string    // "" = all
	From, To    time.Time // by Item.Date() (published, else first seen): From inclusive, To exclusive
	SeenFrom    time.Time // first seen at or after
	SeenBefore  time.Time // first seen before (zero: no bound)
	HasDeadline bool
	Limit       int  // <= 0: no limit
	Newest      bool // newest first
}

func (q *Query) match(it *watcher.Item) bool {
	d := it.Date()
	return (q.Source == "" || it.SourceID == q.Source) &&
		(q.From.IsZero() || !d.Before(q.From)) &&
		(q.To.IsZero() || d.Before(q.To)) &&
		(q.SeenFrom.IsZero() || !it.FirstSeen.Before(q.SeenFrom)) &&
		(q.SeenBefore.IsZero() || it.FirstSeen.Before(q.SeenBefore)) &&
		(!q.HasDeadline || !it.Deadline.IsZero())
}

// Item returns the item stored under key.
func (s *Store) Item(key string) (watcher.Item, bool, error) {
	var (
		it watcher.Item
		ok bool
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		ok, err = getItem(tx, []byte(key), &it)
		return err
	})
	if err != nil {
		return watcher.Item{}, false, fmt.Errorf("state: item %q: %w", key, err)
	}
	return it, ok, nil
}

// getItem decodes the item under key into it. Decoding copies the value
// out of the transaction.
func getItem(tx *bolt.Tx, key []byte, it *watcher.Item) (bool, error) {
	v := tx.Bucket(bucketItems).Get(key)
	if v == nil {
		return false, nil
	}
	*it = watcher.Item{}
	if err := json.Unmarshal(v, it); err != nil {
		return false, fmt.Errorf("decode %q: %w", key, err)
	}
	return true, nil
}

// Items returns the items q selects. It walks the narrowest index the
// query allows: by_date for a date range (streaming, so Limit stops the
// walk), else by_seen, deadlines or by_source (then sorted), else by_date.
func (s *Store) Items(q Query) ([]watcher.Item, error) {
	var out []watcher.Item
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = queryItems(tx, &q)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("state: items: %w", err)
	}
	return out, nil
}

func queryItems(tx *bolt.Tx, q *Query) ([]watcher.Item, error) {
	var out []watcher.Item
	bySource := tx.Bucket(bucketBySource)
	// visit decodes the item under key and keeps it if q matches; checkSource
	// first consults by_source so other sources' items are not decoded.
	visit := func(key []byte, checkSource, stream bool) (bool, error) {
		if checkSource && q.Source != "" && !has(bySource, joinKey(q.Source, string(key))) {
			return true, nil
		}
		var it watcher.Item
		ok, err := getItem(tx, key, &it)
		if err != nil || !ok {
			return err == nil, err // a dangling index entry is skipped; Check reports it
		}
		if q.match(&it) {
			out = append(out, it)
		}
		return !stream || q.Limit <= 0 || len(out) < q.Limit, nil
	}
	dateRange := !q.From.IsZero() || !q.To.IsZero()
	var err error
	switch {
	case dateRange:
		err = scanTime(tx.Bucket(bucketByDate), q.From, q.To, q.Newest, func(k []byte) (bool, error) {
			return visit(k, true, true)
		})
		return out, err
	case !q.SeenFrom.IsZero() || !q.SeenBefore.IsZero():
		err = scanTime(tx.Bucket(bucketBySeen), q.SeenFrom, q.SeenBefore, false, func(k []byte) (bool, error) {
			return visit(k, true, false)
		})
	case q.HasDeadline:
		err = scanTime(tx.Bucket(bucketDeadlines), time.Time{}, time.Time{}, false, func(k []byte) (bool, error) {
			return visit(k, true, false)
		})
	case q.Source != "":
		err = scanPrefix(bySource, prefixKey(q.Source), func(k, _ []byte) (bool, error) {
			return visit(k[len(q.Source)+1:], false, false)
		})
	default:
		err = scanTime(tx.Bucket(bucketByDate), time.Time{}, time.Time{}, q.Newest, func(k []byte) (bool, error) {
			return visit(k, false, true)
		})
		return out, err
	}
	if err != nil {
		return nil, err
	}
	sortByDate(out, q.Newest)
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// sortByDate orders items as the by_date index does.
func sortByDate(items []watcher.Item, newest bool) {
	slices.SortFunc(items, func(a, b watcher.Item) int {
		c := cmp.Or(a.Date().Compare(b.Date()), cmp.Compare(a.Key, b.Key))
		if newest {
			return -c
		}
		return c
	})
}

// scanTime walks a <be64 time><key> index over [from, to) (zero bounds
// are open) and calls fn with each entry's key part until fn returns
// false. The key slice is only valid during the call.
func scanTime(b *bolt.Bucket, from, to time.Time, reverse bool, fn func(key []byte) (bool, error)) error {
	var lo, hi []byte
	if !from.IsZero() {
		lo = timeKey(from)
	}
	if !to.IsZero() {
		hi = timeKey(to)
	}
	c := b.Cursor()
	var k []byte
	switch {
	case !reverse && lo == nil:
		k, _ = c.First()
	case !reverse:
		k, _ = c.Seek(lo)
	case hi == nil:
		k, _ = c.Last()
	default:
		if k, _ = c.Seek(hi); k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
	}
	// Forward walks start at lo and stop at hi; reverse walks start below
	// hi and stop below lo.
	for ; k != nil; k = step(c, reverse) {
		if len(k) < 8 {
			continue
		}
		if !reverse && hi != nil && bytes.Compare(k[:8], hi) >= 0 {
			return nil
		}
		if reverse && lo != nil && bytes.Compare(k[:8], lo) < 0 {
			return nil
		}
		more, err := fn(k[8:])
		if err != nil || !more {
			return err
		}
	}
	return nil
}

func step(c *bolt.Cursor, reverse bool) []byte {
	var k []byte
	if reverse {
		k, _ = c.Prev()
	} else {
		k, _ = c.Next()
	}
	return k
}

// scanPrefix calls fn for each entry whose key starts with prefix until fn
// returns false.
func scanPrefix(b *bolt.Bucket, prefix []byte, fn func(k, v []byte) (bool, error)) error {
	c := b.Cursor()
	k, v := c.First()
	if len(prefix) > 0 {
		k, v = c.Seek(prefix)
	}
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		more, err := fn(k, v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// History returns the recorded changes of the item, oldest first.
func (s *Store) History(key string) ([]watcher.Change, error) {
	var out []watcher.Change
	err := s.db.View(func(tx *bolt.Tx) error {
		return scanPrefix(tx.Bucket(bucketHistory), prefixKey(key), func(k, v []byte) (bool, error) {
			if len(k) != len(key)+1+8 {
				return true, nil
			}
			var c watcher.Change
			if err := json.Unmarshal(v, &c); err != nil {
				return false, fmt.Errorf("decode %q: %w", k, err)
			}
			out = append(out, c)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("state: history of %q: %w", key, err)
	}
	return out, nil
}

// Deadlines returns the items whose deadline is in [from, to), soonest
// first. A zero bound is open.
func (s *Store) Deadlines(from, to time.Time) ([]watcher.Item, error) {
	var out []watcher.Item
	err := s.db.View(func(tx *bolt.Tx) error {
		return scanTime(tx.Bucket(bucketDeadlines), from, to, false, func(k []byte) (bool, error) {
			var it watcher.Item
			ok, err := getItem(tx, k, &it)
			if ok {
				out = append(out, it)
			}
			return err == nil, err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("state: deadlines: %w", err)
	}
	return out, nil
}

// Count returns the number of stored items.
func (s *Store) Count() (int, error) {
	var n int
	err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketItems).Stats().KeyN
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("state: count: %w", err)
	}
	return n, nil
}

// rescoreBatch is how many items one Rescore transaction reads.
const rescoreBatch = 1000

// Rescore calls fn on every stored item and rewrites those for which fn
// returns true, a transaction per rescoreBatch items so the writer lock is
// never held long. fn may change any field but the key; indexes follow.
// It returns how many items were rewritten.
func (s *Store) Rescore(fn func(*watcher.Item) bool) (int, error) {
	total := 0
	var after []byte // last key of the previous batch
	for done := false; !done; {
		var n int
		err := s.update(func(tx *bolt.Tx) (bool, error) {
			var err error
			n, after, done, err = rescoreSome(tx, after, fn)
			return n > 0, err
		})
		if err != nil {
			return total, fmt.Errorf("state: rescore: %w", err)
		}
		total += n
	}
	return total, nil
}

// rescoreSome handles the items after key after, up to rescoreBatch.
func rescoreSome(tx *bolt.Tx, after []byte, fn func(*watcher.Item) bool) (n int, last []byte, done bool, err error) {
	type rewrite struct {
		prev indexed
		it   watcher.Item
	}
	var todo []rewrite
	c := tx.Bucket(bucketItems).Cursor()
	k, v := c.First()
	if after != nil {
		if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
			k, v = c.Next()
		}
	}
	for seen := 0; k != nil && seen < rescoreBatch; k, v = c.Next() {
		seen++
		last = bytes.Clone(k)
		var it watcher.Item
		if err := json.Unmarshal(v, &it); err != nil {
			return 0, nil, false, fmt.Errorf("decode %q: %w", k, err)
		}
		prev := indexOf(&it)
		if !fn(&it) {
			continue
		}
		if it.Key != string(k) {
			return 0, nil, false, errors.New("the function changed the key of " + string(k))
		}
		todo = append(todo, rewrite{prev, it})
	}
	// Write after the walk: a cursor must not outlive changes to its bucket.
	for i := range todo {
		if err := putItem(tx, &todo[i].prev, &todo[i].it); err != nil {
			return 0, nil, false, err
		}
	}
	return len(todo), last, k == nil, nil
}

// ChangesBetween returns the changes recorded after after and before
// before (both exclusive; a zero bound is open), in key order. It reads
// the change history alone, however many items the store holds.
func (s *Store) ChangesBetween(after, before time.Time) ([]watcher.Change, error) {
	var out []watcher.Change
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketHistory).ForEach(func(k, v []byte) error {
			var c watcher.Change
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("decode %q: %w", k, err)
			}
			if (after.IsZero() || c.At.After(after)) && (before.IsZero() || c.At.Before(before)) {
				out = append(out, c)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("state: changes: %w", err)
	}
	return out, nil
}
