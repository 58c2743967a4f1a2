package feeds

import (
	"testing"

	"github.com/nashra-ma/nashra/news"
)

func TestLineKey(t *testing.T) {
	for _, tc := range []struct {
		name    string
		it      news.Item
		grouped bool
		want    string
	}{
		{"item in no story: its own key", news.Item{Key: "a"}, true, "a"},
		{"founder of its story: the story id, which is its key", news.Item{Key: "a", Story: "a"}, true, "a"},
		{"earlier report shown for a story founded by another: the story's id", news.Item{Key: "b", Story: "a"}, true, "a"},
		{"output that does not group stories: every report is its own line", news.Item{Key: "b", Story: "a"}, false, "b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := LineKey(&tc.it, tc.grouped); got != tc.want {
				t.Errorf("LineKey = %q, want %q", got, tc.want)
			}
		})
	}
}
