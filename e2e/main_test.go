// Package e2e runs the real watcher binary against local web sites
// (httptest servers): runs killed with SIGKILL at many points, hostile and
// broken input, backups during a run. The tests never touch the network.
package e2e

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"watcher"
	"watcher/state"
)

// binary is the watcher built once for the whole package by TestMain.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	// Listing the tests (scripts/test.sh looks for fuzz targets) and -short
	// need no binary; the tests then skip.
	if testing.Short() || flag.Lookup("test.list").Value.String() != "" {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "watcher-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	// WATCHER_E2E_BINARY tests a binary built elsewhere (a release build).
	if binary = os.Getenv("WATCHER_E2E_BINARY"); binary == "" {
		binary = filepath.Join(dir, "watcher")
		build := exec.Command("go", "build", "-o", binary, "./cmd/watcher")
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/watcher: %v\n%s", err, out)
			_ = os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// result is one finished (or killed) invocation of the binary.
type result struct {
	exit   int // -1 when killed by a signal
	killed bool
	stdout string
	stderr string
	maxRSS int64 // KiB: the child's peak resident set (VmHWM)
}

func (r result) String() string {
	return fmt.Sprintf("exit %d (killed %v)\nstdout:\n%s\nstderr:\n%s", r.exit, r.killed, r.stdout, lastLines(r.stderr, 30))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// proc is a running child, shared with server hooks that kill it.
type proc struct {
	cmd *exec.Cmd
}

// kill sends SIGKILL; safe to call more than once and from any goroutine.
func (p *proc) kill() {
	if p != nil && p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
	}
}

// needBinary skips a test when no binary was built (-short).
func needBinary(t *testing.T) {
	t.Helper()
	if binary == "" {
		t.Skip("runs the watcher binary; skipped with -short")
	}
}

// start starts the binary with args and the environment env (added to a
// minimal one: no proxy variables, a private HOME).
func start(t *testing.T, home string, env []string, args ...string) (*proc, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	needBinary(t)
	cmd := exec.Command(binary, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append([]string{"HOME=" + home, "PATH=/usr/bin:/bin", "TZ=Europe/Oslo"}, env...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", args, err)
	}
	return &proc{cmd: cmd}, &stdout, &stderr
}

// wait waits for p (at most limit, then kills it and fails the test).
func wait(t *testing.T, p *proc, stdout, stderr *bytes.Buffer, limit time.Duration) result {
	t.Helper()
	// The peak RSS is read from /proc/<pid>/status (VmHWM) while the
	// child runs: the rusage of a child started with vfork also carries
	// the parent's high-water mark from before the exec, which is the test
	// process's, not watcher's.
	stopPoll := make(chan struct{})
	var hwm atomic.Int64
	pollDone := make(chan struct{})
	go func() {
		defer close(pollDone)
		status := fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid)
		for {
			if kb := vmHWM(status); kb > hwm.Load() {
				hwm.Store(kb)
			}
			select {
			case <-stopPoll:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	done := make(chan error, 1)
	go func() {
		err := p.cmd.Wait()
		close(stopPoll)
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(limit):
		p.kill()
		<-done
		t.Fatalf("watcher %v did not finish within %v\nstderr:\n%s", p.cmd.Args[1:], limit, lastLines(stderr.String(), 30))
	}
	_ = err
	r := result{stdout: stdout.String(), stderr: stderr.String(), exit: p.cmd.ProcessState.ExitCode()}
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.killed = true
	}
	<-pollDone
	r.maxRSS = hwm.Load()
	if ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && r.maxRSS == 0 {
		r.maxRSS = ru.Maxrss // no /proc: an upper bound
	}
	return r
}

// vmHWM reads the peak resident set size, in KiB, from a /proc status
// file; 0 when it cannot.
func vmHWM(status string) int64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}

// run runs the binary to completion.
func run(t *testing.T, home string, env []string, args ...string) result {
	t.Helper()
	p, o, e := start(t, home, env, args...)
	return wait(t, p, o, e, 2*time.Minute)
}

// openRO opens the database read-only for inspection.
func openRO(t *testing.T, path string) *state.Store {
	t.Helper()
	st, err := state.Open(path, state.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return st
}

// storedItems returns every stored item.
func storedItems(t *testing.T, path string) []watcher.Item {
	t.Helper()
	st := openRO(t, path)
	defer st.Close()
	items, err := st.Items(state.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// urlsBySource returns the stored items' URLs per source, sorted.
func urlsBySource(items []watcher.Item) map[string][]string {
	out := map[string][]string{}
	for _, it := range items {
		out[it.SourceID] = append(out[it.SourceID], it.URL)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}
