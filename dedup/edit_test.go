package dedup

import (
	"slices"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

func TestEdited(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	stored := news.Item{Key: "k", Source: "s", GUID: "g1", Link: "https://x.ma/a", Title: "قديم", Summary: "old",
		Categories: []string{"a"}, FirstSeen: t0, Published: t0, Time: t0, TimeFrom: news.TimeFromPublished,
		Changed: t0, Story: "st", AlsoIn: []string{"o"}}
	later := t0.Add(time.Hour)
	cases := []struct {
		name    string
		served  func(news.Item) news.Item
		changed bool
		check   func(t *testing.T, upd news.Item)
	}{
		{"unchanged content writes nothing", func(it news.Item) news.Item { it.FirstSeen, it.Time, it.Changed = later, later, later; return it }, false, nil},
		{"a new title is taken, the ticker place is not", func(it news.Item) news.Item {
			it.Title, it.Time, it.FirstSeen, it.Published, it.Changed, it.Story = "جديد", later, later, later, later, ""
			return it
		}, true, func(t *testing.T, upd news.Item) {
			if upd.Title != "جديد" || !upd.Time.Equal(t0) || !upd.FirstSeen.Equal(t0) || !upd.Published.Equal(t0) || upd.Story != "st" {
				t.Errorf("got %+v", upd)
			}
			if !upd.Changed.Equal(later) {
				t.Errorf("Changed = %v, want the edit's", upd.Changed)
			}
		}},
		{"a GUID change is taken with a content change", func(it news.Item) news.Item { it.GUID, it.Summary = "g2", "new"; return it }, true,
			func(t *testing.T, upd news.Item) {
				if upd.GUID != "g2" || upd.Summary != "new" || upd.Key != "k" {
					t.Errorf("got %+v", upd)
				}
			}},
		{"categories are copied, not shared", func(it news.Item) news.Item { it.Categories = []string{"b", "c"}; return it }, true,
			func(t *testing.T, upd news.Item) {
				if len(upd.Categories) != 2 || upd.Categories[0] != "b" {
					t.Errorf("got %v", upd.Categories)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			old := stored
			served := c.served(stored)
			served.Categories = append([]string(nil), served.Categories...)
			upd, changed := Edited(&old, &served)
			if changed != c.changed {
				t.Fatalf("changed = %v, want %v", changed, c.changed)
			}
			if c.check != nil {
				c.check(t, upd)
			}
			if len(served.Categories) > 0 {
				served.Categories[0] = "mutated"
				if len(upd.Categories) > 0 && upd.Categories[0] == "mutated" {
					t.Error("the record shares the served item's categories")
				}
			}
		})
	}
}

func TestAddCarrier(t *testing.T) {
	it := news.Item{Source: "a", AlsoIn: []string{"b"}}
	cases := []struct {
		source  string
		changed bool
		also    int
	}{{"a", false, 1}, {"b", false, 1}, {"c", true, 2}}
	for _, c := range cases {
		upd, changed := AddCarrier(&it, c.source)
		if changed != c.changed || len(upd.AlsoIn) != c.also {
			t.Errorf("%s: changed %v also %v", c.source, changed, upd.AlsoIn)
		}
	}
	if len(it.AlsoIn) != 1 {
		t.Errorf("the stored record was changed in place: %v", it.AlsoIn)
	}
}

// Adopted is the record a carrier stored, taken over by the outlet whose
// site the link is on: its headline and content, its source, the carrier
// among the others; what places the line in the ticker stays.
func TestAdopted(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	carried := news.Item{Key: "k-evil", Source: "evil", GUID: "e1", Identity: "guid:e1", Link: "https://www.hespress.com/a.html", Title: "FAKE",
		Summary: "fake", Author: "x", FirstSeen: t0, Published: t0, Time: t0, TimeFrom: news.TimeFromPublished, Changed: t0, Story: "st",
		AlsoIn: []string{"other", "legit"}}
	own := news.Item{Key: "k-legit", Source: "legit", GUID: "l1", Link: "https://www.hespress.com/a.html", Title: "الحقيقي", Summary: "real",
		Language: "ar", Categories: []string{"سياسة"}, FirstSeen: t0.Add(time.Hour), Published: t0.Add(-time.Hour), Time: t0.Add(-time.Hour), Changed: t0.Add(time.Hour)}
	got := Adopted(&carried, &own)
	if got.Title != "الحقيقي" || got.Summary != "real" || got.Source != "legit" || got.GUID != "l1" || got.Language != "ar" || len(got.Categories) != 1 {
		t.Errorf("content and source not the outlet's: %+v", got)
	}
	if got.Key != "k-evil" || !got.Time.Equal(t0) || !got.FirstSeen.Equal(t0) || got.Story != "st" || got.Identity != "guid:e1" {
		t.Errorf("the line moved: %+v", got)
	}
	if want := []string{"other", "evil"}; !slices.Equal(got.AlsoIn, want) {
		t.Errorf("AlsoIn = %v, want %v", got.AlsoIn, want)
	}
	if carried.Title != "FAKE" || len(carried.AlsoIn) != 2 {
		t.Errorf("the stored record was changed in place: %+v", carried)
	}
}
