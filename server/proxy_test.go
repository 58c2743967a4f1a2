package server

import (
	"context"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// The ticker shows a story at the outlet's report, not at Google News'
// earlier copy of it (news.google.com is a proxy by default).
func TestTickerShowsTheOutletNotTheProxy(t *testing.T) {
	cfg := testConfig(t, `base_url: http://nashra.test
sources:
  - {name: gnews, title: Google News, url: "https://news.google.com/rss?hl=fr", language: fr}
  - {name: le360-fr, title: Le360, url: "https://fr.le360.ma/feed", language: fr}
outputs:
  - {name: all, title: نشرة}
`)
	store := testStore(t, archive.WithStories(story.NewMatcher(0, 0, nil)))
	title := "ONCF : le trafic ferroviaire en hausse de 12% au premier trimestre 2026"
	for _, it := range []news.Item{
		{Key: "g1", Source: "gnews", Title: title, Language: "fr", Link: "https://news.google.com/rss/articles/g1", Time: at("2026-04-14T12:00:00Z"), Changed: at("2026-04-14T12:00:00Z")},
		{Key: "l1", Source: "le360-fr", Title: title, Language: "fr", Link: "https://fr.le360.ma/oncf", Time: at("2026-04-14T12:20:00Z"), Changed: at("2026-04-14T12:20:00Z")},
	} {
		if _, err := store.SavePoll(context.Background(), it.Source, archive.SourceState{}, []news.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	got := serve(New(cfg, store, nil, nil), "GET", "/ticker.txt").Body.String()
	if want := "13:20 " + title + " — Le360 + Google News\n"; !strings.HasSuffix(got, "\n"+want) { // after the day's name
		t.Errorf("ticker.txt = %q, want %q", got, want)
	}
	if strings.Contains(got, "— Google News +") {
		t.Error("the proxy is the story's first report")
	}
}
