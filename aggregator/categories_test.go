package aggregator

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
)

// TestCleanCategories: a 300 KB category and 100,000 categories were stored
// and served whole.
func TestCleanCategories(t *testing.T) {
	many := make([]string, 100_000)
	for i := range many {
		many[i] = "cat" + strconv.Itoa(i)
	}
	tests := []struct {
		name     string
		raw      []string
		maxCount int
		want     []string // nil: check only the caps
	}{
		{"ordinary categories", []string{"Économie", " سياسة ", "<b>Sport</b>"}, 3, []string{"Économie", "سياسة", "Sport"}},
		{"a 300 KB category is cut", []string{strings.Repeat("ab ", 100_000)}, 1, nil},
		{"100,000 categories are capped", many, 16, nil},
		{"duplicates and empty ones count once and not at all", []string{"Sport", "sport", " ", "SPORT", "Maroc"}, 2, []string{"Sport", "Maroc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := entryAt(1, "headline", tallyNow)
			e.Categories = tt.raw
			items := Normalise(&feeds.Document{Entries: []feeds.Entry{e}}, &config.Source{Name: "s"}, "https://x.ma/", tallyNow)
			got := items[0].Categories
			if len(got) != tt.maxCount {
				t.Fatalf("%d categories, want %d", len(got), tt.maxCount)
			}
			for i, c := range got {
				if n := utf8.RuneCountInString(c); n > 64 || c == "" {
					t.Errorf("category %d has %d runes", i, n)
				}
				if tt.want != nil && c != tt.want[i] {
					t.Errorf("category %d = %q, want %q", i, c, tt.want[i])
				}
			}
		})
	}
}
