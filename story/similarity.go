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

// profile is what a normalised headline is compared by.
type profile struct {
	tokens   map[string]bool
	trigrams map[string]bool
	numbers  map[string]bool
}

func newProfile(normalized string) profile {
	toks := Tokens(normalized)
	set := make(map[string]bool, len(toks))
	for _, t := range toks {
		set[t] = true
	}
	return profile{tokens: set, trigrams: trigrams(normalized), numbers: numbers(toks)}
}

// Compare measures two normalised headlines.
func Compare(a, b string) Features { return newProfile(a).features(newProfile(b)) }

func (p profile) features(q profile) Features {
	var f Features
	for t := range q.tokens {
		if p.tokens[t] {
			f.Shared++
		}
	}
	f.Shorter = min(len(p.tokens), len(q.tokens))
	if f.Shorter > 0 {
		f.Overlap = float64(f.Shared) / float64(f.Shorter)
		f.Jaccard = float64(f.Shared) / float64(len(p.tokens)+len(q.tokens)-f.Shared)
	}
	f.Trigram = jaccard(p.trigrams, q.trigrams)
	f.NumberConflict = hasExtra(p.numbers, q.numbers) && hasExtra(q.numbers, p.numbers)
	return f
}

// score is the similarity the threshold applies to: the mean of word overlap
// and trigram Jaccard, 0 when numbers conflict or too few words are shared.
func (p profile) score(q profile) float64 {
	f := p.features(q)
	if f.NumberConflict || f.Shared < minShared {
		return 0
	}
	return (f.Overlap + f.Trigram) / 2
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

func jaccard(ga, gb map[string]bool) float64 {
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
