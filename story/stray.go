package story

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	coreName := false
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
				// a name: any rare word of the report's is another thing
				coreName = contains(m.capitals, t) || m.things[i] != ""
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
		// A story about a vocabulary word (effondrement, grève) is left
		// by a French report naming another thing (a capital: a place, a
		// person, an acronym), not by one wording the same event otherwise.
		if !coreName && h.things[i] == "" {
			if h.capsKnown && !contains(h.capitals, t) {
				continue
			}
			// Without capitals (Arabic), an unlisted word is the
			// rewording of a report that names a listed thing the story
			// names too (its place, club or body; Morocco aside).
			if !h.capsKnown && namesWith(h, story) {
				continue
			}
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

// namesWith reports whether h names a listed thing (entities.tsv) some
// headline of story names too, the home country aside.
func namesWith(h *Headline, story []*Headline) bool {
	home := homeCountry.Kind + ":" + homeCountry.ID
	for _, m := range story {
		if e := sharedEntity(h, m); e != "" && e != home {
			return true
		}
	}
	return false
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

// akin reports whether two words are one word as two parts of speech (a
// noun and its verb: effondrement and s'effondre, saisie and saisit, تتبع
// and يتتبع): two Latin words that share their first five letters or
// more, the shorter all but one letter at most (not gouvernement and
// gouverneur), or two Arabic words one of which is the other, of three letters or
// more, behind one more letter (the imperfect's ي, ت or ن, a verbal noun's
// م). A rewrite says its story's thing either way.
func akin(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	r, size := utf8.DecodeRuneInString(b)
	if unicode.Is(unicode.Arabic, r) {
		return b[size:] == a && strings.ContainsRune("يتنم", r) && utf8.RuneCountInString(a) >= 3
	}
	n := 0
	for n < len(a) && a[n] == b[n] {
		n++
	}
	return n >= 5 && len(a)-n <= 1 && !isNumber(a) && !isNumber(b)
}
