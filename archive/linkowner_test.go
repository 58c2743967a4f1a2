package archive

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/story"
)

// Seen from outside: source "evil" polled first with hespress's article
// link (tracking parameters stripped to the same canonical link) under
// "FAKE: …", and hespress's own report then only added "+ Hespress"
// beside the fake headline, in every output. The outlet whose site the
// link is on takes the item over, whichever came first, and keeps it when
// the carrier serves its version again.
func TestTheLinksOwnOutletKeepsItsHeadline(t *testing.T) {
	const link = "https://www.hespress.com/real-article-123.html"
	legitState := SourceState{Outlet: &Outlet{Title: "Hespress FR", HomeURL: "https://fr.hespress.com/"}}
	evilState := SourceState{Outlet: &Outlet{Title: "Evil", HomeURL: "https://evil.example/"}}
	real := item("legit-1", link, "Le gouvernement annonce un nouveau budget", t0)
	real.Source = "legit"
	fake := item("evil-1", link, "FAKE: le ministre arrêté", t0.Add(time.Minute))
	fake.Source = "evil"
	save := func(s *Archive, name string, st SourceState, it news.Item) PollCounts {
		t.Helper()
		c, err := s.SavePoll(context.Background(), name, st, []news.Item{it})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	check := func(t *testing.T, s *Archive, when string) {
		t.Helper()
		got, err := s.Newest(Query{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Title != real.Title || got[0].Source != "legit" || !slices.Equal(got[0].AlsoIn, []string{"evil"}) {
			t.Fatalf("%s: %+v, want one item, hespress's headline, also in evil", when, got)
		}
	}

	t.Run("the carrier first", func(t *testing.T) {
		s, _ := openTemp(t)
		save(s, "evil", evilState, fake)
		line := mustNewest(t, s)
		if c := save(s, "legit", legitState, real); c.Updated != 1 || c.New != 0 {
			t.Errorf("the outlet's report: %+v, want 1 updated", c)
		}
		check(t, s, "after the outlet's report")
		if got := mustNewest(t, s); got.Key != line.Key || !got.Time.Equal(line.Time) {
			t.Errorf("the line moved: %s at %v, was %s at %v", got.Key, got.Time, line.Key, line.Time)
		}
		save(s, "evil", evilState, fake)
		check(t, s, "after the carrier's next poll")
		if c := save(s, "legit", legitState, real); c.New != 0 || c.Updated != 0 {
			t.Errorf("the outlet's next poll: %+v, want nothing new or updated", c)
		}
		check(t, s, "after the outlet's next poll")
		// The item is counted as the outlet's on /sources, not the carrier's.
		for name, want := range map[string]int{"legit": 1, "evil": 0} {
			if st, _, _ := s.State(name); st.Items != want {
				t.Errorf("%s counts %d items, want %d", name, st.Items, want)
			}
		}
	})
	t.Run("the outlet first", func(t *testing.T) {
		s, _ := openTemp(t)
		save(s, "legit", legitState, real)
		save(s, "evil", evilState, fake)
		check(t, s, "after the carrier")
	})
}

func mustNewest(t *testing.T, s *Archive) news.Item {
	t.Helper()
	got, err := s.Newest(Query{Limit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("newest: %v, %v", got, err)
	}
	return got[0]
}

// Found by an outside review of the takeover: the adopted item kept the
// story the carrier's headline had put it in (a weather alert's, for a
// budget article), and the window kept the carrier's report, so that the
// outlet's next report joined its own adopted item while the process ran.
// An adopted item leaves that story and is grouped anew by the outlet's
// headline.
func TestAnAdoptedItemIsGroupedByTheOutletsHeadline(t *testing.T) {
	open := func(t *testing.T) *Archive {
		s, err := Open(filepath.Join(t.TempDir(), "s.db"), WithStories(story.NewMatcher(0, 0, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	legit := SourceState{Outlet: &Outlet{Title: "Hespress", HomeURL: "https://www.hespress.com/"}}
	evil := SourceState{Outlet: &Outlet{Title: "Evil", HomeURL: "https://evil.example/"}}
	mk := func(source, key, link, title string, at time.Time) news.Item {
		return news.Item{Key: key, Source: source, Identity: "guid:" + key, Link: link, Title: title, Language: "ar", Time: at, FirstSeen: at, Changed: at}
	}
	save := func(t *testing.T, s *Archive, name string, st SourceState, it news.Item) {
		t.Helper()
		if _, err := s.SavePoll(context.Background(), name, st, []news.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	const weather = "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة"

	t.Run("out of the carrier's story", func(t *testing.T) {
		s := open(t)
		save(t, s, "mapnews", SourceState{Outlet: &Outlet{HomeURL: "https://www.mapnews.ma/"}}, mk("mapnews", "m-1", "https://www.mapnews.ma/w.html", weather, t0))
		save(t, s, "evil", evil, mk("evil", "e-1", "https://www.hespress.com/budget.html", weather, t0.Add(-time.Minute)))
		if it := mustGet(t, s, "e-1"); it.Story == "" {
			t.Fatal("the carrier's copy did not join the weather story: the test proves nothing")
		}
		save(t, s, "legit", legit, mk("legit", "l-1", "https://www.hespress.com/budget.html", "الحكومة تعلن عن ميزانية جديدة لقطاع التعليم", t0))
		adopted := mustGet(t, s, "e-1")
		if adopted.Story != "" {
			if ms := storyMemberKeys(t, s, adopted.Story); slices.Contains(ms, "m-1") {
				t.Errorf("the budget article stayed in the weather story %s: %v", adopted.Story, ms)
			}
		}
	})
	t.Run("the window sees the outlet's report", func(t *testing.T) {
		s := open(t)
		save(t, s, "gnews", SourceState{Outlet: &Outlet{HomeURL: "https://news.google.com/"}}, mk("gnews", "g-1", "https://www.hespress.com/a-1.html", weather+" - هسبريس", t0))
		save(t, s, "legit", legit, mk("legit", "l-1", "https://www.hespress.com/a-1.html", weather, t0))
		save(t, s, "legit", legit, mk("legit", "l-2", "https://www.hespress.com/a-2.html", weather+" (تحديث)", t0.Add(time.Hour)))
		if it := mustGet(t, s, "l-2"); it.Story != "" {
			t.Errorf("the outlet's follow-up joined its own adopted item's story %s", it.Story)
		}
	})
}

func mustGet(t *testing.T, s *Archive, key string) news.Item {
	t.Helper()
	for _, it := range mustAll(t, s) {
		if it.Key == key {
			return it
		}
	}
	t.Fatalf("no item %s", key)
	return news.Item{}
}

func mustAll(t *testing.T, s *Archive) []news.Item {
	t.Helper()
	got, err := s.Newest(Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// storyMemberKeys is the keys of story id's reports, as stored.
func storyMemberKeys(t *testing.T, s *Archive, id string) []string {
	t.Helper()
	var keys []string
	err := s.Engine().View(context.Background(), func(r storage.Reader) error {
		v, err := r.Get(tStories, []byte(id))
		if err != nil {
			return err
		}
		ms, _ := decodeMembers(v)
		for _, m := range ms {
			keys = append(keys, m.Key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// A carrier whose state does not say its home page (written before states
// kept their outlet) or cannot be read keeps its item: no takeover, and no
// failed poll for the outlet (found by an outside review).
func TestNoTakeoverFromACarrierWhoseStateDoesNotSay(t *testing.T) {
	const link = "https://www.hespress.com/a.html"
	legit := SourceState{Outlet: &Outlet{HomeURL: "https://www.hespress.com/"}}
	mk := func(source, key, title string) news.Item {
		it := item(key, link, title, t0)
		it.Source = source
		return it
	}
	for _, damaged := range []bool{false, true} {
		s, _ := openTemp(t)
		if _, err := s.SavePoll(context.Background(), "old", SourceState{}, []news.Item{mk("old", "o-1", "عنوان قديم")}); err != nil {
			t.Fatal(err)
		}
		if damaged {
			b := storage.Batch{}
			b.Put(tSources, []byte("old"), []byte("{not json"))
			if err := s.Engine().Apply(context.Background(), &b); err != nil {
				t.Fatal(err)
			}
		}
		c, err := s.SavePoll(context.Background(), "legit", legit, []news.Item{mk("legit", "l-1", "العنوان")})
		if err != nil {
			t.Fatalf("damaged %v: the outlet's poll failed: %v", damaged, err)
		}
		if c.Duplicate != 1 || c.Updated != 0 {
			t.Errorf("damaged %v: %+v, want the item left with its source (1 duplicate)", damaged, c)
		}
		if got := mustGet(t, s, "o-1"); got.Source != "old" || got.Title != "عنوان قديم" {
			t.Errorf("damaged %v: %+v", damaged, got)
		}
	}
}
