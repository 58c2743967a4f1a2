package story

import (
	"bufio"
	"os"
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
