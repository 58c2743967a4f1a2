package archive

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// layoutVariant rewrites the writes of one new item as another layout
// would make them, for BenchmarkFirstIngestLayouts.
type layoutVariant struct {
	name string
	// record is the key the record is stored under.
	record func(it *news.Item) string
	// index says whether an index entry of table is kept.
	index func(table string) bool
}

// BenchmarkFirstIngestLayouts measures what a change of the stored layout
// would buy a first ingest (firstIngestPolls: 200 polls × 50 items, one
// commit a poll, fsync on): the same records and index entries as the
// archive writes them (schema 2), written straight to the engine, against
// variants: records keyed by source first (a poll's records side by side
// instead of one random page each), and without the language and category
// indexes (what two of the four time-ordered indexes cost; those serve the
// filtered outputs, so this one is a measure, not a proposal).
func BenchmarkFirstIngestLayouts(b *testing.B) {
	polls := firstIngestPolls(200)
	same := func(it *news.Item) string { return it.Key }
	all := func(string) bool { return true }
	for _, v := range []layoutVariant{
		{"schema 2", same, all},
		{"records by source", func(it *news.Item) string { return it.Source + "\x00" + it.Key }, all},
		{"no language or category index", same, func(t string) bool { return t != tByLang && t != tByCategory }},
	} {
		b.Run(strings.ReplaceAll(v.name, " ", "_"), func(b *testing.B) {
			var cpu time.Duration
			var pages int64
			for b.Loop() {
				b.StopTimer()
				eng, err := storage.OpenBolt(filepath.Join(b.TempDir(), "l.db"))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				c0 := cpuTime()
				for _, items := range polls {
					var batch storage.Batch
					f := folder{}
					for i := range items {
						it := &items[i]
						key := v.record(it)
						batch.Put(tRecords, []byte(key), encodeItem(it))
						for _, e := range entries(it, f) {
							if v.index(e.table) {
								batch.Put(e.table, []byte(strings.TrimSuffix(e.key, it.Key)+key), nil)
							}
						}
						batch.Put(tLinks, linkDigest(it.Link), []byte(key))
					}
					batch.Put(tSources, []byte(items[0].Source), []byte(fmt.Sprintf(`{"items":%d}`, len(items))))
					if err := eng.Apply(context.Background(), &batch); err != nil {
						b.Fatal(err)
					}
				}
				cpu += cpuTime() - c0
				b.StopTimer()
				pages += eng.PagesWritten()
				eng.Close()
				b.StartTimer()
			}
			n := float64(b.N * len(polls))
			b.ReportMetric(float64(cpu.Microseconds())/n, "cpu-µs/poll")
			b.ReportMetric(float64(pages)/n, "pages/poll")
		})
	}
}
