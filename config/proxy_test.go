package config

import "testing"

// A source that repeats other outlets' reports (Google News) is a proxy:
// marked `proxy: true`, or by default when it is read from news.google.com.
func TestSourceIsProxy(t *testing.T) {
	tests := []struct {
		scenario, source string
		want             bool
	}{
		{"an outlet's own feed", "{name: a, url: https://fr.le360.ma/feed}", false},
		{"Google News by default", "{name: g, url: 'https://news.google.com/rss/search?q=maroc&hl=fr'}", true},
		{"Google News marked not a proxy", "{name: g, url: 'https://news.google.com/rss?hl=ar', proxy: false}", false},
		{"another aggregator marked a proxy", "{name: m, url: https://agg.example/feed, proxy: true}", true},
		{"a host that only ends like Google's", "{name: f, url: https://fakenews.google.com.example/rss}", false},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte("sources:\n  - "+tt.source+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Sources[0].IsProxy(); got != tt.want {
				t.Errorf("IsProxy() = %v, want %v", got, tt.want)
			}
		})
	}
}
