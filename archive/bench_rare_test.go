package archive

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// BenchmarkReadRareSource reads the newest 100 items of a source that
// brought one item in a thousand, against the newest 100 of all, from the
// same store: the index makes both O(limit).
func BenchmarkReadRareSource(b *testing.B) {
	const n = 100_000
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"), WithoutSync())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for lo := 0; lo < n; lo += 1000 {
		var batch []news.Item
		for i := lo; i < lo+1000; i++ {
			at := start.Add(time.Duration(i) * time.Minute)
			src := "common"
			if i%1000 == 7 {
				src = "rare"
			}
			batch = append(batch, news.Item{Key: fmt.Sprintf("%024x", i), Source: src, Identity: fmt.Sprintf("guid:%d", i),
				Link: fmt.Sprintf("https://x.ma/%d", i), Language: "ar", Title: fmt.Sprintf("عنوان %d", i),
				Time: at, Published: at, FirstSeen: at, Changed: at, TimeFrom: news.TimeFromPublished})
		}
		if _, err := s.SavePoll(context.Background(), "common", SourceState{}, batch); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		q    Query
	}{
		{"all", Query{Limit: 100}},
		{"rare-source", Query{Limit: 100, Sources: []string{"rare"}, Keep: func(it *news.Item) bool { return it.Source == "rare" }}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				r, err := s.Read(c.q)
				if err != nil || len(r.Items) != 100 {
					b.Fatalf("%d items, %v", len(r.Items), err)
				}
			}
		})
	}
}
