package archive

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/storage"

	"github.com/nashra-ma/nashra/news"
)

func openTemp(t *testing.T) (*Archive, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "nashra.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

var t0 = time.Date(2026, 4, 14, 15, 0, 0, 0, time.UTC)

func item(key, link, title string, at time.Time) news.Item {
	return news.Item{Key: key, Source: "src", Identity: "guid:" + key, Link: link, Title: title,
		Time: at, TimeFrom: news.TimeFromPublished, Published: at, FirstSeen: t0, Changed: t0}
}

func TestSavePollNewUnchangedUpdated(t *testing.T) {
	s, _ := openTemp(t)
	items := []news.Item{
		item("k1", "https://x.ma/1", "one", t0.Add(-time.Hour)),
		item("k2", "https://x.ma/2", "two", t0.Add(-2*time.Hour)),
	}
	c, err := s.SavePoll(context.Background(), "src", SourceState{ETag: `"a"`}, items)
	if err != nil {
		t.Fatal(err)
	}
	if c.New != 2 {
		t.Fatalf("first poll = %+v, want 2 new", c)
	}
	gen := s.Generation()

	c, _ = s.SavePoll(context.Background(), "src", SourceState{}, items)
	if c.Unchanged != 2 || c.New != 0 || s.Generation() != gen {
		t.Fatalf("re-poll = %+v (gen moved: %v), want 2 unchanged", c, s.Generation() != gen)
	}

	// An edited title under the same key updates in place; its time does not move.
	edited := item("k1", "https://x.ma/1", "one, corrected", t0.Add(5*time.Hour))
	edited.FirstSeen = t0.Add(time.Hour)
	c, _ = s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{edited})
	if c.Updated != 1 {
		t.Fatalf("edit = %+v, want 1 updated", c)
	}
	got, _ := s.Newest(Query{Limit: 10})
	if len(got) != 2 || got[0].Title != "one, corrected" || !got[0].Time.Equal(t0.Add(-time.Hour)) || !got[0].FirstSeen.Equal(t0) {
		t.Fatalf("after edit newest = %+v", got)
	}
	if n, _ := s.Count(); n != 2 {
		t.Errorf("Count = %d, want 2", n)
	}
	st, ok, _ := s.State("src")
	if !ok || st.Items != 2 {
		t.Errorf("state = %+v, want 2 items", st)
	}
}

func TestSavePollSameURLFromAnotherSource(t *testing.T) {
	s, _ := openTemp(t)
	s.SavePoll(context.Background(), "le360-fr", SourceState{}, []news.Item{item("a", "https://fr.le360.ma/x/", "ONCF", t0)})
	dup := item("b", "https://fr.le360.ma/x/", "ONCF", t0)
	dup.Source = "le360-eco"
	c, _ := s.SavePoll(context.Background(), "le360-eco", SourceState{}, []news.Item{dup})
	if c.Duplicate != 1 || c.New != 0 {
		t.Fatalf("counts = %+v, want 1 duplicate", c)
	}
	got, _ := s.Newest(Query{Limit: 10})
	if len(got) != 1 || len(got[0].AlsoIn) != 1 || got[0].AlsoIn[0] != "le360-eco" {
		t.Fatalf("newest = %+v, want one item also in le360-eco", got)
	}
	// Seen again: still one source recorded once.
	s.SavePoll(context.Background(), "le360-eco", SourceState{}, []news.Item{dup})
	got, _ = s.Newest(Query{Limit: 10})
	if len(got[0].AlsoIn) != 1 {
		t.Fatalf("AlsoIn = %v", got[0].AlsoIn)
	}
}

func TestSavePollLinkChangeMovesIndex(t *testing.T) {
	s, _ := openTemp(t)
	s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{item("k", "https://x.ma/old", "t", t0)})
	s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{item("k", "https://x.ma/new", "t", t0)})
	// Another source bringing the new link is the same item; the old link is free.
	c, _ := s.SavePoll(context.Background(), "other", SourceState{}, []news.Item{item("o1", "https://x.ma/new", "t", t0), item("o2", "https://x.ma/old", "t2", t0)})
	if c.Duplicate != 1 || c.New != 1 {
		t.Fatalf("counts = %+v, want 1 duplicate 1 new", c)
	}
}

func TestNewestOrderLimitAndFilter(t *testing.T) {
	s, _ := openTemp(t)
	var items []news.Item
	for i := range 50 {
		it := item(string(rune('A'+i%26))+string(rune('a'+i/26)), "", "t", t0.Add(time.Duration(i)*time.Minute))
		if i%2 == 0 {
			it.Language = "fr"
		}
		items = append(items, it)
	}
	if _, err := s.SavePoll(context.Background(), "src", SourceState{}, items); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Newest(Query{Limit: 10})
	if len(got) != 10 {
		t.Fatalf("len = %d", len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i].Time.After(got[i-1].Time) {
			t.Fatalf("not newest first at %d", i)
		}
	}
	if !got[0].Time.Equal(t0.Add(49 * time.Minute)) {
		t.Errorf("newest = %v", got[0].Time)
	}
	fr, _ := s.Newest(Query{Limit: 100, Keep: func(it *news.Item) bool { return it.Language == "fr" }})
	if len(fr) != 25 {
		t.Errorf("fr = %d, want 25", len(fr))
	}
}

func TestTombstoneKeepsPrunedItemOut(t *testing.T) {
	s, _ := openTemp(t)
	rawPut(t, s, tTombstones, keyTombstone("gone"), make([]byte, 8))
	c, _ := s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{item("gone", "https://x.ma/g", "t", t0)})
	if c.Pruned != 1 || c.New != 0 {
		t.Fatalf("counts = %+v, want pruned", c)
	}
}

func TestStateSurvivesReopenAndSchemaIsChecked(t *testing.T) {
	s, path := openTemp(t)
	s.SavePoll(context.Background(), "src", SourceState{ETag: `"e1"`, LastModified: "Tue, 14 Apr 2026 15:00:00 GMT"}, []news.Item{item("k", "", "t", t0)})
	if err := s.SaveState("src", SourceState{ETag: `"e2"`, Failures: 1, Error: "boom"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	s.Close()

	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st, ok, _ := s2.State("src")
	if !ok || st.ETag != `"e2"` || st.Items != 1 || st.Failures != 1 {
		t.Fatalf("state after reopen = %+v", st)
	}
	all, _ := s2.States()
	if len(all) != 1 {
		t.Fatalf("States = %v", all)
	}
	rawPut(t, s2, tMeta, keySchema, []byte("99"))
	s2.Close()
	if _, err := Open(path); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open of newer schema = %v, want ErrNewerSchema", err)
	}
}

func TestOpenWhileInUse(t *testing.T) {
	_, path := openTemp(t)
	start := time.Now()
	_, err := Open(path)
	if !errors.Is(err, storage.ErrInUse) {
		t.Fatalf("second Open = %v, want ErrInUse", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %s", time.Since(start))
	}
}
