package aggregator

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
)

func TestRetainPrunesItemsThenForgetsTombstones(t *testing.T) {
	store, err := archive.Open(filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	retention := 30 * 24 * time.Hour
	mk := func(key string, age time.Duration) news.Item {
		at := now.Add(-age)
		return news.Item{Key: key, Source: "s", Identity: "guid:" + key, Link: "https://x.ma/" + key, Title: key, Time: at, FirstSeen: at, Changed: at}
	}
	store.SavePoll(context.Background(), "s", archive.SourceState{}, []news.Item{mk("fresh", time.Hour), mk("old", 40*24*time.Hour), mk("ancient", 100*24*time.Hour)})

	items, tombs, err := Retain(store, now, retention)
	if err != nil || items != 2 || tombs != 2 { // the ancient item's two: its key and its link
		t.Fatalf("Retain = %d items, %d tombstones, %v; want 2 and 2 (the ancient one's, past 3×retention)", items, tombs, err)
	}
	// The 40-day-old item keeps its tombstone: re-served, it stays out.
	c, _ := store.SavePoll(context.Background(), "s", archive.SourceState{}, []news.Item{mk("old", 40*24*time.Hour)})
	if c.Pruned != 1 {
		t.Errorf("re-served pruned item: %+v", c)
	}
	// The ancient one was forgotten: were a feed to carry it after 90 days,
	// it would be stored again, and pruned again at the next pass.
	c, _ = store.SavePoll(context.Background(), "s", archive.SourceState{}, []news.Item{mk("ancient", 100*24*time.Hour)})
	if c.New != 1 {
		t.Errorf("forgotten tombstone: %+v", c)
	}
	if n, _ := store.Count(); n != 2 {
		t.Errorf("Count = %d", n)
	}
}
