package state

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"watcher"
)

// testdata/watcher-v0.db is a database in the layout of schema version 0
// (the layout of the design proposal: no by_source/, robots/ or outbox/
// buckets and no meta/schema_version), written by bbolt itself through
// TestWriteV0Fixture. It holds items of three sources, their time and
// deadline indexes, change history, validators, source health, known
// alerts, an editor decision and a run report. To regenerate it (only
// when the version-0 layout below is found to be wrong):
//
//	go test ./state -run TestWriteV0Fixture -state.writev0
var writeV0Fixture = flag.Bool("state.writev0", false, "rewrite testdata/watcher-v0.db")

const v0Fixture = "testdata/watcher-v0.db"

// v0Items are the items stored in the fixture.
func v0Items() []watcher.Item {
	oslo := time.FixedZone("CET", 3600)
	return []watcher.Item{
		{
			Key: "regjeringen:3167072", SourceID: "regjeringen-horinger",
			URL:   "https://www.regjeringen.no/no/dokumenter/horing/id3167072/",
			Title: "Høring om endringer i straffeloven", Kind: watcher.KindHearing,
			Published: time.Date(2025, 11, 20, 0, 0, 0, 0, oslo), Deadline: time.Date(2026, 2, 7, 0, 0, 0, 0, oslo),
			Status:    watcher.StatusOpen,
			FirstSeen: time.Date(2025, 11, 20, 6, 0, 0, 0, time.UTC), LastSeen: time.Date(2025, 12, 1, 6, 0, 0, 0, time.UTC),
			Attachments: []watcher.Attachment{{Name: "Høringsnotat", URL: "https://www.regjeringen.no/contentassets/a/notat.pdf"}},
		},
		{
			Key: "regjeringen:3170001", SourceID: "regjeringen-horinger",
			URL:   "https://www.regjeringen.no/no/dokumenter/horing/id3170001/",
			Title: "Høring – forskrift om vern av ofre for menneskehandel", Kind: watcher.KindHearing,
			Published: time.Date(2025, 12, 3, 0, 0, 0, 0, oslo), Deadline: time.Date(2026, 3, 3, 0, 0, 0, 0, oslo),
			Status:    watcher.StatusOpen,
			FirstSeen: time.Date(2025, 12, 3, 6, 0, 0, 0, time.UTC), LastSeen: time.Date(2025, 12, 3, 6, 0, 0, 0, time.UTC),
		},
		{
			Key: "https://www.unodc.org/unodc/en/press/releases/2025/December/global-report.html", SourceID: "unodc-press",
			URL:   "https://www.unodc.org/unodc/en/press/releases/2025/December/global-report.html",
			Title: "Global Report on Trafficking in Persons 2025", Kind: watcher.KindReport,
			Published: time.Date(2025, 12, 10, 0, 0, 0, 0, time.UTC),
			FirstSeen: time.Date(2025, 12, 10, 6, 0, 0, 0, time.UTC), LastSeen: time.Date(2025, 12, 10, 6, 0, 0, 0, time.UTC),
		},
		{
			Key: "europol:human-trafficking-ring-dismantled", SourceID: "europol-news", GUID: "12345",
			URL:   "https://www.europol.europa.eu/media-press/newsroom/news/human-trafficking-ring-dismantled",
			Title: "Human trafficking ring dismantled", Kind: watcher.KindNews,
			FirstSeen: time.Date(2025, 12, 11, 6, 0, 0, 0, time.UTC), LastSeen: time.Date(2025, 12, 11, 6, 0, 0, 0, time.UTC),
		},
	}
}

// v0Change is the one change recorded in the fixture.
var v0Change = watcher.Change{
	Key: "regjeringen:3167072", Field: "deadline", Old: "2026-01-31", New: "2026-02-07",
	At: time.Date(2025, 12, 1, 6, 0, 0, 0, time.UTC),
}

const v0AlertKey = "new:regjeringen:3167072"

// TestWriteV0Fixture writes testdata/watcher-v0.db; skipped unless
// -state.writev0 is given.
func TestWriteV0Fixture(t *testing.T) {
	if !*writeV0Fixture {
		t.Skip("writes the committed fixture; run with -state.writev0")
	}
	tmp := filepath.Join(t.TempDir(), "v0.db")
	db, err := bolt.Open(tmp, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		bucket := func(name string) *bolt.Bucket {
			b, err := tx.CreateBucket([]byte(name))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		put := func(b *bolt.Bucket, k []byte, v any) {
			data, ok := v.([]byte)
			if !ok {
				var err error
				if data, err = json.Marshal(v); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.Put(k, data); err != nil {
				t.Fatal(err)
			}
		}
		meta := bucket("meta")
		put(meta, []byte("created_at"), []byte("2025-11-20T06:00:00Z"))
		put(meta, []byte("pid"), []byte("4242"))
		put(meta, []byte("host"), []byte("watcher-host"))
		items, seen, date, deadlines := bucket("items"), bucket("by_seen"), bucket("by_date"), bucket("deadlines")
		for _, it := range v0Items() {
			put(items, []byte(it.Key), &it)
			put(seen, timeIndexKey(it.FirstSeen, it.Key), []byte{})
			put(date, timeIndexKey(it.Date(), it.Key), []byte{})
			if !it.Deadline.IsZero() {
				put(deadlines, timeIndexKey(it.Deadline, it.Key), []byte{})
			}
		}
		put(bucket("history"), seqKey(v0Change.Key, 1), &v0Change)
		put(bucket("fetch"), []byte("https://www.regjeringen.no/no/dokument/hoyringar/id1763/"), &watcher.Validator{
			URL: "https://www.regjeringen.no/no/dokument/hoyringar/id1763/", ETag: `"abc"`, FetchedAt: time.Date(2025, 12, 11, 6, 0, 0, 0, time.UTC),
		})
		put(bucket("sources"), []byte("unodc-press"), &watcher.Health{
			SourceID: "unodc-press", State: watcher.HealthHealthy, LastRun: time.Date(2025, 12, 11, 6, 0, 0, 0, time.UTC), Checks: 3,
		})
		put(bucket("alerts"), []byte(v0AlertKey), &alertRecord{
			Created: time.Date(2025, 11, 20, 6, 1, 0, 0, time.UTC),
			Sent:    map[string]time.Time{"editor-mail": time.Date(2025, 11, 20, 6, 1, 5, 0, time.UTC)},
		})
		put(bucket("decisions"), joinKey("2025Q4", "regjeringen:3167072"), &watcher.Decision{
			Period: "2025Q4", Key: "regjeringen:3167072", State: watcher.DecisionInclude, At: time.Date(2025, 12, 12, 9, 0, 0, 0, time.UTC),
		})
		put(bucket("runs"), timeKey(time.Date(2025, 12, 11, 6, 0, 0, 0, time.UTC)), &watcher.RunReport{
			Started: time.Date(2025, 12, 11, 6, 0, 0, 0, time.UTC), Finished: time.Date(2025, 12, 11, 6, 2, 0, 0, time.UTC),
			Sources: []watcher.SourceReport{{SourceID: "unodc-press", New: 1}},
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Copy the closed file into place.
	data, err := os.ReadFile(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(v0Fixture, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", v0Fixture, len(data))
}

// copyFixture copies the committed version-0 database into a temporary
// directory and returns the copy's path and the original bytes.
func copyFixture(t *testing.T) (string, []byte) {
	t.Helper()
	orig, err := os.ReadFile(v0Fixture)
	if err != nil {
		t.Fatalf("the version-0 fixture: %v", err)
	}
	path := filepath.Join(t.TempDir(), "watcher.db")
	if err := os.WriteFile(path, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, orig
}

func TestUpgradeCommittedV0Fixture(t *testing.T) {
	path, orig := copyFixture(t)

	// A reader cannot use it until a writer has upgraded it, and the
	// integrity check accepts it as an older, valid database.
	ro := testOptions()
	ro.ReadOnly = true
	if _, err := Open(path, ro); err == nil {
		t.Fatal("a read-only open of a version-0 database succeeded")
	}
	if err := Check(path); err != nil {
		t.Fatalf("Check of the version-0 fixture: %v", err)
	}

	opt := testOptions()
	opt.BackupDir = filepath.Join(t.TempDir(), "backups")
	s, err := Open(path, opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if s.SchemaVersion() != schemaVersion {
		t.Errorf("version %d after the upgrade, want %d", s.SchemaVersion(), schemaVersion)
	}

	// Every item is there, found through the new by_source/ index too.
	want := v0Items()
	if n, err := s.Count(); err != nil || n != len(want) {
		t.Errorf("Count = %d, %v; want %d", n, err, len(want))
	}
	for _, src := range []string{"regjeringen-horinger", "unodc-press", "europol-news"} {
		got, err := s.Items(Query{Source: src})
		if err != nil {
			t.Fatal(err)
		}
		var wantKeys []string
		for _, it := range want {
			if it.SourceID == src {
				wantKeys = append(wantKeys, it.Key)
			}
		}
		gotKeys := keysOf(got)
		slices.Sort(gotKeys)
		slices.Sort(wantKeys)
		if !slices.Equal(gotKeys, wantKeys) {
			t.Errorf("source %s: items %v, want %v", src, gotKeys, wantKeys)
		}
	}
	it := mustItem(t, s, "regjeringen:3167072")
	if it.Title != want[0].Title || !it.Deadline.Equal(want[0].Deadline) || len(it.Attachments) != 1 {
		t.Errorf("item after upgrade: %+v", it)
	}
	if dl, err := s.Deadlines(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}); err != nil || len(dl) != 2 {
		t.Errorf("Deadlines = %v, %v; want the two hearings", keysOf(dl), err)
	}
	if h, err := s.History("regjeringen:3167072"); err != nil || len(h) != 1 || h[0].New != v0Change.New {
		t.Errorf("History = %+v, %v", h, err)
	}
	if v, ok := s.Validator("https://www.regjeringen.no/no/dokument/hoyringar/id1763/"); !ok || v.ETag != `"abc"` {
		t.Errorf("Validator = %+v, %v", v, ok)
	}
	if h, ok, err := s.Health("unodc-press"); err != nil || !ok || h.Checks != 3 {
		t.Errorf("Health = %+v, %v, %v", h, ok, err)
	}
	if d, err := s.Decisions("2025Q4"); err != nil || len(d) != 1 || d[0].State != watcher.DecisionInclude {
		t.Errorf("Decisions = %+v, %v", d, err)
	}
	if r, ok, err := s.LastRun(); err != nil || !ok || len(r.Sources) != 1 {
		t.Errorf("LastRun = %+v, %v, %v", r, ok, err)
	}
	// An alert sent before the upgrade is known and is not sent again.
	if !s.AlertKnown(v0AlertKey) {
		t.Error("the alert sent under version 0 is not known after the upgrade")
	}
	added, err := s.EnqueueAlerts([]watcher.Alert{{Key: v0AlertKey, Audience: watcher.AudienceEditor}},
		map[watcher.Audience][]string{watcher.AudienceEditor: {"editor-mail"}})
	if err != nil || added != 0 {
		t.Errorf("re-enqueueing an alert sent before the upgrade: added %d, %v", added, err)
	}
	// The upgraded store takes writes in the new layout.
	mustApply(t, s, SourceBatch{SourceID: "unodc-press", Items: []watcher.Item{{Key: "unodc:new", Title: "New"}}})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := Check(path); err != nil {
		t.Errorf("Check after the upgrade: %v", err)
	}

	// The automatic backup is the version-0 file as it was.
	backups, _ := filepath.Glob(filepath.Join(opt.BackupDir, "watcher.db.v0-*.bak"))
	if len(backups) != 1 {
		t.Fatalf("backups %v, want one", backups)
	}
	rawView(t, backups[0], func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta).Get(metaSchemaVersion) != nil || tx.Bucket(bucketBySource) != nil || tx.Bucket(bucketOutbox) != nil {
			t.Error("the backup is not the version-0 layout")
		}
		if n := tx.Bucket(bucketItems).Stats().KeyN; n != len(want) {
			t.Errorf("the backup holds %d items, want %d", n, len(want))
		}
		return nil
	})
	if err := Check(backups[0]); err != nil {
		t.Errorf("Check of the backup: %v", err)
	}
	// The fixture itself is untouched (the test worked on a copy).
	if now, _ := os.ReadFile(v0Fixture); !bytes.Equal(now, orig) {
		t.Error("the committed fixture changed")
	}

	// A second open finds version 1 and writes no second backup.
	s, err = Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	if again, _ := filepath.Glob(filepath.Join(opt.BackupDir, "*.bak")); len(again) != 1 {
		t.Errorf("backups after a second open: %v", again)
	}
}

// TestRestoreFromBackupFile is the documented restore: the service is
// stopped, the backup is copied over the database file, and the restored
// database opens with what the backup held and nothing written later.
func TestRestoreFromBackupFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "watcher.db")
	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, s, SourceBatch{SourceID: "src", Items: []watcher.Item{{Key: "before", Title: "Before"}}})
	backup := filepath.Join(dir, "backup.db")
	if err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	mustApply(t, s, SourceBatch{SourceID: "src", Items: []watcher.Item{{Key: "after", Title: "After"}}})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Check(path); err != nil {
		t.Fatalf("Check of the restored file: %v", err)
	}
	s, err = Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok, _ := s.Item("before"); !ok {
		t.Error("the restored database lacks what the backup held")
	}
	if _, ok, _ := s.Item("after"); ok {
		t.Error("the restored database holds what was written after the backup")
	}
}
