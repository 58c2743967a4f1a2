package story

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/config"
)

var update = flag.Bool("update", false, "rewrite common_terms.tsv from the tuning material")

// TestCommonTerms rebuilds (with -update) or checks the shipped table of words
// common across topics. Its material is the first labelled set and the tuning
// half of the independent set; the test half is never read. Names (a place,
// a club, a weekday of the gazetteer) are left out.
func TestCommonTerms(t *testing.T) {
	topics := map[string]map[string]bool{} // lang+term → topics
	add := func(lang, topic, title string) {
		for _, term := range Tokens(Normalize(title, nil)) {
			if entityIndex().names(term) {
				continue // names are the window's to weigh (gazetteer.names)
			}
			k := lang + "\t" + term
			if topics[k] == nil {
				topics[k] = map[string]bool{}
			}
			topics[k][topic] = true
		}
	}
	for _, name := range []string{"testdata/headlines-ar.tsv", "testdata/headlines-fr.tsv", "testdata/independent/tune.tsv"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			c := strings.Split(sc.Text(), "\t")
			switch {
			case strings.HasPrefix(sc.Text(), "#"):
			case len(c) == 4: // topic story language headline
				add(c[2], "old:"+c[0], c[3])
			case len(c) == 6: // group story language minutes outlet headline
				add(c[2], "tune:"+c[0], c[5])
			}
		}
		f.Close()
	}
	var lines []string
	for k, ts := range topics {
		if len(ts) >= 2 {
			lines = append(lines, fmt.Sprintf("%s\t%d", k, len(ts)))
		}
	}
	sort.Strings(lines)
	out := "# lang\tword\ttopics (go test ./story -run CommonTerms -update)\n" + strings.Join(lines, "\n") + "\n"
	if *update {
		if err := os.WriteFile("common_terms.tsv", []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if out != commonTermsTSV {
		t.Error("common_terms.tsv is stale: run go test ./story -run CommonTerms -update")
	}
}

// TestDefaultsAgree: the config's default threshold is the matcher's.
func TestDefaultsAgree(t *testing.T) {
	if config.DefaultStoryThreshold != DefaultThreshold || DefaultParams.Threshold != DefaultThreshold {
		t.Errorf("config.DefaultStoryThreshold %g, story.DefaultThreshold %g, DefaultParams.Threshold %g: keep them one",
			config.DefaultStoryThreshold, DefaultThreshold, DefaultParams.Threshold)
	}
}
