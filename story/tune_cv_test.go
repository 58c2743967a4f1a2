package story

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The tuning pool's cross-validation (NASHRA_TUNE=cv): its topic groups are
// split in two, alternately within each domain as the halves were; each fold
// is ingested through the window with a table of common words counted
// without it (the first set and the other fold), so the fold's own template
// and names are as unknown to the table as the test half's are. The figures
// say how settings chosen on the tuning material generalise, without the
// test half.

// tuneFolds returns the tuning pool's rows in two folds of whole groups.
func tuneFolds(t *testing.T) [2][]evalRow {
	rows := readTuningPool(t)
	fold := map[string]int{}
	seen := map[string]int{} // domain → groups met
	for _, r := range rows {
		if _, ok := fold[r.group]; !ok {
			d := indepDomain(r.group)
			fold[r.group] = seen[d] % 2
			seen[d]++
		}
	}
	var out [2][]evalRow
	for _, r := range rows {
		out[fold[r.group]] = append(out[fold[r.group]], r)
	}
	return out
}

// commonFrom counts a table of common words over topics of rows (a word
// carried by at least two topics, names aside), as TestCommonTerms does.
func commonFrom(sets ...[]evalRow) *commonTerms {
	topics := map[string]map[string]map[string]bool{} // lang → term → topics
	all := map[string]bool{}
	for i, rows := range sets {
		for _, r := range rows {
			topic := string(rune('a'+i)) + ":" + r.group
			all[topic] = true
			for _, term := range Tokens(Normalize(r.title, nil)) {
				if topics[r.lang] == nil {
					topics[r.lang] = map[string]map[string]bool{}
				}
				if topics[r.lang][term] == nil {
					topics[r.lang][term] = map[string]bool{}
				}
				topics[r.lang][term][r.group] = true
			}
		}
	}
	c := &commonTerms{topics: len(all), byLang: map[string]map[string]int{}}
	for lang, terms := range topics {
		c.byLang[lang] = map[string]int{}
		for term, ts := range terms {
			if len(ts) >= commonMinTopics() && !entityIndex().names(term) {
				c.byLang[lang][term] = len(ts)
			}
		}
	}
	return c
}

// commonMinTopics is how many topics make a word common (NASHRA_MINTOPICS while tuning).
func commonMinTopics() int {
	if n, err := strconv.Atoi(os.Getenv("NASHRA_MINTOPICS")); err == nil {
		return n
	}
	return 2
}

// langScores scores rows per language.
func langScores(rows []evalRow, storyOf []string) map[string]pairScores {
	out := map[string]pairScores{}
	for _, lang := range []string{"ar", "fr", "en"} {
		var sub []evalRow
		var st []string
		for i, r := range rows {
			if r.lang == lang {
				sub = append(sub, r)
				st = append(st, storyOf[i])
			}
		}
		out[lang] = scorePairs(sub, st)
	}
	return out
}

func logScores(t *testing.T, name string, rows []evalRow, m *Matcher) pairScores {
	storyOf := windowIngest(rows, m)
	all := scorePairs(rows, storyOf)
	by := langScores(rows, storyOf)
	langs := make([]string, 0, len(by))
	for l := range by {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	line := ""
	for _, l := range langs {
		c := by[l]
		line += " " + l + " " + f3(c.precision()) + "/" + f3(c.recall()) + " (fp " + itoa(c.fp) + ")"
	}
	t.Logf("%-28s all %s/%s (fp %d, fn %d);%s", name, f3(all.precision()), f3(all.recall()), all.fp, all.fn, line)
	if show := os.Getenv("NASHRA_SHOW"); show != "" {
		for i := range rows {
			for j := i + 1; j < len(rows); j++ {
				a, b := rows[i], rows[j]
				same, merged := a.group == b.group && a.story == b.story, storyOf[i] == storyOf[j]
				if a.lang == b.lang && ((merged && !same && show != "fn") || (same && !merged && show != "fp")) {
					d := m.Explain(a.title, b.title, a.lang, nil)
					t.Logf("  %v %s/%s %s/%s: %s | %s\n     %s", merged, a.group, a.story, b.group, b.story, a.title, b.title, d.Reason)
				}
			}
		}
	}
	return all
}

func TestTuneCrossValidation(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "cv" {
		t.Skip("NASHRA_TUNE=cv")
	}
	folds := tuneFolds(t)
	old := readOldEvalSet(t)
	base := NewMatcher(0, 0, nil)
	crossValidate(t, DefaultParams, false, "table")
	crossValidate(t, DefaultParams, true, "lists")
	tune := append(append([]evalRow(nil), folds[0]...), folds[1]...)
	m := *base
	m.common = commonFrom(old)
	logScores(t, "tuning pool (first-set table)", tune, &m)
	logScores(t, "tuning pool (shipped table)", tune, base)
	logScores(t, "first set (shipped table)", old, base)
}

func f3(x float64) string {
	s := []byte("0.000")
	v := int(x*1000 + 0.5)
	if v >= 1000 {
		return "1.000"
	}
	s[2], s[3], s[4] = byte('0'+v/100), byte('0'+v/10%10), byte('0'+v%10)
	return string(s)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// seenPhrases returns the gazetteer's and contrasts' forms (kind|id|words)
// that some headline of rows names.
func seenPhrases(g *gazetteer, rows ...[]evalRow) map[string]bool {
	seen := map[string]bool{}
	for _, set := range rows {
		for _, r := range set {
			raw := strings.Fields(Normalize(r.title, nil))
			words := make([]string, len(raw))
			for i, w := range raw {
				words[i] = stem(w)
			}
			for i, first := range words {
				cands := g.phrases[first]
				if bare := dropProclitic(first); bare != first {
					cands = append(cands[:len(cands):len(cands)], g.phrases[stem(bare)]...)
				}
				for _, p := range cands {
					if i+len(p.words) <= len(words) && equalRest(first, words[i+1:i+len(p.words)], p.words) {
						seen[phraseKey(p)] = true
					}
				}
			}
		}
	}
	return seen
}

func phraseKey(p phrase) string {
	return p.entity.Kind + "|" + p.entity.ID + "|" + strings.Join(p.words, " ")
}

// fittedOut returns the gazetteer without the forms that fold names and
// other material does not: the forms a list fitted on the fold would hold
// and one written without it would not.
func fittedOut(g *gazetteer, fold []evalRow, other ...[]evalRow) *gazetteer {
	inFold, elsewhere := seenPhrases(g, fold), seenPhrases(g, other...)
	out := &gazetteer{phrases: map[string][]phrase{}}
	for k, ps := range g.phrases {
		for _, p := range ps {
			if key := phraseKey(p); inFold[key] && !elsewhere[key] {
				continue
			}
			out.phrases[k] = append(out.phrases[k], p)
		}
	}
	return out
}

// synonymsFittedOut drops the synonym forms that fold carries and other
// material does not (numbers written in words stay: no fold taught them).
func synonymsFittedOut(syn map[string]string, fold []evalRow, other ...[]evalRow) map[string]string {
	words := func(sets ...[]evalRow) map[string]bool {
		out := map[string]bool{}
		for _, set := range sets {
			for _, r := range set {
				for _, w := range strings.Fields(Normalize(r.title, nil)) {
					w = stem(w)
					out[w] = true
					out[stem(dropProclitic(w))] = true
				}
			}
		}
		return out
	}
	inFold, elsewhere := words(fold), words(other...)
	out := map[string]string{}
	for w, c := range syn {
		if r := []rune(c); len(r) > 0 && unicode.IsDigit(r[0]) || !inFold[w] || elsewhere[w] {
			out[w] = c
		}
	}
	return out
}

// cvFigures are one setting's figures: cross-validated with the lists too,
// the tuning half and the first set with the shipped lists.
type cvFigures struct{ cv, tune, old pairScores }

// crossValidate ingests each fold of the tuning pool with a table of common
// words counted without it and, with lists, the gazetteer, contrasts and
// synonyms as if written without it too. A name logs each fold's figures.
func crossValidate(t *testing.T, p Params, lists bool, name string) pairScores {
	folds := tuneFolds(t)
	old := readOldEvalSet(t)
	g, syn := entityIndex(), synonymOf()
	restoreG, restoreSyn := entityIndex, synonymOf
	defer func() { entityIndex, synonymOf, joinLog = restoreG, restoreSyn, nil }()
	var cv pairScores
	for i, fold := range folds {
		if lists {
			entityIndex = fixed(fittedOut(g, fold, old, folds[1-i]))
			synonymOf = fixed(synonymsFittedOut(syn, fold, old, folds[1-i]))
		}
		m := NewMatcher(0, 0, nil).WithParams(p)
		m.common = commonFrom(old, folds[1-i])
		if os.Getenv("NASHRA_SHOW") == "joins" {
			joinLog = func(row int, j Join) { logWrongJoin(t, fold, row, j) }
		}
		var c pairScores
		if name != "" {
			c = logScores(t, "fold "+itoa(i)+" ("+name+" without it)", fold, m)
		} else {
			c = scorePairs(fold, windowIngest(fold, m))
		}
		cv.tp, cv.fp, cv.fn = cv.tp+c.tp, cv.fp+c.fp, cv.fn+c.fn
	}
	if name != "" {
		t.Logf("%-28s all %s/%s (fp %d, fn %d)", "cross-validated, "+name, f3(cv.precision()), f3(cv.recall()), cv.fp, cv.fn)
	}
	return cv
}

// logWrongJoin logs a join of a report to another story's, with its decision.
func logWrongJoin(t *testing.T, rows []evalRow, row int, j Join) {
	var k int
	fmt.Sscanf(j.Match, "row%d", &k)
	a, b := rows[row], rows[k]
	if a.group != b.group || a.story != b.story {
		d := j.Decision
		t.Logf("WRONG %s/%s→%s/%s: %s | %s\n   %s; penalty %.2f shared %v onlyA %v onlyB %v", a.group, a.story, b.group, b.story, a.title, b.title, d.Reason, d.Penalty, d.Shared, d.OnlyA, d.OnlyB)
	}
}

func measureCV(t *testing.T, p Params) cvFigures {
	f := cvFigures{cv: crossValidate(t, p, true, "")}
	folds := tuneFolds(t)
	old := readOldEvalSet(t)
	tune := append(append([]evalRow(nil), folds[0]...), folds[1]...)
	f.tune = scorePairs(tune, windowIngest(tune, NewMatcher(0, 0, nil).WithParams(p)))
	f.old = scorePairs(old, windowIngest(old, NewMatcher(0, 0, nil).WithParams(p)))
	return f
}

// TestTuneCrossValidationGrid searches the settings (NASHRA_TUNE=cvgrid):
// precision first, on the cross-validation with the lists too.
// NASHRA_ONE="threshold penalty min-evidence min-anchor core" measures one setting.
func TestTuneCrossValidationGrid(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "cvgrid" {
		t.Skip("NASHRA_TUNE=cvgrid")
	}
	if os.Getenv("NASHRA_ONE") != "" {
		var p Params
		fmt.Sscanf(os.Getenv("NASHRA_ONE"), "%g %g %g %g %g", &p.Threshold, &p.Penalty, &p.MinEvidence, &p.MinAnchor, &p.Core)
		f := measureCV(t, p)
		t.Logf("%+v: cv %s/%s tune %s/%s old %s/%s", p, f3(f.cv.precision()), f3(f.cv.recall()), f3(f.tune.precision()), f3(f.tune.recall()), f3(f.old.precision()), f3(f.old.recall()))
		return
	}
	type result struct {
		p Params
		f cvFigures
	}
	var results []result
	for _, th := range []float64{0.15, 0.2, 0.25, 0.3} {
		for _, pen := range []float64{0.1, 0.15, 0.2, 0.3} {
			for _, core := range []float64{0, 5, 6} {
				p := DefaultParams
				p.Threshold, p.Penalty, p.Core = th, pen, core
				results = append(results, result{p, measureCV(t, p)})
			}
		}
	}
	// Precision first (to two places, on the cross-validation, the tuning
	// half and the first set alike), then recall on the cross-validation.
	prec := func(f cvFigures) float64 {
		return math.Floor(100*min(f.cv.precision(), f.tune.precision(), f.old.precision())) / 100
	}
	sort.SliceStable(results, func(i, j int) bool {
		a, b := results[i].f, results[j].f
		if prec(a) != prec(b) {
			return prec(a) > prec(b)
		}
		return a.cv.recall() > b.cv.recall()
	})
	for _, r := range results {
		f := r.f
		t.Logf("threshold %.2f penalty %.2f core %.0f: cv %s/%s tune %s/%s old %s/%s", r.p.Threshold, r.p.Penalty, r.p.Core,
			f3(f.cv.precision()), f3(f.cv.recall()), f3(f.tune.precision()), f3(f.tune.recall()), f3(f.old.precision()), f3(f.old.recall()))
	}
}
