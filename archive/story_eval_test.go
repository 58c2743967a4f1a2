package archive

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// labelled is one headline of the story sets, as the cluster evaluation reads it.
type labelled struct {
	group, story, lang, outlet, title string
	minutes                           int
}

// readLabelled reads a half of the independent set (group story language minutes outlet headline).
func readLabelled(t testing.TB, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 6 {
			t.Fatalf("%s: %q: want 6 columns", path, line)
		}
		m, err := strconv.Atoi(c[3])
		if err != nil {
			t.Fatalf("%s: %q: %v", path, line, err)
		}
		out = append(out, labelled{group: c[0], story: c[1], lang: c[2], minutes: m, outlet: c[4], title: c[5]})
	}
	return out
}

// readOldSet reads the first labelled set (topic story language headline),
// every headline from its own outlet, five minutes apart in file order.
func readOldSet(t testing.TB) []labelled {
	t.Helper()
	var out []labelled
	for _, name := range []string{"headlines-ar.tsv", "headlines-fr.tsv"} {
		f, err := os.Open(filepath.Join("..", "story", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			c := strings.Split(sc.Text(), "\t")
			if strings.HasPrefix(sc.Text(), "#") || len(c) != 4 {
				continue
			}
			n := len(out)
			out = append(out, labelled{group: c[0], story: c[1], lang: c[2], title: c[3], minutes: (n * 5) % 2000, outlet: fmt.Sprintf("outlet%d", n)})
		}
		f.Close()
	}
	return out
}

// clusterScores are pair counts over the stories that ingestion formed.
type clusterScores struct {
	tp, fp, fn int
	// mistakes name each wrongly merged or wrongly split pair (for the tuning half only).
	mistakes []string
}

func (c clusterScores) precision() float64 { return ratio(c.tp, c.tp+c.fp) }
func (c clusterScores) recall() float64    { return ratio(c.tp, c.tp+c.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// ingestAndScore stores rows in time order through the real path (SavePoll
// with the story matcher: window, candidate search by index, joining any
// member) and counts, per language, the labelled pairs inside and across the
// stories formed. Any merge of rows from two groups is a false positive.
func ingestAndScore(t testing.TB, rows []labelled, m *story.Matcher) map[string]*clusterScores {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "eval.db"), WithStories(m), WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rows[order[a]].minutes < rows[order[b]].minutes })
	t0 := time.Date(2026, 4, 14, 6, 0, 0, 0, time.UTC)
	for _, i := range order {
		r := rows[i]
		it := report(r.outlet, fmt.Sprintf("row%04d", i), r.lang, r.title, t0.Add(time.Duration(r.minutes)*time.Minute))
		if _, err := s.SavePoll(context.Background(), r.outlet, SourceState{}, []news.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Newest(Query{Limit: len(rows) + 1})
	if err != nil {
		t.Fatal(err)
	}
	storyOf := map[string]string{}
	for _, it := range all {
		storyOf[it.Key] = it.Story
		if it.Story == "" {
			storyOf[it.Key] = "solo:" + it.Key
		}
	}
	out := map[string]*clusterScores{}
	for i := range rows {
		for j := i + 1; j < len(rows); j++ {
			a, b := rows[i], rows[j]
			if a.lang != b.lang {
				if storyOf[fmt.Sprintf("row%04d", i)] == storyOf[fmt.Sprintf("row%04d", j)] {
					t.Errorf("merged across languages: %q | %q", a.title, b.title)
				}
				continue
			}
			c := out[a.lang]
			if c == nil {
				c = &clusterScores{}
				out[a.lang] = c
			}
			same := a.group == b.group && a.story == b.story
			merged := storyOf[fmt.Sprintf("row%04d", i)] == storyOf[fmt.Sprintf("row%04d", j)]
			switch {
			case merged && same:
				c.tp++
			case merged:
				c.fp++
				c.mistakes = append(c.mistakes, fmt.Sprintf("merged %s/%s+%s/%s: %s | %s", a.group, a.story, b.group, b.story, a.title, b.title))
			case same:
				c.fn++
				c.mistakes = append(c.mistakes, fmt.Sprintf("apart  %s/%s: %s | %s", a.group, a.story, a.title, b.title))
			}
		}
	}
	return out
}

func reportScores(t *testing.T, half string, scores map[string]*clusterScores, showMistakes bool) (p, r float64) {
	var all clusterScores
	langs := make([]string, 0, len(scores))
	for l := range scores {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		c := scores[l]
		all.tp, all.fp, all.fn = all.tp+c.tp, all.fp+c.fp, all.fn+c.fn
		t.Logf("%s %s: same-story pairs %d, wrongly merged %d; precision %.3f recall %.3f", half, l, c.tp+c.fn, c.fp, c.precision(), c.recall())
		if showMistakes {
			for _, m := range c.mistakes {
				t.Log("  ", m)
			}
		}
	}
	t.Logf("%s all: precision %.3f recall %.3f", half, all.precision(), all.recall())
	return all.precision(), all.recall()
}

// TestStoryClustersTuning ingests the tuning half and logs every mistake:
// the half the thresholds are chosen on.
func TestStoryClustersTuning(t *testing.T) {
	rows := readLabelled(t, filepath.Join("..", "story", "testdata", "independent", "tune.tsv"))
	scores := ingestAndScore(t, rows, story.NewMatcher(0, 0, nil))
	// Recall's floor at the figure measured in round eight (README: 0.833).
	if p, r := reportScores(t, "tune", scores, testing.Verbose() && os.Getenv("NASHRA_TUNE") != ""); p < 0.99 || r < 0.82 {
		t.Errorf("tuning half: precision %.3f recall %.3f, want ≥ 0.99 (the settings were chosen for it) and ≥ 0.82", p, r)
	}
}

// TestStoryClustersOldSet measures the first labelled set through the same path.
func TestStoryClustersOldSet(t *testing.T) {
	scores := ingestAndScore(t, readOldSet(t), story.NewMatcher(0, 0, nil))
	if p, r := reportScores(t, "old", scores, testing.Verbose() && os.Getenv("NASHRA_TUNE") != ""); p < 0.99 || r < 0.90 {
		t.Errorf("first set: precision %.3f recall %.3f, want ≥ 0.99 and ≥ 0.90", p, r)
	}
}

// TestStoryClustersHeldOut measures the independent set's old test half:
// tuning data since round five (read at the end of four rounds, then
// pooled), so it runs with the other tests; the judge is a set written
// apart.
func TestStoryClustersHeldOut(t *testing.T) {
	rows := readLabelled(t, filepath.Join("..", "story", "testdata", "independent", "test.tsv"))
	scores := ingestAndScore(t, rows, story.NewMatcher(0, 0, nil))
	// Floors at the figures measured in round ten (README: 1.000 / 0.841).
	if p, r := reportScores(t, "test", scores, false); p < 0.99 || r < 0.84 {
		t.Errorf("old test half: precision %.3f recall %.3f, below the floors 0.99 / 0.84", p, r)
	}
}

// TestTuneStoryParams searches the decision's parameters on the tuning half
// (NASHRA_TUNE=grid): the best recall with precision ≥ 0.99, then ≥ 0.98.
func TestTuneStoryParams(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "grid" {
		t.Skip("NASHRA_TUNE=grid")
	}
	rows := readLabelled(t, filepath.Join("..", "story", "testdata", "independent", "tune.tsv"))
	old := readOldSet(t)
	type result struct {
		p    story.Params
		prec float64
		rec  float64
	}
	var results []result
	base := story.NewMatcher(0, 0, nil)
	for _, th := range []float64{0.15, 0.2, 0.25, 0.3} {
		for _, pen := range []float64{0.1, 0.15, 0.2, 0.25, 0.3} {
			for _, core := range []float64{0, 5, 6} {
				p := story.DefaultParams
				p.Threshold, p.Penalty, p.Core = th, pen, core
				var all, o clusterScores
				for _, c := range ingestAndScore(t, rows, base.WithParams(p)) {
					all.tp, all.fp, all.fn = all.tp+c.tp, all.fp+c.fp, all.fn+c.fn
				}
				for _, c := range ingestAndScore(t, old, base.WithParams(p)) {
					o.tp, o.fp, o.fn = o.tp+c.tp, o.fp+c.fp, o.fn+c.fn
				}
				r := result{p, all.precision(), all.recall()}
				r.prec = min(r.prec, o.precision())
				results = append(results, r)
			}
		}
	}
	sort.Slice(results, func(i, j int) bool {
		a, b := results[i], results[j]
		if (a.prec >= 0.99) != (b.prec >= 0.99) {
			return a.prec >= 0.99
		}
		if a.rec != b.rec {
			return a.rec > b.rec
		}
		return a.prec > b.prec
	})
	for _, r := range results[:min(20, len(results))] {
		t.Logf("%+v precision %.3f recall %.3f", r.p, r.prec, r.rec)
	}
}
