package aggregator

import (
	"strings"
	"unicode/utf8"
)

// A feed date names its zone at its end. offsetAtEnd and abbrevAtEnd read
// that end as the regular expressions (?i)(?:\dz|[+-]\d{2}:?\d{2})\s*$ and
// (?i)\b([a-z]{1,5})\s*$ would (FuzzZoneAtEnd holds them to it), without
// trying a match from every position of the date: two per item of every
// first poll were ~1.5 % of its CPU.

// regexpSpace is what \s matches in Go's regular expressions.
const regexpSpace = " \t\n\f\r"

// offsetAtEnd reports whether s ends, white space aside, in a zone offset
// (+01:00, -0500) or in a Z after a digit (…00Z: an abbreviation that ends
// in z, "XYZ", is not one, seen from outside read as UTC).
func offsetAtEnd(s string) bool {
	s = strings.TrimRight(s, regexpSpace)
	n := len(s)
	switch {
	case n > 1 && (s[n-1] == 'z' || s[n-1] == 'Z') && allDigits(s[n-2:n-1]):
		return true
	case n >= 5 && isSign(s[n-5]) && allDigits(s[n-4:]):
		return true
	case n >= 6 && isSign(s[n-6]) && allDigits(s[n-5:n-3]) && s[n-3] == ':' && allDigits(s[n-2:]):
		return true
	}
	return false
}

// abbrevAtEnd returns the zone abbreviation s ends in, white space aside:
// one to five letters, the first at a word boundary. A letter is what
// (?i)[a-z] matches: ASCII letters, and the Kelvin sign and the long s,
// which fold to k and s; a word character is ASCII only (\b's \w).
func abbrevAtEnd(s string) (string, bool) {
	s = strings.TrimRight(s, regexpSpace)
	// starts[i] is where the (i+1)-th letter from the end begins; a sixth
	// is read only to be the letter before the fifth.
	var starts [6]int
	k, end := 0, len(s)
	for k < len(starts) {
		r, size := utf8.DecodeLastRuneInString(s[:end])
		if !foldsToASCIILetter(r) {
			break
		}
		end -= size
		starts[k] = end
		k++
	}
	// The leftmost start wins, as in a regular expression.
	for i := min(k, 5) - 1; i >= 0; i-- {
		p := starts[i]
		before := false // \A: no word character
		if p > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:p])
			before = isWordRune(r)
		}
		r, _ := utf8.DecodeRuneInString(s[p:])
		if before != isWordRune(r) {
			return s[p:], true
		}
	}
	return "", false
}

// hourOffsetAtEnd reads the bare hour offset s ends in, white space aside:
// a space, a sign and two digits ("12:00:00 +01"), and returns it in
// seconds east of UTC. "2026-03-01" ends in no offset: a digit, not a
// space, stands before its sign.
func hourOffsetAtEnd(s string) (int, bool) {
	s = strings.TrimRight(s, regexpSpace)
	n := len(s)
	if n < 4 || s[n-4] != ' ' || !isSign(s[n-3]) || !allDigits(s[n-2:]) {
		return 0, false
	}
	h := int(s[n-2]-'0')*10 + int(s[n-1]-'0')
	if h > 14 {
		return 0, false // no zone is that far from UTC
	}
	if s[n-3] == '-' {
		h = -h
	}
	return h * 3600, true
}

func isSign(b byte) bool { return b == '+' || b == '-' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// foldsToASCIILetter reports whether (?i)[a-z] matches r.
func foldsToASCIILetter(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '\u212a' || r == '\u017f'
}

// isWordRune reports whether r is what \w matches: [0-9A-Za-z_].
func isWordRune(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '_'
}
