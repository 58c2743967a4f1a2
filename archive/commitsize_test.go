package archive

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

func TestNextCommitItems(t *testing.T) {
	for _, c := range []struct {
		name                   string
		last, committed, bound int
		pages                  int64
		written, want          int
	}{
		{"an empty store's items share pages: the bound doubles", 200, 200, 2000, 720, 200, 400},
		{"capped by the queue's bound", 1500, 1500, 2000, 100, 1500, 2000},
		{"a small store: four pages an item", 400, 400, 2000, 1600, 400, 512},
		{"a large store: ten pages an item", 400, 400, 2000, 4000, 400, 204},
		{"eleven pages an item: the floor", 400, 400, 2000, 4400, 400, firstCommitItems},
		{"the floor never exceeds the bound", 10, 10, 10, 20000, 10, 10},
		{"nothing written: unchanged", 300, 300, 2000, 50, 0, 300},
		{"no pages counted: unchanged", 300, 300, 2000, 0, 100, 300},
		{"shrinks at once", 2000, 2000, 2000, 8192, 2000, 500},
		// Seen from outside: commits of 50, 50, 50 items raised the bound
		// to 600, then 2,000, when doubling read the bound, not the commit.
		{"a cheap small commit grows the bound to twice a first commit's, no more", 800, 50, 2000, 20, 50, 2 * firstCommitItems},
		{"a cheap commit of 600 items: twice that", 800, 600, 2000, 300, 600, 1200},
	} {
		if got := nextCommitItems(c.last, c.committed, c.bound, c.pages, c.written); got != c.want {
			t.Errorf("%s: nextCommitItems(%d, %d, %d, %d, %d) = %d, want %d", c.name, c.last, c.committed, c.bound, c.pages, c.written, got, c.want)
		}
	}
}

// countingBolt is the bbolt engine, counting the batches applied and
// passing on its page count.
type countingBolt struct {
	*storage.Bolt
	applies atomic.Int64
}

func (c *countingBolt) Apply(ctx context.Context, b *storage.Batch) error {
	c.applies.Add(1)
	return c.Bolt.Apply(ctx, b)
}

// In a small store a commit's items share their pages, so commits grow past
// the first one's 200 items, up to the queue's bound; on an engine that
// counts no pages they stay at 200.
func TestCommitsGrowWhilePagesAreShared(t *testing.T) {
	for _, c := range []struct {
		name          string
		pages         bool
		maxApplies    int64
		minApplies    int64
		commitAtLeast int
	}{
		{"bbolt, pages counted", true, 5, 2, 400},
		{"pages not counted", false, 10, 10, firstCommitItems},
	} {
		t.Run(c.name, func(t *testing.T) {
			eng, err := storage.OpenBolt(filepath.Join(t.TempDir(), "c.db"), storage.WithoutSync())
			if err != nil {
				t.Fatal(err)
			}
			counter := &countingBolt{Bolt: eng}
			var e storage.Engine = counter
			if !c.pages {
				e = &applyCounter{Engine: counter}
			}
			a, err := New(e)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			before := counter.applies.Load()

			const polls, per = 40, 50 // 2,000 items
			t0 := time.Date(2026, 4, 14, 14, 0, 0, 0, time.UTC)
			a.mu.Lock() // all polls queue before the writer starts
			var wg sync.WaitGroup
			errs := make([]error, polls)
			for i := range polls {
				src := fmt.Sprintf("s%02d", i)
				items := make([]news.Item, per)
				for j := range items {
					items[j] = item(fmt.Sprintf("%s-%d", src, j), fmt.Sprintf("https://%s.example/%d", src, j),
						fmt.Sprintf("عنوان %s %d", src, j), t0.Add(time.Duration(j*polls+i)*time.Minute))
					items[j].Source = src
				}
				wg.Go(func() { _, errs[i] = a.SavePoll(t.Context(), src, SourceState{URL: "https://" + src}, items) })
			}
			for a.queue.size() < polls {
				time.Sleep(time.Millisecond)
			}
			a.mu.Unlock()
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("poll %d: %v", i, err)
				}
			}
			got := counter.applies.Load() - before
			if got < c.minApplies || got > c.maxApplies {
				t.Errorf("2,000 items in %d commits, want %d–%d", got, c.minApplies, c.maxApplies)
			}
			if n := a.queue.commitItems(); n < c.commitAtLeast {
				t.Errorf("a commit takes %d items now, want at least %d", n, c.commitAtLeast)
			}
			if n, err := a.Count(); err != nil || n != polls*per {
				t.Errorf("%d items stored (%v), want %d", n, err, polls*per)
			}
		})
	}
}

// TestCommitSizesAsTheStoreGrows (NASHRA_COMMIT_SIZES=1; ~10 min) fills a
// store with firstIngestPolls' polls, 40 queued at a time as `nashra poll`
// queues them, up to a million items, and logs at each size the items a
// commit takes and the pages and CPU an item costs: the page budget's
// commits shrink as the store grows and items stop sharing pages.
func TestCommitSizesAsTheStoreGrows(t *testing.T) {
	if os.Getenv("NASHRA_COMMIT_SIZES") == "" {
		t.Skip("NASHRA_COMMIT_SIZES=1: fills a store to a million items")
	}
	a, err := Open(filepath.Join(t.TempDir(), "grow.db"), WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	bolt := a.Engine().(*storage.Bolt)
	rng := rand.New(rand.NewPCG(5, 5))
	const queued = DefaultQueueItems / 50
	sources, lastPages, lastCPU, lastItems := 0, int64(0), cpuTime(), 0
	for _, size := range []int{10_000, 50_000, 100_000, 300_000, 1_000_000} {
		for sources*50 < size {
			saveTogether(t, a, ingestPolls(sources, sources+queued, rng))
			sources += queued
		}
		items, pages, cpu := sources*50-lastItems, bolt.PagesWritten()-lastPages, cpuTime()-lastCPU
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		t.Logf("%9d items stored: a commit takes %4d items; since the last size %.2f pages and %4.0f CPU µs an item; heap %d MiB",
			sources*50, a.queue.commitItems(), float64(pages)/float64(items), float64(cpu.Microseconds())/float64(items), ms.HeapAlloc>>20)
		lastItems, lastPages, lastCPU = sources*50, bolt.PagesWritten(), cpuTime()
	}
}
