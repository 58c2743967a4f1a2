package server

import (
	"testing"

	"github.com/nashra-ma/nashra/news"
)

// TestTickerTextDaySeparators: /ticker.txt names each day before its lines,
// in the output's language and zone, so "00:40" after "23:55" is read as
// the next day's.
func TestTickerTextDaySeparators(t *testing.T) {
	s, _ := newTestServer(t,
		news.Item{Key: "late", Source: "hespress-ar", Title: "قبل منتصف الليل", Language: "ar", Time: at("2026-04-13T22:55:00Z"), Changed: at("2026-04-13T22:55:00Z")},
		news.Item{Key: "early", Source: "hespress-ar", Title: "بعد منتصف الليل", Language: "ar", Time: at("2026-04-13T23:40:00Z"), Changed: at("2026-04-13T23:40:00Z")},
		news.Item{Key: "fr", Source: "le360-fr", Title: "Le matin", Language: "fr", Time: at("2026-04-14T08:00:00Z"), Changed: at("2026-04-14T08:00:00Z")},
	)
	cases := []struct{ name, path, want string }{
		{"Arabic output: days named in Arabic, a blank line between days", "/ticker.txt",
			"الثلاثاء 14 أبريل 2026\n09:00 Le matin — Le360\n00:40 بعد منتصف الليل — هسبريس\n\nالاثنين 13 أبريل 2026\n23:55 قبل منتصف الليل — هسبريس\n"},
		{"French output: days named in French", "/feeds/fr.txt",
			"mardi 14 avril 2026\n09:00 Le matin — Le360\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := serve(s, "GET", tc.path).Body.String(); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
