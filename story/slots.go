package story

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// slotsTSV lists the cue words of headline templates (slots.tsv): the word
// after a cue fills a slot, and one template filled with two things is two
// stories.
//
//go:embed slots.tsv
var slotsTSV string

// slotScan is how many words after a cue are read looking for its filler.
const slotScan = 8

// slotCues finds slots in headlines; read-only, parsed when first needed.
var slotCues = sync.OnceValue(func() *slotTable { return parseSlots(slotsTSV) })

// slotTable is slots.tsv parsed: cue phrases by first word, words passed
// over per slot ("*": any), and the strict slots.
type slotTable struct {
	cues   map[string][]slotCue
	skip   map[string]map[string]bool
	stop   map[string]map[string]bool
	strict map[string]bool
	// bare are the slots an Arabic cue fills only without the article:
	// "وزير الصحة" names the portfolio (a construct), "الوزير التهراوي",
	// "الوزير يفتتح" a name or a verb.
	bare map[string]bool
}

type slotCue struct {
	words []string
	slot  string
}

// Slot is a template's slot a headline fills: its kind and the words in it.
type Slot struct {
	Kind string
	Cue  string // the cue as the headline reads it
	// Words are the filler's first words (up to fillerWords).
	Words []string
	// Entity is the known thing (kind:id) the filler starts, "" when none.
	Entity string
	// Town is the place (id) named right after the filler, stop words
	// between ("l'Ittihad de Tanger", "IR Tanger"): a club's name, "" when none.
	Town string
}

// fillerWords is how many words of a filler are compared: one. With two,
// a template word after the filler ("نصف نهائي" and "ربع نهائي",
// "قانون المالية بأغلبية" and "بالأغلبية") joined look-alikes again:
// repeated cross-validation precision 0.995 → 0.979.
const fillerWords = 1

func parseSlots(tsv string) *slotTable {
	t := &slotTable{cues: map[string][]slotCue{}, skip: map[string]map[string]bool{}, stop: map[string]map[string]bool{}, strict: map[string]bool{}, bare: map[string]bool{}}
	for _, line := range strings.Split(tsv, "\n") {
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(f) < 2 {
			continue
		}
		slot := strings.TrimSpace(f[1])
		switch strings.TrimSpace(f[0]) {
		case "strict":
			t.strict[slot] = true
		case "bare":
			t.bare[slot] = true
		case "cue":
			for _, form := range strings.Split(f[2], "|") {
				if words := cueWords(form); len(words) > 0 {
					t.cues[words[0]] = append(t.cues[words[0]], slotCue{words: words, slot: slot})
				}
			}
		case "skip", "stop":
			words := t.skip
			if f[0] == "stop" {
				words = t.stop
			}
			if words[slot] == nil {
				words[slot] = map[string]bool{}
			}
			for _, form := range strings.Split(f[2], "|") {
				for _, w := range strings.Fields(Normalize(form, nil)) {
					words[slot][w] = true
					words[slot][stem(w)] = true
					words[slot][lightStem(stem(w))] = true
				}
			}
		}
	}
	for k, cs := range t.cues {
		sort.SliceStable(cs, func(i, j int) bool { return len(cs[i].words) > len(cs[j].words) })
		t.cues[k] = cs
	}
	return t
}

// cueWords is a form as slots read cues: normalised and stemmed, not
// folded to a synonym class (slots.tsv lists each form it means: "remporte"
// is no "bat" when it is "remporte le titre").
func cueWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(Normalize(s, nil)) {
		if w = stem(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// slotWord is a filler as the headline's words are compared: stemmed and
// folded to its synonym class, as Tokens has it.
func slotWord(w string) string { return canonical(stem(w)) }

// findWords returns the slots a headline (its words split and stemmed)
// fills: for each cue, the first word after it that is no stop word,
// number, cue of that slot or word the slot passes over (a title, "ضيفه",
// "relatif").
func (t *slotTable) findWords(ws words) []Slot {
	raw, words := ws.raw, ws.stemmed
	var out []Slot
	for i := 0; i < len(words); i++ {
		c, ok := t.cueAt(words, i)
		if !ok {
			continue
		}
		end := i + len(c.words)
		s := Slot{Kind: c.slot, Cue: strings.Join(c.words, " ")}
		if t.bare[c.slot] && definite(raw[i]) {
			i = end - 1
			continue
		}
		if c.slot == routeSlot {
			if w, k := t.routeEnd(words, raw, end); w != "" {
				s.Words, s.Entity = []string{w}, entityIndex().startOf(append([]string{dropAnd(raw[k])}, raw[k+1:]...))
				out = append(out, s)
			}
			i = end - 1
			continue
		}
		for j := end; j < len(words) && j < end+slotScan && len(s.Words) < fillerWords; j++ {
			w := words[j]
			if t.stop[c.slot][raw[j]] || t.stop[c.slot][w] {
				break
			}
			if t.passOver(c.slot, w) {
				continue
			}
			if _, cue := t.cueAt(words, j); cue {
				break // another template begins
			}
			if len(s.Words) == 0 {
				s.Entity = entityIndex().startOf(raw[j:])
				s.Town = townAfter(words, raw, j+1)
			}
			s.Words = append(s.Words, slotWord(w))
		}
		if len(s.Words) > 0 {
			out = append(out, s)
		}
		i = end - 1
	}
	return out
}

// cueAt returns the longest cue starting at words[i] (with or without a
// one-letter Arabic proclitic: وضد, بمواجهة).
func (t *slotTable) cueAt(words []string, i int) (slotCue, bool) {
	forms := [2]string{words[i]}
	if bare := dropProclitic(words[i]); bare != words[i] {
		forms[1] = stem(bare)
	}
	for _, first := range forms {
		for _, c := range t.cues[first] {
			if i+len(c.words) > len(words) {
				continue
			}
			match := true
			for k := 1; k < len(c.words); k++ {
				if words[i+k] != c.words[k] {
					match = false
					break
				}
			}
			if match {
				return c, true
			}
		}
	}
	return slotCue{}, false
}

func (t *slotTable) passOver(slot, w string) bool {
	if stopwords()[w] || isNumber(w) || len([]rune(w)) < 2 {
		return true
	}
	for _, s := range []string{slot, "*"} {
		if t.skip[s][w] || t.skip[s][lightStem(w)] || t.skip[s][stem(dropProclitic(w))] {
			return true
		}
	}
	return false
}

// wordNames is the named thing (kind:id) a word alone is a listed form of,
// "" when none: two forms of one thing are one word to compare (WAC, Wydad).
func (g *gazetteer) wordNames(w string) string { return g.wordListed(w, true) }

// wordValue is the contrast value (kind:id, contrasts.tsv) a word alone
// is a listed form of: تراجع and انخفاض both say down, canicule and
// chaleur one weather, تعلق and تعليق one outcome, so two reports of one
// event that word it differently share that word; "" when none (a named
// thing is wordNames').
func (g *gazetteer) wordValue(w string) string { return g.wordListed(w, false) }

// wordListed is the listed thing (kind:id) of a named kind (named) or a
// contrast (!named) that w alone, or w without its proclitic and stemmed,
// is a one-word form of; "" when none.
func (g *gazetteer) wordListed(w string, named bool) string {
	kinds := namedKinds()
	forms := [2]string{w}
	if bare := dropProclitic(w); bare != w {
		forms[1] = stem(bare)
	}
	for _, k := range forms {
		for _, p := range g.phrases[k] {
			if len(p.words) == 1 && kinds[p.entity.Kind] == named {
				return p.entity.Kind + ":" + p.entity.ID
			}
		}
	}
	return ""
}

// startOf is the named thing (kind:id) the longest phrase at the start of
// raw (normalised words) names, "" when none: a contrast is no name.
func (g *gazetteer) startOf(raw []string) string {
	named := namedKinds()
	first := stem(raw[0])
	candidates := g.phrases[first]
	if bare := dropProclitic(first); bare != first {
		candidates = append(candidates[:len(candidates):len(candidates)], g.phrases[stem(bare)]...)
	}
	best, n := "", 0
	for _, p := range candidates {
		if len(p.words) <= n || len(p.words) > len(raw) || !named[p.entity.Kind] {
			continue
		}
		rest := make([]string, len(p.words)-1)
		for k := range rest {
			rest[k] = stem(raw[k+1])
		}
		if equalRest(first, rest, p.words) {
			best, n = p.entity.Kind+":"+p.entity.ID, len(p.words)
		}
	}
	return best
}

// slotConflict returns the first slot both headlines fill with different
// words, as "kind slot: cue → word against cue → word" ("" when none). Fillers differ
// when no filler of one is a filler of the other and neither headline
// carries the other's filler anywhere (a rewrite names the same thing
// elsewhere: "يتعادل مع الفتح" and "الفتح يتعادل مع…"); in a strict slot,
// two different known things differ even when both headlines name both
// (the Raja beat the Wydad, the Wydad beat the Raja).
func slotConflict(a, b *Headline) string {
	for _, sa := range a.slots {
		var fa, fb []Slot
		for _, s := range a.slots {
			if s.Kind == sa.Kind {
				fa = append(fa, s)
			}
		}
		for _, s := range b.slots {
			if s.Kind == sa.Kind {
				fb = append(fb, s)
			}
		}
		if len(fb) == 0 || !fillersDiffer(sa.Kind, fa, fb, a, b) {
			continue
		}
		return fmt.Sprintf("%s slot: %s → %s against %s → %s", sa.Kind, fa[0].Cue, strings.Join(fa[0].Words, " "), fb[0].Cue, strings.Join(fb[0].Words, " "))
	}
	return ""
}

func fillersDiffer(kind string, fa, fb []Slot, a, b *Headline) bool {
	for _, x := range fa {
		for _, y := range fb {
			if sameFiller(x, y) {
				return false
			}
		}
	}
	// A club is named by its town: "تتغلب على أولمبيك آسفي" and "تفوز
	// على آسفي" fill the beaten slot with one club, as a headline that
	// names the town (a club's name holds it) tells.
	for _, x := range fa {
		if placeNamedBy(x.Entity, b) {
			return false
		}
		for _, y := range fb {
			if x.Town != "" && x.Town == y.Town {
				return false // "l'IR Tanger" and "l'Ittihad de Tanger"
			}
		}
	}
	for _, y := range fb {
		if placeNamedBy(y.Entity, a) {
			return false
		}
	}
	if slotCues().strict[kind] && fa[0].Entity != "" && fb[0].Entity != "" {
		return true
	}
	for _, x := range fa {
		if namesFiller(b, x) {
			return false
		}
	}
	for _, y := range fb {
		if namesFiller(a, y) {
			return false
		}
	}
	return true
}

func sameFiller(x, y Slot) bool {
	if x.Entity != "" && x.Entity == y.Entity {
		return true
	}
	for _, wx := range x.Words {
		for _, wy := range y.Words {
			if sameWord(wx, wy) {
				return true
			}
		}
	}
	return false
}

// sameWord is matchTerm's equality of two words: the same, behind or
// without a proclitic, one inflection, or one loanword's spellings.
func sameWord(x, y string) bool {
	if x == y || dropProclitic(x) == y || dropProclitic(y) == x {
		return true
	}
	if isNumber(x) || isNumber(y) {
		return false
	}
	if lightStem(x) == lightStem(y) {
		return true
	}
	sx := skeleton(x)
	return sx != "" && sx == skeleton(y)
}

// namesFiller reports whether h names a slot's filler anywhere: the word, or
// the known thing it starts.
func namesFiller(h *Headline, s Slot) bool {
	if s.Entity != "" {
		kind, id, _ := strings.Cut(s.Entity, ":")
		if contains(h.entities[kind], id) {
			return true
		}
	}
	for _, w := range s.Words {
		for _, t := range h.terms {
			if sameWord(w, t) {
				return true
			}
		}
	}
	return false
}

// definite reports an Arabic word written with the article, behind a
// one-letter proclitic or none (الوزير, والوزير, بالوزارة, للوزارة).
func definite(w string) bool {
	for _, p := range []string{"ال", "وال", "بال", "فال", "كال", "لل"} {
		if strings.HasPrefix(w, p) && len(w) > len(p)+2 {
			return true
		}
	}
	return false
}

// placeNamedBy reports whether a filler's thing (kind:id) is a place h
// names, alone or inside a longer name (a club's, a port's).
func placeNamedBy(entity string, h *Headline) bool {
	id, ok := strings.CutPrefix(entity, "place:")
	return ok && contains(h.entities["place"], id)
}

// townAfter is the place (id) whose name starts at the first word from k
// on that is no stop word, "" when none.
func townAfter(words, raw []string, k int) string {
	for ; k < len(words) && stopwords()[words[k]]; k++ {
	}
	if k >= len(words) {
		return ""
	}
	if id, ok := strings.CutPrefix(entityIndex().startOf(raw[k:]), "place:"); ok {
		return id
	}
	return ""
}

// routeSlot is the slot of a link between two ends ("بين الدار البيضاء
// وتورونتو", "entre Casablanca et Toronto"): its filler is the second end,
// the word after the conjunction that follows the first. One template
// filled with another end is another link (a new air route to Toronto and
// one to Chicago, a deal with Spain and one with Portugal).
const routeSlot = "route"

// routeEnd finds, after a route cue ending at words[start], the second
// end: the first end is the first word the slot does not pass over, and
// the second the word joined to it by و (written on it), "et" or "and",
// at most routeScan words on. It returns the filler as slots compare it
// and its index ("", -1 when none, or when the end is a number: "بين 3
// و7 درجات" is a range).
func (t *slotTable) routeEnd(words, raw []string, start int) (string, int) {
	first := -1
	for j := start; j < len(words) && j < start+slotScan; j++ {
		if !t.passOver(routeSlot, words[j]) {
			first = j
			break
		}
		if isNumber(words[j]) {
			return "", -1
		}
	}
	if first < 0 || entityIndex().startOf(raw[first:]) == "" {
		return "", -1 // a link between two named ends: "بين شاحنة وسيارة" is a collision
	}
	for k := first + 1; k < len(raw) && k <= first+routeScan; k++ {
		w, at := "", k
		switch {
		case raw[k] == "et" || raw[k] == "and" || raw[k] == "a" || raw[k] == "to" || raw[k] == "with":
			if k+1 >= len(raw) {
				return "", -1
			}
			w, at = raw[k+1], k+1
		case dropAnd(raw[k]) != raw[k]:
			w = dropAnd(raw[k])
		default:
			continue
		}
		if p, ok := toponymPrefix[w]; ok && at+1 < len(raw) {
			w = p + raw[at+1] // "ابن جرير" is بنجرير, "Ben Guerir" Benguerir
		}
		st := stem(w)
		if isNumber(st) || t.passOver(routeSlot, st) {
			return "", -1
		}
		return slotWord(st), at
	}
	return "", -1
}

// routeScan is how many words after the first end the conjunction is
// looked for: a name of up to three words (الدار البيضاء, ساو باولو).
const routeScan = 3

// dropAnd removes the و ("and") or ب ("to") written on an Arabic word of at
// least four letters (وتورونتو → تورونتو, بليون → ليون); other words come
// back unchanged. Narrower than dropProclitic: ل, ف and ك join no route's
// ends.
func dropAnd(w string) string {
	if (strings.HasPrefix(w, "و") || strings.HasPrefix(w, "ب")) && utf8.RuneCountInString(w) >= 4 {
		return w[len("و"):]
	}
	return w
}

// toponymPrefix are the words Moroccan place names begin with, written
// apart or joined to the rest (ابن جرير and بنجرير, Ben Guerir and
// Benguerir, Ait Melloul and Aitmelloul): the second end of a link is the
// prefix joined to the word after it, ابن as بن.
var toponymPrefix = map[string]string{
	"ابن": "بن", "بن": "بن", "بني": "بني", "ايت": "ايت", "سيدي": "سيدي", "عين": "عين", "اولاد": "اولاد", "سوق": "سوق", "سبت": "سبت", "خميس": "خميس", "دار": "دار", "باب": "باب", "راس": "راس",
	"ben": "ben", "beni": "beni", "ait": "ait", "sidi": "sidi", "ain": "ain", "oulad": "oulad", "ouled": "ouled", "souk": "souk", "sebt": "sebt", "khemis": "khemis", "dar": "dar", "bab": "bab", "ras": "ras",
}
