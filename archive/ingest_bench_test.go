package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// firstIngestPolls are the polls of a first `nashra poll` of n sources × 50
// items, as internal/ingestbench serves them: each source's items newest
// first over six hours, the sources interleaved in time, Arabic and French
// alternately, keys as aggregator.ItemKey makes them (random hex), links,
// one to three categories and a ~300-character summary.
func firstIngestPolls(n int) [][]news.Item {
	return ingestPolls(0, n, rand.New(rand.NewPCG(3, 3)))
}

// ingestPolls are firstIngestPolls' polls of sources lo to hi-1, words
// drawn from rng.
func ingestPolls(lo, hi int, rng *rand.Rand) [][]news.Item {
	newest := time.Date(2026, 4, 14, 16, 0, 0, 0, time.UTC)
	cats := [][]string{strings.Fields("سياسة اقتصاد مجتمع رياضة جهات ثقافة دولي صحة تعليم فن"),
		strings.Fields("Politique Économie Société Sport Régions Culture Monde Santé Éducation Médias")}
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = benchWords[rng.IntN(len(benchWords))]
		}
		return strings.Join(w, " ")
	}
	polls := make([][]news.Item, hi-lo)
	for s := lo; s < hi; s++ {
		lang := []string{"ar", "fr"}[s%2]
		for k := range 50 {
			at := newest.Add(-time.Duration(k)*7*time.Minute - time.Duration(s%60)*time.Second)
			sum := sha256.Sum256([]byte(fmt.Sprintf("s%d\x00guid:%d", s, k)))
			it := news.Item{Key: hex.EncodeToString(sum[:12]), Source: fmt.Sprintf("s%d", s), Identity: fmt.Sprintf("guid:%d", k),
				GUID: fmt.Sprintf("https://source%d.example/?p=%d", s, k), Link: fmt.Sprintf("https://source%d.example/%s/%d.html", s, lang, k),
				Language: lang, Title: words(8 + rng.IntN(5)), Summary: words(40), Author: fmt.Sprintf("Rédaction %d", rng.IntN(20)),
				Time: at, Published: at, FirstSeen: newest, Changed: newest, TimeFrom: news.TimeFromPublished}
			for _, c := range rng.Perm(len(cats[s%2]))[:1+rng.IntN(3)] {
				it.Categories = append(it.Categories, cats[s%2][c])
			}
			polls[s-lo] = append(polls[s-lo], it)
		}
	}
	return polls
}

// cpuTime is the user+system CPU this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRepollUnchanged saves again, unchanged, the 200 polls of
// firstIngestPolls (what a source that changed one item sends with the
// rest, when nothing short-cuts the document): CPU per poll of 50 items.
func BenchmarkRepollUnchanged(b *testing.B) {
	polls := firstIngestPolls(200)
	a, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	for _, items := range polls {
		if _, err := a.SavePoll(context.Background(), items[0].Source, SourceState{}, items); err != nil {
			b.Fatal(err)
		}
	}
	var cpu time.Duration
	i := 0
	for b.Loop() {
		items := polls[i%len(polls)]
		c0 := cpuTime()
		c, err := a.SavePoll(context.Background(), items[0].Source, SourceState{}, items)
		cpu += cpuTime() - c0
		if err != nil || c.Unchanged != len(items) {
			b.Fatalf("%+v, %v", c, err)
		}
		i++
	}
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/poll")
}

// BenchmarkFirstIngestGroups saves a first poll of 200 sources × 50 items
// (firstIngestPolls) into an empty store, fsync on as `nashra poll` writes,
// stories off (the story window has its own benchmarks in package story),
// the polls landing G at a time in one commit (group commit, as polls
// waiting for the writer land; G = 1: one commit a poll): CPU and pages
// bbolt writes per poll. What bigger commits buy a first ingest, whose
// pages are mostly one per index entry and record. polls=auto is what
// `nashra poll` does: 40 polls (2,000 items, write_queue_items) queued at
// a time, each commit taking as many as the writer's page budget lets it
// (commitsize.go; 200 items, 4 polls, the first).
func BenchmarkFirstIngestGroups(b *testing.B) {
	polls := firstIngestPolls(200)
	for _, group := range []int{1, 4, 10, 20, 50, 0} {
		name := fmt.Sprintf("polls=%d", group)
		if group == 0 {
			name = "polls=auto"
		}
		b.Run(name, func(b *testing.B) { benchFirstIngest(b, polls, group) })
	}
}

// BenchmarkFirstIngestSources is the auto case of FirstIngestGroups at 200
// and 1,000 sources × 50 items: what a first ingest costs the archive as
// the store it fills grows (the staged indexes, storage.WithStaging, keep
// each commit's pages from growing with it).
func BenchmarkFirstIngestSources(b *testing.B) {
	for _, sources := range []int{200, 1000} {
		b.Run(fmt.Sprintf("sources=%d", sources), func(b *testing.B) { benchFirstIngest(b, firstIngestPolls(sources), 0) })
	}
}

// benchFirstIngest saves polls into an empty store group at a time, each
// group one commit (0: as `nashra poll` queues them, 2,000 items at a time,
// commits sized by the writer), and reports CPU and pages a poll.
func benchFirstIngest(b *testing.B, polls [][]news.Item, group int) {
	queued := group
	if group == 0 {
		queued = DefaultQueueItems / len(polls[0])
	}
	var cpu time.Duration
	var pages int64
	for b.Loop() {
		b.StopTimer()
		a, err := Open(filepath.Join(b.TempDir(), "bench.db"), WithQueueItems(max(group*len(polls[0]), DefaultQueueItems)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0 := cpuTime()
		for lo := 0; lo < len(polls); lo += queued {
			if group > 0 { // one commit of the group, whatever the last commit wrote
				a.queue.setCommit(group * len(polls[0]))
			}
			saveTogether(b, a, polls[lo:min(lo+queued, len(polls))])
		}
		cpu += cpuTime() - c0
		b.StopTimer()
		pages += a.Engine().(*storage.Bolt).PagesWritten()
		a.Close()
		b.StartTimer()
	}
	n := float64(b.N * len(polls))
	b.ReportMetric(float64(cpu.Microseconds())/n, "cpu-µs/poll")
	b.ReportMetric(float64(pages)/n, "pages/poll")
}

// saveTogether saves polls in one commit: they queue while the writer is
// held, then one of them writes them all.
func saveTogether(b testing.TB, a *Archive, polls [][]news.Item) {
	a.mu.Lock()
	var wg sync.WaitGroup
	var queued atomic.Int32
	for _, items := range polls {
		wg.Go(func() {
			queued.Add(1)
			if _, err := a.SavePoll(context.Background(), items[0].Source, SourceState{}, items); err != nil {
				b.Error(err)
			}
		})
	}
	for int(queued.Load()) < len(polls) || pendingCount(a) < len(polls) {
		time.Sleep(100 * time.Microsecond)
	}
	a.lastGroup = 0 // no linger: the group is complete
	a.mu.Unlock()
	wg.Wait()
}

func pendingCount(a *Archive) int { return a.queue.size() }

// BenchmarkOneLargePoll saves one poll of 20,000 new items (a feed read
// with max_items raised) into an empty store, stories off: a poll lands
// whole, in one commit, whatever write_queue_items says. Seen from
// outside: 100,000 such items took 37 s of CPU, 90 % of it bbolt moving the
// entries of nodes the commit kept filling (storage's inKeyOrder).
func BenchmarkOneLargePoll(b *testing.B) {
	var items []news.Item
	for _, p := range ingestPolls(0, 400, rand.New(rand.NewPCG(3, 3))) {
		items = append(items, p...)
	}
	for i := range items {
		items[i].Source = "big"
	}
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		a, err := Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0 := cpuTime()
		c, err := a.SavePoll(context.Background(), "big", SourceState{}, items)
		cpu += cpuTime() - c0
		if err != nil || c.New != len(items) {
			b.Fatalf("%+v, %v", c, err)
		}
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*len(items)), "cpu-µs/item")
}
