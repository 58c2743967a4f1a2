package archive

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nashra-ma/nashra/story"
)

// The sets written apart for rounds five to nine, each by someone
// who had read neither the matcher nor the other sets: figures only, never
// pairs. A set still held out runs only with NASHRA_HELD_OUT=1 (.ci/run sets
// it), so that nobody tuning sees it by running the package's tests.

// TestStoryClustersNewSet measures the round-five set
// (story/testdata/independent2): round five's test set, tuning data since
// round six (the leave-one-writer-out measure in story reads it,
// NASHRA_TUNE=writers). It still runs only with NASHRA_HELD_OUT=1. Floors at
// the figures measured in round ten (README: 0.991 / 0.737; round eight
// 0.991 / 0.715, round five shipped 0.913 / 0.528), below the issue's
// targets (0.99 / 0.90).
func TestStoryClustersNewSet(t *testing.T) {
	heldOut(t, "round-five")
	scoreSetApart(t, "independent2", "new set", "round-five test set", 0.99, 0.73)
}

// TestStoryClustersSet3 measures the round-six set
// (story/testdata/independent3): round six's test set, read once at its
// end, and tuning data since round seven (a third writer), so it runs with
// the other tests. Floors at the figures measured in round ten (README:
// 1.000 / 0.760; round eight 1.000 / 0.748).
func TestStoryClustersSet3(t *testing.T) {
	scoreSetApart(t, "independent3", "round-six set", "round-six set", 0.99, 0.76)
}

// TestStoryClustersSet4 measures the round-seven set
// (story/testdata/independent4): round seven's test set, read once at its
// end, and tuning data since round eight (a fourth writer), so it runs with
// the other tests. Floors at the figures measured in round ten (README:
// 1.000 / 0.813; round eight 1.000 / 0.796, round seven 0.995 / 0.730, the
// matcher before it 0.984 / 0.619).
func TestStoryClustersSet4(t *testing.T) {
	scoreSetApart(t, "independent4", "round-seven set", "round-seven set", 0.99, 0.81)
}

// TestStoryClustersSet5 measures the round-eight set
// (story/testdata/independent5): round eight's test set, read twice, by the
// matcher before round eight (0.992 / 0.796) and by round eight at its end
// (0.992 / 0.815, README), and tuning data since round nine (a fifth
// writer), so it runs with the other tests. Floors at round ten's figures
// (1.000 / 0.821; round nine's rules, which read 1.000 / 0.843 here, were
// not shipped).
func TestStoryClustersSet5(t *testing.T) {
	scoreSetApart(t, "independent5", "round-eight set", "round-eight set", 0.99, 0.82)
}

// TestStoryClustersSet6 measures the round-nine set
// (story/testdata/independent6): round nine's test set, read twice, by the
// shipped matcher when it was merged and by round nine at its end (both
// 1.000 / 0.721, round nine not shipped, README), and tuning data since
// round ten (a sixth writer), so it runs with the other tests. Floors at
// the figures measured in round ten (README: 1.000 / 0.735).
func TestStoryClustersSet6(t *testing.T) {
	scoreSetApart(t, "independent6", "round-nine set", "round-nine set", 0.99, 0.73)
}

// TestStoryClustersSet7 measures the round-ten set
// (story/testdata/independent7): round ten's test set, read twice, by the
// matcher before round ten (0.979 / 0.787) when it was merged and by round
// ten at its end (0.980 / 0.798, shipped, README), and tuning data since
// round eleven (a seventh writer), so it runs with the other tests. Floors
// at the figures measured in round eleven (README).
func TestStoryClustersSet7(t *testing.T) {
	scoreSetApart(t, "independent7", "round-ten set", "round-ten set", 0.97, 0.79)
}

// TestStoryClustersSet8 measures the round-eleven set
// (story/testdata/independent8): round eleven's test set, read twice, by the
// shipped matcher when it was merged (0.964 / 0.731) and by round eleven at
// its end (0.964 / 0.724, not shipped, README), and tuning data since round
// twelve (an eighth writer), so it runs with the other tests. Floors below
// the shipped matcher's figures.
func TestStoryClustersSet8(t *testing.T) {
	scoreSetApart(t, "independent8", "round-eleven set", "round-eleven test set", 0.96, 0.72)
}

// TestStoryClustersSet9 measures the round-twelve set
// (story/testdata/independent9): round twelve's test set, read twice, by the
// shipped matcher when it was merged (0.893 / 0.360) and by round twelve at
// its end (0.883 / 0.388, not shipped, README), and tuning data since round
// thirteen (a ninth writer), so it runs with the other tests. Floors below
// the shipped matcher's figures.
func TestStoryClustersSet9(t *testing.T) {
	scoreSetApart(t, "independent9", "round-twelve set", "round-twelve test set", 0.89, 0.35)
}

// TestStoryClustersSet10 measures the round-thirteen set
// (story/testdata/independent10): round thirteen's test set, read twice, by
// the matcher before round thirteen when it was merged (0.910 / 0.424) and
// by round thirteen at its end (0.947 / 0.443, shipped, README), and tuning
// data since round fourteen (a tenth writer), so it runs with the other
// tests. Floors at round thirteen's figures.
func TestStoryClustersSet10(t *testing.T) {
	scoreSetApart(t, "independent10", "round-thirteen set", "round-thirteen test set", 0.94, 0.44)
}

// TestStoryClustersSet11 measures the round-fourteen set
// (story/testdata/independent11): round fourteen's test set, read twice, by
// the shipped matcher when it was merged (0.808 / 0.354) and by round
// fourteen at its end (0.810 / 0.358, not shipped, README), and tuning data
// since round fifteen (an eleventh writer), so it runs with the other
// tests. Floors below the shipped matcher's figures.
func TestStoryClustersSet11(t *testing.T) {
	scoreSetApart(t, "independent11", "round-fourteen set", "round-fourteen test set", 0.80, 0.35)
}

// TestStoryClustersSet12 measures the round-fifteen set
// (story/testdata/independent12): round fifteen's test set, read twice, by
// the shipped matcher when it was merged and by round fifteen at its end
// (both 0.922 / 0.476, not shipped, README), and tuning data since round
// sixteen (a twelfth writer), so it runs with the other tests. Floors below
// the shipped matcher's figures.
func TestStoryClustersSet12(t *testing.T) {
	scoreSetApart(t, "independent12", "round-fifteen set", "round-fifteen test set", 0.91, 0.46)
}

// TestStoryClustersSet13 measures the round-sixteen set
// (story/testdata/independent13): round sixteen's test set, read twice, by
// the shipped matcher when it was merged and by round sixteen at its end
// (0.946 / 0.585 and 0.947 / 0.588, not shipped, README), and tuning data
// since round seventeen (a thirteenth writer), so it runs with the other
// tests. Floors below the shipped matcher's figures.
func TestStoryClustersSet13(t *testing.T) {
	scoreSetApart(t, "independent13", "round-sixteen set", "round-sixteen test set", 0.93, 0.57)
}

// TestStoryClustersSet14 measures the round-seventeen set
// (story/testdata/independent14): round seventeen's test set, read twice, by
// the shipped matcher when it was merged and by round seventeen at its end
// (0.991 / 0.495 and 0.991 / 0.498, not shipped, README), and tuning data
// since round eighteen (a fourteenth writer), so it runs with the other
// tests. Floors below the shipped matcher's figures.
func TestStoryClustersSet14(t *testing.T) {
	scoreSetApart(t, "independent14", "round-seventeen set", "round-seventeen test set", 0.98, 0.48)
}

// TestStoryClustersSet15 measures the round-eighteen set
// (story/testdata/independent15): round eighteen's test set, read twice, by
// the shipped matcher when it was merged and by round eighteen at its end
// (0.946 / 0.494 and 0.947 / 0.506, shipped, README), and tuning data since
// round nineteen (a fifteenth writer), so it runs with the other tests.
// Floors below the shipped matcher's figures.
func TestStoryClustersSet15(t *testing.T) {
	scoreSetApart(t, "independent15", "round-eighteen set", "round-eighteen test set", 0.93, 0.48)
}

// TestStoryClustersSet16 measures the round-nineteen set
// (story/testdata/independent16): round nineteen's test set, read twice, by
// the shipped matcher when it was merged and by round nineteen at its end
// (0.963 / 0.455 both, shipped, README), and tuning data since round twenty
// (a sixteenth writer), so it runs with the other tests. Floors below the
// shipped matcher's figures.
func TestStoryClustersSet16(t *testing.T) {
	scoreSetApart(t, "independent16", "round-nineteen set", "round-nineteen test set", 0.95, 0.44)
}

// TestStoryClustersSet17 measures the round-twenty set
// (story/testdata/independent17): round twenty's test set, read twice, by
// the shipped matcher when it was merged and by round twenty at its end
// (0.956 / 0.438 and 0.957 / 0.445, shipped, README), and tuning data since
// round twenty-one (a seventeenth writer), so it runs with the other tests.
// Floors below the shipped matcher's figures.
func TestStoryClustersSet17(t *testing.T) {
	scoreSetApart(t, "independent17", "round-twenty set", "round-twenty test set", 0.94, 0.42)
}

// TestStoryClustersSet18 measures the round-twenty-one set
// (story/testdata/independent18): round twenty-one's test set, read twice,
// by the shipped matcher when it was merged and by round twenty-one at its
// end (0.974 / 0.472 both, shipped, README), and tuning data since round
// twenty-two (an eighteenth writer), so it runs with the other tests.
// Floors below the shipped matcher's figures.
func TestStoryClustersSet18(t *testing.T) {
	scoreSetApart(t, "independent18", "round-twenty-one set", "round-twenty-one test set", 0.96, 0.46)
}

// TestStoryClustersSet19 measures the round-twenty-two set
// (story/testdata/independent19): round twenty-two's test set, read twice,
// by the shipped matcher when it was merged and by round twenty-two at its
// end (0.996 / 0.530 and 0.996 / 0.534, not shipped, README), and tuning
// data since round twenty-three (a nineteenth writer), so it runs with the
// other tests. Floors below the shipped matcher's figures.
func TestStoryClustersSet19(t *testing.T) {
	scoreSetApart(t, "independent19", "round-twenty-two set", "round-twenty-two test set", 0.98, 0.51)
}

// TestStoryClustersSet20 measures the round-twenty-three set
// (story/testdata/independent20): round twenty-three's test set, read
// twice, by the shipped matcher when it was merged and by round
// twenty-three at its end (0.974 / 0.418 both, not shipped, README), and
// tuning data since round twenty-four (a twentieth writer), so it runs with
// the other tests. Floors below the shipped matcher's figures.
func TestStoryClustersSet20(t *testing.T) {
	scoreSetApart(t, "independent20", "round-twenty-three set", "round-twenty-three test set", 0.96, 0.40)
}

// TestStoryClustersSet21 measures the round-twenty-four set
// (story/testdata/independent21): round twenty-four's test set, read
// twice, by the shipped matcher when it was merged and by round
// twenty-four at its end (0.940 / 0.435 and 0.948 / 0.435, shipped,
// README), and tuning data since round twenty-five (a twenty-first
// writer), so it runs with the other tests. Floors below the shipped
// matcher's figures.
func TestStoryClustersSet21(t *testing.T) {
	scoreSetApart(t, "independent21", "round-twenty-four set", "round-twenty-four test set", 0.92, 0.42)
}

// TestStoryClustersSet22 scores the round-twenty-five test set, written
// apart (story/testdata/independent22), held out (NASHRA_HELD_OUT=1, as
// .ci/run sets it; never while tuning). Read by the shipped matcher when it
// was merged (README). Floors below the shipped matcher's figures.
func TestStoryClustersSet22(t *testing.T) {
	heldOut(t, "round-twenty-five")
	scoreSetApart(t, "independent22", "round-twenty-five set", "round-twenty-five test set", 0.96, 0.51)
}

// heldOut skips t unless NASHRA_HELD_OUT=1.
func heldOut(t *testing.T, round string) {
	if os.Getenv("NASHRA_HELD_OUT") != "1" {
		t.Skipf("reads the %s test set: NASHRA_HELD_OUT=1 (.ci/run sets it; never while tuning)", round)
	}
}

// scoreSetApart ingests story/testdata/dir/set.tsv through the real path,
// logs its figures per language (label) and in all (name), and fails below
// the floors.
func scoreSetApart(t *testing.T, dir, label, name string, minP, minR float64) {
	rows := readLabelled(t, filepath.Join("..", "story", "testdata", dir, "set.tsv"))
	p, r := reportScores(t, label, ingestAndScore(t, rows, story.NewMatcher(0, 0, nil)), false)
	t.Logf("%s: precision %.3f recall %.3f", name, p, r)
	if p < minP || r < minR {
		t.Errorf("%s: precision %.3f recall %.3f, below the floors %g / %g", name, p, r, minP, minR)
	}
}
