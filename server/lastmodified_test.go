package server

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/news"
)

// A changed body never carries a Last-Modified a reader already has: HTTP
// dates count whole seconds, and a feed's Last-Modified is its newest
// item's time, which an edit of an older item does not move. Seen from
// outside: two versions in one second shared it, and If-Modified-Since
// answered 304 for the changed one.
func TestChangedBodyGetsALaterLastModified(t *testing.T) {
	store, err := archive.Open(filepath.Join(t.TempDir(), "lm.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cfg := le360Config(t)
	save := func(items ...news.Item) {
		t.Helper()
		if _, err := store.SavePoll(context.Background(), "le360-fr", archive.SourceState{LastAttempt: at("2026-04-14T12:00:00Z")}, items); err != nil {
			t.Fatal(err)
		}
	}
	item := func(key, title, when string) news.Item {
		return news.Item{Key: key, Source: "le360-fr", Identity: "guid:" + key, Link: "https://fr.le360.ma/" + key, Title: title, Language: "fr", Time: at(when), Changed: at(when), FirstSeen: at(when)}
	}
	save(item("a", "Premier titre", "2026-04-14T12:00:00Z"), item("b", "Second titre", "2026-04-14T11:00:00Z"))
	s := New(cfg, store, nil, nil)
	for _, path := range []string{"/feed.json", "/feed.atom", "/stories.json"} {
		t.Run(path, func(t *testing.T) {
			first := serve(s, "GET", path)
			lm := first.Header().Get("Last-Modified")
			// An edit of the older item: the newest time stays.
			save(item("b", "Second titre, corrigé "+path, "2026-04-14T11:00:00Z"))
			second := serve(s, "GET", path)
			if second.Header().Get("ETag") == first.Header().Get("ETag") && path != "/stories.json" {
				t.Fatalf("the edit did not change %s", path)
			}
			if second.Header().Get("ETag") == first.Header().Get("ETag") {
				return // the stories list shows no edited older report: nothing changed
			}
			t1, _ := http.ParseTime(lm)
			t2, err := http.ParseTime(second.Header().Get("Last-Modified"))
			if err != nil || !t2.After(t1) {
				t.Errorf("Last-Modified %q then %q: want a later one for a changed body", lm, second.Header().Get("Last-Modified"))
			}
			if again := serve(s, "GET", path, "If-Modified-Since", lm); again.Code != 200 {
				t.Errorf("If-Modified-Since the first version: %d, want 200 with the changed body", again.Code)
			}
		})
	}
}

// le360Config is a config of one French source, Le360, served at
// http://nashra.test.
func le360Config(t testing.TB) *config.Config {
	return testConfig(t, `base_url: http://nashra.test
sources:
  - {name: le360-fr, title: Le360, url: "https://fr.le360.ma/feed", language: fr}
`)
}

// A restart that changes a body while no item changed (the feed's title
// edited in config.yaml) must not answer 304 to a reader that only sends
// If-Modified-Since: the new process cannot know what the old one served,
// so its first render of an output dates from no earlier than its start.
// Seen from outside: after such a restart, an If-Modified-Since-only
// reader kept the old title.
func TestRestartWithChangedBodyAnswersIfModifiedSince(t *testing.T) {
	store := testStore(t)
	item := news.Item{Key: "a", Source: "le360-fr", Identity: "guid:a", Link: "https://fr.le360.ma/a", Title: "Premier titre", Language: "fr",
		Time: at("2026-04-14T12:00:00Z"), Changed: at("2026-04-14T12:00:00Z"), FirstSeen: at("2026-04-14T12:00:00Z")}
	if _, err := store.SavePoll(context.Background(), "le360-fr", archive.SourceState{LastAttempt: at("2026-04-14T12:00:00Z")}, []news.Item{item}); err != nil {
		t.Fatal(err)
	}
	before := New(le360Config(t), store, nil, nil)
	before.started = before.started.Add(-2 * time.Second) // the old process started earlier
	after := New(testConfig(t, `base_url: http://nashra.test
title: Nashra, titre changé
sources:
  - {name: le360-fr, title: Le360, url: "https://fr.le360.ma/feed", language: fr}
`), store, nil, nil)
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/"} {
		t.Run(path, func(t *testing.T) {
			old := serve(before, "GET", path)
			lm := old.Header().Get("Last-Modified")
			got := serve(after, "GET", path, "If-Modified-Since", lm)
			if got.Code != 200 {
				t.Fatalf("If-Modified-Since %s after the restart: %d, want 200 with the changed body", lm, got.Code)
			}
			if got.Header().Get("ETag") == old.Header().Get("ETag") {
				t.Fatal("the title change did not change the body")
			}
			// The same body again: the new Last-Modified answers 304.
			if again := serve(after, "GET", path, "If-Modified-Since", got.Header().Get("Last-Modified")); again.Code != 304 {
				t.Errorf("If-Modified-Since the new Last-Modified: %d, want 304", again.Code)
			}
		})
	}
}
