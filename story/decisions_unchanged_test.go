package story

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateDecisions = flag.Bool("update-decisions", false, "rewrite testdata/window-decisions.txt from the current matcher")

// decisionsFile is the reference TestWindowDecisionsUnchanged compares with.
const decisionsFile = "testdata/window-decisions.txt"

// decisionsHeader heads the reference file: what it is and when to make it again.
const decisionsHeader = `# Every decision the story window takes on the tuning half, the first set and
# generated headlines (TestWindowDecisionsUnchanged), and Explain's verdict on
# every pair of one language inside each topic group of the tuning half.
# Regenerate ONLY with a change meant to alter decisions (rules, lists, params):
#   go test ./story -run TestWindowDecisionsUnchanged -update-decisions
# A change meant to make the matcher faster must leave this file as it is.
# set	key	joined|apart	examined	match	story	same	score	threshold	anchor	conflict	rareA/rareB	shared	reason
`

// TestWindowDecisionsUnchanged ingests the tuning half, the first set and
// 3,000 generated headlines (BenchmarkWindowFirstIngest's) through the
// Window and holds every decision (the report joined or apart, how many
// candidates were examined, the score to 1e-6 and the parts of the
// decision) to the reference file; then Explain on every same-language pair
// of each topic group of the tuning half. It guards the changes meant to
// make matching cheaper: they must decide exactly as before.
func TestWindowDecisionsUnchanged(t *testing.T) {
	var lines []string
	m := NewMatcher(0, 0, nil)
	tune := readIndependentEval(t, "tune.tsv")
	lines = append(lines, windowDecisions("tune", m, evalReports(tune), 0)...)
	lines = append(lines, windowDecisions("first", m, evalReports(readOldEvalSet(t)), 0)...)
	generated, _ := firstIngestReports(60)
	lines = append(lines, windowDecisions("generated", m, generated, 50)...)
	for i, a := range tune {
		for j := i + 1; j < len(tune); j++ {
			b := tune[j]
			if a.group != b.group || a.lang != b.lang {
				continue
			}
			d := m.Explain(a.title, b.title, a.lang, nil)
			lines = append(lines, fmt.Sprintf("pair\trow%04d/row%04d\t%s", i, j, decisionLine(d)))
		}
	}
	got := decisionsHeader + strings.Join(lines, "\n") + "\n"
	if *updateDecisions {
		if err := os.WriteFile(decisionsFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d decisions", decisionsFile, len(lines))
		return
	}
	want, err := os.ReadFile(decisionsFile)
	if err != nil {
		t.Fatalf("%v (make it with -update-decisions)", err)
	}
	if string(want) == got {
		return
	}
	wantLines := readDecisionLines(t, filepath.Clean(decisionsFile))
	shown := 0
	for i := range max(len(wantLines), len(lines)) {
		var w, g string
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if i < len(lines) {
			g = lines[i]
		}
		if w != g {
			if shown++; shown <= 10 {
				t.Errorf("decision %d changed:\n  was %s\n  now %s", i+1, w, g)
			}
		}
	}
	if shown == 0 {
		t.Errorf("%s differs only in its header: regenerate it", decisionsFile)
	}
	t.Errorf("%d of %d decisions changed (regenerate with -update-decisions only if that was the change's purpose)", shown, len(lines))
}

// windowDecisions ingests reports in order through a fresh window, as the
// archive does (addMatched), evicting after every evictEvery reports (0:
// never), and returns one line per report.
func windowDecisions(set string, m *Matcher, reports []Report, evictEvery int) []string {
	w := m.NewWindow()
	var out []string
	for i, r := range reports {
		j, ok := w.Match(r)
		if !ok {
			out = append(out, fmt.Sprintf("%s\t%s\tapart\t%d", set, r.Key, j.Examined))
		} else {
			out = append(out, fmt.Sprintf("%s\t%s\tjoined\t%d\t%s\t%s\t%s", set, r.Key, j.Examined, j.Match, j.Story, decisionLine(j.Decision)))
			r.Story = j.Story
			if j.Story == "" {
				w.SetStory(j.Match, j.Match)
				r.Story = j.Match
			}
		}
		w.Add(r)
		if evictEvery > 0 && i%evictEvery == evictEvery-1 {
			w.Evict(r.Time.Add(-2 * w.Window()))
		}
	}
	return out
}

// decisionLine is a decision's verdict and parts, numbers to 1e-6.
func decisionLine(d Decision) string {
	shared := make([]string, len(d.Shared))
	for i, s := range d.Shared {
		shared[i] = fmt.Sprintf("%s:%.6f", s.Word, s.Weight)
	}
	return fmt.Sprintf("%v\t%.6f\t%.6f\t%s\t%s\t%s/%s\t%s\t%s", d.Same, d.Score, d.Threshold, d.Anchor, d.Conflict,
		d.RareA, d.RareB, strings.Join(shared, " "), d.Reason)
}

func readDecisionLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") {
			out = append(out, sc.Text())
		}
	}
	return out
}
