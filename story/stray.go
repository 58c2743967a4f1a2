package story

import (
	"strings"
	"unicode"
)

// Stray reports whether a new report lacks what a story is about and names
// something else instead: a rare word (weight ≥ Core) that most of the
// story's reports carry (its place, club, person, firm) is missing from
// it, and it carries a rare word that none of them does. One template
// filled with another thing is another event; a rewrite keeps the thing
// its story is about, however it words the rest. A story of one report is
// left to Decide (one headline says too little about what its story is
// about). It returns the story's word and the report's ("" when it fits).
func Stray(h *Headline, story []*Headline, w Weights, p Params) (core, other string) {
	if p.Core <= 0 || len(story) < 2 {
		return "", ""
	}
	for _, m := range story {
		for i, t := range m.terms {
			if core != "" {
				break
			}
			if isNumber(t) || w.Weight(t) < p.Core || carries(h, t, m.stems[i], m.skels[i], m.things[i]) {
				continue
			}
			n := 0
			for _, o := range story {
				if carries(o, t, m.stems[i], m.skels[i], m.things[i]) {
					n++
				}
			}
			if 2*n > len(story) {
				core = t
			}
		}
	}
	if core == "" {
		return "", ""
	}
	for i, t := range h.terms {
		// A month is a date's, a detail one outlet gives (ليوم الثلاثاء 10
		// فبراير): two months are Decide's conflict, not another thing.
		if isNumber(t) || w.Weight(t) < p.Core || strings.HasPrefix(h.things[i], "month:") {
			continue
		}
		carried := false
		for _, m := range story {
			if carries(m, t, h.stems[i], h.skels[i], h.things[i]) {
				carried = true
				break
			}
		}
		if !carried {
			return core, t
		}
	}
	return "", ""
}

// carries reports whether h has the word t (whose light stem is stem,
// skeleton skel and listed thing thing) as Decide would match it: itself,
// behind or without a proclitic, inflected, spelled otherwise, or another
// listed name of the thing — or as another part of speech (akin).
func carries(h *Headline, t, stem, skel, thing string) bool {
	for i, u := range h.terms {
		if u == t || dropProclitic(u) == t || dropProclitic(t) == u || (h.stems[i] == stem && !isNumber(u)) || (skel != "" && h.skels[i] == skel) ||
			(thing != "" && h.things[i] == thing) || akin(t, u) {
			return true
		}
	}
	return false
}

// akin reports whether two words are one word as two parts of speech, as
// a rewrite says its story's thing (a noun and its verb: effondrement and
// s'effondre, saisie and saisit, تتبع and يتتبع): two Latin words that
// share their first five letters or more, or two Arabic words one of which
// is the other behind one more letter (the imperfect's ي, ت or ن, a
// verbal noun's م). Stray's only: Decide leaves such words unmatched.
func akin(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < 3 || len(rb) < 3 || isNumber(a) || isNumber(b) {
		return false
	}
	if unicode.Is(unicode.Arabic, ra[0]) {
		if len(ra) > len(rb) {
			ra, rb = rb, ra
		}
		return len(rb) == len(ra)+1 && string(rb[1:]) == string(ra) && strings.ContainsRune("يتنم", rb[0])
	}
	n := 0
	for n < len(ra) && n < len(rb) && ra[n] == rb[n] {
		n++
	}
	return n >= 5
}
