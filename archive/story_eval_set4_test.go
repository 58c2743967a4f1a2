package archive

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nashra-ma/nashra/story"
)

// TestStoryClustersSet4 measures the matcher on the set written for round
// seven by someone who had read neither the matcher nor the other sets
// (story/testdata/independent4): figures only, never pairs, and only with
// NASHRA_HELD_OUT=1 (.ci/run sets it), so that nobody tuning sees it.
func TestStoryClustersSet4(t *testing.T) {
	if os.Getenv("NASHRA_HELD_OUT") != "1" {
		t.Skip("reads the round-seven test set: NASHRA_HELD_OUT=1 (.ci/run sets it; never while tuning)")
	}
	rows := readLabelled(t, filepath.Join("..", "story", "testdata", "independent4", "set.tsv"))
	scores := ingestAndScore(t, rows, story.NewMatcher(0, 0, nil))
	p, r := reportScores(t, "round-seven set", scores, false)
	t.Logf("round-seven test set: precision %.3f recall %.3f", p, r)
	// Floors at round seven's figures, read once at the end of the round
	// (README: 0.995 / 0.730; the matcher before it 0.984 / 0.619), below the
	// issue's recall target (0.90).
	if p < 0.99 || r < 0.725 {
		t.Errorf("round-seven test set: precision %.3f recall %.3f, below the floors 0.99 / 0.725", p, r)
	}
}
