package story

import (
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Repeated cross-validation (NASHRA_TUNE=cv): one split of the tuning pool
// in two folds is easy to fit by accident (a rule that happens to part the
// look-alikes of the fold it is checked on). Several random splits by topic
// group, each fold checked with the lists and the common-words table as if
// written without it, say how a rule generalises: the mean over the folds,
// and the worst fold, which is what a reader meets on a bad day.

// cvSplits is how many random splits the repeated cross-validation draws.
const cvSplits = 8

// randomFolds splits rows in two folds of whole topic groups: within each
// domain the groups are shuffled (seed) and dealt alternately from a fold
// the seed picks, so that every domain of two groups or more is in both.
func randomFolds(rows []evalRow, seed uint64) [2][]evalRow {
	byDomain := map[string][]string{}
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.group] {
			seen[r.group] = true
			d := indepDomain(r.group)
			byDomain[d] = append(byDomain[d], r.group)
		}
	}
	domains := make([]string, 0, len(byDomain))
	for d := range byDomain {
		domains = append(domains, d)
	}
	sort.Strings(domains)
	rng := rand.New(rand.NewPCG(seed, 0x6e61736872610a))
	fold := map[string]int{}
	for _, d := range domains {
		groups := byDomain[d]
		sort.Strings(groups)
		rng.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })
		start := rng.IntN(2)
		for i, g := range groups {
			fold[g] = (start + i) % 2
		}
	}
	var out [2][]evalRow
	for _, r := range rows {
		out[fold[r.group]] = append(out[fold[r.group]], r)
	}
	return out
}

// foldScores are one fold's figures, in all and per language.
type foldScores struct {
	all    pairScores
	byLang map[string]pairScores
}

// cvSummary sums up repeated cross-validation.
type cvSummary struct {
	folds            []foldScores
	pooled           pairScores            // counts added over every fold
	pooledLang       map[string]pairScores // the same per language
	meanP, meanR     float64               // the mean of the folds' figures
	worstP, worstR   float64               // the lowest fold's
	worstLangP       float64               // the lowest fold precision in Arabic or French
	wrongMergesTotal int
	// wrongStories are the distinct pairs of different stories merged in
	// some fold: how many mistakes the figures are made of.
	wrongStories map[string]bool
}

// repeatedCV ingests both folds of splits random splits of the tuning pool,
// each with the common-words table counted without it and the gazetteer,
// contrasts and synonyms as if written without it (crossValidate's lists).
// wrong (nil: not counted) counts each wrong join with its decision.
// missed (nil: not counted) counts the same-story pairs left apart by the
// reason the decision on the two alone gives (numbers and words masked).
func repeatedCV(t *testing.T, p Params, splits int, wrong, missed map[string]int) cvSummary {
	rows := readTuningPool(t)
	old := readOldEvalSet(t)
	g, syn := entityIndex(), synonymOf()
	restoreG, restoreSyn := entityIndex, synonymOf
	defer func() { entityIndex, synonymOf = restoreG, restoreSyn }()
	s := cvSummary{pooledLang: map[string]pairScores{}, worstP: 1, worstR: 1, worstLangP: 1, wrongStories: map[string]bool{}}
	for split := range splits {
		folds := randomFolds(rows, uint64(split+1))
		for i, fold := range folds {
			entityIndex = fixed(fittedOut(g, fold, old, folds[1-i]))
			synonymOf = fixed(synonymsFittedOut(syn, fold, old, folds[1-i]))
			m := NewMatcher(0, 0, nil).WithParams(p)
			m.common = commonFrom(old, folds[1-i])
			if wrong != nil {
				joinLog = func(row int, j Join) { countWrongJoin(wrong, fold, row, j) }
			}
			storyOf := windowIngest(fold, m)
			joinLog = nil
			if missed != nil {
				countMissed(missed, fold, storyOf, m)
			}
			f := foldScores{all: scorePairs(fold, storyOf), byLang: langScores(fold, storyOf)}
			for i := range fold {
				for j := i + 1; j < len(fold); j++ {
					a, b := fold[i], fold[j]
					if storyOf[i] == storyOf[j] && a.lang == b.lang && (a.group != b.group || a.story != b.story) && writerOf(a.group) == writerOf(b.group) {
						s.wrongStories[a.lang+" "+a.group+"/"+a.story+"+"+b.group+"/"+b.story] = true
					}
				}
			}
			s.folds = append(s.folds, f)
			s.pooled = addScores(s.pooled, f.all)
			for l, c := range f.byLang {
				s.pooledLang[l] = addScores(s.pooledLang[l], c)
				if l != "en" && c.tp+c.fp > 0 {
					s.worstLangP = min(s.worstLangP, c.precision())
				}
			}
			s.meanP += f.all.precision()
			s.meanR += f.all.recall()
			s.worstP = min(s.worstP, f.all.precision())
			s.worstR = min(s.worstR, f.all.recall())
		}
	}
	s.meanP /= float64(len(s.folds))
	s.meanR /= float64(len(s.folds))
	s.wrongMergesTotal = s.pooled.fp
	return s
}

func addScores(a, b pairScores) pairScores {
	return pairScores{tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, crossLanguage: a.crossLanguage + b.crossLanguage}
}

func (s cvSummary) String() string {
	ar, fr := s.pooledLang["ar"], s.pooledLang["fr"]
	return "mean " + f3(s.meanP) + "/" + f3(s.meanR) + ", worst fold " + f3(s.worstP) + "/" + f3(s.worstR) +
		" (worst ar/fr precision " + f3(s.worstLangP) + "), pooled " + f3(s.pooled.precision()) + "/" + f3(s.pooled.recall()) +
		" (ar " + f3(ar.precision()) + "/" + f3(ar.recall()) + ", fr " + f3(fr.precision()) + "/" + f3(fr.recall()) +
		"; wrong merges " + itoa(s.pooled.fp) + " over " + itoa(len(s.folds)) + " folds, of " + itoa(len(s.wrongStories)) + " distinct pairs of stories)"
}

// TestTuneRepeatedCrossValidation (NASHRA_TUNE=cv) logs the repeated
// cross-validation of the default settings; NASHRA_SPLITS changes how many
// splits it draws.
func TestTuneRepeatedCrossValidation(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "cv" {
		t.Skip("NASHRA_TUNE=cv")
	}
	splits := cvSplits
	if n, err := strconv.Atoi(os.Getenv("NASHRA_SPLITS")); err == nil && n > 0 {
		splits = n
	}
	var wrong, missed map[string]int
	switch os.Getenv("NASHRA_SHOW") {
	case "joins":
		wrong = map[string]int{}
	case "missed":
		missed = map[string]int{}
	}
	p := DefaultParams
	if v, err := strconv.ParseFloat(os.Getenv("NASHRA_DRIFT"), 64); err == nil {
		p.Drift = v
	}
	s := repeatedCV(t, p, splits, wrong, missed)
	t.Logf("repeated cross-validation, %d splits: %s", splits, s)
	for _, set := range []struct {
		name string
		rows []evalRow
	}{{"tuning pool (seven writers)", readTuningPool(t)}, {"first set", readOldEvalSet(t)}} {
		storyOf := windowIngest(set.rows, NewMatcher(0, 0, nil).WithParams(p))
		c, by := scorePairs(set.rows, storyOf), langScores(set.rows, storyOf)
		t.Logf("%s (shipped lists): %s/%s (ar %s/%s, fr %s/%s)", set.name, f3(c.precision()), f3(c.recall()),
			f3(by["ar"].precision()), f3(by["ar"].recall()), f3(by["fr"].precision()), f3(by["fr"].recall()))
	}
	logCounted(t, wrong)
	logCounted(t, missed)
}

// reasonShape is a decision's reason with its numbers and the words it
// quotes masked, so that reasons count by kind.
var reasonShape = strings.NewReplacer("0", "", "1", "", "2", "", "3", "", "4", "", "5", "", "6", "", "7", "", "8", "", "9", "")

func countMissed(missed map[string]int, rows []evalRow, storyOf []string, m *Matcher) {
	for i := range rows {
		for j := i + 1; j < len(rows); j++ {
			a, b := rows[i], rows[j]
			if a.lang != b.lang || a.group != b.group || a.story != b.story || storyOf[i] == storyOf[j] {
				continue
			}
			d := m.Explain(a.title, b.title, a.lang, nil)
			why := reasonShape.Replace(d.Reason)
			if k := strings.IndexAny(why, "(:"); k > 0 {
				why = why[:k]
			}
			if d.Same {
				why = "the two alone are one story: apart by the join (first candidate, stray, contradiction)"
			}
			missed[a.lang+" "+why]++
		}
	}
}

// countWrongJoin counts a join of a report to another story's, with its decision.
func countWrongJoin(wrong map[string]int, rows []evalRow, row int, j Join) {
	k, _ := strconv.Atoi(strings.TrimPrefix(j.Match, "row"))
	a, b := rows[row], rows[k]
	if a.group != b.group || a.story != b.story {
		wrong[a.group+"/"+a.story+"→"+b.group+"/"+b.story+": "+a.title+" | "+b.title]++
	}
}

// logCounted logs counted lines, the most frequent first.
func logCounted(t *testing.T, counted map[string]int) {
	lines := make([]string, 0, len(counted))
	for l := range counted {
		lines = append(lines, l)
	}
	sort.Slice(lines, func(i, j int) bool {
		if counted[lines[i]] != counted[lines[j]] {
			return counted[lines[i]] > counted[lines[j]]
		}
		return lines[i] < lines[j]
	})
	for _, l := range lines {
		t.Logf("%3d× %s", counted[l], l)
	}
}

// TestTuneRepeatedGrid (NASHRA_TUNE=rgrid) searches the decision's settings
// on the repeated cross-validation, precision first: the worst fold's, then
// the pooled, then recall. NASHRA_GRID="threshold,… penalty,… core,…"
// (each a comma list) overrides the default grid.
func TestTuneRepeatedGrid(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "rgrid" {
		t.Skip("NASHRA_TUNE=rgrid")
	}
	grid := [3][]float64{{0.2, 0.25, 0.3, 0.35}, {0.1, 0.15, 0.25}, {5}}
	if g := strings.Fields(os.Getenv("NASHRA_GRID")); len(g) == 3 {
		for i, list := range g {
			grid[i] = nil
			for _, x := range strings.Split(list, ",") {
				v, err := strconv.ParseFloat(x, 64)
				if err != nil {
					t.Fatal(err)
				}
				grid[i] = append(grid[i], v)
			}
		}
	}
	type result struct {
		p Params
		s cvSummary
	}
	var results []result
	for _, th := range grid[0] {
		for _, pen := range grid[1] {
			for _, core := range grid[2] {
				p := DefaultParams
				if v, err := strconv.ParseFloat(os.Getenv("NASHRA_DRIFT"), 64); err == nil {
					p.Drift = v
				}
				p.Threshold, p.Penalty, p.Core = th, pen, core
				results = append(results, result{p, repeatedCV(t, p, cvSplits, nil, nil)})
			}
		}
	}
	sort.SliceStable(results, func(i, j int) bool {
		a, b := results[i].s, results[j].s
		if a.worstP != b.worstP {
			return a.worstP > b.worstP
		}
		if a.pooled.precision() != b.pooled.precision() {
			return a.pooled.precision() > b.pooled.precision()
		}
		return a.pooled.recall() > b.pooled.recall()
	})
	for _, r := range results {
		t.Logf("threshold %.2f penalty %.2f core %.0f: %s", r.p.Threshold, r.p.Penalty, r.p.Core, r.s)
	}
}

// TestTuneListDependence (NASHRA_TUNE=cv) says how many of the tuning pool's
// look-alikes are kept apart only by list entries (gazetteer, contrasts,
// synonyms) that the tuning pool alone names: the half ingested with the
// lists as if written from the first set only, against the shipped lists.
func TestTuneListDependence(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "cv" {
		t.Skip("NASHRA_TUNE=cv")
	}
	rows := readTuningPool(t)
	old := readOldEvalSet(t)
	shipped := scorePairs(rows, windowIngest(rows, NewMatcher(0, 0, nil)))
	g, syn := entityIndex(), synonymOf()
	restoreG, restoreSyn := entityIndex, synonymOf
	defer func() { entityIndex, synonymOf = restoreG, restoreSyn }()
	entityIndex = fixed(fittedOut(g, rows, old))
	synonymOf = fixed(synonymsFittedOut(syn, rows, old))
	m := NewMatcher(0, 0, nil)
	m.common = commonFrom(old)
	without := scorePairs(rows, windowIngest(rows, m))
	t.Logf("tuning pool (seven writers), shipped lists: %s/%s (wrong merges %d); lists and table as if written without it: %s/%s (wrong merges %d)",
		f3(shipped.precision()), f3(shipped.recall()), shipped.fp, f3(without.precision()), f3(without.recall()), without.fp)
}
