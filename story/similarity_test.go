package story

import (
	"slices"
	"testing"
)

// TestTrigrams: the packed trigrams are the distinct three-code-point
// windows of the text padded with a space, one for one.
func TestTrigrams(t *testing.T) {
	windows := func(s string) []string {
		r := []rune(" " + s + " ")
		var out []string
		for i := 0; i+3 <= len(r); i++ {
			if w := string(r[i : i+3]); !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
		return out
	}
	for _, s := range []string{"", "a", "ab", "aaaa", "طنجة", "le prix du gasoil", "باكالوريا 2026", "\U0010FFFF\U0010FFFF x", "بـ7 % 0.4"} {
		got := trigrams(s)
		want := windows(s)
		if len(got) != len(want) {
			t.Errorf("%q: %d trigrams, want %d", s, len(got), len(want))
			continue
		}
		for _, w := range want {
			r := []rune(w)
			if _, found := slices.BinarySearch(got, uint64(r[0])<<42|uint64(r[1])<<21|uint64(r[2])); !found {
				t.Errorf("%q: trigram %q missing", s, w)
			}
		}
		if !slices.IsSorted(got) {
			t.Errorf("%q: trigrams not sorted", s)
		}
	}
}
