package story

import (
	"strings"
	"testing"
)

// TestSkeleton: two spellings of a long loanword share a skeleton; short
// words and Latin ones have none.
func TestSkeleton(t *testing.T) {
	tests := []struct {
		name, a, b string
		same       bool
	}{
		{"with and without an alef", "باكالوريا", "بكالوريا", true},
		{"with and without a long vowel inside", "الترامواي", "الترمواي", true},
		{"another consonant is another word", "الترامواي", "الطرامواي", false},
		{"short words have no skeleton", "سعيد", "سعد", false},
		{"Latin words have none", "tramway", "tramwai", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sa, sb := skeleton(Tokens(Normalize(tt.a, nil))[0]), skeleton(Tokens(Normalize(tt.b, nil))[0])
			if got := sa != "" && sa == sb; got != tt.same {
				t.Errorf("skeleton(%q) = %q, skeleton(%q) = %q: same %v, want %v", tt.a, sa, tt.b, sb, got, tt.same)
			}
		})
	}
}

// Darija's function words are stop words, as their Arabic counterparts
// are: "ديال" (of), "هادو" (these), "غادي" (will), "باش" (to).
func TestDarijaFunctionWords(t *testing.T) {
	got := strings.Join(Tokens(Normalize("الحكومة صادقات على مرسوم ديال المرشدين السياحيين", nil)), " ")
	if strings.Contains(got, "ديال") {
		t.Errorf("Tokens kept ديال: %s", got)
	}
}
