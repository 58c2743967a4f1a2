package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
)

// BenchmarkRenderNewest100 renders the newest 100 items as Atom (a cache
// miss every time) from stores of 10k, 100k and, with NASHRA_GROWTH=1, 1M
// items: the time index keeps it flat.
func BenchmarkRenderNewest100(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("NASHRA_GROWTH") != "" {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("stored=%d", n), func(b *testing.B) {
			store, err := archive.Open(filepath.Join(b.TempDir(), "g.db"), archive.WithoutSync())
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			now := time.Now().UTC()
			for lo := 0; lo < n; lo += 10_000 {
				batch := make([]news.Item, 0, 10_000)
				for i := lo; i < min(lo+10_000, n); i++ {
					at := now.Add(-time.Duration(n-i) * 36 * time.Second)
					batch = append(batch, news.Item{Key: fmt.Sprintf("%024x", i), Source: "hespress-ar", Language: "ar",
						Link:    fmt.Sprintf("https://www.hespress.com/%d.html", i),
						Title:   fmt.Sprintf("نشرة إنذارية رقم %d: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة", i),
						Summary: strings.Repeat("أفادت المديرية العامة للأرصاد الجوية بأن زخات رعدية قوية مرتقبة. ", 5),
						Time:    at, Changed: at})
				}
				if _, err := store.SavePoll(context.Background(), "hespress-ar", archive.SourceState{}, batch); err != nil {
					b.Fatal(err)
				}
			}
			cfg, err := config.Parse("b.yaml", []byte("sources:\n  - {name: hespress-ar, title: هسبريس, url: \"https://www.hespress.com/feed\", language: ar}\n"))
			if err != nil {
				b.Fatal(err)
			}
			s := New(cfg, store, nil, nil)
			out := &cfg.Outputs[0]
			b.ResetTimer()
			for b.Loop() {
				if _, err := s.render(cfg, out, formatAtom, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
