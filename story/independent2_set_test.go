package story

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The second independent set (testdata/independent2, round five) is data only: this test parses
// set.tsv and checks its format, its labels and its counts. It calls no matcher code and logs
// counts only, never headlines, so running it tells nothing about the set's wording.

// indep2Row is one line of testdata/independent2/set.tsv.
type indep2Row struct {
	line     int
	group    string
	story    string
	language string
	minutes  int
	outlet   string
	headline string
}

// indep2Counts are the headline and pair counts of the set or of one language or domain.
type indep2Counts struct {
	headlines, same, lookalike int
}

func readIndependent2Set(t testing.TB) []indep2Row {
	t.Helper()
	name := "set.tsv"
	f, err := os.Open(filepath.Join("testdata", "independent2", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []indep2Row
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		text := sc.Text()
		if strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 6 {
			t.Errorf("%s:%d: %d columns, want 6 (group story language minutes outlet headline)", name, n, len(cols))
			continue
		}
		for i, c := range cols {
			if strings.TrimSpace(c) == "" || strings.TrimSpace(c) != c {
				t.Errorf("%s:%d: column %d empty or padded with spaces", name, n, i+1)
			}
		}
		r := indep2Row{line: n, group: cols[0], story: cols[1], language: cols[2], outlet: cols[4], headline: cols[5]}
		switch r.language {
		case "ar", "fr", "en":
		default:
			t.Errorf("%s:%d: language %q, want ar, fr or en", name, n, r.language)
			continue
		}
		switch r.story {
		case "a", "b", "c", "d":
		default:
			t.Errorf("%s:%d: story %q, want a, b, c or d", name, n, r.story)
		}
		m, err := strconv.Atoi(cols[3])
		if err != nil || m < 0 || m > 2160 {
			t.Errorf("%s:%d: minutes %q, want an integer 0-2160", name, n, cols[3])
		}
		r.minutes = m
		if d, rest, ok := strings.Cut(r.group, "-"); !ok || d == "" || rest == "" {
			t.Errorf("%s:%d: group %q has no domain prefix", name, n, r.group)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// indep2Domain is a group's domain: its id up to the first '-'.
func indep2Domain(group string) string {
	d, _, _ := strings.Cut(group, "-")
	return d
}

func TestIndependent2Set(t *testing.T) {
	const name = "set.tsv"
	rows := readIndependent2Set(t)

	counts := map[string]*indep2Counts{"all": {}, "ar": {}, "fr": {}, "en": {}}
	byDomain := map[string]*indep2Counts{}
	type gl struct{ group, language string }
	byGL := map[gl][]indep2Row{}
	stories := map[string]map[string]bool{}
	seenGSLO := map[string]int{}     // group/story/language/outlet -> line
	seenGSO := map[string]int{}      // group/story/outlet -> line, across languages
	reports := map[string]int{}      // group/story/language -> reports
	headlines := map[string]string{} // headline -> group/story
	first := map[string]int{}
	last := map[string]int{}
	for _, r := range rows {
		counts["all"].headlines++
		counts[r.language].headlines++
		d := indep2Domain(r.group)
		if byDomain[d] == nil {
			byDomain[d] = &indep2Counts{}
		}
		byDomain[d].headlines++
		byGL[gl{r.group, r.language}] = append(byGL[gl{r.group, r.language}], r)
		if stories[r.group] == nil {
			stories[r.group] = map[string]bool{}
		}
		stories[r.group][r.story] = true

		gs := r.group + "/" + r.story
		gsl := gs + "/" + r.language
		if prev, ok := seenGSLO[gsl+"/"+r.outlet]; ok {
			t.Errorf("%s:%d: (group, story, language, outlet) of %s already on line %d", name, r.line, gsl, prev)
		}
		seenGSLO[gsl+"/"+r.outlet] = r.line
		if prev, ok := seenGSO[gs+"/"+r.outlet]; ok {
			t.Errorf("%s:%d: one outlet reports story %s twice (line %d): want different outlets within a story", name, r.line, gs, prev)
		}
		seenGSO[gs+"/"+r.outlet] = r.line
		reports[gsl]++
		if prev, ok := headlines[r.headline]; ok && prev != gs {
			t.Errorf("%s:%d: headline of %s repeated verbatim in %s", name, r.line, gs, prev)
		}
		headlines[r.headline] = gs
		if v, ok := first[gsl]; !ok || r.minutes < v {
			first[gsl] = r.minutes
		}
		if v, ok := last[gsl]; !ok || r.minutes > v {
			last[gsl] = r.minutes
		}
	}
	for g, s := range stories {
		if len(s) < 2 || len(s) > 4 {
			t.Errorf("%s: group %s has %d stories, want 2-4", name, g, len(s))
		}
	}
	for k, n := range reports {
		if n > 4 {
			t.Errorf("%s: story %s has %d reports in one language, want 1-4", name, k, n)
		}
	}
	// A story's rewrites in one language come within 240 minutes of its first report there.
	for k := range first {
		if last[k]-first[k] > 240 {
			t.Errorf("%s: story %s: reports %d minutes apart, want at most 240", name, k, last[k]-first[k])
		}
	}
	for k, rs := range byGL {
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				c := counts[k.language]
				if rs[i].story == rs[j].story {
					counts["all"].same++
					c.same++
					byDomain[indep2Domain(k.group)].same++
				} else {
					counts["all"].lookalike++
					c.lookalike++
					byDomain[indep2Domain(k.group)].lookalike++
				}
			}
		}
	}

	for _, lang := range []string{"ar", "fr", "en", "all"} {
		c := counts[lang]
		t.Logf("%-3s: %4d headlines, %4d same-story pairs, %4d look-alike pairs", lang, c.headlines, c.same, c.lookalike)
	}
	var domains []string
	lookDomains := 0
	for d, c := range byDomain {
		domains = append(domains, d)
		if c.lookalike > 0 {
			lookDomains++
		}
	}
	sort.Strings(domains)
	for _, d := range domains {
		c := byDomain[d]
		t.Logf("domain %-12s %4d headlines, %4d same-story pairs, %4d look-alike pairs", d, c.headlines, c.same, c.lookalike)
	}
	t.Logf("%d groups in %d domains", len(stories), len(domains))

	if c := counts["all"]; c.headlines < 420 || c.same < 120 || c.lookalike < 180 {
		t.Errorf("%s: %d headlines, %d same-story and %d look-alike pairs, want at least 420, 120 and 180",
			name, c.headlines, c.same, c.lookalike)
	}
	for _, lang := range []string{"ar", "fr"} {
		if c := counts[lang]; c.same < 50 || c.lookalike < 70 {
			t.Errorf("%s %s: %d same-story and %d look-alike pairs, want at least 50 and 70", name, lang, c.same, c.lookalike)
		}
	}
	if lookDomains < 18 {
		t.Errorf("%s: look-alike pairs in %d domains, want at least 18", name, lookDomains)
	}
}
