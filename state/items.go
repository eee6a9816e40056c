package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

// SourceBatch is what one source's run hands the store: its items and the
// fetch validators and health to keep with them.
type SourceBatch struct {
	SourceID   string
	Seen       time.Time           // run time (default: Options.Now)
	Items      []watcher.Item      // sightings; may be partial
	Validators []watcher.Validator // stored in the same transaction
	Health     *watcher.Health     // stored in the same transaction when non-nil
	// Score is called on each item about to be written (new, changed, or
	// rewritten for an untracked field such as Text) after merging and
	// before writing. May be nil.
	Score func(*watcher.Item)
	// HealthAfter, when set and Health is nil, is called in the
	// transaction once the items are applied, with the source's health as
	// stored before (zero when none) and what the items did, and the
	// health it returns is stored: health that counts the new items
	// exactly, read and written in the one transaction. May return nil.
	HealthAfter func(prev watcher.Health, r BatchResult) *watcher.Health
}

// BatchResult says what ApplyBatch did, by item key.
type BatchResult struct {
	New          []string
	NewItems     []watcher.Item // the new items as stored (first seen set, scored), in the order of New
	Changed      []string       // with at least one tracked change
	ChangedItems []watcher.Item // the changed items as stored (merged, scored), in the order of Changed
	Unchanged    []string       // no tracked change (an untracked field may have been updated)
	Changes      []watcher.Change
}

// ApplyBatch merges a source's sightings into the store in ONE
// transaction, following the rules in the package documentation. When
// nothing needs writing, no transaction is committed at all.
func (s *Store) ApplyBatch(b SourceBatch) (BatchResult, error) {
	res, err := s.ApplyBatches([]SourceBatch{b})
	if err != nil {
		return BatchResult{}, err
	}
	return res[0], nil
}

// ApplyBatches applies several sources' batches, each by ApplyBatch's
// rules and in order, in ONE transaction: one commit and one fsync for
// all of them, which is what makes a run of many quick sources cheap (the
// runner's writer groups the crawls that are ready). Either every batch is
// stored or, on an error, none is. Results are in the order of bs.
func (s *Store) ApplyBatches(bs []SourceBatch) ([]BatchResult, error) {
	incoming := make([][]watcher.Item, len(bs))
	for i := range bs {
		b := &bs[i]
		if b.SourceID == "" {
			return nil, errors.New("state: apply batch: empty source id")
		}
		if b.Seen.IsZero() {
			b.Seen = s.opt.Now()
		}
		var err error
		if incoming[i], err = dedupe(b.SourceID, b.Items); err != nil {
			return nil, err
		}
	}
	res := make([]BatchResult, len(bs))
	err := s.update(func(tx *bolt.Tx) (bool, error) {
		wrote := false
		for i := range bs {
			w, err := applyBatch(tx, &bs[i], incoming[i], &res[i])
			if err != nil {
				return false, fmt.Errorf("from %s: %w", bs[i].SourceID, err)
			}
			wrote = wrote || w
		}
		return wrote, nil
	})
	if err != nil {
		return nil, fmt.Errorf("state: apply batch: %w", err)
	}
	return res, nil
}

// fillPercent is how full bbolt packs the pages it splits in the buckets
// a batch writes. bbolt's default, 0.5, suits random inserts into a full
// tree; a run mostly appends (new keys, time indexes that grow at the
// end), and at 0.5 every page stays half empty: the items bucket took
// twice the pages it needed (BENCHMARKS.md, database size).
const fillPercent = 0.9

// applyBatch writes one source's batch within tx and reports whether it
// wrote anything.
func applyBatch(tx *bolt.Tx, b *SourceBatch, incoming []watcher.Item, res *BatchResult) (bool, error) {
	for _, name := range [][]byte{bucketItems, bucketBySeen, bucketByDate, bucketDeadlines, bucketBySource, bucketHistory} {
		tx.Bucket(name).FillPercent = fillPercent
	}
	wrote := false
	for i := range incoming {
		w, err := applyItem(tx, b, &incoming[i], res)
		if err != nil {
			return false, err
		}
		wrote = wrote || w
	}
	w, err := putValidators(tx, b.Validators)
	if err != nil {
		return false, err
	}
	wrote = wrote || w
	h := b.Health
	if h == nil && b.HealthAfter != nil {
		var prev watcher.Health
		if data := tx.Bucket(bucketSources).Get([]byte(b.SourceID)); data != nil {
			if err := json.Unmarshal(data, &prev); err != nil {
				return false, fmt.Errorf("health: %w", err)
			}
		}
		h = b.HealthAfter(prev, *res)
	}
	if h != nil {
		hh := *h
		if hh.SourceID == "" {
			hh.SourceID = b.SourceID
		}
		if err := putJSON(tx.Bucket(bucketSources), []byte(hh.SourceID), &hh); err != nil {
			return false, fmt.Errorf("health: %w", err)
		}
		wrote = true
	}
	return wrote, nil
}

// dedupe validates keys and merges sightings of the same key (a later
// sighting wins for its non-empty fields), keeping first-appearance order.
func dedupe(sourceID string, items []watcher.Item) ([]watcher.Item, error) {
	out := make([]watcher.Item, 0, len(items))
	at := make(map[string]int, len(items))
	for i := range items {
		it := &items[i]
		if err := CheckKey(it.Key); err != nil {
			return nil, fmt.Errorf("state: source %s: item %d (%q): %w", sourceID, i, it.URL, err)
		}
		if j, ok := at[it.Key]; ok {
			mergeItem(&out[j], it)
			continue
		}
		at[it.Key] = len(out)
		c := cloneItem(it)
		if c.SourceID == "" {
			c.SourceID = sourceID
		}
		out = append(out, c)
	}
	return out, nil
}

// CheckKey says why the store refuses key as an item, decision or alert
// key (empty, holding a NUL byte, or over 4096 bytes), or nil when it
// takes it. A refused key fails the whole batch it is in, so callers with
// outside input check first.
func CheckKey(key string) error {
	switch {
	case key == "":
		return errors.New("empty key")
	case strings.IndexByte(key, sep) >= 0:
		return errors.New("key contains a NUL byte")
	case len(key) > 4096:
		return fmt.Errorf("key of %d bytes (at most 4096)", len(key))
	}
	return nil
}

// applyItem merges one incoming item and writes it when something
// changed. It reports whether it wrote.
func applyItem(tx *bolt.Tx, b *SourceBatch, in *watcher.Item, res *BatchResult) (bool, error) {
	stored := tx.Bucket(bucketItems).Get([]byte(in.Key))
	if stored == nil {
		it := *in
		it.FirstSeen, it.LastSeen, it.Changes = b.Seen, b.Seen, 0
		it.AltURLs = unionURLs(it.URL, it.AltURLs)
		if b.Score != nil {
			b.Score(&it)
		}
		res.New = append(res.New, it.Key)
		res.NewItems = append(res.NewItems, it)
		return true, putItem(tx, nil, &it)
	}
	var it watcher.Item
	if err := json.Unmarshal(stored, &it); err != nil {
		return false, fmt.Errorf("item %q: %w", in.Key, err)
	}
	prev := indexOf(&it)
	changes, dirty := mergeItem(&it, in)
	if !dirty {
		res.Unchanged = append(res.Unchanged, it.Key)
		return false, nil
	}
	it.LastSeen = b.Seen
	if len(changes) > 0 {
		if err := addHistory(tx, it.Key, changes, b.Seen, res); err != nil {
			return false, err
		}
		it.Changes += len(changes)
		res.Changed = append(res.Changed, it.Key)
	} else {
		res.Unchanged = append(res.Unchanged, it.Key)
	}
	if b.Score != nil {
		b.Score(&it)
	}
	if len(changes) > 0 {
		res.ChangedItems = append(res.ChangedItems, it)
	}
	return true, putItem(tx, &prev, &it)
}

func addHistory(tx *bolt.Tx, key string, changes []fieldChange, at time.Time, res *BatchResult) error {
	hist := tx.Bucket(bucketHistory)
	for _, c := range changes {
		ch := watcher.Change{Key: key, Field: c.field, Old: c.old, New: c.new, At: at}
		seq, err := hist.NextSequence()
		if err != nil {
			return err
		}
		if err := putJSON(hist, seqKey(key, seq), &ch); err != nil {
			return fmt.Errorf("history of %q: %w", key, err)
		}
		res.Changes = append(res.Changes, ch)
	}
	return nil
}

// indexed holds the index keys of one stored item.
type indexed struct {
	seen, date, deadline, source []byte // deadline nil when the item has none
}

func indexOf(it *watcher.Item) indexed {
	ix := indexed{
		seen:   timeIndexKey(it.FirstSeen, it.Key),
		date:   timeIndexKey(it.Date(), it.Key),
		source: joinKey(it.SourceID, it.Key),
	}
	if !it.Deadline.IsZero() {
		ix.deadline = timeIndexKey(it.Deadline, it.Key)
	}
	return ix
}

// putItem writes the item and moves its index entries from prev (nil for
// a new item) to where the item now belongs.
func putItem(tx *bolt.Tx, prev *indexed, it *watcher.Item) error {
	if err := putJSON(tx.Bucket(bucketItems), []byte(it.Key), it); err != nil {
		return fmt.Errorf("item %q: %w", it.Key, err)
	}
	cur := indexOf(it)
	var old indexed
	if prev != nil {
		old = *prev
	}
	for _, x := range []struct {
		bucket   []byte
		old, cur []byte
	}{
		{bucketBySeen, old.seen, cur.seen},
		{bucketByDate, old.date, cur.date},
		{bucketDeadlines, old.deadline, cur.deadline},
		{bucketBySource, old.source, cur.source},
	} {
		if err := moveIndex(tx.Bucket(x.bucket), x.old, x.cur); err != nil {
			return fmt.Errorf("index %s of %q: %w", x.bucket, it.Key, err)
		}
	}
	return nil
}

func moveIndex(b *bolt.Bucket, old, cur []byte) error {
	if old != nil && bytes.Equal(old, cur) {
		return nil
	}
	if old != nil {
		if err := b.Delete(old); err != nil {
			return err
		}
	}
	if cur != nil {
		return b.Put(cur, empty)
	}
	return nil
}

func putValidators(tx *bolt.Tx, vs []watcher.Validator) (bool, error) {
	b := tx.Bucket(bucketFetch)
	wrote := false
	for i := range vs {
		if vs[i].URL == "" {
			return false, fmt.Errorf("validator %d: empty url", i)
		}
		v, err := json.Marshal(&vs[i])
		if err != nil {
			return false, fmt.Errorf("validator %s: %w", vs[i].URL, err)
		}
		if bytes.Equal(b.Get([]byte(vs[i].URL)), v) {
			continue
		}
		if err := b.Put([]byte(vs[i].URL), v); err != nil {
			return false, fmt.Errorf("validator %s: %w", vs[i].URL, err)
		}
		wrote = true
	}
	return wrote, nil
}

// putJSON marshals v and stores it under key.
func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// update runs fn in a write transaction and commits only when fn reports
// that it wrote something; otherwise the transaction is rolled back and
// the file is not touched.
func (s *Store) update(fn func(tx *bolt.Tx) (wrote bool, err error)) error {
	tx, err := s.db.Begin(true)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // no-op after Commit; releases the lock on a panic
	wrote, err := fn(tx)
	if err != nil || !wrote {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.releaseMapped()
	return nil
}

// releaseMapped takes the database file's pages out of this process's
// resident set after a write. bbolt reads through a shared mapping, and
// the kernel maps the neighbours of every page read (fault-around, 16
// pages), so without this a run that reads a few thousand scattered
// validators and health records of a large database held most of the
// file as resident memory (108 MiB at 5,000 sources, BENCHMARKS.md). The
// pages stay in the page cache. The read transaction keeps bbolt from
// remapping the file meanwhile, so the range is the live mapping.
func (s *Store) releaseMapped() {
	_ = s.db.View(func(tx *bolt.Tx) error {
		s.releaseMappedIn(tx)
		return nil
	})
}

// releaseMappedIn is releaseMapped within an open transaction, for a long
// scan to call every so many records (releaseEvery): the pages it already
// read are mapped again if they are read again, with the same content.
func (s *Store) releaseMappedIn(tx *bolt.Tx) {
	if data := s.db.Info().Data; data != 0 && tx.Size() > 0 {
		if err := dropMapped(data, tx.Size()); err != nil {
			s.log.Debug("could not release the mapped database pages", slog.Any("err", err))
		}
	}
}

// releaseEvery is how many records a long scan reads between releases of
// the mapped pages.
const releaseEvery = 512
