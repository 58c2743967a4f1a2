package story

import (
	"os"
	"sort"
	"testing"
)

// TestTuneDecide is a tuning aid on the tuning half only: pairwise decisions
// with the window's document frequencies taken over the whole half.
func TestTuneDecide(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") == "" {
		t.Skip("NASHRA_TUNE=1")
	}
	rows := readIndependentHalf(t, "tune.tsv")
	df := map[string]map[string]int{}
	hs := make([]*Headline, len(rows))
	for i, r := range rows {
		hs[i] = Prepare(r.headline, knownPublishers)
		if df[r.language] == nil {
			df[r.language] = map[string]int{}
		}
		for _, term := range hs[i].terms {
			df[r.language][term]++
		}
	}
	type res struct {
		p      Params
		tp, fp int
		fn     int
	}
	var results []res
	for _, th := range []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6} {
		for _, pen := range []float64{0, 0.05, 0.1, 0.15, 0.2, 0.3} {
			for _, ev := range []float64{4, 6, 8, 10, 12} {
				p := Params{Threshold: th, Penalty: pen, MinEvidence: ev, EntityPenalty: 0.5}
				if os.Getenv("NASHRA_TUNE") != "1" {
					p = DefaultParams
				}
				var r res
				r.p = p
				for i := range rows {
					for j := i + 1; j < len(rows); j++ {
						a, b := rows[i], rows[j]
						if a.language != b.language || a.group != b.group {
							continue
						}
						w := WindowWeights{Lang: a.language, DocFreq: func(s string) int { return df[a.language][s] }}
						d := Decide(hs[i], hs[j], w, p)
						same := a.story == b.story
						switch {
						case d.Same && same:
							r.tp++
						case d.Same:
							r.fp++
							if os.Getenv("NASHRA_TUNE") == "2" && p == DefaultParams {
								t.Logf("FP %.2f pen %.2f %v|%v: %s | %s", d.Score, d.Penalty, d.OnlyA[:min(2, len(d.OnlyA))], d.OnlyB[:min(2, len(d.OnlyB))], a.headline, b.headline)
							}
						case same:
							r.fn++
							if os.Getenv("NASHRA_TUNE") == "3" && p == DefaultParams {
								t.Logf("FN %.2f %s: %s | %s", d.Score, d.Reason, a.headline, b.headline)
							}
						}
					}
				}
				results = append(results, r)
			}
		}
	}
	f1 := func(r res) float64 { // precision-weighted
		p := float64(r.tp) / (float64(r.tp+r.fp) + 1e-9)
		rc := float64(r.tp) / float64(r.tp+r.fn)
		return rc - 10*max(0, 0.99-p)
	}
	sort.Slice(results, func(i, j int) bool { return f1(results[i]) > f1(results[j]) })
	for _, r := range results[:15] {
		t.Logf("%+v tp %d fp %d fn %d  P %.3f R %.3f", r.p, r.tp, r.fp, r.fn,
			float64(r.tp)/float64(r.tp+r.fp), float64(r.tp)/float64(r.tp+r.fn))
	}
}
