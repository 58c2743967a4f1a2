package aggregator

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The runes settled knows: below latinArabicEnd (Latin, Greek, Cyrillic,
// Hebrew, Arabic) and General Punctuation (’ “ ” – — … ‹ ›), what Moroccan
// feeds write.
const (
	latinArabicEnd = 0x800
	punctStart     = 0x2000
	punctEnd       = 0x2070
)

// The Arabic harakat (tanwin, fatha, damma, kasra, shadda, sukun: U+064B
// to U+0652) are marks of canonical combining classes 27 to 34 in that
// order, and their NFC quick check is Yes: they compose with nothing, so
// text that carries them ("أولاً", "جداً") is NFC as long as no haraka
// follows one of a higher class (Unicode's quick check), which settled
// checks. TestHarakatSettled holds these numbers to norm's.
const (
	harakaFirst = '\u064b'
	harakaLast  = '\u0652'
	harakaCCC   = 27
)

// settledRunes has a bit per rune of those ranges (General Punctuation
// after the others) that text can hold and still be settled. Computed once
// from norm and the rules of CleanText, never written after.
var settledRunes = func() (set [(latinArabicEnd + punctEnd - punctStart + 63) / 64]uint64) {
	for r := rune(0); r < punctEnd; r++ {
		if r == latinArabicEnd {
			r = punctStart
		}
		if settledRune(r) {
			i := settledIndex(r)
			set[i/64] |= 1 << (i % 64)
		}
	}
	return set
}()

// settledRune reports whether r leaves text as CleanText would leave it:
// a starter (canonical combining class 0) whose NFC quick check is Yes — it
// is never reordered, decomposed, or composed with what precedes it, so
// text made only of such runes is NFC (Unicode's quick check) — that is no
// space, no control, not zero-width, no bidi control and allowed in XML.
// ASCII space is the caller's (allowed alone between other runes).
func settledRune(r rune) bool {
	s := string(r)
	if p := norm.NFC.PropertiesString(s); !p.BoundaryBefore() || !norm.NFC.IsNormalString(s) {
		return false
	}
	return !unicode.IsSpace(r) && !unicode.IsControl(r) && xmlChar(r) &&
		r != '\u00a0' && r != '\u202f' && r != '\u200b' && r != '\ufeff' &&
		!(r >= '\u202a' && r <= '\u202e') && !(r >= '\u2066' && r <= '\u2069')
}

func settledIndex(r rune) rune {
	if r >= punctStart {
		return r - punctStart + latinArabicEnd
	}
	return r
}

// settled reports whether CleanText's last steps (NFC, folding white space,
// balancing bidi controls) leave s as it is: valid UTF-8 of settled runes,
// single ASCII spaces between them. Most headlines and excerpts are, and
// telling it with a bit per rune costs a fraction of running those steps.
func settled(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	var last rune // the canonical combining class of the rune before (0: a starter)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			last = 0
			if c == ' ' {
				if s[i+1] == ' ' { // the last byte is no space: s[i+1] exists
					return false
				}
			} else if settledRunes[c/64]&(1<<(c%64)) == 0 {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= harakaFirst && r <= harakaLast {
			// Unicode's quick check: a mark after a mark of a higher
			// class would be reordered.
			if ccc := r - harakaFirst + harakaCCC; last <= ccc {
				last = ccc
				i += n
				continue
			}
			return false
		}
		last = 0
		if (r >= latinArabicEnd && r < punctStart) || r >= punctEnd {
			return false // RuneError (invalid UTF-8) included
		}
		if j := settledIndex(r); settledRunes[j/64]&(1<<(j%64)) == 0 {
			return false
		}
		i += n
	}
	return true
}
