package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// Seen from outside: /sources.json wrote some times in UTC ("Z") and some
// in Morocco's time ("+01:00"), as each was stored. Every time is written
// in the configured zone.
func TestSourcesJSONTimesInOneZone(t *testing.T) {
	loc, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	row := sourceStatus{LastAttempt: at, LastSuccess: at.In(loc), NextCheck: at.Add(time.Hour), LastNewAt: at, RetryAfter: at, ReadAt: at}
	row.inZone(loc)
	b, err := json.Marshal(row)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `Z"`) || strings.Count(string(b), `+01:00"`) != 6 {
		t.Errorf("times not all in Morocco's time: %s", b)
	}
	if !row.LastAttempt.Equal(at) {
		t.Errorf("the instant changed: %v", row.LastAttempt)
	}
}

// Seen from outside: /stories.json and /sources.json wrote some times with
// fractions of a second and some without, in one document; /feed.json too.
// Every JSON document nashra serves writes whole seconds, as Atom and RSS do.
func TestJSONTimesInWholeSeconds(t *testing.T) {
	cfg := testConfig(t, `base_url: http://nashra.test
sources:
  - {name: mapnews, title: MAP, url: "https://www.mapnews.ma/ar/rss.xml", language: ar}
  - {name: hespress, title: هسبريس, url: "https://www.hespress.com/feed", language: ar}
`)
	store := testStore(t, archive.WithStories(story.NewMatcher(0, 0, nil)))
	now := time.Now().UTC() // first-seen times and next checks come from the clock: fractions
	title := "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة"
	for i, name := range []string{"mapnews", "hespress"} {
		at := now.Add(-time.Duration(i)*time.Minute - 123456789*time.Nanosecond)
		st := archive.SourceState{LastAttempt: at, LastSuccess: at, NextCheck: at.Add(7*time.Minute + 987654321)}
		if _, err := store.SavePoll(context.Background(), name, st, []news.Item{{Key: name, Source: name, Language: "ar",
			Link: "https://" + name + ".ma/1", Title: title, Time: at, FirstSeen: at, Changed: at}}); err != nil {
			t.Fatal(err)
		}
	}
	s := New(cfg, store, nil, nil)
	for _, path := range []string{"/feed.json", "/stories.json", "/sources.json"} {
		var doc any
		if err := json.Unmarshal(serve(s, "GET", path).Body.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		times := 0
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for _, x := range v {
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			case string:
				if _, err := time.Parse(time.RFC3339Nano, v); err == nil {
					times++
					if _, err := time.Parse(time.RFC3339, v); err != nil || strings.Contains(v, ".") {
						t.Errorf("%s: %q is not in whole seconds", path, v)
					}
				}
			}
		}
		walk(doc)
		if times == 0 {
			t.Errorf("%s: no time read", path)
		}
	}
}

// Seen from outside: a gone source (HTTP 410), never polled again, showed
// its last next check, long past.
func TestGoneSourceHasNoNextCheck(t *testing.T) {
	cfg := testConfig(t, "sources:\n  - {name: old, url: \"https://old.example/feed\"}\n")
	store := testStore(t)
	at := time.Now().Add(-time.Hour).UTC()
	if _, err := store.SavePoll(context.Background(), "old", archive.SourceState{LastAttempt: at, NextCheck: at.Add(10 * time.Minute), Gone: true, Status: 410}, nil); err != nil {
		t.Fatal(err)
	}
	body := serve(New(cfg, store, nil, nil), "GET", "/sources.json").Body.String()
	if !strings.Contains(body, `"gone": true`) && !strings.Contains(body, `"gone":true`) {
		t.Fatalf("not gone:\n%s", body)
	}
	if strings.Contains(body, "next_check") {
		t.Errorf("a gone source shows a next check:\n%s", body)
	}
}
