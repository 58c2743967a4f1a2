package archive

import (
	"context"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

func TestPruneLeavesTombstones(t *testing.T) {
	s := openStories(t)
	old := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	recent := old.Add(40 * 24 * time.Hour)
	save(t, s, report("mapnews", "m-old", "ar", "ارتفاع حركة المسافرين عبر القطارات بـ7 في المائة خلال الربع الأول", old))
	save(t, s, report("hespress", "h-old", "ar", "ارتفاع حركة المسافرين عبر القطارات بـ7 في المائة خلال الربع الأول (و م ع)", old.Add(time.Hour)))
	save(t, s, report("mapnews", "m-new", "ar", "بنك المغرب يبقي على سعر الفائدة الرئيسي دون تغيير", recent))

	n, err := s.Prune(old.Add(30 * 24 * time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("Prune = %d, %v; want 2", n, err)
	}
	if c, _ := s.Count(); c != 1 {
		t.Fatalf("Count after prune = %d", c)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	st, _, _ := s.State("mapnews")
	if st.Items != 1 {
		t.Errorf("mapnews items after prune = %d, want 1", st.Items)
	}

	// Still in the feeds: the pruned items do not come back, under their key or their link.
	c := save(t, s, report("mapnews", "m-old", "ar", "ارتفاع حركة المسافرين عبر القطارات بـ7 في المائة خلال الربع الأول", old))
	if c.Pruned != 1 || c.New != 0 {
		t.Errorf("re-served pruned item: %+v", c)
	}
	again := report("other", "o-old", "ar", "نص آخر", old)
	again.Link = "https://hespress.example/h-old"
	if c := save(t, s, again); c.Pruned != 1 {
		t.Errorf("pruned link from another source: %+v", c)
	}

	// The index holds nothing of them: a new copy within the window of the old story finds nothing to join.
	late := report("goud", "g", "ar", "ارتفاع حركة المسافرين عبر القطارات بـ7 في المائة خلال الربع الأول", old.Add(2*time.Hour))
	if c := save(t, s, late); c.Merged != 0 || c.New != 1 {
		t.Errorf("joined a pruned story: %+v", c)
	}
}

func TestGUIDChurnKeepsOneItem(t *testing.T) {
	s, _ := openTemp(t)
	first := item("k-http", "https://www.hespress.com/a-1.html", "عنوان", t0)
	first.Source, first.GUID = "hespress", "http://www.hespress.com/?p=1201835"
	s.SavePoll(context.Background(), "hespress", SourceState{}, []news.Item{first})
	// The feed now gives the item another GUID (so another key), same link, an edited title.
	churned := item("k-https", "https://www.hespress.com/a-1.html", "عنوان مصحح", t0.Add(time.Hour))
	churned.Source, churned.GUID = "hespress", "https://www.hespress.com/?p=1201835"
	c, _ := s.SavePoll(context.Background(), "hespress", SourceState{}, []news.Item{churned})
	if c.New != 0 || c.Updated != 1 {
		t.Fatalf("GUID churn: %+v, want the same item updated", c)
	}
	got, _ := s.Newest(Query{Limit: 10})
	if len(got) != 1 || got[0].Title != "عنوان مصحح" || !got[0].Time.Equal(t0) || len(got[0].AlsoIn) != 0 {
		t.Fatalf("after churn: %+v", got)
	}
}
