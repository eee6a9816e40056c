// Package state is watcher's store: one bbolt file holding the items and
// their change history, the time indexes the digest and deadline views
// read, fetch validators and robots.txt answers, source health, the alert
// outbox, the editor's decisions and run reports. It is the only package
// that imports bbolt; the schema is drawn in schema.go.
//
// # Opening
//
// Open takes bbolt's file lock with a timeout (Options.Timeout, default
// 1s) and fails with ErrLocked, naming the holder's pid where it can be
// found, when another process has the database. A writer records its pid
// and host in meta/ and in a <db>.lock-info file beside the database
// (removed on Close), because a held lock stops anyone else from reading
// meta/. A database whose schema version is newer than this program's is
// refused (ErrNewerSchema); an older one is backed up (Options.BackupDir)
// and upgraded in one transaction.
//
// # Merging sightings (ApplyBatch)
//
// A source's run hands ApplyBatch every item it saw, and the store works
// out what is new and what changed, all in ONE transaction: a crash leaves
// either the whole batch or none of it.
//
//   - Items are matched by Key. An item without a key is an error naming the
//     source, and the batch is refused.
//   - Two sightings of one key in a batch are merged first, the later one
//     winning for its non-empty fields.
//   - A new key is stored with FirstSeen = LastSeen = the batch's Seen.
//     FirstSeen never changes afterwards; neither does SourceID (the first
//     source to report a key keeps it).
//   - A known key is merged field by field. A sighting may be partial (a
//     listing entry without the attachments its own page had): an empty or
//     zero incoming field keeps the stored value; a non-empty one that
//     differs overwrites it. Event merges field by field, Meta key by key,
//     and AltURLs are unioned (a replaced URL joins them).
//   - A difference in a tracked field (title, summary, published, deadline,
//     status, attachments, url, kind, event) is a change: it is recorded in
//     history/ as a watcher.Change with the old and new values as text
//     (dates as 2006-01-02, attachments as a sorted "name <url>" list,
//     compared by their set of URLs), Item.Changes is incremented, and the
//     key is reported in BatchResult.Changed.
//   - A difference only in an untracked field (Text, Updated, Tags, Meta,
//     AltURLs, …) rewrites the item silently; it is reported as unchanged.
//   - Relevance, FirstSeen, LastSeen and Changes in the incoming item are
//     never a reason to write.
//   - An item seen again with nothing changed is NOT rewritten, not even to
//     move LastSeen: LastSeen is when the item last differed. Warm runs thus
//     write nothing per item; when a source was last seen is kept in its
//     watcher.Health, which the batch carries. If nothing at all needs
//     writing (no item, no new validator, no health), no transaction is
//     committed.
//   - Score, when set, is called on every item about to be written (new,
//     changed, or silently rewritten) after merging.
//
// Index entries (by_seen, by_date, deadlines, by_source) are written in
// the same transaction as the item and moved when its dates change.
//
// # Reading
//
// Values are decoded (copied) inside the read transaction; nothing
// returned refers to bbolt's memory. Read transactions are short: one per
// call.
package state
