package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"watcher/state"
)

// TestProfileFlags proves that --cpuprofile and --memprofile write both
// profiles (gzipped pprof protobufs) once the command is closed.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	db := filepath.Join(dir, "w.db")
	st, err := state.Open(db, state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	var out, errOut bytes.Buffer
	m := NewMain(&out, &errOut)
	err = m.Run(context.Background(), []string{"sources", "--db", db,
		"--cpuprofile", cpu, "--memprofile", mem})
	m.Close()
	if err != nil {
		t.Fatalf("sources: %v\n%s", err, errOut.String())
	}
	for _, name := range []string{cpu, mem} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("%s: %d bytes, not a gzipped profile", filepath.Base(name), len(b))
		}
	}

}
