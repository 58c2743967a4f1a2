package story

import (
	"fmt"
	"os"
	"testing"
)

// Leave one writer out (NASHRA_TUNE=writers): the tuning pool holds seven
// writers' headlines (the independent set's two halves, the round-five set,
// the round-six set, the round-seven set, the round-eight set, the round-nine set and the round-ten set), and a rule found on one
// writer's templates is judged on the others'.
// Round five's lesson: rules fitted to one writer's headlines raised the
// pooled cross-validation and not the other writer's set. Each set is
// ingested alone through the window, with everything as shipped, and again
// with the common-words table counted without it and the gazetteer,
// contrasts and synonyms as if written without it (crossValidate's lists).

// writerSet is one writer's labelled headlines, named.
type writerSet struct {
	name string
	rows []evalRow
}

// writerSets are the labelled sets, each ingested alone.
func writerSets(t *testing.T) []writerSet {
	sets := []writerSet{
		{"first set", readOldEvalSet(t)},
		{"independent", readIndependentWriter(t)},
	}
	for _, dir := range writerSetDirs {
		sets = append(sets, writerSet{dir, readWriterEval(t, dir)})
	}
	return sets
}

func TestTuneWriters(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "writers" {
		t.Skip("NASHRA_TUNE=writers")
	}
	sets := writerSets(t)
	p := DefaultParams
	if v := os.Getenv("NASHRA_PARAMS"); v != "" { // "threshold penalty drift core grace"
		fmt.Sscanf(v, "%g %g %g %g %g", &p.Threshold, &p.Penalty, &p.Drift, &p.Core, &p.Grace)
		t.Logf("%+v", p)
	}
	for _, s := range sets {
		logScores(t, s.name+" (shipped)", s.rows, NewMatcher(0, 0, nil).WithParams(p))
	}
	old := sets[0].rows
	g, syn := entityIndex(), synonymOf()
	restoreG, restoreSyn := entityIndex, synonymOf
	defer func() { entityIndex, synonymOf = restoreG, restoreSyn }()
	for i := 1; i < len(sets); i++ {
		set := sets[i].rows
		others := [][]evalRow{old}
		for k := 1; k < len(sets); k++ {
			if k != i {
				others = append(others, sets[k].rows)
			}
		}
		entityIndex = fixed(fittedOut(g, set, others...))
		synonymOf = fixed(synonymsFittedOut(syn, set, others...))
		m := NewMatcher(0, 0, nil).WithParams(p)
		m.common = commonFrom(others...)
		logScores(t, sets[i].name+" (writer out)", set, m)
		entityIndex, synonymOf = restoreG, restoreSyn
	}
}
