package state

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Options configure Open. The zero value is usable.
type Options struct {
	Timeout   time.Duration    // how long to wait for the file lock (default 1s)
	ReadOnly  bool             // shared lock, no writes, no upgrade
	Now       func() time.Time // clock (default time.Now)
	BackupDir string           // where automatic pre-upgrade backups go (default: beside the db)
	Logger    *slog.Logger     // default slog.Default(); logs upgrades only
}

var (
	// ErrLocked is returned (wrapped with the path and, when known, the
	// holder's pid) when another process holds the database.
	ErrLocked = errors.New("state: database is in use by another watcher process")
	// ErrNewerSchema is returned when the database's schema version is
	// higher than this program knows.
	ErrNewerSchema = errors.New("state: database was written by a newer watcher")
	// ErrNotWatcherDB is returned when the file is not a watcher database.
	ErrNotWatcherDB = errors.New("state: not a watcher database")
	// ErrNotFound is returned by the methods that change one existing
	// record when that record does not exist.
	ErrNotFound = errors.New("state: not found")
)

const (
	defaultTimeout = time.Second
	// initialMmapSize is mapped up front so that read transactions (the
	// web UI) rarely block the writer's remap as the file grows.
	initialMmapSize = 64 << 20
	fileMode        = 0o600
	dirMode         = 0o700
)

// Store is the watcher database. Its methods are safe for concurrent use;
// bbolt serialises writers, so callers should still write from one
// goroutine to keep transactions short and ordered.
type Store struct {
	db       *bolt.DB
	path     string
	opt      Options
	log      *slog.Logger
	version  int
	lockInfo string // sidecar written at open for writing; "" when none
}

// DefaultPath returns where the database lives unless --db says otherwise:
// $STATE_DIRECTORY/watcher.db under systemd (the first entry when it is a
// colon-separated list), else $XDG_STATE_HOME/watcher/watcher.db, else
// ~/.local/state/watcher/watcher.db. Relative XDG paths are ignored, as
// the XDG specification requires.
func DefaultPath() string {
	const name = "watcher.db"
	if dirs := os.Getenv("STATE_DIRECTORY"); dirs != "" {
		first, _, _ := strings.Cut(dirs, ":")
		if first != "" {
			return filepath.Join(first, name)
		}
	}
	if x := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "watcher", name)
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		return filepath.Join(home, ".local", "state", "watcher", name)
	}
	return name
}

// Open opens (creating if needed, with 0700 directories) the database at
// path. For writing it creates the buckets, records the schema version,
// pid and host in meta/, and upgrades an older schema in one transaction
// after writing a backup. A newer schema is refused with ErrNewerSchema; a
// held lock yields ErrLocked after opt.Timeout.
func Open(path string, opt Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("state: open: empty database path")
	}
	if opt.Timeout <= 0 {
		opt.Timeout = defaultTimeout
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("state: open %s: %w", path, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return nil, fmt.Errorf("state: create directory for %s: %w", path, err)
	}
	db, err := bolt.Open(path, fileMode, &bolt.Options{
		Timeout:         opt.Timeout,
		ReadOnly:        opt.ReadOnly,
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: initialMmapSize,
	})
	if err != nil {
		return nil, openError(path, err)
	}
	s := &Store{db: db, path: path, opt: opt, log: opt.Logger}
	if err := s.prepare(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if !opt.ReadOnly {
		s.lockInfo = writeLockInfo(path, opt.Now())
	}
	return s, nil
}

// openError turns bbolt's open errors into ones that say what happened.
func openError(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return &lockedError{path: path, holder: lockHolder(path)}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum):
		return fmt.Errorf("%w: %s: %w", ErrNotWatcherDB, path, err)
	}
	return fmt.Errorf("state: open %s: %w", path, err)
}

// lockedError is ErrLocked with the path and what is known of the holder.
type lockedError struct {
	path   string
	holder string // "pid 1234", "pid 1234 on host x", or ""
}

func (e *lockedError) Error() string {
	msg := "state: database " + e.path + " is in use by another watcher process"
	if e.holder != "" {
		msg += " (" + e.holder + ")"
	}
	return msg
}

func (e *lockedError) Unwrap() error { return ErrLocked }

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// SchemaVersion returns the schema version of the open database (after
// any upgrade Open ran).
func (s *Store) SchemaVersion() int { return s.version }

// Close releases the database and its lock.
func (s *Store) Close() error {
	if s.lockInfo != "" {
		_ = os.Remove(s.lockInfo)
		s.lockInfo = ""
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("state: close %s: %w", s.path, err)
	}
	return nil
}

// prepare checks the schema version, upgrades or initialises the buckets,
// and records who opened the database for writing.
func (s *Store) prepare() error {
	var (
		version int
		fresh   bool
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		version, fresh, err = readVersion(tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrNotWatcherDB, s.path, err)
	}
	if version > schemaVersion {
		return fmt.Errorf("%w: %s has schema version %d, this watcher knows version %d; use a newer watcher or a backup",
			ErrNewerSchema, s.path, version, schemaVersion)
	}
	if s.opt.ReadOnly {
		if fresh {
			return fmt.Errorf("%w: %s is empty", ErrNotWatcherDB, s.path)
		}
		if version < schemaVersion {
			return fmt.Errorf("state: %s has schema version %d and needs an upgrade to %d: open it once for writing",
				s.path, version, schemaVersion)
		}
		s.version = version
		return nil
	}
	upgrade := !fresh && version < schemaVersion
	if upgrade {
		backup, err := s.backupBeforeUpgrade(version)
		if err != nil {
			return err
		}
		s.log.Info("upgrading database schema", slog.String("path", s.path),
			slog.Int("from", version), slog.Int("to", schemaVersion), slog.String("backup", backup))
	}
	// The upgrade steps, the buckets and the new version are one
	// transaction: a failure leaves the database as it was.
	err = s.db.Update(func(tx *bolt.Tx) error {
		if upgrade {
			if err := runUpgrades(tx, version); err != nil {
				return err
			}
		}
		return s.initBuckets(tx, fresh)
	})
	if err != nil {
		return fmt.Errorf("state: initialise %s: %w", s.path, err)
	}
	s.version = schemaVersion
	return nil
}

// readVersion reads meta/schema_version. A database with no buckets at
// all is fresh; one with buckets but no meta/ is someone else's; a meta/
// without schema_version is version 0.
func readVersion(tx *bolt.Tx) (version int, fresh bool, err error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if !empty {
			return 0, false, errors.New("it has buckets but no meta bucket")
		}
		return 0, true, nil
	}
	v := meta.Get(metaSchemaVersion)
	if v == nil {
		return 0, false, nil
	}
	n, err := strconv.Atoi(string(v))
	if err != nil || n < 0 {
		return 0, false, fmt.Errorf("malformed schema version %q", v)
	}
	return n, false, nil
}

// initBuckets creates every bucket of the schema and records the version,
// creation time, pid and host.
func (s *Store) initBuckets(tx *bolt.Tx, fresh bool) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	meta := tx.Bucket(bucketMeta)
	put := func(k []byte, v string) error { return meta.Put(k, []byte(v)) }
	if fresh || meta.Get(metaCreatedAt) == nil {
		if err := put(metaCreatedAt, s.opt.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
	}
	host, _ := os.Hostname()
	if err := put(metaSchemaVersion, strconv.Itoa(schemaVersion)); err != nil {
		return err
	}
	if err := put(metaPID, strconv.Itoa(os.Getpid())); err != nil {
		return err
	}
	return put(metaHost, host)
}
