// Package state is watcher's bbolt store. This file is an interim skeleton
// that fixes the API; the implementation follows.
package state

import (
	"errors"
	"io"
	"time"

	"watcher"
)

// Options configure Open.
type Options struct {
	Timeout   time.Duration // lock wait (default 1s)
	ReadOnly  bool
	Now       func() time.Time
	BackupDir string // where automatic pre-upgrade backups go (default: beside the db)
}

var (
	ErrLocked      = errors.New("state: database is in use by another watcher process")
	ErrNewerSchema = errors.New("state: database was written by a newer watcher")
	errTodo        = errors.New("state: not implemented yet")
)

type Store struct{ path string }

func DefaultPath() string                           { return "watcher.db" }
func Open(path string, opt Options) (*Store, error) { return nil, errTodo }
func (s *Store) Path() string                       { return s.path }
func (s *Store) Close() error                       { return errTodo }
func (s *Store) SchemaVersion() int                 { return 0 }

type SourceBatch struct {
	SourceID   string
	Seen       time.Time
	Items      []watcher.Item
	Validators []watcher.Validator
	Health     *watcher.Health
	Score      func(*watcher.Item)
}

type BatchResult struct {
	New, Changed, Unchanged []string
	Changes                 []watcher.Change
}

type Query struct {
	Source      string
	From, To    time.Time
	SeenFrom    time.Time
	HasDeadline bool
	Limit       int
}

type Pending struct {
	Alert     watcher.Alert
	Channel   string
	Attempts  int
	LastError string
}

func (s *Store) ApplyBatch(b SourceBatch) (BatchResult, error)        { return BatchResult{}, errTodo }
func (s *Store) Item(key string) (watcher.Item, bool, error)          { return watcher.Item{}, false, errTodo }
func (s *Store) Items(q Query) ([]watcher.Item, error)                { return nil, errTodo }
func (s *Store) History(key string) ([]watcher.Change, error)         { return nil, errTodo }
func (s *Store) Deadlines(from, to time.Time) ([]watcher.Item, error) { return nil, errTodo }
func (s *Store) Count() (int, error)                                  { return 0, errTodo }
func (s *Store) Rescore(fn func(*watcher.Item) bool) (int, error)     { return 0, errTodo }
func (s *Store) Validator(url string) (watcher.Validator, bool)       { return watcher.Validator{}, false }
func (s *Store) LoadValidators(prefixHosts ...string) (map[string]watcher.Validator, error) {
	return nil, errTodo
}
func (s *Store) PutRobots(host string, status int, body []byte, at time.Time) error { return errTodo }
func (s *Store) Robots(host string) (status int, body []byte, at time.Time, ok bool) {
	return 0, nil, time.Time{}, false
}
func (s *Store) Health(sourceID string) (watcher.Health, bool, error) {
	return watcher.Health{}, false, errTodo
}
func (s *Store) AllHealth() ([]watcher.Health, error) { return nil, errTodo }
func (s *Store) PutHealth(h watcher.Health) error     { return errTodo }
func (s *Store) EnqueueAlerts(alerts []watcher.Alert, channels map[watcher.Audience][]string) (int, error) {
	return 0, errTodo
}
func (s *Store) Pending() ([]Pending, error)                                   { return nil, errTodo }
func (s *Store) MarkSent(key, channel string, at time.Time) error              { return errTodo }
func (s *Store) MarkFailed(key, channel string, err error, at time.Time) error { return errTodo }
func (s *Store) AlertKnown(key string) bool                                    { return false }
func (s *Store) PutDecision(d watcher.Decision) error                          { return errTodo }
func (s *Store) DeleteDecision(period, key string) error                       { return errTodo }
func (s *Store) Decisions(period string) ([]watcher.Decision, error)           { return nil, errTodo }
func (s *Store) PutRun(r watcher.RunReport) error                              { return errTodo }
func (s *Store) Runs(limit int) ([]watcher.RunReport, error)                   { return nil, errTodo }
func (s *Store) LastRun() (watcher.RunReport, bool, error) {
	return watcher.RunReport{}, false, errTodo
}
func (s *Store) Backup(w io.Writer) (int64, error) { return 0, errTodo }
func (s *Store) BackupFile(path string) error      { return errTodo }
func Check(path string) error                      { return errTodo }
