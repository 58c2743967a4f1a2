package archive

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/story"
)

const alertTitle = "نشرة إنذارية: زخات رعدية قوية وهبات رياح مرتقبة بعدد من أقاليم المملكة"

// lines is the grouped ticker as "line key: report keys", newest first.
func lines(t *testing.T, s *Archive) []string {
	t.Helper()
	got, err := s.Newest(Query{Limit: 100, Stories: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range got {
		ln := it.Key
		if it.Story != "" {
			ln = it.Story + ":" + it.Key
			for _, r := range it.Related {
				ln += "+" + r.Source
			}
		}
		out = append(out, ln)
	}
	return out
}

// An editor's split takes an item out of its story for good: through
// re-polls, restarts and compaction, and it is never a candidate again.
func TestSplitKeepsAnItemOutOfStories(t *testing.T) {
	t0 := time.Date(2026, 4, 14, 14, 0, 0, 0, time.UTC)
	m := report("mapnews", "m", "ar", alertTitle, t0)
	h := report("hespress", "h", "ar", alertTitle+" (و م ع)", t0.Add(50*time.Minute))
	g := report("goud", "g", "ar", "عاجل.. "+alertTitle, t0.Add(80*time.Minute))
	a := report("akhbarona", "a", "ar", alertTitle+" - أخبارنا", t0.Add(100*time.Minute))
	for _, tc := range []struct {
		name   string
		before []news.Item // polled, in order, before the split
		split  string
		after  []news.Item // polled after the split (and a restart and a compaction)
		want   SplitResult
		lines  []string
	}{
		{"a later report split from a story of three: the story keeps its id, the report is its own line",
			[]news.Item{m, h, g}, "g", nil,
			SplitResult{Item: "g", Story: "m", Rest: "m", Members: []string{"m", "h"}},
			[]string{"g", "m:m+hespress"}},
		{"the founder split from a story of three: it keeps its id, the rest is a new line",
			[]news.Item{h, m, g}, "h", nil,
			SplitResult{Item: "h", Story: "h", Rest: "m", Members: []string{"m", "g"}},
			[]string{"h", "m:m+goud"}},
		{"split from a story of two: no story left",
			[]news.Item{m, h}, "h", nil,
			SplitResult{Item: "h", Story: "m", Members: []string{"m"}},
			[]string{"h", "m"}},
		{"a re-poll of the split item, edited, does not put it back",
			[]news.Item{m, h}, "h", []news.Item{func() news.Item { e := h; e.Title += " (تحديث)"; return e }()},
			SplitResult{Item: "h", Story: "m", Members: []string{"m"}},
			[]string{"h", "m"}},
		{"a new report matching the split item alone does not join it",
			[]news.Item{h}, "h", []news.Item{g},
			SplitResult{Item: "h"},
			[]string{"g", "h"}},
		{"a new report matching the story and the split item joins the story only",
			[]news.Item{m, h, g}, "h", []news.Item{a},
			SplitResult{Item: "h", Story: "m", Rest: "m", Members: []string{"m", "g"}},
			[]string{"h", "m:m+goud+akhbarona"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.db")
			open := func() *Archive {
				s, err := Open(path, WithStories(story.NewMatcher(0, 0, nil)))
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			s := open()
			for _, it := range tc.before {
				save(t, s, it)
			}
			gen := s.Generation()
			got, err := s.Split(tc.split)
			if err != nil {
				t.Fatal(err)
			}
			if got.Item != tc.want.Item || got.Story != tc.want.Story || got.Rest != tc.want.Rest || !slices.Equal(got.Members, tc.want.Members) {
				t.Errorf("Split = %+v, want %+v", got, tc.want)
			}
			if s.Generation() == gen {
				t.Error("split did not move the generation: cached renders would keep the merged line")
			}
			// A restart and a compaction in between: the mark is in the database.
			s.Close()
			if _, _, err := storage.Compact(path); err != nil {
				t.Fatal(err)
			}
			s = open()
			defer s.Close()
			for _, it := range tc.after {
				save(t, s, it)
			}
			if l := lines(t, s); !slices.Equal(l, tc.lines) {
				t.Errorf("lines %v, want %v", l, tc.lines)
			}
			again, err := s.Split(tc.split)
			if err != nil || !again.Already {
				t.Errorf("second split = %+v, %v; want Already", again, err)
			}
		})
	}
}

func TestSplitUnknownItem(t *testing.T) {
	s := openStories(t)
	if _, err := s.Split("nope"); !errors.Is(err, ErrNoItem) {
		t.Errorf("Split(unknown) = %v, want ErrNoItem", err)
	}
}
