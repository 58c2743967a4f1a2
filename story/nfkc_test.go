package story

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func nfkcMarked(r rune) bool {
	i, ok := nfkcIndex(r)
	return ok && nfkcStable()[i/64]&(1<<(i%64)) != 0
}

// TestNFKCStableRunes: every two runes the table marks, in either order,
// are NFKC as they stand (so, by the quick check, is any text of them),
// and the letters of nearly every headline are marked, or toNFKC would
// never save the normaliser's work.
func TestNFKCStableRunes(t *testing.T) {
	var marked []rune
	for r := range rune(nfkcPunctEnd) {
		if nfkcMarked(r) {
			marked = append(marked, r)
		}
	}
	for _, a := range marked {
		for _, b := range marked {
			if s := string([]rune{a, b}); !norm.NFKC.IsNormalString(s) {
				t.Fatalf("U+%04X U+%04X marked, but NFKC changes %q", a, b, s)
			}
		}
	}
	for _, s := range []string{"الحكومة تصادق على مشروع قانون المالية 2026", "Le Raja s'impose à Fès, l'élève réussit", "«Maroc» — 12,5 % «»"} {
		for _, r := range s {
			if !nfkcMarked(r) {
				t.Errorf("%q (U+%04X) of %q not marked", r, r, s)
			}
		}
	}
	for _, r := range []rune{0x064B, 0x0651, 0x0653, 0x0654, 0x0655, 0x0301, 0x00A0, 0x00BD, 0x0675, 0x2026, 0x2002} {
		if nfkcMarked(r) {
			t.Errorf("U+%04X marked: NFKC changes it or what it follows", r)
		}
	}
}

// TestToNFKC: toNFKC gives the normaliser's answer on marked and unmarked
// text alike.
func TestToNFKC(t *testing.T) {
	for _, s := range []string{"", "abc", "الحكومة", "آ", "ا\u0653", "و\u0654", "ي\u0654", "ﻻ", "ﷺ", "ﭐ", "e\u0301", "é", "½ x²", "\xff\xfeab", "ب\u0651\u064e", "ب\u064e\u0651", "Ⅻ", "ﬁn", "\u00a0", "a…b", "x\u2002y", "«—»"} {
		if got, want := toNFKC(s), norm.NFKC.String(s); got != want {
			t.Errorf("toNFKC(%q) = %q, the normaliser %q", s, got, want)
		}
	}
}

func FuzzToNFKC(f *testing.F) {
	for _, s := range []string{"الحكومة", "ا\u0653", "e\u0301", "\xffa", "ﻻ", "Fès"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := toNFKC(s), norm.NFKC.String(s); got != want {
			t.Errorf("toNFKC(%q) = %q, the normaliser %q", s, got, want)
		}
	})
}
