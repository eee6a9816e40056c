package e2e

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"watcher"
	"watcher/state"
)

// seedDB runs the binary once over the fake site and returns the
// database's path and the site.
func seedDB(t *testing.T) (dir, cfg, db string, site *fakeSite) {
	t.Helper()
	site = newFakeSite(t)
	hook := newWebhook(t)
	dir = t.TempDir()
	cfg = writeConfig(t, dir, site, hook)
	db = filepath.Join(dir, "watcher.db")
	if r := run(t, dir, nil, "run", "--config", cfg, "--db", db); r.exit != 0 {
		t.Fatalf("seed run: %v", r)
	}
	return dir, cfg, db, site
}

func TestBackupIdleAndRestore(t *testing.T) {
	dir, cfg, db, _ := seedDB(t)
	want := len(storedItems(t, db))
	backup := filepath.Join(dir, "copy.db")
	r := run(t, dir, nil, "backup", "--config", cfg, "--db", db, backup)
	if r.exit != 0 || !strings.Contains(r.stdout, "integrity check passed") {
		t.Fatalf("backup: %v", r)
	}
	if err := state.Check(backup); err != nil {
		t.Fatal(err)
	}
	if got := len(storedItems(t, backup)); got != want {
		t.Errorf("backup holds %d items, want %d", got, want)
	}
	// The database itself is refused as a target.
	if r := run(t, dir, nil, "backup", "--db", db, db); r.exit != 1 || !strings.Contains(r.stderr, "database itself") {
		t.Errorf("backup onto the database: %v", r)
	}

	// Restore as documented: (service stopped) copy the file back, then
	// `watcher sources` and `watcher items` read it.
	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(db); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := run(t, dir, nil, "sources", "--config", cfg, "--db", db); r.exit != 0 {
		t.Errorf("sources after the restore: %v", r)
	}
	if got := len(storedItems(t, db)); got != want {
		t.Errorf("restored database holds %d items, want %d", got, want)
	}
}

// holdDB opens the database for writing in this process, as a run or
// the server would, and writes to it until stop is called.
func holdDB(t *testing.T, db string) (st *state.Store, writes *atomic.Int64, stop func()) {
	t.Helper()
	st, err := state.Open(db, state.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	writes = &atomic.Int64{}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			default:
			}
			_, err := st.ApplyBatch(state.SourceBatch{SourceID: "load", Seen: time.Now(), Items: []watcher.Item{{
				Key: fmt.Sprintf("load:%d", i), Title: strings.Repeat("Last under sikkerhetskopi ", 20), URL: fmt.Sprintf("https://example.org/load/%d", i),
			}}})
			if err != nil {
				t.Errorf("write while backing up: %v", err)
				return
			}
			writes.Add(1)
		}
	})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			close(done)
			wg.Wait()
			_ = st.Close()
		})
	}
	t.Cleanup(stop)
	return st, writes, stop
}

func TestBackupWhileHeld(t *testing.T) {
	dir, cfg, db, _ := seedDB(t)
	_, writes, stop := holdDB(t, db)

	// Without help, a held database is refused with advice.
	r := run(t, dir, nil, "backup", "--config", cfg, "--db", db, filepath.Join(dir, "a.db"))
	if r.exit != 1 || !strings.Contains(r.stderr, "--wait") || !strings.Contains(r.stderr, "--from-server") {
		t.Errorf("backup of a held database: %v", r)
	}

	// --wait waits for the holder (a run finishing).
	p, o, e := start(t, dir, nil, "backup", "--config", cfg, "--db", db, "--wait", "1m", filepath.Join(dir, "b.db"))
	for writes.Load() < 50 {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if r := wait(t, p, o, e, time.Minute); r.exit != 0 {
		t.Fatalf("backup --wait: %v", r)
	}
	if err := state.Check(filepath.Join(dir, "b.db")); err != nil {
		t.Error(err)
	}
	if n := len(storedItems(t, filepath.Join(dir, "b.db"))); int64(n) < writes.Load() {
		t.Errorf("the copy taken after the holder finished has %d items, fewer than the %d written", n, writes.Load())
	}
}

// TestBackupFromServerDuringWrites fetches the copy through the /backup
// endpoint contract (GET, bearer token, the bbolt file streamed from one
// read transaction) while the holder keeps writing.
func TestBackupFromServerDuringWrites(t *testing.T) {
	dir, cfg, db, _ := seedDB(t)
	st, writes, _ := holdDB(t, db)
	const token = "0123456789abcdef0123456789abcdef"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/backup" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "innlogging kreves", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		if _, err := st.Backup(w); err != nil {
			panic(http.ErrAbortHandler)
		}
	}))
	defer srv.Close()
	for writes.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}

	r := run(t, dir, []string{"WATCHER_TOKEN=wrong-token-wrong-token"}, "backup", "--config", cfg, "--db", db, "--from-server", srv.URL, filepath.Join(dir, "x.db"))
	if r.exit != 1 || !strings.Contains(r.stderr, "refused the token") {
		t.Errorf("backup with a wrong token: %v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.db")); err == nil {
		t.Error("a refused backup left a file")
	}

	for i := range 3 {
		out := filepath.Join(dir, fmt.Sprintf("copy-%d.db", i))
		before := writes.Load()
		r := run(t, dir, []string{"WATCHER_TOKEN=" + token}, "backup", "--config", cfg, "--db", db, "--from-server", srv.URL, out)
		if r.exit != 0 || !strings.Contains(r.stdout, "backup of "+srv.URL+"/backup") {
			t.Fatalf("backup --from-server: %v", r)
		}
		if err := state.Check(out); err != nil {
			t.Fatalf("copy %d taken during writes: %v", i, err)
		}
		if n := len(storedItems(t, out)); int64(n) < before {
			t.Errorf("copy %d has %d items; %d had been written before it began", i, n, before)
		}
	}
	t.Logf("%d writes went on during the backups", writes.Load())
}

// TestBackupDuringRun takes backups while `watcher run` is writing: the
// backup waits for the run (bbolt allows no reader beside a writer across
// processes) and the copy passes the integrity check.
func TestBackupDuringRun(t *testing.T) {
	dir, cfg, db, site := seedDB(t)
	site.gen.Store(1)
	site.slow.Store(int64(300 * time.Millisecond))
	p, o, e := start(t, dir, nil, "run", "--config", cfg, "--db", db)
	// Wait until the run holds the database.
	for i := 0; i < 200; i++ {
		if _, err := os.Stat(db + ".lock-info"); err == nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	out := filepath.Join(dir, "during.db")
	b := run(t, dir, nil, "backup", "--config", cfg, "--db", db, "--wait", "1m", out)
	r := wait(t, p, o, e, time.Minute)
	if r.exit != 0 {
		t.Fatalf("run: %v", r)
	}
	if b.exit != 0 {
		t.Fatalf("backup during the run: %v", b)
	}
	if err := state.Check(out); err != nil {
		t.Fatal(err)
	}
	got := urlsBySource(storedItems(t, out))
	for src, urls := range site.expected(1) {
		if len(got[src]) != len(urls) {
			t.Errorf("source %s: the copy holds %d items, the run stored %d", src, len(got[src]), len(urls))
		}
	}
}

// TestBackupFromServe runs the real `watcher serve` and takes the copy
// from its /backup endpoint while it holds the database.
func TestBackupFromServe(t *testing.T) {
	dir, cfg, db, _ := seedDB(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	const token = "fedcba9876543210fedcba9876543210"
	env := []string{"WATCHER_TOKEN=" + token}
	p, o, e := start(t, dir, env, "serve", "--config", cfg, "--db", db, "--addr", addr, "--no-schedule")
	t.Cleanup(p.kill)
	up := false
	for i := 0; i < 300 && !up; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			up = true
		} else {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if !up {
		p.kill()
		t.Fatalf("serve did not come up: %v", wait(t, p, o, e, 10*time.Second))
	}
	out := filepath.Join(dir, "served.db")
	r := run(t, dir, env, "backup", "--config", cfg, "--db", db, "--from-server", "http://"+addr, out)
	if r.exit != 0 || !strings.Contains(r.stdout, "backup of http://"+addr+"/backup") {
		t.Fatalf("backup --from-server from watcher serve: %v", r)
	}
	if err := state.Check(out); err != nil {
		t.Fatal(err)
	}
	if n := len(storedItems(t, out)); n == 0 {
		t.Error("the served copy holds no items")
	}
}
