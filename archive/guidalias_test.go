package archive

import (
	"context"
	"testing"

	"github.com/nashra-ma/nashra/news"
)

// An item whose GUID changed stays one item through later edits. Seen from
// outside: after a GUID change under the same link, a later change of the
// item's link (or a re-poll) stored it again as a new item, since its new
// key was never recorded: 294 items doubled in one test, old and new titles
// side by side.
func TestGUIDChangeThenEditsStayOneItem(t *testing.T) {
	for _, c := range []struct {
		name       string
		next       func(news.Item) news.Item
		wantUpdate int
	}{
		{"the link changes", func(it news.Item) news.Item { it.Link = "https://x.ma/a?v=2"; return it }, 1},
		{"the title changes", func(it news.Item) news.Item { it.Title = "one, edited"; return it }, 1},
		{"nothing changes", func(it news.Item) news.Item { return it }, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := openTemp(t)
			ctx := context.Background()
			old, renamed := sourced("src", "old", "https://x.ma/a", "one", t0), sourced("src", "new", "https://x.ma/a", "one", t0)
			old.GUID, renamed.GUID = "https://x.ma/?p=1", "https://x.ma/?p=1&lang=ar"
			if _, err := s.SavePoll(ctx, "src", SourceState{}, []news.Item{old}); err != nil {
				t.Fatal(err)
			}
			if got, err := s.SavePoll(ctx, "src", SourceState{}, []news.Item{renamed}); err != nil || got.New != 0 {
				t.Fatalf("the GUID change: %+v, %v; want no new item", got, err)
			}
			got, err := s.SavePoll(ctx, "src", SourceState{}, []news.Item{c.next(renamed)})
			if err != nil {
				t.Fatal(err)
			}
			if got.New != 0 || got.Updated != c.wantUpdate {
				t.Errorf("the next poll: %+v, want %d updated and no new item", got, c.wantUpdate)
			}
			if n, err := s.Count(); err != nil || n != 1 {
				t.Errorf("%d items stored (%v), want 1", n, err)
			}
			items, _ := s.Newest(Query{Limit: 10})
			if len(items) != 1 || items[0].Key != "old" {
				t.Fatalf("stored %+v, want the one item under its first key", items)
			}
			if want := c.next(renamed); items[0].Link != want.Link || items[0].Title != want.Title {
				t.Errorf("stored %q %q, want %q %q", items[0].Link, items[0].Title, want.Link, want.Title)
			}
		})
	}
}
