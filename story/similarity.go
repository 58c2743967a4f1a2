package story

import (
	"hash/maphash"
	"slices"
)

// trigramSeed hashes character trigrams; fixed for the life of the process.
var trigramSeed = maphash.MakeSeed()

// trigrams returns the sorted, distinct hashes of the character trigrams of
// s (padded with a space at each end): a set that compares by merging.
func trigrams(s string) []uint64 {
	r := []rune(" " + s + " ")
	out := make([]uint64, 0, len(r))
	var buf [12]byte
	for i := 0; i+3 <= len(r); i++ {
		n := 0
		for _, c := range r[i : i+3] {
			buf[n], buf[n+1], buf[n+2], buf[n+3] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
			n += 4
		}
		out = append(out, maphash.Bytes(trigramSeed, buf[:]))
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
