package archive

import (
	"path/filepath"
	"testing"

	"github.com/nashra-ma/nashra/story"
)

// TestStoryClustersSet3 measures the matcher on the set written for round
// six by someone who had read neither the matcher nor the other sets
// (story/testdata/independent3): round six's test set, read once at its
// end, and tuning data since round seven (a third writer), so it runs with
// the other tests.
func TestStoryClustersSet3(t *testing.T) {
	rows := readLabelled(t, filepath.Join("..", "story", "testdata", "independent3", "set.tsv"))
	scores := ingestAndScore(t, rows, story.NewMatcher(0, 0, nil))
	p, r := reportScores(t, "round-six set", scores, false)
	t.Logf("round-six set: precision %.3f recall %.3f", p, r)
	// Floors at the figures measured in round seven (README), below the
	// issue's targets (0.99 / 0.90): a guard against going back.
	if p < 0.99 || r < 0.67 {
		t.Errorf("round-six set: precision %.3f recall %.3f, below the floors 0.99 / 0.67", p, r)
	}
}
