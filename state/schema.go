package state

import (
	"bytes"
	"encoding/binary"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The database, schema version 1. Every bucket is created at open; keys
// that sort by time start with a big-endian int64 of Unix nanoseconds
// with the sign bit flipped (see timeKey), so byte order is time order.
//
//	meta/
//	    schema_version  → decimal string ("1")
//	    created_at      → RFC 3339 time the database was created
//	    pid, host       → the process that last opened it for writing
//	items/
//	    <key>                       → watcher.Item (JSON)
//	by_seen/
//	    <be64 first seen><key>      → ""   (index)
//	by_date/
//	    <be64 Item.Date()><key>     → ""   (index: published, else first seen)
//	deadlines/
//	    <be64 deadline><key>        → ""   (index: items with a deadline)
//	by_source/
//	    <source id>\x00<key>        → ""   (index)
//	history/
//	    <key>\x00<be64 seq>         → watcher.Change (JSON)
//	fetch/
//	    <url>                       → watcher.Validator (JSON)
//	robots/
//	    <host>                      → robotsEntry (JSON)
//	sources/
//	    <source id>                 → watcher.Health (JSON)
//	alerts/
//	    <alert key>                 → alertRecord (JSON: created, sent per channel)
//	outbox/
//	    <alert key>\x00<channel>    → Pending (JSON)
//	decisions/
//	    <period>\x00<key>           → watcher.Decision (JSON)
//	runs/
//	    <be64 started>              → watcher.RunReport (JSON)
//
// Indexes are written in the same transaction as the record they index.

// SchemaVersion is the version of the layout above. A database with a
// higher version is refused; a lower one is upgraded at open by the steps
// in upgrades (upgrade.go).
const schemaVersion = 1

// Bucket names: the only place they are spelled.
var (
	bucketMeta      = []byte("meta")
	bucketItems     = []byte("items")
	bucketBySeen    = []byte("by_seen")
	bucketByDate    = []byte("by_date")
	bucketDeadlines = []byte("deadlines")
	bucketBySource  = []byte("by_source")
	bucketHistory   = []byte("history")
	bucketFetch     = []byte("fetch")
	bucketRobots    = []byte("robots")
	bucketSources   = []byte("sources")
	bucketAlerts    = []byte("alerts")
	bucketOutbox    = []byte("outbox")
	bucketDecisions = []byte("decisions")
	bucketRuns      = []byte("runs")
)

// allBuckets lists every bucket of the current schema, created at open.
var allBuckets = [][]byte{
	bucketMeta, bucketItems, bucketBySeen, bucketByDate, bucketDeadlines,
	bucketBySource, bucketHistory, bucketFetch, bucketRobots, bucketSources,
	bucketAlerts, bucketOutbox, bucketDecisions, bucketRuns,
}

// Keys in meta/.
var (
	metaSchemaVersion = []byte("schema_version")
	metaCreatedAt     = []byte("created_at")
	metaPID           = []byte("pid")
	metaHost          = []byte("host")
)

// empty is the value of index entries.
var empty = []byte{}

// has reports whether key exists in b (index values are empty, so Get's
// nil cannot tell absence from presence).
func has(b *bolt.Bucket, key []byte) bool {
	k, _ := b.Cursor().Seek(key)
	return k != nil && bytes.Equal(k, key)
}

// sep separates the parts of composite keys. Keys, source ids, channels
// and periods may not contain it.
const sep = 0x00

// Bounds of what a Unix-nanosecond int64 can hold; times outside are
// clamped so that absurd parsed dates still sort at the ends.
var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// timeKey encodes t as 8 bytes whose byte order is t's order: Unix
// nanoseconds, big-endian, with the sign bit flipped so that times before
// 1970 sort before those after.
func timeKey(t time.Time) []byte {
	b := make([]byte, 8)
	putTime(b, t)
	return b
}

func putTime(b []byte, t time.Time) {
	var n int64
	switch {
	case t.Before(minNanoTime):
		n = math.MinInt64
	case t.After(maxNanoTime):
		n = math.MaxInt64
	default:
		n = t.UnixNano()
	}
	binary.BigEndian.PutUint64(b, uint64(n)^(1<<63))
}

// keyTime decodes the first 8 bytes written by putTime.
func keyTime(b []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(b)^(1<<63))).UTC()
}

// timeIndexKey is <be64 t><key>.
func timeIndexKey(t time.Time, key string) []byte {
	b := make([]byte, 8+len(key))
	putTime(b, t)
	copy(b[8:], key)
	return b
}

// joinKey is a\x00b.
func joinKey(a, b string) []byte {
	k := make([]byte, 0, len(a)+1+len(b))
	k = append(k, a...)
	k = append(k, sep)
	return append(k, b...)
}

// prefixKey is a\x00, the prefix of every joinKey(a, …).
func prefixKey(a string) []byte {
	k := make([]byte, 0, len(a)+1)
	k = append(k, a...)
	return append(k, sep)
}

// seqKey is <key>\x00<be64 seq>, the history key.
func seqKey(key string, seq uint64) []byte {
	k := make([]byte, len(key)+1+8)
	copy(k, key)
	k[len(key)] = sep
	binary.BigEndian.PutUint64(k[len(key)+1:], seq)
	return k
}
