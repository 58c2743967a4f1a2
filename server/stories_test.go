package server

import (
	"context"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

func TestOutputsMergeStoriesUnlessTurnedOff(t *testing.T) {
	cfg := testConfig(t, `base_url: http://nashra.test
sources:
  - {name: mapnews, title: MAP, url: "https://www.mapnews.ma/ar/rss.xml", language: ar}
  - {name: hespress, title: هسبريس, url: "https://www.hespress.com/feed", language: ar}
outputs:
  - {name: all, title: نشرة}
  - {name: raw, title: كل شيء, stories: false}
`)
	store := testStore(t, archive.WithStories(story.NewMatcher(0, 0, nil)))
	store.SavePoll(context.Background(), "mapnews", archive.SourceState{}, []news.Item{{Key: "m", Source: "mapnews", Language: "ar", Link: "https://www.mapnews.ma/ar/1",
		Title: "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة", Time: at("2026-04-14T14:00:00Z")}})
	store.SavePoll(context.Background(), "hespress", archive.SourceState{}, []news.Item{{Key: "h", Source: "hespress", Language: "ar", Link: "https://www.hespress.com/2.html",
		Title: "عاجل.. نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة (و م ع)", Time: at("2026-04-14T14:50:00Z")}})
	s := New(cfg, store, nil, nil)

	merged := serve(s, "GET", "/ticker.txt").Body.String()
	if merged != "الثلاثاء 14 أبريل 2026\n15:00 نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة — MAP + هسبريس\n" {
		t.Errorf("merged ticker:\n%s", merged)
	}
	atom := serve(s, "GET", "/feed.atom").Body.String()
	if !strings.Contains(atom, `<link href="https://www.hespress.com/2.html" rel="related" type="text/html"></link>`) {
		t.Errorf("Atom lacks the related link:\n%s", atom)
	}
	rss := serve(s, "GET", "/feed.rss").Body.String()
	if !strings.Contains(rss, "أيضا في: هسبريس") {
		t.Errorf("RSS summary does not name the other outlet:\n%s", rss)
	}
	html := serve(s, "GET", "/").Body.String()
	if !strings.Contains(html, `+ <a href="https://www.hespress.com/2.html">هسبريس</a>`) {
		t.Errorf("HTML does not link the other report")
	}
	raw := serve(s, "GET", "/feeds/raw.txt").Body.String()
	if strings.Count(raw, "\n") != 3 { // the day's name and two lines
		t.Errorf("stories: false output:\n%s", raw)
	}
}
