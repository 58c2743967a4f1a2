package archive

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// fill stores n generated items, 1,000 per transaction (one poll's worth).
func fill(b *testing.B, s *Archive, n int) {
	b.Helper()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for lo := 0; lo < n; lo += 1000 {
		batch := make([]news.Item, 0, 1000)
		for i := lo; i < min(lo+1000, n); i++ {
			at := start.Add(time.Duration(i) * time.Minute)
			batch = append(batch, news.Item{
				Key: fmt.Sprintf("%024x", i), Source: "bench", Identity: fmt.Sprintf("guid:%d", i),
				Link: fmt.Sprintf("https://www.hespress.com/article-%d.html", i), Language: "ar",
				Title:   "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة",
				Summary: "أفادت المديرية العامة للأرصاد الجوية بأن زخات رعدية قوية مرتقبة.",
				Time:    at, Published: at, FirstSeen: at, Changed: at, TimeFrom: news.TimeFromPublished,
			})
		}
		if _, err := s.SavePoll(context.Background(), "bench", SourceState{}, batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewest100 reads the newest 100 items from stores of growing size:
// the time index makes the cost independent of what the store holds.
func BenchmarkNewest100(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("stored=%d", n), func(b *testing.B) {
			s, err := Open(filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			fill(b, s, n)
			b.ResetTimer()
			for b.Loop() {
				items, err := s.Newest(Query{Limit: 100})
				if err != nil || len(items) != 100 {
					b.Fatalf("%d items, %v", len(items), err)
				}
			}
		})
	}
}
