package archive

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

func sourced(src, key, link, title string, at time.Time) news.Item {
	it := item(key, link, title, at)
	it.Source, it.GUID = src, "g-"+key
	return it
}

// TestSavePollDistinctGUIDsSharingALink: three GUIDs sharing a link became
// one item carrying the last title and the first date (live blogs, comment
// feeds, items pointing at the home page, fragments post#c1/post#c2).
func TestSavePollDistinctGUIDsSharingALink(t *testing.T) {
	const home = "https://x.ma/"
	s, _ := openTemp(t)
	doc := []news.Item{
		sourced("src", "k1", home, "one", t0),
		sourced("src", "k2", home, "two", t0.Add(-time.Minute)),
		sourced("src", "k3", home, "three", t0.Add(-2*time.Minute)),
	}
	c, err := s.SavePoll(context.Background(), "src", SourceState{}, doc)
	if err != nil {
		t.Fatal(err)
	}
	if c.New != 3 {
		t.Fatalf("counts = %+v, want 3 new", c)
	}
	// The same three served again, plus a fourth: still distinct, nothing merged.
	c, _ = s.SavePoll(context.Background(), "src", SourceState{}, append(doc, sourced("src", "k4", home, "four", t0.Add(time.Minute))))
	if c.New != 1 || c.Unchanged != 3 {
		t.Fatalf("second poll = %+v, want 1 new and 3 unchanged", c)
	}
	// Another source pointing one item at the same home page is not a copy of any of them.
	c, _ = s.SavePoll(context.Background(), "other", SourceState{}, []news.Item{sourced("other", "o1", home, "other's", t0)})
	if c.New != 1 || c.Duplicate != 0 {
		t.Fatalf("other source = %+v, want 1 new", c)
	}
	got, _ := s.Newest(Query{Limit: 10})
	if len(got) != 5 {
		t.Fatalf("stored %d items, want 5", len(got))
	}
}

// TestSavePollGUIDChangeStillOneItem keeps what the README promises: a
// feed that switches an item's GUID (http → https) while keeping its link
// edits that item, when the old GUID is gone from the document.
func TestSavePollGUIDChangeStillOneItem(t *testing.T) {
	s, _ := openTemp(t)
	old, renamed := sourced("src", "old", "https://x.ma/a", "one", t0), sourced("src", "new", "https://x.ma/a", "one, edited", t0)
	old.GUID, renamed.GUID = "http://x.ma/?p=4521", "https://x.ma/?p=4521"
	s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{old})
	c, _ := s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{renamed})
	if c.Updated != 1 || c.New != 0 {
		t.Fatalf("counts = %+v, want 1 updated", c)
	}
	// Both GUIDs served together, one link each: two items.
	s2, _ := openTemp(t)
	s2.SavePoll(context.Background(), "src", SourceState{}, []news.Item{sourced("src", "a", "https://x.ma/a", "one", t0)})
	c, _ = s2.SavePoll(context.Background(), "src", SourceState{}, []news.Item{sourced("src", "a", "https://x.ma/a", "one", t0), sourced("src", "b", "https://x.ma/a", "two", t0)})
	if c.New != 1 || c.Unchanged != 1 {
		t.Fatalf("both served = %+v, want 1 new and 1 unchanged", c)
	}
}

// TestSavePollDanglingLinkIndex: a by_url entry whose item is gone made a new
// item vanish without a count.
func TestSavePollDanglingLinkIndex(t *testing.T) {
	s, _ := openTemp(t)
	rawPut(t, s, tLinks, linkDigest("https://x.ma/a"), []byte("gone"))
	c, err := s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{sourced("src", "k1", "https://x.ma/a", "one", t0)})
	if err != nil {
		t.Fatal(err)
	}
	if c.New != 1 || c.Repaired != 1 {
		t.Fatalf("counts = %+v, want 1 new, 1 repaired", c)
	}
	if got := string(rawGet(t, s, tLinks, linkDigest("https://x.ma/a"))); got != "k1" {
		t.Errorf("links = %q, want k1", got)
	}
}

// TestUndecodableStoryCandidateIsCounted: a story candidate whose record
// cannot be read used to be skipped without a word.
func TestUndecodableStoryCandidateIsCounted(t *testing.T) {
	s := openStories(t)
	t1 := time.Date(2026, 4, 14, 14, 0, 0, 0, time.UTC)
	const title = "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة"
	save(t, s, report("mapnews", "m1", "ar", title, t1))
	rawPut(t, s, tRecords, []byte("m1"), []byte("{not a record"))
	c := save(t, s, report("hespress", "h1", "ar", title, t1.Add(time.Hour)))
	if c.New != 1 || c.Undecodable != 1 {
		t.Fatalf("counts = %+v, want 1 new and 1 undecodable", c)
	}
}

// TestLiveBlogEntriesOnOnePageStayDistinct: a live blog serves post#c1, then
// in a later poll only post#c2 under another GUID; the canonical link is the
// same, but the entry is new, not the first one under a new GUID.
func TestLiveBlogEntriesOnOnePageStayDistinct(t *testing.T) {
	s, _ := openTemp(t)
	first := sourced("src", "c1", "https://x.ma/live", "Premier point", t0)
	first.Anchor = "c1"
	second := sourced("src", "c2", "https://x.ma/live", "Deuxième point", t0.Add(time.Minute))
	second.Anchor = "c2"
	s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{first})
	c, _ := s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{second})
	if c.New != 1 || c.Updated != 0 {
		t.Fatalf("counts = %+v, want the second entry new", c)
	}
	if got, _ := s.Newest(Query{Limit: 10}); len(got) != 2 {
		t.Fatalf("%d items stored, want both entries", len(got))
	}
}

// TestLatestBulletinFeedKeepsEveryStory: a feed that serves one item at a
// time at a fixed URL, each under a new GUID and headline, used to fold every
// story into the first (its time, the last headline): the others were lost.
func TestLatestBulletinFeedKeepsEveryStory(t *testing.T) {
	s, _ := openTemp(t)
	for i, title := range []string{"Bulletin A about rain", "Bulletin B about roads", "Bulletin C about schools"} {
		it := sourced("src", fmt.Sprintf("g-%c", 'a'+i), "https://x.ma/home", title, t0.Add(time.Duration(i)*time.Hour))
		if c, _ := s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{it}); c.New != 1 {
			t.Fatalf("%s: counts %+v, want a new item", title, c)
		}
	}
	got, _ := s.Newest(Query{Limit: 10})
	if len(got) != 3 || got[0].Title != "Bulletin C about schools" || !got[0].Time.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("stored %d items, newest %q at %v; want 3, C at its own time", len(got), got[0].Title, got[0].Time)
	}
}
