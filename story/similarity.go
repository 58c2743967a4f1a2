package story

import (
	"slices"
	"unicode/utf8"
)

// trigrams returns the sorted, distinct character trigrams of s (padded
// with a space at each end), each its three code points packed in 63 bits
// (21 each: every code point fits): a set that compares by merging.
func trigrams(s string) []uint64 {
	out := make([]uint64, 0, utf8.RuneCountInString(s))
	const mask = 1<<42 - 1 // the last two code points of a trigram
	t := uint64(' ')
	n := 1 // code points in t
	for _, r := range s {
		t = (t<<21)&(mask<<21) | uint64(r)
		if n++; n >= 3 {
			out = append(out, t)
		}
	}
	t = (t<<21)&(mask<<21) | ' '
	if n++; n >= 3 {
		out = append(out, t)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jaccard is |a ∩ b| / |a ∪ b| of two sorted sets.
func jaccard(a, b []uint64) float64 {
	shared := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			shared++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - shared
	if union == 0 {
		return 0
	}
	return float64(shared) / float64(union)
}
