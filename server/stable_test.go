package server

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
)

// stablePaths are every output in every format.
var stablePaths = []string{
	"/feed.rss", "/feed.atom", "/feed.json", "/", "/ticker.txt",
	"/feeds/fr.rss", "/feeds/fr.atom", "/feeds/fr.json", "/feeds/fr", "/feeds/fr.txt",
}

type snapshot map[string]struct{ body, etag string }

func snap(s *Server) snapshot {
	out := snapshot{}
	for _, p := range stablePaths {
		rec := serve(s, "GET", p)
		out[p] = struct{ body, etag string }{rec.Body.String(), rec.Header().Get("ETag")}
	}
	return out
}

// Readers (Miniflux) re-download and log "Feed modified" whenever the bytes or
// the ETag change: they must change only when what readers see changes.
func TestOutputsChangeOnlyWhenReadersViewChanges(t *testing.T) {
	cfg := testConfig(t, `base_url: http://nashra.test
sources:
  - {name: hespress-ar, title: هسبريس, url: "https://www.hespress.com/feed", language: ar}
  - {name: le360-fr, title: Le360, url: "https://fr.le360.ma/feed", language: fr}
outputs:
  - {name: all, title: نشرة}
  - {name: fr, title: Nashra FR, languages: [fr]}
`)
	path := filepath.Join(t.TempDir(), "t.db")
	ar := []news.Item{{Key: "ar1", Source: "hespress-ar", Title: "عنوان", Summary: "ملخص", Language: "ar", Link: "https://www.hespress.com/a1", Time: at("2026-04-14T12:00:00Z"), Changed: at("2026-04-14T12:00:00Z")}}
	fr := []news.Item{{Key: "fr1", Source: "le360-fr", Title: "Titre", Summary: "Résumé", Language: "fr", Link: "https://fr.le360.ma/a1", Time: at("2026-04-14T13:00:00Z"), Changed: at("2026-04-14T13:00:00Z")}}
	// frCopy is le360 carrying hespress's article (same link): a duplicate.
	frCopy := []news.Item{{Key: "fr-copy", Source: "le360-fr", Title: "Copie", Language: "fr", Link: "https://www.hespress.com/a1", Time: at("2026-04-14T13:30:00Z"), Changed: at("2026-04-14T13:30:00Z")}}
	state := func(at time.Time) archive.SourceState { return archive.SourceState{LastSuccess: at, LastAttempt: at} }
	poll := func(t *testing.T, store *archive.Archive, items []news.Item, when time.Time) {
		t.Helper()
		if _, err := store.SavePoll(context.Background(), items[0].Source, state(when), items); err != nil {
			t.Fatal(err)
		}
	}
	open := func(t *testing.T) (*Server, *archive.Archive) {
		t.Helper()
		store, err := archive.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		return New(cfg, store, nil, nil), store
	}

	s, store := open(t)
	poll(t, store, ar, time.Now().Add(-3*time.Hour))
	poll(t, store, fr, time.Now().Add(-3*time.Hour))
	poll(t, store, frCopy, time.Now().Add(-3*time.Hour)) // first sight: "also in" is news
	want := snap(s)

	scenarios := []struct {
		name string
		act  func(t *testing.T)
	}{
		{"re-poll of identical bodies a minute later", func(t *testing.T) {
			poll(t, store, ar, time.Now().Add(-2*time.Hour))
			poll(t, store, fr, time.Now().Add(-2*time.Hour))
		}},
		{"duplicate-only poll", func(t *testing.T) {
			poll(t, store, frCopy, time.Now().Add(-time.Hour))
		}},
		{"restart then identical polls", func(t *testing.T) {
			if err := store.Close(); err != nil {
				t.Fatal(err)
			}
			s, store = open(t)
			poll(t, store, ar, time.Now())
			poll(t, store, frCopy, time.Now())
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			sc.act(t)
			got := snap(s)
			for _, p := range stablePaths {
				if got[p].etag != want[p].etag || got[p].body != want[p].body {
					t.Errorf("%s changed (etag %s → %s):\n%s\n---\n%s", p, want[p].etag, got[p].etag, want[p].body, got[p].body)
				}
			}
		})
	}
	store.Close()
}
