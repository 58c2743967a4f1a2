package archive

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
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
