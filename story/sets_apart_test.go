package story

import (
	"sort"
	"testing"
)

// The sets written apart for rounds five, six, seven and eight (testdata/independent2, 3, 4 and
// 5) are data only: this test parses each set.tsv and checks its format, its labels and its
// counts with the first independent set's reader and checker (independent_set_test.go), and a
// few rules of its own. It calls no matcher code and logs counts only, never headlines, so
// running it tells nothing about a set's wording.
func TestSetsWrittenApart(t *testing.T) {
	for _, dir := range []string{"independent2", "independent3", "independent4", "independent5", "independent6", "independent7", "independent8", "independent9", "independent10", "independent11", "independent12", "independent13", "independent14", "independent15", "independent16", "independent17", "independent18", "independent19", "independent20", "independent21", "independent22"} {
		t.Run(dir, func(t *testing.T) { checkSetWrittenApart(t, dir) })
	}
}

// checkSetWrittenApart checks testdata/dir/set.tsv, one set written apart.
func checkSetWrittenApart(t *testing.T, dir string) {
	const name = "set.tsv"
	rows := readIndependentFile(t, dir, name)
	counts, lookByDomain := checkIndependentHalf(t, name, rows)

	stories := map[string]map[string]bool{}
	reports := map[string]int{} // group/story/language -> reports
	domains := map[string]bool{}
	for _, r := range rows {
		switch r.story {
		case "a", "b", "c", "d":
		default:
			t.Errorf("%s:%d: story %q, want a, b, c or d", name, r.line, r.story)
		}
		if stories[r.group] == nil {
			stories[r.group] = map[string]bool{}
		}
		stories[r.group][r.story] = true
		reports[r.group+"/"+r.story+"/"+r.language]++
		domains[indepDomain(r.group)] = true
	}
	for g, s := range stories {
		if len(s) > 4 {
			t.Errorf("%s: group %s has %d stories, want 2-4", name, g, len(s))
		}
	}
	for k, n := range reports {
		if n > 4 {
			t.Errorf("%s: story %s has %d reports in one language, want 1-4", name, k, n)
		}
	}

	for _, lang := range []string{"ar", "fr", "en", ""} {
		c, l := counts[lang], lang
		if l == "" {
			l = "all"
		}
		t.Logf("%-3s: %4d headlines, %4d same-story pairs, %4d look-alike pairs", l, c.headlines, c.same, c.lookalike)
	}
	var names []string
	for d := range domains {
		names = append(names, d)
	}
	sort.Strings(names)
	for _, d := range names {
		t.Logf("domain %-12s %4d look-alike pairs", d, lookByDomain[d])
	}
	t.Logf("%d groups in %d domains", len(stories), len(domains))

	if c := counts[""]; c.headlines < 420 || c.same < 120 || c.lookalike < 180 {
		t.Errorf("%s: %d headlines, %d same-story and %d look-alike pairs, want at least 420, 120 and 180",
			name, c.headlines, c.same, c.lookalike)
	}
	for _, lang := range []string{"ar", "fr"} {
		if c := counts[lang]; c.same < 50 || c.lookalike < 70 {
			t.Errorf("%s %s: %d same-story and %d look-alike pairs, want at least 50 and 70", name, lang, c.same, c.lookalike)
		}
	}
	if len(lookByDomain) < 18 {
		t.Errorf("%s: look-alike pairs in %d domains, want at least 18", name, len(lookByDomain))
	}
}
