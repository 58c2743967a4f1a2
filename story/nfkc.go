package story

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The runes nfkcStable says something of: Latin, Greek, Cyrillic, Hebrew
// and the Arabic block, and General Punctuation (dashes, quotes), where
// nearly every headline's runes lie.
const (
	nfkcLowEnd     = 0x700
	nfkcPunctFirst = 0x2000
	nfkcPunctEnd   = 0x2070
	// nfkcWords is the size of nfkcStable in 64-bit words.
	nfkcWords = (nfkcLowEnd + nfkcPunctEnd - nfkcPunctFirst + 63) / 64
)

// nfkcStable marks each rune it covers (nfkcIndex) that NFKC leaves as it
// is wherever it stands: a starter (combining class 0) that composes with
// nothing before it and is NFKC alone. A text made only of such runes is
// NFKC already (Unicode's quick check), so toNFKC returns it without the
// normaliser's table look-ups on each rune. Arabic harakat, hamza above
// and below and the madda are not marked (they compose with the letter
// before them or are reordered), nor is "…" (NFKC makes it "...").
var nfkcStable = sync.OnceValue(func() *[nfkcWords]uint64 {
	var set [nfkcWords]uint64
	for _, span := range [][2]rune{{0, nfkcLowEnd}, {nfkcPunctFirst, nfkcPunctEnd}} {
		for r := span[0]; r < span[1]; r++ {
			s := string(r)
			if p := norm.NFKC.PropertiesString(s); p.BoundaryBefore() && p.CCC() == 0 && norm.NFKC.IsNormalString(s) {
				i, _ := nfkcIndex(r)
				set[i/64] |= 1 << (i % 64)
			}
		}
	}
	return &set
})

// nfkcIndex is r's place in nfkcStable; false when the table does not
// cover r.
func nfkcIndex(r rune) (rune, bool) {
	switch {
	case r < nfkcLowEnd:
		return r, true
	case r >= nfkcPunctFirst && r < nfkcPunctEnd:
		return r - nfkcPunctFirst + nfkcLowEnd, true
	}
	return 0, false
}

// toNFKC is norm.NFKC.String(s): s itself when every rune is one
// nfkcStable marks, the normaliser's answer otherwise.
func toNFKC(s string) string {
	set := nfkcStable()
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if set[c/64]&(1<<(c%64)) == 0 {
				return norm.NFKC.String(s)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:]) // an invalid byte is utf8.RuneError, not covered
		x, ok := nfkcIndex(r)
		if !ok || set[x/64]&(1<<(x%64)) == 0 {
			return norm.NFKC.String(s)
		}
		i += n
	}
	return s
}
