package server

import (
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/metrics"
	"github.com/nashra-ma/nashra/news"
)

func TestMetricsEndpoint(t *testing.T) {
	s, store := newTestServer(t, news.Item{Key: "a", Source: "le360-fr", Title: "Un", Language: "fr", Time: at("2026-04-14T12:00:00Z")})
	m := metrics.New(func() float64 { n, _ := store.Count(); return float64(n) }, func() float64 { return float64(store.Size()) }, func() float64 { return 0 })
	s.WithMetrics(m)
	first := serve(s, "GET", "/feed.rss")
	serve(s, "GET", "/feed.rss", "If-None-Match", first.Header().Get("ETag"))
	serve(s, "GET", "/nope")
	m.Poll("le360-fr", "new", 200, 120*time.Millisecond, map[string]int{"new": 3, "merged": 1, "updated": 0})
	body := serve(s, "GET", "/metrics").Body.String()
	for _, want := range []string{
		`nashra_http_requests_total{code="200",route="GET /feed.rss"} 1`,
		`nashra_http_requests_total{code="304",route="GET /feed.rss"} 1`,
		`nashra_http_requests_total{code="404",route="unmatched"} 1`,
		`nashra_render_duration_seconds_count{format="rss"} 1`,
		`nashra_items_stored 1`,
		`nashra_polls_total{result="new",source="le360-fr"} 1`,
		`nashra_fetch_http_responses_total{code="200",source="le360-fr"} 1`,
		`nashra_items_total{outcome="new"} 3`,
		`nashra_items_total{outcome="merged"} 1`,
		`nashra_fetch_duration_seconds_bucket{source="le360-fr",le="0.25"} 1`,
		`nashra_database_bytes `,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `outcome="updated"`) {
		t.Error("zero counts should not create series")
	}
}
