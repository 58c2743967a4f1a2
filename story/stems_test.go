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

// A verb in the present and its verbal noun are one word (verbalKey):
// تعلق/تعليق, يعلنون/إعلان, ترتفع/ارتفاع, يستثمر/استثمار, يقاطعون/مقاطعة;
// two verbs or two nouns are matched by their own forms, not by the key,
// and a word of another root is not matched.
func TestVerbalKey(t *testing.T) {
	tests := []struct {
		name, a, b string
		same       bool
	}{
		{"form II", "تعلق", "تعليق", true},
		{"form II, the verb behind a proclitic", "وتعلق", "التعليق", true},
		{"form IV, a plural verb", "يعلنون", "إعلان", true},
		{"form IV", "تعلن", "إعلان", true},
		{"form VII", "ينطلق", "انطلاق", true},
		{"form VIII", "ترتفع", "ارتفاع", true},
		{"form X", "يستثمر", "استثمار", true},
		{"form III, a plural verb", "يقاطعون", "مقاطعة", true},
		{"two verbs are not read by the key", "يعلق", "تعلق", false},
		{"another root", "تعلق", "تعيين", false},
		{"a short word has no key", "تم", "تمام", false},
		{"Latin words have none", "tramway", "tramwai", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := verbalKey(Tokens(Normalize(tt.a, nil))[0]), verbalKey(Tokens(Normalize(tt.b, nil))[0])
			if got := verbalMatch(ka, kb); got != tt.same {
				t.Errorf("verbalKey(%q) = %q, verbalKey(%q) = %q: match %v, want %v", tt.a, ka, tt.b, kb, got, tt.same)
			}
		})
	}
	// In a decision, the verb and the noun are one shared word.
	a := Prepare("النقابات تعلق الإضراب بقطاع الصحة", nil)
	b := Prepare("تعليق الإضراب بقطاع الصحة", nil)
	d := Decide(a, b, WindowWeights{Lang: "ar"}, DefaultParams)
	if len(d.OnlyA) != 1 || d.OnlyA[0].Word != "نقابات" {
		t.Errorf("only in A = %v, want نقابات alone (تعلق = تعليق)", d.OnlyA)
	}
}
