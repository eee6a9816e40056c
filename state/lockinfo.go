package state

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// While a writer holds the database, nobody else can open it, not even
// read-only (bbolt's shared lock waits for the exclusive one), so the
// pid and host kept in meta/ cannot be read when they would be needed.
// A writer therefore also leaves <db>.lock-info beside the file and
// removes it on Close. A stale file (after a crash) is harmless: it is
// only read to explain a lock that is really held, and the next writer
// overwrites it. On Linux /proc/locks names the holder exactly, read-only
// holders included, and is preferred.

type lockInfo struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
}

func lockInfoPath(dbPath string) string { return dbPath + ".lock-info" }

// writeLockInfo writes the sidecar and returns its path, or "" when it
// could not be written (the lock message then lacks the pid; nothing else
// depends on it).
func writeLockInfo(dbPath string, now time.Time) string {
	host, _ := os.Hostname()
	b, err := json.Marshal(lockInfo{PID: os.Getpid(), Host: host, Started: now.UTC()})
	if err != nil {
		return ""
	}
	p := lockInfoPath(dbPath)
	if err := os.WriteFile(p, append(b, '\n'), fileMode); err != nil {
		return ""
	}
	return p
}

// lockHolder describes who holds dbPath's lock: "pid 1234", "pid 1234 on
// host x", "pids 12, 34", or "" when unknown.
func lockHolder(dbPath string) string {
	if pids := procLockPIDs(dbPath); len(pids) > 0 {
		return pidText(pids)
	}
	b, err := os.ReadFile(lockInfoPath(dbPath))
	if err != nil {
		return ""
	}
	var li lockInfo
	if json.Unmarshal(b, &li) != nil || li.PID <= 0 {
		return ""
	}
	text := pidText([]int{li.PID})
	if host, _ := os.Hostname(); li.Host != "" && li.Host != host {
		text += " on host " + li.Host
	}
	return text
}

func pidText(pids []int) string {
	if len(pids) == 1 {
		return "pid " + strconv.Itoa(pids[0])
	}
	s := make([]string, len(pids))
	for i, p := range pids {
		s[i] = strconv.Itoa(p)
	}
	return "pids " + strings.Join(s, ", ")
}

// procLockPIDs returns the pids holding flock locks on the file, from
// /proc/locks, or nil where that file does not exist. Lines look like
//
//	3: FLOCK  ADVISORY  WRITE 1234 fd:01:5263 0 EOF
//
// where fd:01 is the device (major:minor, hex) and 5263 the inode.
func procLockPIDs(dbPath string) []int {
	want, ok := fileID(dbPath)
	if !ok {
		return nil
	}
	f, err := os.Open("/proc/locks")
	if err != nil {
		return nil
	}
	defer f.Close()
	var pids []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		// A blocked waiter's line starts with "->" and is one field longer.
		if len(fields) < 6 || fields[0] == "->" || fields[1] != "FLOCK" {
			continue
		}
		if !sameDevIno(fields[5], want) {
			continue
		}
		if pid, err := strconv.Atoi(fields[4]); err == nil && pid > 0 && !slices.Contains(pids, pid) {
			pids = append(pids, pid)
		}
	}
	slices.Sort(pids)
	return pids
}

// sameDevIno compares "maj:min:ino" strings, tolerating the kernel's
// varying zero padding of the hex device numbers.
func sameDevIno(got, want string) bool {
	g, w := strings.Split(got, ":"), strings.Split(want, ":")
	if len(g) != 3 || len(w) != 3 {
		return false
	}
	for i := range 3 {
		base := 16
		if i == 2 {
			base = 10
		}
		a, err1 := strconv.ParseUint(g[i], base, 64)
		b, err2 := strconv.ParseUint(w[i], base, 64)
		if err1 != nil || err2 != nil || a != b {
			return false
		}
	}
	return true
}
