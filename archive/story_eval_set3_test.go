package archive

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nashra-ma/nashra/story"
)

// TestStoryClustersSet3 measures the matcher on the set written for round
// six by someone who had read neither the matcher nor the other sets
// (story/testdata/independent3): figures only, never pairs, and only with
// NASHRA_HELD_OUT=1 (.ci/run sets it), so that nobody tuning sees it.
func TestStoryClustersSet3(t *testing.T) {
	if os.Getenv("NASHRA_HELD_OUT") != "1" {
		t.Skip("reads the round-six test set: NASHRA_HELD_OUT=1 (.ci/run sets it; never while tuning)")
	}
	rows := readLabelled(t, filepath.Join("..", "story", "testdata", "independent3", "set.tsv"))
	scores := ingestAndScore(t, rows, story.NewMatcher(0, 0, nil))
	p, r := reportScores(t, "round-six set", scores, false)
	t.Logf("round-six test set: precision %.3f recall %.3f", p, r)
	// Floors at the shipped matcher's figures when the set arrived (README:
	// 0.995 / 0.564), below the recall target (0.90).
	if p < 0.99 || r < 0.56 {
		t.Errorf("round-six test set: precision %.3f recall %.3f, below the floors 0.99 / 0.56", p, r)
	}
}
