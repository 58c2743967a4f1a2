package news

import "strings"

// Bidi controls (Unicode UAX #9). An embedding or override left open in a
// title runs on into whatever a reader shows after it: the next headline, the
// outlet's name, the time. The marks U+200E and U+200F open nothing and stay.
const (
	lre, rle, pdf, lro, rlo = '\u202A', '\u202B', '\u202C', '\u202D', '\u202E'
	lri, rli, fsi, pdi      = '\u2066', '\u2067', '\u2068', '\u2069'
)

// maxBidiDepth bounds nesting; real text needs two or three levels.
const maxBidiDepth = 16

// BalanceBidi closes every embedding, override and isolate s opens, and drops
// closers that close nothing and openers beyond maxBidiDepth, so that s
// changes the direction of nothing outside itself.
func BalanceBidi(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	var open []rune // openers in force, innermost last
	closer := func(r rune) rune {
		if r == lri || r == rli || r == fsi {
			return pdi
		}
		return pdf
	}
	for _, r := range s {
		switch r {
		case lre, rle, lro, rlo, lri, rli, fsi:
			if len(open) >= maxBidiDepth {
				continue
			}
			open = append(open, r)
		case pdf:
			// A PDF closes the innermost embedding, never past an isolate.
			if len(open) == 0 || closer(open[len(open)-1]) != pdf {
				continue
			}
			open = open[:len(open)-1]
		case pdi:
			i := len(open) - 1
			for i >= 0 && closer(open[i]) != pdi {
				i--
			}
			if i < 0 {
				continue // closes no isolate
			}
			for j := len(open) - 1; j > i; j-- { // embeddings inside the isolate end with it
				b.WriteRune(pdf)
			}
			open = open[:i]
		}
		b.WriteRune(r)
	}
	for i := len(open) - 1; i >= 0; i-- {
		b.WriteRune(closer(open[i]))
	}
	return b.String()
}

func isBidiControl(r rune) bool {
	return (r >= lre && r <= rlo) || (r >= lri && r <= pdi)
}
