package story

import (
	_ "embed"
	"slices"
	"sort"
	"strings"
	"sync"
)

// entitiesTSV is the gazetteer: named things of one kind (places, countries,
// clubs, bodies, weekdays, rounds…) with every spelling headlines use
// (kind TAB id TAB form | form …). Two headlines that each name a different
// thing of one kind report two stories; two spellings of one thing are one.
//
//go:embed entities.tsv
var entitiesTSV string

// contrastsTSV lists, in the same form, words that set two alike headlines
// apart although they are no names: up against down.
//
//go:embed contrasts.tsv
var contrastsTSV string

// Entity is a named thing a headline mentions.
type Entity struct {
	Kind, ID string
}

// gazetteer finds entities in normalised, stemmed word sequences.
type gazetteer struct {
	// phrases maps a phrase's first word to its phrases, longest first.
	phrases map[string][]phrase
	// inner holds the words of phrases after their first (continues),
	// made on first use.
	innerOnce sync.Once
	inner     map[string]bool
	// ofPhrase maps a word to the named things (kind:id) in a name of
	// more than one word of which it stands, made on first use.
	ofPhraseOnce sync.Once
	ofPhrase     map[string][]string
}

// phraseThing is the named thing (kind:id) h names in more than one word
// of which w is one ("" when none): فاسي in المغرب الفاسي, the name another
// report writes in one word (الماص). The first such thing h names wins.
func (g *gazetteer) phraseThing(w string, h *Headline) string {
	return phraseThingOf(g.phraseKeys(w), h)
}

// phraseThingOf is phraseThing of a word whose phraseKeys are keys.
func phraseThingOf(keys []string, h *Headline) string {
	for _, key := range keys {
		kind, id, _ := strings.Cut(key, ":")
		if contains(h.entities[kind], id) {
			return key
		}
	}
	return ""
}

// phraseKeys are the things (kind:id) of a named kind that the gazetteer's
// names of more than one word of which w is one name, sorted.
func (g *gazetteer) phraseKeys(w string) []string {
	g.ofPhraseOnce.Do(func() {
		g.ofPhrase = map[string][]string{}
		named := namedKinds()
		for _, ps := range g.phrases {
			for _, p := range ps {
				if len(p.words) < 2 || !named[p.entity.Kind] {
					continue
				}
				key := p.entity.Kind + ":" + p.entity.ID
				for _, x := range p.words {
					if !contains(g.ofPhrase[x], key) {
						g.ofPhrase[x] = append(g.ofPhrase[x], key)
					}
				}
			}
		}
		// g.phrases is a map: its order is no order. Sorted, the first
		// thing a headline names is the same in every process.
		for _, keys := range g.ofPhrase {
			slices.Sort(keys)
		}
	})
	return g.ofPhrase[w]
}

// continues reports whether w is a word of a listed phrase other than its
// first.
func (g *gazetteer) continues(w string) bool {
	g.innerOnce.Do(func() {
		g.inner = map[string]bool{}
		for _, ps := range g.phrases {
			for _, p := range ps {
				for _, x := range p.words[1:] {
					g.inner[x] = true
				}
			}
		}
	})
	return g.inner[w]
}

type phrase struct {
	words  []string
	entity Entity
}

// entityIndex is the parsed gazetteer, read-only. It is parsed the first
// time a headline is prepared, not when the program starts: normalising
// its forms costs ~50 ms, which a process that decides nothing (a
// stories-off poll, `nashra version`) should not pay.
var entityIndex = sync.OnceValue(func() *gazetteer { return parseGazetteer(entitiesTSV + "\n" + contrastsTSV) })

// namedKinds are the kinds of entities.tsv: things with names. Sharing one
// (a place, a club, a person) anchors two reports to one story; sharing a
// contrast (rain, a win, a minister) does not.
var namedKinds = sync.OnceValue(func() map[string]bool { return kindsOf(entitiesTSV) })

func kindsOf(tsv string) map[string]bool {
	out := map[string]bool{nameKind: true}
	for _, line := range strings.Split(tsv, "\n") {
		if f := strings.Split(line, "\t"); len(f) == 3 && !strings.HasPrefix(line, "#") {
			out[strings.TrimSpace(f[0])] = true
		}
	}
	return out
}

func parseGazetteer(tsv string) *gazetteer {
	g := &gazetteer{phrases: map[string][]phrase{}}
	for _, line := range strings.Split(tsv, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		e := Entity{Kind: strings.TrimSpace(f[0]), ID: strings.TrimSpace(f[1])}
		for _, form := range strings.Split(f[2], "|") {
			words := phraseWords(form)
			if len(words) == 0 {
				continue
			}
			g.phrases[words[0]] = append(g.phrases[words[0]], phrase{words: words, entity: e})
		}
	}
	for k, ps := range g.phrases {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].words) > len(ps[j].words) })
		g.phrases[k] = ps
	}
	return g
}

// phraseWords is a form as the matcher sees words: normalised and stemmed.
func phraseWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(Normalize(s, nil)) {
		if w = stem(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// find returns the entities named in a normalised headline, longest match first
// at each word, by kind.
func (g *gazetteer) find(normalized string) map[string][]string {
	ws := splitWords(normalized)
	return g.findWords(ws)
}

// findWords is find on a headline's words.
func (g *gazetteer) findWords(ws words) map[string][]string {
	words := ws.stemmed
	var out map[string][]string
	for i := 0; i < len(words); {
		n := 1
		// A one-letter proclitic (بطنجة, وتطوان) may stand before the first word only.
		first := words[i]
		candidates := g.phrases[first]
		info := ws.info[i]
		bare, stemBare, rawBare := info.stemBare, info.stemBareStem, info.bareStem
		if bare != first {
			candidates = append(candidates[:len(candidates):len(candidates)], g.phrases[stemBare]...)
		}
		// The proclitic dropped before stemming too: بسلا is ب + سلا, which
		// stemmed whole loses its last letter (بسل) and is short of the
		// four letters dropProclitic reads.
		if rawBare != first && rawBare != stemBare {
			for _, p := range g.phrases[rawBare] {
				if len(p.words) == 1 {
					candidates = append(candidates[:len(candidates):len(candidates)], p)
				}
			}
		}
		// The longest phrase wins; phrases of that length of other kinds count
		// too (مجلس النواب is a chamber and an assembly).
		matched, outerKind := 0, ""
		for _, p := range candidates {
			if matched > 0 && len(p.words) < matched {
				continue
			}
			if i+len(p.words) <= len(words) && (equalRest(first, words[i+1:i+len(p.words)], p.words) || len(p.words) == 1 && rawBare == p.words[0]) {
				if out == nil {
					out = map[string][]string{}
				}
				if !contains(out[p.entity.Kind], p.entity.ID) {
					out[p.entity.Kind] = append(out[p.entity.Kind], p.entity.ID)
				}
				matched, outerKind = len(p.words), p.entity.Kind
			}
		}
		// A known place inside a longer place's or club's name is named
		// too (Tanger Med is at Tanger, the Raja de Casablanca plays
		// there, the région de Tanger-Tétouan-Al Hoceima holds Al
		// Hoceima): rewrites name the one or the other. Not inside a
		// body's name: the Bourse de Casablanca's news is not Casablanca's
		// (the first set's pairwise evaluation 0.985 → 0.977 with it).
		// The longer name's first word is read behind its proclitic too
		// (بطنجة المتوسط holds طنجة, as طنجة المتوسط does).
		if matched > 1 && innerPlaceKinds[outerKind] {
			span := words[i : i+matched]
			firsts := []string{first}
			if stemBare != first {
				firsts = append(firsts, stemBare)
			}
			if !contains(firsts, rawBare) {
				firsts = append(firsts, rawBare)
			}
			for _, f := range firsts {
				if f != first {
					span = append([]string{f}, words[i+1:i+matched]...)
				}
				for k := range span {
					for _, p := range g.phrases[span[k]] {
						if len(p.words) < matched && k+len(p.words) <= matched && slices.Equal(p.words, span[k:k+len(p.words)]) &&
							p.entity.Kind == "place" && !contains(out[p.entity.Kind], p.entity.ID) {
							out[p.entity.Kind] = append(out[p.entity.Kind], p.entity.ID)
						}
					}
				}
			}
		}
		n = max(n, matched)
		i += n
	}
	return out
}

// names reports whether the word w alone names a thing (a place, a club, a
// weekday): such a word stays out of the common-words table, because how
// often the tuning material names Rabat or the Raja says nothing of how
// often a window names the next city or club; the window's own counts
// weigh it. The home country is the exception: a Moroccan ticker names
// Morocco in every other headline.
func (g *gazetteer) names(w string) bool {
	for _, p := range g.phrases[w] {
		if len(p.words) == 1 && namedKinds()[p.entity.Kind] && p.entity != homeCountry {
			return true
		}
	}
	return false
}

// innerPlaceKinds are the kinds of a longer name whose inner place is
// named too (findWords).
var innerPlaceKinds = map[string]bool{"place": true, "club": true}

// homeCountry is the country nashra's news is about.
var homeCountry = Entity{Kind: "country", ID: "morocco"}

// equalRest reports whether first (with or without its proclitic) and rest spell p.
func equalRest(first string, rest, p []string) bool {
	if first != p[0] && stem(dropProclitic(first)) != p[0] {
		return false
	}
	for i := range rest {
		if rest[i] != p[i+1] {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sortedKinds are the kinds of entities, sorted.
func sortedKinds(entities map[string][]string) []string {
	if len(entities) == 0 {
		return nil
	}
	kinds := make([]string, 0, len(entities))
	for k := range entities {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	return kinds
}

// entityConflict returns, for the first kind where each headline names a
// thing the other does not, one such thing from each side.
func entityConflict(a, b *Headline) (kind, idA, idB string) {
	for _, k := range a.kinds {
		ea, eb := onlyIn(a.entities[k], b.entities[k]), onlyIn(b.entities[k], a.entities[k])
		if k == nameKind {
			if sharesName(a, b) && namesOnlyIn(a.entities[k], b) <= 1 && namesOnlyIn(b.entities[k], a) <= 1 &&
				namesOnlyIn(a.loneNames, b) == 0 && namesOnlyIn(b.loneNames, a) == 0 {
				// one person named by both, one first name or
				// dateline word more in each: "Yao Kouassi" and
				// "Mercato: Kouassi" (two athletes named in full at
				// one meeting still differ; a name written alone, "à
				// Oslo", is no first name).
				continue
			}
			ea, eb = nameOnlyIn(a.entities[k], b), nameOnlyIn(b.entities[k], a)
		}
		if k == "place" && ea != "" && eb != "" {
			verdict := isVerdict(a) || isVerdict(b)
			ea, eb = placeOnlyIn(a.entities[k], b.entities[k], verdict), placeOnlyIn(b.entities[k], a.entities[k], verdict)
		}
		if ea != "" && eb != "" {
			return k, ea, eb
		}
	}
	// Men's senior football is what a headline means when it says nothing:
	// "Botola féminine" against plain "Botola" is another competition.
	// A men's marker says what the unmarked headline means: "1 500 m
	// messieurs" against "1 500 m" is one race, "dames" against it another.
	for _, k := range unmarkedKinds {
		if ga, gb := marked(a.entities[k]), marked(b.entities[k]); (len(ga) == 0) != (len(gb) == 0) {
			return k, first(ga, "unmarked"), first(gb, "unmarked")
		}
	}
	return "", "", ""
}

// unmarkedValue is the gender a headline means when it names none: men's
// senior sport.
const unmarkedValue = "men"

// marked is ids less the unmarked value.
func marked(ids []string) []string {
	if !contains(ids, unmarkedValue) {
		return ids
	}
	var out []string
	for _, id := range ids {
		if id != unmarkedValue {
			out = append(out, id)
		}
	}
	return out
}

// unmarkedKinds are kinds whose absence is itself a value: men's senior
// sport, a meeting in person.
var unmarkedKinds = []string{"gender", "channel"}

func first(list []string, none string) string {
	if len(list) == 0 {
		return none
	}
	return list[0]
}

func onlyIn(a, b []string) string {
	for _, x := range a {
		if !contains(b, x) {
			return x
		}
	}
	return ""
}

// withinTSV lists which listed place lies within which (child, parent).
//
//go:embed within.tsv
var withinTSV string

// placeParent is each listed place's parent (within.tsv).
var placeParent = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(withinTSV, "\n") {
		if f := strings.Split(strings.TrimSpace(line), "\t"); len(f) == 2 && !strings.HasPrefix(f[0], "#") {
			m[f[0]] = f[1]
		}
	}
	return m
})

// placeWithin reports whether place x lies within place y (a town of a
// region, a district of a town), at any depth.
func placeWithin(x, y string) bool {
	parents := placeParent()
	for p, ok := parents[x]; ok; p, ok = parents[p] {
		if p == y {
			return true
		}
	}
	return false
}

// placeOnlyIn is onlyIn for places: a place of a that lies within one of
// b's or holds one of them is one place at another scale (a region and a
// town of it: "جهة سوس ماسة" and "أكادير"), not another place. In a
// verdict (verdict: either headline reports one), the seat of a court of
// appeal and a place of its region that is no seat are one case told by
// where it was tried and where it happened (courtDistrict).
func placeOnlyIn(a, b []string, verdict bool) string {
next:
	for _, x := range a {
		if contains(b, x) {
			continue
		}
		for _, y := range b {
			if placeWithin(x, y) || placeWithin(y, x) || verdict && courtDistrict(x, y) {
				continue next
			}
		}
		return x
	}
	return ""
}

// appealSeats are the seats of Morocco's courts of appeal (general
// knowledge of the judiciary's map: a criminal chamber, غرفة الجنايات,
// sits at each). A case from a province is tried at the seat of its
// court, which outlets name as often as the province itself ("غرفة
// الجنايات بفاس" against "بإقليم صفرو").
var appealSeats = map[string]bool{
	"rabat": true, "casablanca": true, "el_jadida": true, "settat": true, "khouribga": true,
	"beni_mellal": true, "fes": true, "meknes": true, "taza": true, "marrakech": true,
	"safi": true, "ouarzazate": true, "errachidia": true, "agadir": true, "guelmim": true,
	"laayoune": true, "kenitra": true, "tanger": true, "tetouan": true, "al_hoceima": true,
	"nador": true, "oujda": true,
}

// courtDistrict reports whether one of two places is a court of appeal's
// seat and the other a place of the same region that is no seat: the
// court's seat and the defendant's province. Two seats still differ (Fès
// and Meknès try their own cases), and so do places of two regions.
func courtDistrict(x, y string) bool {
	if appealSeats[x] == appealSeats[y] {
		return false
	}
	rx, ry := regionOf(x), regionOf(y)
	return rx != "" && rx == ry
}

// regionOf is the region (within.tsv's "region_" parent) a place lies in,
// "" when none is listed.
func regionOf(x string) string {
	parents := placeParent()
	for p, ok := parents[x]; ok; p, ok = parents[p] {
		if strings.HasPrefix(p, "region_") {
			return p
		}
	}
	return ""
}

// isVerdict reports whether a headline reports a court's verdict: a
// sentence or an acquittal (contrasts.tsv's outcomes).
func isVerdict(h *Headline) bool {
	for _, id := range h.entities["outcome"] {
		if id == "sentenced" || id == "acquitted" {
			return true
		}
	}
	return false
}

// sharedEntity returns a thing both headlines name ("kind:id"), or "".
func sharedEntity(a, b *Headline) string {
	if len(b.entities) == 0 {
		return ""
	}
	named := namedKinds()
	for _, k := range a.kinds {
		if !named[k] {
			continue
		}
		for _, id := range a.entities[k] {
			if contains(b.entities[k], id) {
				return k + ":" + id
			}
		}
	}
	if isVerdict(a) || isVerdict(b) {
		// the court's seat in one, the defendant's province in the
		// other: one place, where the case is.
		for _, x := range a.entities["place"] {
			for _, y := range b.entities["place"] {
				if courtDistrict(x, y) {
					return "place:" + x
				}
			}
		}
	}
	return ""
}

// sharesName reports whether two headlines carry one capitalised name.
func sharesName(a, b *Headline) bool {
	for _, n := range a.entities[nameKind] {
		if contains(b.entities[nameKind], n) {
			return true
		}
	}
	return false
}

// namesOnlyIn counts the names that h does not carry (nameOnlyIn).
func namesOnlyIn(names []string, h *Headline) int {
	n := 0
	for _, x := range names {
		if !contains(h.entities[nameKind], x) && !carriesWord(h, x) {
			n++
		}
	}
	return n
}

// nameOnlyIn returns the first of names (capitalised words, properNames)
// that h does not carry as a word at all: a name h writes at the start of
// its sentence is still h's (Karim Bennani, nouvel ambassadeur…).
func nameOnlyIn(names []string, h *Headline) string {
	for _, n := range names {
		if !contains(h.entities[nameKind], n) && !carriesWord(h, n) {
			return n
		}
	}
	return ""
}

// carriesWord reports whether one of h's words is n, stemmed as names are,
// or a word of four letters or more that n begins or ends with: one
// writer joins a name another writes in two (Benguerir, Ben Guerir).
func carriesWord(h *Headline, n string) bool {
	for _, t := range h.terms {
		if u := nameForm(stem(t)); u == n || len(u) >= 4 && len(n) > len(u) && (strings.HasPrefix(n, u) || strings.HasSuffix(n, u)) {
			return true
		}
	}
	return false
}
