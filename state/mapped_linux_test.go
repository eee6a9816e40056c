package state

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"watcher"
)

// mappedKiB returns the resident KiB of this process's mappings of path.
func mappedKiB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	defer f.Close()
	total, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) >= 5 && strings.Contains(fields[0], "-") {
			in = len(fields) == 6 && fields[5] == path
			continue
		}
		if in && strings.HasPrefix(line, "Rss:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			total += n
		}
	}
	return total
}

// TestWriteReleasesMappedPages proves that after a write the database
// file's pages are no longer resident in the process, and that what was
// read before is read the same after.
func TestWriteReleasesMappedPages(t *testing.T) {
	s := openTest(t)
	items := make([]watcher.Item, 2000)
	for i := range items {
		items[i] = watcher.Item{Key: fmt.Sprintf("k%05d", i), Title: strings.Repeat("tittel ", 40), Published: day(2026, 1, 1+i%28)}
	}
	mustApply(t, s, SourceBatch{SourceID: "a", Seen: t0, Items: items})
	before, err := s.Items(Query{})
	if err != nil || len(before) != len(items) {
		t.Fatalf("Items: %d, %v", len(before), err)
	}
	if kib := mappedKiB(t, s.Path()); kib < 64 {
		t.Fatalf("reading %d items mapped only %d KiB: the test reads too little to prove anything", len(items), kib)
	}
	mustApply(t, s, SourceBatch{SourceID: "b", Seen: t0, Items: []watcher.Item{{Key: "one-more", Title: "x"}}})
	if kib := mappedKiB(t, s.Path()); kib > 32 {
		t.Errorf("%d KiB of the database still mapped after a write", kib)
	}
	after, err := s.Items(Query{Source: "a"})
	if err != nil || len(after) != len(items) || after[0].Title != before[0].Title {
		t.Errorf("after the release: %d items, %v", len(after), err)
	}
}
