package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
)

// growthOutputs are the outputs the growth benchmarks render, each over the
// same store (growthItem): unfiltered, one rare source (0.1 % of items), one
// rare language (0.1 %), one rare category (0.1 %), and a keyword that ten
// items in a million carry (no index: it walks max_scan and says so).
const growthOutputs = `outputs:
  - {name: all, title: t}
  - {name: rare-source, title: t, sources: [rare]}
  - {name: one-language, title: t, languages: [en]}
  - {name: one-category, title: t, categories: [اقتصاد]}
  - {name: rare-keyword, title: t, include: [zelij]}
`

// growthItem is the i-th of n items stored for the growth benchmarks: 36 s
// apart back from now, from 40 outlets, a third in French, and every
// thousandth from a rare source, in a rare language or category.
func growthItem(i, n int, now time.Time) news.Item {
	at := now.Add(-time.Duration(n-i) * 36 * time.Second)
	it := news.Item{Source: fmt.Sprintf("s%d", i%40), Language: "ar", Identity: fmt.Sprintf("guid:%d", i),
		Link:    fmt.Sprintf("https://s%d.example/%d.html", i%40, i),
		Title:   fmt.Sprintf("نشرة إنذارية رقم %d: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة", i),
		Summary: strings.Repeat("أفادت المديرية العامة للأرصاد الجوية بأن زخات رعدية قوية مرتقبة. ", 5),
		Author:  "هيئة التحرير", Categories: []string{"مجتمع"}, Time: at, Published: at, FirstSeen: at, Changed: at, TimeFrom: news.TimeFromPublished}
	if i%3 == 0 {
		it.Language, it.Title = "fr", fmt.Sprintf("Bulletin d'alerte n°%d : averses orageuses et fortes rafales de vent", i)
	}
	switch i % 1000 {
	case 7:
		it.Source, it.Link = "rare", fmt.Sprintf("https://rare.example/%d.html", i)
	case 250:
		it.Categories = []string{"اقتصاد"}
	case 500:
		it.Language, it.Title = "en", fmt.Sprintf("Weather alert %d: thunderstorms and strong winds", i)
	}
	if i%100_000 == 3 {
		it.Title += " — zelij"
	}
	// Keyed as ingest keys items: a record's place in the records table has
	// nothing to do with its time.
	it.Key = aggregator.ItemKey(it.Source, it.Identity)
	return it
}

// BenchmarkRenderNewest100 renders the newest 100 items of each growth
// output as Atom (a cache miss every time) from stores of 10k, 100k and,
// with NASHRA_GROWTH=1, 1M items: the time indexes keep each flat, and a
// filtered output costs what the unfiltered one does.
func BenchmarkRenderNewest100(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("NASHRA_GROWTH") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		store, err := archive.Open(filepath.Join(b.TempDir(), "g.db"), archive.WithoutSync())
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now().UTC()
		for lo := 0; lo < n; lo += 10_000 {
			batch := make([]news.Item, 0, 10_000)
			for i := lo; i < min(lo+10_000, n); i++ {
				batch = append(batch, growthItem(i, n, now))
			}
			if _, err := store.SavePoll(context.Background(), "fill", archive.SourceState{}, batch); err != nil {
				b.Fatal(err)
			}
		}
		cfg, err := config.Parse("b.yaml", []byte("sources:\n  - {name: s0, url: \"https://s0.example/feed\"}\n  - {name: rare, url: \"https://rare.example/feed\"}\n"+growthOutputs))
		if err != nil {
			b.Fatal(err)
		}
		s := New(cfg, store, nil, nil)
		for i := range cfg.Outputs {
			out := &cfg.Outputs[i]
			b.Run(fmt.Sprintf("stored=%d/output=%s", n, out.Name), func(b *testing.B) {
				for b.Loop() {
					if _, err := s.render(cfg, out, formatAtom, 0, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		store.Close()
	}
}
