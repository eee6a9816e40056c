package digest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"watcher"
	"watcher/state"
)

// benchItems sizes the store BenchmarkSelectQuarter reads; the
// environment variable DIGEST_BENCH_ITEMS overrides the default. For a
// million items:
//
//	DIGEST_BENCH_ITEMS=1000000 go test -run '^$' -bench SelectQuarter -benchtime 10x ./digest
//
// (building that store takes minutes and a few GB in $TMPDIR).
var benchItems = flag.Int("digest.benchitems", envInt("DIGEST_BENCH_ITEMS", 100_000), "items in the store BenchmarkSelectQuarter reads")

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// generated is the benchmark's store, built once and removed by TestMain.
var generated struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if generated.dir != "" {
		_ = os.RemoveAll(generated.dir)
	}
	os.Exit(code)
}

// benchSpan is the ten years the generated items' dates cover.
var benchStart, benchEnd = day(2016, 1, 1), day(2026, 1, 1)

// benchItem is a plausible item of one of the fixture's sources: one in
// ten a hearing with a deadline three months on, three in ten relevant.
func benchItem(i, n int, sources []watcher.Source) watcher.Item {
	src := sources[i%(len(sources)-1)] // the last source is disabled
	published := benchStart.Add(time.Duration(int64(benchEnd.Sub(benchStart)) / int64(n) * int64(i)))
	it := watcher.Item{
		Key:          fmt.Sprintf("%s:%08d", src.ID, i),
		SourceID:     src.ID,
		URL:          fmt.Sprintf("https://example.org/%s/%d", src.ID, i),
		Title:        fmt.Sprintf("Rapport om menneskehandel og utnyttelse nr. %d", i),
		Summary:      "Politiet har avdekket et nettverk. Saken etterforskes videre. Mer informasjon kommer.",
		Kind:         src.DocKind,
		Organisation: src.Organisation,
		Published:    published,
		Relevance:    watcher.Relevance{Score: float64(i%10) / 3, Relevant: i%10 >= 7},
	}
	if i%10 == 0 {
		it.Kind, it.Deadline, it.Status = watcher.KindHearing, published.AddDate(0, 3, 0), watcher.StatusOpen
	}
	return it
}

func benchStore(b *testing.B) string {
	generated.once.Do(func() {
		if generated.dir, generated.err = os.MkdirTemp("", "digest-bench-"); generated.err != nil {
			return
		}
		generated.path = filepath.Join(generated.dir, "watcher.db")
		st, err := state.Open(generated.path, state.Options{Now: func() time.Time { return benchEnd }})
		if err != nil {
			generated.err = err
			return
		}
		defer st.Close()
		sources := fixtureSources()
		n := *benchItems
		const per = 5000
		for lo := 0; lo < n; lo += per {
			items := make([]watcher.Item, 0, per)
			for i := lo; i < min(lo+per, n); i++ {
				items = append(items, benchItem(i, n, sources))
			}
			if _, err := st.ApplyBatch(state.SourceBatch{SourceID: "bench", Seen: benchEnd, Items: items}); err != nil {
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

// BenchmarkSelectQuarter drafts one quarter of a large store: Load reads
// the quarter through the date index (and the open consultations through
// the deadline index), Build selects, merges, places and drafts.
func BenchmarkSelectQuarter(b *testing.B) {
	path := benchStore(b)
	st, err := state.Open(path, state.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	cfg := fixtureConfig()
	p, err := QuarterPeriod("2021Q2", cfg.Location())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var items, entries int
	for b.Loop() {
		in, err := Load(st, cfg, p, benchEnd)
		if err != nil {
			b.Fatal(err)
		}
		d := Build(in)
		items = len(in.Items)
		entries = 0
		for _, s := range d.Sections {
			entries += s.Len()
		}
	}
	if entries == 0 {
		b.Fatal("the quarter's draft is empty")
	}
	b.ReportMetric(float64(items), "items/op")
	b.ReportMetric(float64(entries), "entries/op")
}
