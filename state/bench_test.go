package state

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"watcher"
)

// benchItems sizes the store BenchmarkItemsQuarter reads. To measure a
// store of a million items:
//
//	go test -run '^$' -bench ItemsQuarter -benchtime 20x ./state -state.benchitems 1000000
//
// (building it takes a few minutes and a couple of GB in $TMPDIR).
var benchItems = flag.Int("state.benchitems", 100_000, "items in the generated store that BenchmarkItemsQuarter reads")

// generated is the store shared by the read benchmarks, built once per
// process and removed by TestMain.
var generated struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if generated.dir != "" {
		_ = os.RemoveAll(generated.dir)
	}
	os.Exit(code)
}

// benchSpan is the period the generated items' dates cover.
var benchStart, benchEnd = day(2016, 1, 1), day(2026, 1, 1)

// benchItem is a plausible item: a title, a summary, a capped page text,
// one in ten with a deadline, spread evenly over benchSpan and 40 sources.
func benchItem(i, n int) watcher.Item {
	span := benchEnd.Sub(benchStart)
	published := benchStart.Add(time.Duration(int64(span) / int64(n) * int64(i)))
	it := watcher.Item{
		Key:       fmt.Sprintf("src%02d:%08d", i%40, i),
		SourceID:  fmt.Sprintf("src%02d", i%40),
		URL:       fmt.Sprintf("https://example.org/src%02d/doc/%d", i%40, i),
		Title:     fmt.Sprintf("Rapport om menneskehandel og utnyttelse nr. %d", i),
		Summary:   strings.Repeat("Kort ingress om saken. ", 8),
		Text:      strings.Repeat("Teksten på siden om arbeid mot menneskehandel. ", 12),
		Kind:      watcher.KindReport,
		Published: published,
		Relevance: watcher.Relevance{Score: 2.5, Relevant: true, Profile: "abc123"},
	}
	if i%10 == 0 {
		it.Kind = watcher.KindHearing
		it.Deadline = published.Add(90 * 24 * time.Hour)
		it.Status = watcher.StatusOpen
	}
	return it
}

func benchStore(b *testing.B) string {
	generated.once.Do(func() {
		generated.dir, generated.err = os.MkdirTemp("", "state-bench-")
		if generated.err != nil {
			return
		}
		generated.path = filepath.Join(generated.dir, "watcher.db")
		s, err := Open(generated.path, testOptions())
		if err != nil {
			generated.err = err
			return
		}
		defer s.Close()
		n := *benchItems
		const per = 5000
		for lo := 0; lo < n; lo += per {
			items := make([]watcher.Item, 0, per)
			for i := lo; i < min(lo+per, n); i++ {
				items = append(items, benchItem(i, n))
			}
			if _, err := s.ApplyBatch(SourceBatch{SourceID: "bench", Seen: benchEnd, Items: items}); err != nil {
				generated.err = err
				return
			}
		}
	})
	if generated.err != nil {
		b.Fatal(generated.err)
	}
	return generated.path
}

// BenchmarkItemsQuarter reads one quarter of a generated store, as the
// digest does.
func BenchmarkItemsQuarter(b *testing.B) {
	path := benchStore(b)
	opt := testOptions()
	opt.ReadOnly = true
	s, err := Open(path, opt)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	q := Query{From: day(2021, 4, 1), To: day(2021, 7, 1)}
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	for b.Loop() {
		items, err := s.Items(q)
		if err != nil {
			b.Fatal(err)
		}
		n = len(items)
	}
	if n == 0 {
		b.Fatal("the quarter is empty")
	}
	b.ReportMetric(float64(n), "items/op")
}

// BenchmarkApplyBatchNew stores 50 new items per operation into a growing
// store, each batch one committed (fsynced) transaction.
func BenchmarkApplyBatchNew(b *testing.B) {
	s := openTest(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		items := make([]watcher.Item, 50)
		for j := range items {
			items[j] = benchItem(i, 1<<30)
			i++
		}
		res, err := s.ApplyBatch(SourceBatch{SourceID: "bench", Seen: t0, Items: items})
		if err != nil || len(res.New) != 50 {
			b.Fatalf("ApplyBatch: %d new, %v", len(res.New), err)
		}
	}
}

// BenchmarkApplyBatchUnchanged applies the same 50 items again: the warm
// run's common case, which must not write.
func BenchmarkApplyBatchUnchanged(b *testing.B) {
	s := openTest(b)
	items := make([]watcher.Item, 50)
	for j := range items {
		items[j] = benchItem(j, 50)
	}
	mustApply(b, s, SourceBatch{SourceID: "bench", Seen: t0, Items: items})
	before := txID(b, s)
	b.ReportAllocs()
	for b.Loop() {
		res, err := s.ApplyBatch(SourceBatch{SourceID: "bench", Seen: t0, Items: items})
		if err != nil || len(res.Unchanged) != 50 {
			b.Fatalf("ApplyBatch: %d unchanged, %v", len(res.Unchanged), err)
		}
	}
	if txID(b, s) != before {
		b.Fatal("unchanged batches wrote")
	}
}
