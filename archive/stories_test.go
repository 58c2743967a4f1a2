package archive

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

func openStories(t *testing.T) *Archive {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "s.db"), WithStories(story.NewMatcher(0, 0, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func report(source, key, lang, title string, at time.Time) news.Item {
	return news.Item{Key: key, Source: source, Identity: "guid:" + key, Link: "https://" + source + ".example/" + key,
		Title: title, Language: lang, Time: at, FirstSeen: at, Changed: at}
}

func save(t *testing.T, s *Archive, items ...news.Item) PollCounts {
	t.Helper()
	c, err := s.SavePoll(context.Background(), items[0].Source, SourceState{}, items)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStoriesGroupWireCopies(t *testing.T) {
	s := openStories(t)
	t0 := time.Date(2026, 4, 14, 14, 0, 0, 0, time.UTC)
	save(t, s, report("mapnews", "m1", "ar", "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة", t0))
	if c := save(t, s, report("hespress", "h1", "ar", "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة (و م ع)", t0.Add(50*time.Minute))); c.Merged != 1 {
		t.Fatalf("wire copy not merged: %+v", c)
	}
	save(t, s, report("akhbarona", "a1", "ar", "عاجل.. نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة", t0.Add(80*time.Minute)))
	// Not the same story: another language, another event, outside the window.
	save(t, s, report("le360", "l1", "fr", "Bulletin d'alerte : averses orageuses et fortes rafales de vent", t0.Add(time.Hour)))
	save(t, s, report("goud", "g1", "ar", "نشرة إنذارية: موجة حر تصل إلى 46 درجة بعدد من أقاليم المملكة", t0.Add(2*time.Hour)))
	save(t, s, report("barlamane", "b1", "ar", "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة", t0.Add(40*time.Hour)))
	// The wire repeating its dispatch later matches the other outlets' copies: one story still.
	save(t, s, report("mapnews", "m2", "ar", "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة", t0.Add(3*time.Hour)))
	// An outlet's two items never match each other directly.
	save(t, s, report("solo", "s1", "fr", "Tanger Med traite un nombre record de conteneurs en mars", t0))
	save(t, s, report("solo", "s2", "fr", "Tanger Med traite un nombre record de conteneurs en mars", t0.Add(time.Hour)))

	all, _ := s.Newest(Query{Limit: 100})
	if len(all) != 9 {
		t.Fatalf("ungrouped read: %d items, want 9", len(all))
	}
	grouped, _ := s.Newest(Query{Limit: 100, Stories: true})
	titles := map[string]news.Item{}
	for _, it := range grouped {
		titles[it.Key] = it
	}
	if len(grouped) != 6 {
		t.Fatalf("grouped read: %d items, want 6: %v", len(grouped), keys(grouped))
	}
	m1, ok := titles["m1"]
	if !ok || len(m1.Related) != 3 || m1.Related[0].Source != "hespress" || m1.Related[1].Source != "akhbarona" || m1.Related[2].Source != "mapnews" {
		t.Fatalf("story shown at %v with related %+v; want m1 with hespress, akhbarona, mapnews", keys(grouped), m1.Related)
	}
	for _, k := range []string{"l1", "g1", "b1", "s1", "s2"} {
		if _, ok := titles[k]; !ok {
			t.Errorf("%s wrongly merged", k)
		}
	}

	// An output without the wire shows the story at the earliest report it keeps.
	noMAP, _ := s.Newest(Query{Limit: 100, Stories: true, Keep: func(it *news.Item) bool { return it.Source != "mapnews" }})
	found := false
	for _, it := range noMAP {
		if it.Key == "h1" {
			found = len(it.Related) == 3
		}
		if it.Key == "a1" {
			t.Error("story shown twice")
		}
	}
	if !found {
		t.Errorf("without mapnews the story should show at h1: %v", keys(noMAP))
	}
}

func TestStoryLookupIsByIndex(t *testing.T) {
	s := openStories(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// A month of unrelated items, then a copy of one from the first day: outside
	// the window it must not be found, inside it must.
	for d := range 30 {
		save(t, s, report("src", "d"+string(rune('a'+d)), "ar", "تقرير يومي عن حالة الطقس والملاحة البحرية رقم "+string(rune('a'+d)), t0.Add(time.Duration(d)*24*time.Hour)))
	}
	save(t, s, report("orig", "o1", "fr", "Le Raja et le Wydad font match nul dans le derby casablancais", t0.Add(30*24*time.Hour)))
	c := save(t, s, report("copy", "c1", "fr", "Derby de Casablanca : le Raja et le Wydad font match nul", t0.Add(30*24*time.Hour+2*time.Hour)))
	if c.Merged != 1 {
		t.Fatalf("copy within the window not merged: %+v", c)
	}
	c = save(t, s, report("late", "x1", "fr", "Le Raja et le Wydad font match nul dans le derby casablancais", t0.Add(33*24*time.Hour)))
	if c.Merged != 0 {
		t.Fatalf("copy three days later merged: %+v", c)
	}
}

func keys(items []news.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Key
	}
	return out
}

// A story whose first report is older than the read's Since shows at its
// earliest report inside it, not nowhere.
func TestStoryShownInsideMaxAge(t *testing.T) {
	s := openStories(t)
	t0 := time.Date(2026, 4, 14, 0, 0, 0, 0, time.UTC)
	save(t, s, report("mapnews", "m", "ar", "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة", t0))
	save(t, s, report("hespress", "h", "ar", "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة (و م ع)", t0.Add(20*time.Hour)))
	got, _ := s.Newest(Query{Limit: 10, Stories: true, Since: t0.Add(10 * time.Hour)})
	if len(got) != 1 || got[0].Key != "h" || len(got[0].Related) != 1 || got[0].Related[0].Source != "mapnews" {
		t.Fatalf("inside max_age: %+v", got)
	}
	got, _ = s.Newest(Query{Limit: 10, Stories: true})
	if len(got) != 1 || got[0].Key != "m" {
		t.Fatalf("without max_age the story shows at its first report: %v", keys(got))
	}
}
