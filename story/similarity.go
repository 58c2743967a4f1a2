package story

// Features are the measures two normalised headlines are compared by.
type Features struct {
	// Overlap is shared content words over the words of the shorter headline.
	Overlap float64
	// Jaccard is shared content words over all content words.
	Jaccard float64
	// Trigram is the Jaccard index of the character trigrams of the two headlines.
	Trigram float64
	// NumberConflict is set when each headline has a number the other lacks.
	NumberConflict bool
	// Shared and Shorter count the shared words and the words of the shorter headline.
	Shared, Shorter int
}

// Compare measures two normalised headlines.
func Compare(a, b string) Features {
	ta, tb := Tokens(a), Tokens(b)
	var f Features
	set := make(map[string]bool, len(ta))
	for _, t := range ta {
		set[t] = true
	}
	for _, t := range tb {
		if set[t] {
			f.Shared++
		}
	}
	f.Shorter = min(len(ta), len(tb))
	if f.Shorter > 0 {
		f.Overlap = float64(f.Shared) / float64(f.Shorter)
		f.Jaccard = float64(f.Shared) / float64(len(ta)+len(tb)-f.Shared)
	}
	f.Trigram = trigramJaccard(a, b)
	na, nb := numbers(ta), numbers(tb)
	f.NumberConflict = hasExtra(na, nb) && hasExtra(nb, na)
	return f
}

func hasExtra(a, b map[string]bool) bool {
	for n := range a {
		if !b[n] {
			return true
		}
	}
	return false
}

func trigrams(s string) map[string]bool {
	r := []rune(" " + s + " ")
	out := make(map[string]bool, len(r))
	for i := 0; i+3 <= len(r); i++ {
		out[string(r[i:i+3])] = true
	}
	return out
}

func trigramJaccard(a, b string) float64 {
	ga, gb := trigrams(a), trigrams(b)
	shared := 0
	for g := range ga {
		if gb[g] {
			shared++
		}
	}
	union := len(ga) + len(gb) - shared
	if union == 0 {
		return 0
	}
	return float64(shared) / float64(union)
}
