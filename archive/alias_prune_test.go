package archive

import (
	"context"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// An alias (the key an item's new GUID makes → the key it is stored under)
// lives as long as what it protects: the stored item, then its tombstone.
// Seen from outside: aliases were never deleted, so a source that changes
// GUIDs grew the table for ever.
func TestAliasesLeaveWithTheirTombstones(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	old, renamed := sourced("src", "old", "https://x.ma/a", "one", t0), sourced("src", "new", "https://x.ma/a", "one", t0)
	old.GUID, renamed.GUID = "https://x.ma/?p=1", "https://x.ma/?p=1&lang=ar"
	keep := sourced("src", "keep", "https://x.ma/b", "two", t0.Add(48*time.Hour))
	keepRenamed := sourced("src", "keep2", "https://x.ma/b", "two", t0.Add(48*time.Hour))
	keep.GUID, keepRenamed.GUID = "https://x.ma/?p=2", "https://x.ma/?p=2&lang=ar"
	for _, poll := range [][]news.Item{{old, keep}, {renamed, keepRenamed}} {
		if _, err := s.SavePoll(ctx, "src", SourceState{}, poll); err != nil {
			t.Fatal(err)
		}
	}
	if n := tableLen(t, s, tAliases); n != 2 {
		t.Fatalf("%d aliases after two GUID changes, want 2", n)
	}

	steps := []struct {
		name       string
		do         func() error
		wantAlias  map[string]bool
		wantRepoll int // new items when the renamed item is polled again
	}{
		{"the items stored", func() error { return nil }, map[string]bool{"new": true, "keep2": true}, 0},
		{"the old item pruned: its tombstone still needs the alias", func() error {
			_, err := s.Prune(t0.Add(time.Hour))
			return err
		}, map[string]bool{"new": true, "keep2": true}, 0},
		{"its tombstone forgotten: the alias goes, the living item's stays", func() error {
			_, err := s.PruneTombstones(time.Now().Add(time.Hour))
			return err
		}, map[string]bool{"new": false, "keep2": true}, 0},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		for key, want := range st.wantAlias {
			if got := rawGet(t, s, tAliases, []byte(key)) != nil; got != want {
				t.Errorf("%s: alias %q present = %v, want %v", st.name, key, got, want)
			}
		}
		got, err := s.SavePoll(ctx, "src", SourceState{}, []news.Item{keepRenamed})
		if err != nil || got.New != st.wantRepoll {
			t.Errorf("%s: re-poll of the living renamed item: %+v, %v", st.name, got, err)
		}
	}
}
