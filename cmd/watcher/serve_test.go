package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher/state"
	"watcher/web"
)

// serveLog is a buffer the server goroutine writes while the test reads.
type serveLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *serveLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *serveLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// TestServeRefusesNonLoopbackWithoutToken: the command stops before it
// takes the database, naming the variable to set.
func TestServeRefusesNonLoopbackWithoutToken(t *testing.T) {
	tests := map[string]struct {
		addr, token string
		wantErr     error
		wantText    string
	}{
		"every interface, no token": {addr: "0.0.0.0:0", wantErr: web.ErrNeedCredentials, wantText: "WATCHER_TOKEN"},
		"a LAN address, no token":   {addr: "192.0.2.10:8080", wantErr: web.ErrNeedCredentials, wantText: "WATCHER_TOKEN"},
		"a short token":             {addr: "0.0.0.0:0", token: "hunter2", wantText: "at least 16"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "watcher.db")
			var out, errOut bytes.Buffer
			m := NewMain(&out, &errOut)
			m.Getenv = func(k string) string {
				if k == "WATCHER_TOKEN" {
					return tc.token
				}
				return ""
			}
			defer m.Close()
			err := m.Run(context.Background(), []string{"serve", "--addr", tc.addr, "--db", db, "--log-level", "error"})
			if err == nil {
				t.Fatal("serve started")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("error %q does not mention %q", err, tc.wantText)
			}
			if _, statErr := os.Stat(db); !errors.Is(statErr, os.ErrNotExist) {
				t.Errorf("the database was opened before the address was refused (%v)", statErr)
			}
		})
	}
}

// TestServeStartsAndStops: on loopback with no token the command serves
// until its context ends, then returns cleanly with the database intact.
func TestServeStartsAndStops(t *testing.T) {
	db := filepath.Join(t.TempDir(), "watcher.db")
	logs := &serveLog{}
	m := NewMain(&bytes.Buffer{}, logs)
	m.Getenv = func(string) string { return "" }
	defer m.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--no-schedule", "--db", db})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "msg=serving") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
	m.Close()
	if err := state.Check(db); err != nil {
		t.Errorf("database after serve: %v", err)
	}
}
