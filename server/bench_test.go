package server

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

func benchServer(b *testing.B) *Server {
	b.Helper()
	s, _ := newTestServer(b, benchItems()...)
	return s
}

// benchItems are 500 items of two sources, seven minutes apart.
func benchItems() []news.Item {
	var items []news.Item
	start := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := range 500 {
		at := start.Add(time.Duration(i) * 7 * time.Minute)
		lang, src := "ar", "hespress-ar"
		if i%3 == 0 {
			lang, src = "fr", "le360-fr"
		}
		items = append(items, news.Item{Key: fmt.Sprintf("%024x", i), Source: src, Language: lang,
			Title: fmt.Sprintf("نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة %d", i),
			Link:  fmt.Sprintf("https://www.hespress.com/article-%d.html", i), Summary: "أفادت المديرية العامة للأرصاد الجوية بأن زخات رعدية قوية مرتقبة.",
			Time: at, Changed: at})
	}
	return items
}

// BenchmarkRender measures one full render (store read + encode + gzip) of
// the newest 100 items per format; BenchmarkServeCached the cached answer.
func BenchmarkRender(b *testing.B) {
	s := benchServer(b)
	out := &s.config().Outputs[0]
	for name, f := range map[string]format{"rss": formatRSS, "atom": formatAtom, "json": formatJSON, "html": formatHTML} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				s.cache.entries = map[cacheKey]*rendered{} // force a render
				if _, err := s.get(s.config(), out, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkServeCached(b *testing.B) {
	s := benchServer(b)
	h := s.Handler()
	req := httptest.NewRequest("GET", "/feed.atom", nil)
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
