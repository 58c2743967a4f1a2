package story

// Stray reports whether a new report lacks what a story is about and names
// something else instead: a rare word (weight ≥ Core) that most of the
// story's reports carry (its place, club, person, firm) is missing from
// it, and it carries a rare word that none of them does. One template
// filled with another thing is another event; a rewrite keeps the thing
// its story is about, however it words the rest. A story of one report is
// left to Decide (one headline says too little about what its story is
// about). A report that names the place, country, club, capitalised name
// or weekday most of the story's reports name (keepsWhere) keeps where the
// story is, who it is about or when, and does not stray: its other words
// are its own wording (أكادير.. السلطات تشن حملة لتحرير الأرصفة against a
// story about حملة لتحرير الملك العمومي بأكادير). Nor does one that carries
// twice as many of the story's rare unlisted words as it lacks of its rare
// words (keptPerMissing). It returns the story's
// word and the report's ("" when it fits).
func Stray(h *Headline, story []*Headline, w Weights, p Params) (core, other string) {
	if p.Core <= 0 || len(story) < 2 {
		return "", ""
	}
	kept, missing := 0, 0
	for _, m := range story {
		for i, t := range m.terms {
			if isNumber(t) || w.Weight(t) < p.Core {
				continue
			}
			has := carries(h, t, m.forms[i].light, m.forms[i].skel, m.forms[i].thing)
			if has && !unlisted(t) {
				continue
			}
			n := 0
			for _, o := range story {
				if carries(o, t, m.forms[i].light, m.forms[i].skel, m.forms[i].thing) {
					n++
				}
			}
			switch {
			case 2*n <= len(story):
			case has:
				kept++
			default:
				missing++
				if core == "" {
					core = t
				}
			}
		}
	}
	if core == "" || kept >= keptPerMissing*missing {
		return "", ""
	}
	for i, t := range h.terms {
		if isNumber(t) || w.Weight(t) < p.Core {
			continue
		}
		carried := false
		for _, m := range story {
			if carries(m, t, h.forms[i].light, h.forms[i].skel, h.forms[i].thing) {
				carried = true
				break
			}
		}
		if !carried {
			if keepsWhere(h, story) {
				return "", ""
			}
			return core, t
		}
	}
	return "", ""
}

// carries reports whether h has the word t (whose light stem is stem,
// skeleton skel and listed thing thing) as Decide would match it: itself,
// behind or without a proclitic, inflected, spelled otherwise, or another
// listed name of the thing.
func carries(h *Headline, t, stem, skel, thing string) bool {
	bare := dropProclitic(t)
	for i, u := range h.terms {
		f := h.forms[i] // f.bare is dropProclitic(u)
		if u == t || f.bare == t || bare == u || (f.light == stem && !f.number) || (skel != "" && f.skel == skel) ||
			(thing != "" && f.thing == thing) {
			return true
		}
	}
	return false
}

// keepsWhere reports whether h shares a place, country, club, capitalised
// name, weekday or figure with decimals (sharesWhere, keptKinds) with most of a
// story's reports.
func keepsWhere(h *Headline, story []*Headline) bool {
	n := 0
	for _, m := range story {
		if sharesWhere(h, m, keptKinds, false) || sharedMeasure(h, m) != "" && !placeOnlyOne(h, m) {
			n++
		}
	}
	return 2*n > len(story)
}

// keptPerMissing: a report that carries at least twice as many of its
// story's rare unlisted words (weight ≥ Core, carried by most of its
// reports; counted in each report that carries them) as it lacks of its
// rare words keeps what the story is about — a name no list holds (ياو
// كواسي, سد تاغزيرت, لالة نجوى: Arabic writes no capitals), shared, is who
// or where the story is, as a listed place is (keepsWhere); what it lacks
// is its own wording. Once as many (1) lets look-alikes in that share an
// unlisted event's name (a tournament's, an association's) and differ in
// who.
const keptPerMissing = 2

// unlisted reports a word no listed name is spelled with: the gazetteer's
// things are judged by keepsWhere and the conflicts, and a body's name
// (Royal Air Maroc) has many events in a day.
func unlisted(t string) bool {
	g := entityIndex()
	return !g.namesIn(g.phrases[t]) && !g.namesIn(g.phrases[stem(t)]) && !g.continues(t) && !g.continues(stem(t))
}

// namesIn reports whether one of phrases is a named thing's (entities.tsv),
// not a contrast's value (contrasts.tsv: a condolence, a rise).
func (g *gazetteer) namesIn(phrases []phrase) bool {
	named := namedKinds()
	for _, p := range phrases {
		if named[p.entity.Kind] {
			return true
		}
	}
	return false
}

// placeOnlyOne reports whether either headline names a place, country or
// club the other does not.
func placeOnlyOne(a, b *Headline) bool {
	for _, k := range []string{"place", "country", "club"} {
		if onlyIn(a.entities[k], b.entities[k]) != "" || onlyIn(b.entities[k], a.entities[k]) != "" {
			return true
		}
	}
	return false
}
