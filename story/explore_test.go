package story

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

type headline struct{ topic, story, lang, text string }

type pair struct {
	a, b headline
	same bool
}

func loadPairs(t testing.TB) []pair {
	t.Helper()
	var rows []headline
	for _, name := range []string{"testdata/headlines-ar.tsv", "testdata/headlines-fr.tsv"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			p := strings.SplitN(line, "\t", 4)
			if len(p) != 4 {
				t.Fatalf("%s: bad line %q", name, line)
			}
			rows = append(rows, headline{p[0], p[1], p[2], p[3]})
		}
		f.Close()
	}
	var pairs []pair
	for i := range rows {
		for j := i + 1; j < len(rows); j++ {
			a, b := rows[i], rows[j]
			if a.topic == b.topic && a.lang == b.lang {
				pairs = append(pairs, pair{a, b, a.story == b.story})
			}
		}
	}
	return pairs
}

func TestExplore(t *testing.T) {
	if os.Getenv("STORY_EXPLORE") == "" {
		t.Skip("set STORY_EXPLORE=1 to print the features of every pair")
	}
	type row struct {
		p pair
		f Features
	}
	var rows []row
	for _, p := range loadPairs(t) {
		rows = append(rows, row{p, Compare(Normalize(p.a.text, nil), Normalize(p.b.text, nil))})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].f.Trigram > rows[j].f.Trigram })
	for _, r := range rows {
		fmt.Printf("%v\tov=%.2f jac=%.2f tri=%.2f num=%v sh=%d/%d\t%s | %s\n", r.p.same, r.f.Overlap, r.f.Jaccard, r.f.Trigram, r.f.NumberConflict, r.f.Shared, r.f.Shorter,
			Normalize(r.p.a.text, nil), Normalize(r.p.b.text, nil))
	}
}
