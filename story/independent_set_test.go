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

// The independent set (testdata/independent, issue 10) is data only: this test parses the two
// halves and checks their format and counts. It deliberately calls no matcher code, so the
// set can be checked without depending on how stories are matched.

// indepRow is one line of tune.tsv or test.tsv.
type indepRow struct {
	line     int
	group    string
	story    string
	language string
	minutes  int
	outlet   string
	headline string
}

// indepCounts are the pair counts of one half, in total and per language.
type indepCounts struct {
	headlines, same, lookalike int
}

func readIndependentHalf(t testing.TB, name string) []indepRow {
	t.Helper()
	return readIndependentFile(t, "independent", name)
}

// readIndependentFile reads testdata/dir/name in the independent sets' format.
func readIndependentFile(t testing.TB, dir, name string) []indepRow {
	t.Helper()
	path := filepath.Join("testdata", dir, name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []indepRow
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
				t.Errorf("%s:%d: column %d empty or padded with spaces: %q", name, n, i+1, c)
			}
		}
		r := indepRow{line: n, group: cols[0], story: cols[1], language: cols[2], outlet: cols[4], headline: cols[5]}
		switch r.language {
		case "ar", "fr", "en":
		default:
			t.Errorf("%s:%d: language %q, want ar, fr or en", name, n, r.language)
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

// indepDomain is a group's domain: its id up to the first '-'.
func indepDomain(group string) string {
	d, _, _ := strings.Cut(group, "-")
	return d
}

// checkIndependentHalf checks one half's labels and returns its counts per language ("" = all)
// and its look-alike pairs per domain.
func checkIndependentHalf(t *testing.T, name string, rows []indepRow) (map[string]*indepCounts, map[string]int) {
	t.Helper()
	counts := map[string]*indepCounts{"": {}, "ar": {}, "fr": {}, "en": {}}
	lookByDomain := map[string]int{}

	type gl struct{ group, language string }
	byGL := map[gl][]indepRow{}
	stories := map[string]map[string]bool{}
	outlets := map[string]int{}      // group\x00story\x00outlet -> line
	headlines := map[string]string{} // headline -> group\x00story
	for _, r := range rows {
		counts[""].headlines++
		counts[r.language].headlines++
		byGL[gl{r.group, r.language}] = append(byGL[gl{r.group, r.language}], r)
		if stories[r.group] == nil {
			stories[r.group] = map[string]bool{}
		}
		stories[r.group][r.story] = true
		k := r.group + "\x00" + r.story + "\x00" + r.outlet
		if prev, ok := outlets[k]; ok {
			t.Errorf("%s:%d: outlet %s already reported story %s/%s (line %d)", name, r.line, r.outlet, r.group, r.story, prev)
		}
		outlets[k] = r.line
		gs := r.group + "/" + r.story
		if prev, ok := headlines[r.headline]; ok && prev != gs {
			t.Errorf("%s:%d: headline of %s repeated verbatim in %s", name, r.line, gs, prev)
		}
		headlines[r.headline] = gs
	}
	for g, s := range stories {
		if len(s) < 2 {
			t.Errorf("%s: group %s has one story: no look-alike in it", name, g)
		}
	}
	// A story's rewrites in one language come within 240 minutes of its first report there.
	first := map[string]int{}
	last := map[string]int{}
	for _, r := range rows {
		k := r.group + "/" + r.story + "/" + r.language
		if v, ok := first[k]; !ok || r.minutes < v {
			first[k] = r.minutes
		}
		if v, ok := last[k]; !ok || r.minutes > v {
			last[k] = r.minutes
		}
	}
	for k := range first {
		if last[k]-first[k] > 240 {
			t.Errorf("%s: story %s: reports %d minutes apart, want at most 240", name, k, last[k]-first[k])
		}
	}
	for k, rs := range byGL {
		for i := range rs {
			for j := i + 1; j < len(rs); j++ {
				if rs[i].story == rs[j].story {
					counts[""].same++
					counts[k.language].same++
				} else {
					counts[""].lookalike++
					counts[k.language].lookalike++
					lookByDomain[indepDomain(k.group)]++
				}
			}
		}
	}
	return counts, lookByDomain
}

func TestIndependentSet(t *testing.T) {
	halves := []string{"tune.tsv", "test.tsv"}
	groupHalf := map[string]string{}
	total := indepCounts{}
	lookByDomain := map[string]int{}
	for _, name := range halves {
		rows := readIndependentHalf(t, name)
		for _, r := range rows {
			if h, ok := groupHalf[r.group]; ok && h != name {
				t.Errorf("%s:%d: group %s is also in %s", name, r.line, r.group, h)
			}
			groupHalf[r.group] = name
		}
		counts, byDomain := checkIndependentHalf(t, name, rows)
		for d, n := range byDomain {
			lookByDomain[d] += n
		}
		c := counts[""]
		total.headlines += c.headlines
		total.same += c.same
		total.lookalike += c.lookalike
		for _, lang := range []string{"", "ar", "fr", "en"} {
			c := counts[lang]
			l := lang
			if l == "" {
				l = "all"
			}
			t.Logf("%s %-3s: %4d headlines, %4d same-story pairs, %4d look-alike pairs", name, l, c.headlines, c.same, c.lookalike)
		}
		if c.same < 100 || c.lookalike < 150 {
			t.Errorf("%s: %d same-story and %d look-alike pairs, want at least 100 and 150", name, c.same, c.lookalike)
		}
		for _, lang := range []string{"ar", "fr"} {
			if c := counts[lang]; c.same < 40 || c.lookalike < 60 {
				t.Errorf("%s %s: %d same-story and %d look-alike pairs, want at least 40 and 60", name, lang, c.same, c.lookalike)
			}
		}
	}
	t.Logf("both halves: %d headlines, %d same-story pairs, %d look-alike pairs", total.headlines, total.same, total.lookalike)
	if total.headlines < 600 || total.same < 200 || total.lookalike < 300 {
		t.Errorf("set: %d headlines, %d same-story and %d look-alike pairs, want at least 600, 200 and 300",
			total.headlines, total.same, total.lookalike)
	}
	var domains []string
	for d := range lookByDomain {
		domains = append(domains, d)
	}
	sort.Strings(domains)
	for _, d := range domains {
		t.Logf("domain %-12s %4d look-alike pairs", d, lookByDomain[d])
	}
	if len(domains) < 15 {
		t.Errorf("look-alike pairs in %d domains, want at least 15", len(domains))
	}
}
