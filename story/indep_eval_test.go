package story

import (
	"os"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// TestIndependentPairsTune is a tuning diagnostic: pairwise decisions on the
// tuning half, with every mistake logged. It never reads the test half.
func TestIndependentPairsTune(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") == "" {
		t.Skip("set NASHRA_TUNE=1 to print the tuning half's pairwise mistakes")
	}
	rows := readIndependentHalf(t, "tune.tsv")
	m := NewMatcher(0, 0, nil)
	at := time.Date(2026, 4, 14, 0, 0, 0, 0, time.UTC)
	var tp, fp, fn, tn int
	for i := range rows {
		for j := i + 1; j < len(rows); j++ {
			a, b := rows[i], rows[j]
			if a.language != b.language || a.group != b.group {
				continue
			}
			same := a.story == b.story
			ia := &news.Item{Title: a.headline, Language: a.language, Time: at.Add(time.Duration(a.minutes) * time.Minute)}
			ib := &news.Item{Title: b.headline, Language: b.language, Time: at.Add(time.Duration(b.minutes) * time.Minute)}
			got := m.Same(ia, ib)
			switch {
			case got && same:
				tp++
			case got:
				fp++
				t.Logf("FP %.2f %s | %s", m.Score(a.headline, b.headline), a.headline, b.headline)
			case same:
				fn++
				t.Logf("FN %.2f %s | %s", m.Score(a.headline, b.headline), a.headline, b.headline)
			default:
				tn++
			}
		}
	}
	t.Logf("tune pairs: tp %d fp %d fn %d tn %d precision %.3f recall %.3f", tp, fp, fn, tn,
		float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn))
}
