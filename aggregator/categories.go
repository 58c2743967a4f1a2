package aggregator

import (
	"strings"
	"unicode/utf8"
)

// A category is a short label: a feed gets at most maxCategories of them per
// item, each at most maxCategoryRunes long (a 300 KB category and 100,000
// categories used to be stored and served whole).
const (
	maxCategories    = 16
	maxCategoryRunes = 64
)

// cleanCategories makes plain-text labels of a feed item's categories: empty
// ones and repeats (ignoring case) dropped, each cut to maxCategoryRunes, at
// most maxCategories kept. It stops reading once it has enough.
func cleanCategories(raw []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range raw {
		if len(out) == maxCategories {
			break
		}
		c = CleanText(truncateBytes(c, 8*maxCategoryRunes))
		if utf8.RuneCountInString(c) > maxCategoryRunes {
			c = strings.TrimSpace(string([]rune(c)[:maxCategoryRunes]))
		}
		if c == "" || seen[strings.ToLower(c)] {
			continue
		}
		seen[strings.ToLower(c)] = true
		out = append(out, c)
	}
	return out
}
