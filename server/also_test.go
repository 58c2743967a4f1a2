package server

import (
	"context"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
)

// "also" outlets come in one order whichever outlet was polled first (two
// runs gave "Le360 + Le360 Économie" and the reverse), and a French line
// separates them with a French comma.
func TestAlsoOutletsStableAndInTheLinesLanguage(t *testing.T) {
	cfg := testConfig(t, `base_url: http://nashra.test
sources:
  - {name: hespress-fr, title: Hespress FR, url: "https://fr.hespress.com/feed", language: fr}
  - {name: le360-eco, title: Le360 Économie, url: "https://fr.le360.ma/eco/feed", language: fr}
  - {name: le360-fr, title: Le360, url: "https://fr.le360.ma/feed", language: fr}
outputs:
  - {name: all, title: نشرة}
  - {name: fr, title: Nashra FR, languages: [fr]}
`)
	original := news.Item{Key: "o", Source: "hespress-fr", Title: "ONCF : trafic en hausse", Language: "fr", Link: "https://fr.hespress.com/oncf",
		Time: at("2026-04-14T12:00:00Z"), Changed: at("2026-04-14T12:00:00Z")}
	copyFrom := func(source string) []news.Item {
		c := original
		c.Key, c.Source = "copy-"+source, source
		return []news.Item{c}
	}
	run := func(order ...string) map[string]string {
		store := testStore(t)
		ctx := context.Background()
		if _, err := store.SavePoll(ctx, "hespress-fr", archive.SourceState{}, []news.Item{original}); err != nil {
			t.Fatal(err)
		}
		for _, src := range order {
			if _, err := store.SavePoll(ctx, src, archive.SourceState{}, copyFrom(src)); err != nil {
				t.Fatal(err)
			}
		}
		s := New(cfg, store, nil, nil)
		out := map[string]string{}
		for _, p := range stablePaths {
			out[p] = serve(s, "GET", p).Body.String()
		}
		return out
	}
	a, b := run("le360-fr", "le360-eco"), run("le360-eco", "le360-fr")
	for _, p := range stablePaths {
		if a[p] != b[p] {
			t.Errorf("%s depends on which outlet was polled first:\n%s\n---\n%s", p, a[p], b[p])
		}
		if strings.Contains(a[p], "Le360 Économie، ") || strings.Contains(a[p], "Le360، ") {
			t.Errorf("%s separates the outlets of a French line with an Arabic comma", p)
		}
	}
}
