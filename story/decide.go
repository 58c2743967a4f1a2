package story

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Params are the numbers a decision is taken with. DefaultParams were chosen
// on the tuning half of the independent set (README, "How duplicates are found").
type Params struct {
	// Threshold is the score at or above which two headlines are one story.
	Threshold float64
	// Penalty scales the conflict: the weight of the rarest word each
	// headline has and the other lacks (numbers aside: numberConflict
	// judges them), the smaller of the two.
	Penalty float64
	// Core is the weight from which a word most of a story's reports carry
	// is what the story is about (0: no check; see Stray).
	Core float64
	// MinEvidence is the least total weight two reports must share.
	MinEvidence float64
	// MinAnchor is the least weight of the heaviest shared word, unless the
	// two headlines name a same thing (a place, a club, a body): two
	// reports of one story share something specific, not only a template.
	MinAnchor float64
	// Drift raises the threshold with the time between two reports, by
	// Drift for reports a whole window apart: outlets republish a story
	// within hours, and the same template a day later is most often
	// another event (Monday's alert and Tuesday's, the next round).
	Drift float64
	// Grace is the time apart, as a part of the window, within which the
	// threshold does not rise: outlets rewrite a story within the hours
	// after it breaks.
	Grace float64
}

// nearCopy is the character-trigram Jaccard above which two headlines are
// copies of one text (a wire dispatch and its republications).
const nearCopy = 0.7

// DefaultParams are the settings nashra ships with: chosen on the tuning
// half and the first set, precision first, and checked by cross-validation
// inside the tuning half (NASHRA_TUNE=cv go test ./story -run TuneCrossValidation -v).
var DefaultParams = Params{Threshold: DefaultThreshold, Penalty: 0.12, MinEvidence: 4, MinAnchor: 5, Core: 5.5, Drift: 0.8, Grace: 2.0 / 36}

// Weights tells how much sharing a word says about two headlines: rare words
// (names of clubs, people, places, bills) say a lot, template words little.
type Weights interface {
	Weight(term string) float64
}

// Term is a word with its weight, as a decision shows it.
type Term struct {
	Word   string
	Weight float64
}

// Decision is a verdict on two headlines with the parts it was made of, so
// that an operator can see in one look why two reports were (not) merged.
type Decision struct {
	Same  bool
	Score float64 // Similarity − Penalty (0 when numbers conflict or evidence is short)
	// Threshold is Params.Threshold raised by Drift for the time between
	// the two reports.
	Threshold float64
	// Apart is the time between the two reports as a part of the window
	// (0 when unknown: two headlines given as text); Drift is what it
	// adds to the threshold.
	Apart, Drift float64
	// Similarity is (weighted word overlap + character-trigram Jaccard) / 2.
	Similarity float64
	Overlap    float64 // shared weight / the smaller headline's weight
	Trigram    float64
	Penalty    float64
	// RareA and RareB are the rarest word each headline has and the other
	// lacks, numbers aside: the penalty's evidence of two events.
	RareA, RareB string
	Evidence     float64 // total weight of the shared words
	// Anchor is what specific the two share: a thing both name, or their
	// heaviest shared word when it is rare enough ("" when neither).
	Anchor string
	Shared []Term
	OnlyA  []Term // words of A that B lacks, heaviest first
	OnlyB  []Term
	// Numbers each headline has and the other lacks, when both have one: two stories.
	NumbersA, NumbersB []string
	// Conflict names a kind of thing each headline names differently (place:
	// tanger against agadir), or a template slot each fills with another
	// word (subject slot: قانون → ماء against قانون → مستهلك), when there is one.
	Conflict string
	bySlot   bool // the conflict is a template slot's (slotConflict), not two things of one kind
	Reason   string
}

// Headline is a headline prepared for comparison: normalised once, compared many times.
type Headline struct {
	Norm  string
	terms []string
	// forms are each term's forms (termWord, shared by every headline
	// that writes the term): without a one-letter Arabic proclitic, light
	// stem (to match inflections), skeleton (a loanword's spellings),
	// verbal key (a verb with its verbal noun), whether it is a number, the
	// thing (kind:id) it alone names (WAC = Wydad) and the contrast value it
	// alone says (تراجع = انخفاض). Read only: one write would change every
	// headline that writes the term.
	forms    []*termWord
	trigrams []uint64
	// phrased are the things (kind:id) the headline names in more than one
	// word each term is a word of, "" when none (phraseThing): فاسي in
	// المغرب الفاسي. One word of such a name is matched with the other
	// headline's word for the same thing (matchTerm), the rest are not
	// lacking (namesToo).
	phrased  []string
	numbers  numberSet
	entities map[string][]string // kind → ids
	slots    []Slot              // template slots the headline fills (slots.tsv)
	kinds    []string            // entities' kinds, sorted
	// acronyms are the terms the title writes as an acronym (BAF, RNPG),
	// which another headline may spell out (acronymAt).
	acronyms []string
	// loneNames are the capitalised names written alone (properNamesLone):
	// no first name or surname beside them, no dateline ("à Oslo").
	loneNames []string
	// sig are the headline's signatures: a bit set for each of its terms'
	// forms (termWord.bits). A word whose bit the other headline's
	// signature lacks is not there, and matchTerm skips the search.
	sig signatures
	// tableW are the terms' weights by the common-words table alone, for
	// the language of the report the window prepared it for (nil: not
	// known, weighed when asked).
	tableW []float64
}

// Prepare normalises a headline (publisher suffixes from publishers removed).
func Prepare(title string, publishers []string) *Headline {
	return prepareNormalized(title, Normalize(title, publishers), nil, nil, publishers)
}

// prepareNormalized is Prepare for a title already normalised (a stored
// item's Norm), its terms, words and terms' forms given when found before
// (nil: found here): the proper names still come from the title's capitals.
func prepareNormalized(title, normalized string, terms []string, pre *split, publishers []string) *Headline {
	h := prepared(normalized, terms, pre)
	title = stripPublisher(title, publishers)
	if !hasLatinCapital(title) {
		return h // no acronym, no capitalised name: nearly every Arabic headline
	}
	h.acronyms = acronymsIn(title, h.terms)
	if names, lone := properNamesLone(title); len(names) > 0 {
		if h.entities == nil {
			h.entities = map[string][]string{}
		}
		h.entities[nameKind] = names
		h.loneNames = lone
		h.kinds = sortedKinds(h.entities)
	}
	return h
}

// prepared is a normalised headline's comparable parts; terms are its
// Tokens when already found (nil: found here), pre its words and the
// terms' forms when found with them (nil: found here). Its words are split
// and stemmed once for the terms, the numbers, the named things and the
// slots.
func prepared(normalized string, terms []string, pre *split) *Headline {
	if pre == nil {
		ws := splitWords(normalized)
		if terms == nil {
			terms = tokensOf(ws)
		}
		found := split{words: ws, forms: formsOf(terms)}
		pre = &found
	}
	ws, n := pre.words, len(terms)
	g := entityIndex()
	h := &Headline{Norm: normalized, terms: terms, forms: pre.forms, phrased: make([]string, n),
		trigrams: trigrams(normalized), numbers: numbersOf(ws), entities: g.findWords(ws), slots: slotCues().findWords(ws)}
	for i, w := range h.forms {
		h.sig.add(w)
		if len(h.entities) > 0 {
			h.phrased[i] = phraseThingOf(w.phraseKeys, h)
		}
	}
	h.kinds = sortedKinds(h.entities)
	return h
}

// hasLatinCapital reports whether s has a capital Latin letter, which an
// acronym (acronymsIn) and a capitalised name (properNamesLone) start with.
func hasLatinCapital(s string) bool {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				return true
			}
		case r >= 0x0600 && r <= 0x06ff: // Arabic
		case unicode.IsUpper(r) && unicode.In(r, unicode.Latin):
			return true
		}
	}
	return false
}

// Decide is the same-story decision for two headlines of one language
// published at the same time (DecideApart at 0).
func Decide(a, b *Headline, w Weights, p Params) Decision {
	return DecideApart(a, b, w, p, 0)
}

// DecideApart is the same-story decision for two headlines of one language
// inside the window, apart the time between them as a part of the window
// (0 to 1). It is a pure function of the two headlines, the weights, the
// params and that time.
func DecideApart(a, b *Headline, w Weights, p Params, apart float64) Decision {
	return decide(a, b, weighEach(a, w, nil), weighEach(b, w, nil), p, apart, true)
}

// weighEach appends to dst the weight of each of h's terms.
func weighEach(h *Headline, w Weights, dst []float64) []float64 {
	for _, t := range h.terms {
		dst = append(dst, w.Weight(t))
	}
	return dst
}

// decide is DecideApart with the terms' weights given (wa for a's terms, wb
// for b's). explain: the decision's word lists (Shared, OnlyA, OnlyB) and
// Reason are filled in, for an operator; without, only the verdict and the
// figures it was taken on (Same, Score, Threshold, Similarity, Overlap,
// Trigram, Penalty, RareA, RareB, Evidence, Anchor, Numbers, Conflict), as
// the window decides hundreds of pairs for each join it reports; and a pair
// that shares too little, or whose similarity is under the threshold
// before any penalty, is answered apart with the figures made so far.
func decide(a, b *Headline, wa, wb []float64, p Params, apart float64, explain bool) Decision {
	apart = min(max(apart, 0), 1)
	d := Decision{Apart: apart, Drift: p.drift(apart)}
	d.Threshold = p.Threshold + d.Drift
	var buf [32]bool
	matchedB := buf[:0]
	if len(b.terms) > len(buf) {
		matchedB = make([]bool, len(b.terms))
	} else {
		matchedB = buf[:len(b.terms)]
	}
	var abuf [32]int
	matchA := abuf[:0]
	if len(a.terms) > len(abuf) {
		matchA = make([]int, len(a.terms))
	} else {
		matchA = abuf[:len(a.terms)]
	}
	// The heaviest shared word and each side's rarest word the other
	// lacks, numbers aside, the first of equal weights in term order: what
	// the word lists sorted heaviest first (stable) would show first.
	var sumA, sumB, heaviest, rareA, rareB float64
	shared, top, ra, rb := 0, "", "", ""
	rareShared := 0
	numbersA, numbersB := len(b.numbers) == 0, len(a.numbers) == 0
	// An acronym one headline writes and the other spells out (BAF,
	// "Banque Atlas de Financement") is one word shared; the words that
	// spell it are neither shared again nor lacking.
	var spelledA, spelledB []bool // the terms that spell the other's acronym
	if len(a.acronyms) > 0 || len(b.acronyms) > 0 {
		spelledA, spelledB = make([]bool, len(a.terms)), make([]bool, len(b.terms))
		spellOut(b, a, spelledA)
		spellOut(a, b, spelledB)
	}
	var acbuf [32]bool
	acronymB := acbuf[:0] // b's terms that are an acronym a spells out
	if len(b.terms) > len(acbuf) {
		acronymB = make([]bool, len(b.terms))
	} else {
		acronymB = acbuf[:len(b.terms)]
	}
	// First what is shared, which the window's quick verdict needs; what
	// each lacks (rare words, the lists) after it.
	for i, t := range a.terms {
		tw := wa[i]
		sumA += tw
		if spelledA != nil && spelledA[i] {
			matchA[i] = -1
			continue
		}
		j := matchTerm(a, i, b, matchedB)
		if j < 0 && len(a.acronyms) > 0 && contains(a.acronyms, t) {
			if k := acronymAt(t, b, matchedB); k >= 0 {
				j = k
				for m := k + 1; m < k+len(t); m++ {
					matchedB[m] = true
				}
			}
		}
		matchA[i] = j
		if j < 0 {
			continue // lacking, or a word of a name: below
		}
		matchedB[j] = true
		sw := min(tw, wb[j])
		shared++
		if sw >= rareSharedWeight && sw <= rareSharedMax && !a.forms[i].number {
			rareShared++
		}
		if sw > heaviest || shared == 1 {
			heaviest, top = sw, t
		}
		if explain {
			d.Shared = append(d.Shared, Term{t, sw})
		}
		d.Evidence += sw
	}
	for j, t := range b.terms {
		tw := wb[j]
		sumB += tw
		if spelledB != nil && spelledB[j] {
			continue
		}
		if !matchedB[j] && len(b.acronyms) > 0 && contains(b.acronyms, t) {
			if k := acronymAt(t, a, nil); k >= 0 {
				acronymB[j] = true
				shared++
				sw := min(tw, wa[k])
				if sw > heaviest {
					heaviest, top = sw, t
				}
				if explain {
					d.Shared = append(d.Shared, Term{t, sw})
				}
				d.Evidence += sw
			}
		}
	}
	// The window reads only the verdict (chooseJoin): a pair that cannot be
	// one story is left here, before the checks that cost the most.
	if !explain && (shared < minShared || d.Evidence < p.MinEvidence) {
		return d
	}
	if smaller := min(sumA, sumB); smaller > 0 {
		d.Overlap = d.Evidence / smaller
	}
	d.Trigram = jaccard(a.trigrams, b.trigrams)
	d.Similarity = (d.Overlap + d.Trigram) / 2
	if !explain && p.Penalty >= 0 && d.Similarity < d.Threshold {
		return d // the penalty only lowers the score
	}
	for i, t := range a.terms {
		if matchA[i] >= 0 || spelledA != nil && spelledA[i] {
			continue
		}
		if namesToo(a, i, b) {
			continue // a word of a name the other writes its own way (المغرب الفاسي, الماص)
		}
		tw := wa[i]
		if (numbersA || !a.forms[i].number) && !detailOnlyIn(a, i, b) && (ra == "" || tw > rareA) {
			rareA, ra = tw, t
		}
		if explain {
			d.OnlyA = append(d.OnlyA, Term{t, tw})
		}
	}
	for j, t := range b.terms {
		if matchedB[j] || acronymB[j] || spelledB != nil && spelledB[j] || namesToo(b, j, a) {
			continue
		}
		tw := wb[j]
		if (numbersB || !b.forms[j].number) && !detailOnlyIn(b, j, a) && (rb == "" || tw > rareB) {
			rareB, rb = tw, t
		}
		if explain {
			d.OnlyB = append(d.OnlyB, Term{t, tw})
		}
	}
	if explain {
		byWeight := func(ts []Term) {
			sort.SliceStable(ts, func(i, j int) bool { return ts[i].Weight > ts[j].Weight })
		}
		byWeight(d.Shared)
		byWeight(d.OnlyA)
		byWeight(d.OnlyB)
	}
	if ra != "" && rb != "" {
		d.RareA, d.RareB = ra, rb
		d.Penalty = p.Penalty * min(rareA, rareB) / maxWeight
	}
	switch id := sharedEntity(a, b); {
	case id != "":
		d.Anchor = id
		d.Penalty *= wherePenalty(sharedWhere(a, b, sharedKinds, true, 2))
	case rareShared >= rareSharedMin:
		// two words the window finds rare in common: a name no list
		// holds (كواسي ياو), as good as a place shared.
		d.Anchor = top
		d.Penalty *= wherePenalty(1 + sharedWhere(a, b, sharedKinds, true, 1))
	case shared > 0 && heaviest >= p.MinAnchor:
		d.Anchor = top
		d.Penalty *= wherePenalty(sharedWhere(a, b, sharedKinds, true, 2)) // a number
	case d.Trigram >= nearCopy:
		d.Anchor = "the same text" // a wire copy needs no rare word to be one
	default:
		// a count with its unit in common ("72 heures" and "trois jours",
		// "124 صوتا", "+12%"): as specific as a rare word.
		if m := sharedMeasure(a, b); m != "" && shared > 0 && !namesWhereOnlyOne(a, b) {
			d.Anchor = m
			d.Penalty *= wherePenalty(sharedWhere(a, b, sharedKinds, true, 2))
		} else if f := sharedFiller(a, b); f != "" && shared > 0 && !namesWhereOnlyOne(a, b) {
			// one commune, one campaign's object, one person in a
			// slot both fill: as specific as a rare word.
			d.Anchor = f
		}
	}
	if kind, x, y := entityConflict(a, b); kind != "" {
		d.Conflict = kind + ": " + x + " against " + y
	} else if d.Conflict = slotConflict(a, b); d.Conflict != "" {
		d.bySlot = true
	} else if x, y := nameSwapped(a, b, matchA, matchedB); x != "" {
		d.Conflict, d.bySlot = "a name between the same words: "+x+" against "+y, true
	}
	d.Score = d.Similarity - d.Penalty
	d.NumbersA, d.NumbersB = numberConflict(a.numbers, b.numbers)
	switch {
	case d.Conflict != "", d.NumbersA != nil, d.Anchor == "", shared < minShared, d.Evidence < p.MinEvidence:
		d.Score = 0
	case d.Score >= d.Threshold:
		d.Same = true
	}
	if explain {
		d.Reason = reason(d, p)
	}
	return d
}

// reason says in one sentence why d was taken: the first check that
// failed, or the score against the threshold.
func reason(d Decision, p Params) string {
	switch {
	case d.Conflict != "" && d.bySlot:
		return fmt.Sprintf("one template filled with two things (%s): two stories", d.Conflict)
	case d.Conflict != "":
		return fmt.Sprintf("two different things of one kind (%s): two stories", d.Conflict)
	case d.NumbersA != nil:
		return fmt.Sprintf("numbers conflict: %s against %s", strings.Join(d.NumbersA, ", "), strings.Join(d.NumbersB, ", "))
	case d.Anchor == "":
		return "nothing specific shared: only template words, no name or rare word in common"
	case len(d.Shared) < minShared:
		return fmt.Sprintf("only %d words shared (%d needed)", len(d.Shared), minShared)
	case d.Evidence < p.MinEvidence:
		return fmt.Sprintf("too little shared: weight %.1f of the %.1f needed", d.Evidence, p.MinEvidence)
	case d.Same:
		return fmt.Sprintf("score %.3f ≥ threshold %s", d.Score, thresholdText(d, p))
	case d.Penalty > 0 && d.Similarity >= d.Threshold:
		return fmt.Sprintf("alike (%.3f), but each names what the other lacks (%s / %s): score %.3f < %s",
			d.Similarity, d.RareA, d.RareB, d.Score, thresholdText(d, p))
	}
	return fmt.Sprintf("score %.3f < threshold %s", d.Score, thresholdText(d, p))
}

// thresholdText is the threshold a decision was taken at, with what the
// time between the two reports added to it.
func thresholdText(d Decision, p Params) string {
	if d.Drift == 0 {
		return fmt.Sprintf("%.2f", d.Threshold)
	}
	return fmt.Sprintf("%.2f (%.2f + %.2f: %.0f%% of the window apart)", d.Threshold, p.Threshold, d.Drift, 100*d.Apart)
}

// Contradict reports whether two headlines name different things of one kind
// or different numbers, fill one slot with two things or, in Arabic, put two
// words between the same words one of which is a name (nameSwapped):
// whatever else they share, they are two stories. A report joins a story
// only if it contradicts none of its reports, so that two look-alikes
// cannot be chained into one story through a third. Arabic has no capitals,
// so an unlisted name is seen only there; French capitals make a name a
// thing of its own kind (properNames), which entityConflict reads, and
// the name rule there would part rewrites that name a place against an
// index (Bourse de Casablanca termine / Bourse : le MASI termine).
func Contradict(a, b *Headline) bool {
	if xa, _ := numberConflict(a.numbers, b.numbers); xa != nil {
		return true
	}
	kind, _, _ := entityConflict(a, b)
	if kind != "" || slotConflict(a, b) != "" {
		return true
	}
	if !arabicHeadline(a) {
		return false
	}
	matchA, matchedB := make([]int, len(a.terms)), make([]bool, len(b.terms))
	for i := range a.terms {
		matchA[i] = matchTerm(a, i, b, matchedB)
		if matchA[i] >= 0 {
			matchedB[matchA[i]] = true
		}
	}
	x, _ := nameSwapped(a, b, matchA, matchedB)
	return x != ""
}

// matchTerm finds a's i-th word among b's words not yet matched: the same
// word, the same word behind or without a one-letter Arabic proclitic
// (بطنجة, لطنجة, وطنجة → طنجة), another inflection of it (lightStem),
// another spelling of a long loanword (skeleton: باكالوريا = بكالوريا), or
// another listed name of one thing (entities.tsv: WAC = Wydad, كازا = البيضاء).
func matchTerm(a *Headline, i int, b *Headline, used []bool) int {
	t, bits := a.terms[i], a.forms[i].bits
	if b.sig.term.has(bits.term) {
		for j, u := range b.terms {
			if !used[j] && u == t {
				return j
			}
		}
	}
	bare := a.forms[i].bare
	if b.sig.bare.has(bits.term) || b.sig.term.has(bits.bare) {
		for j, u := range b.terms {
			if !used[j] && (b.forms[j].bare == t || bare == u) {
				return j
			}
		}
	}
	if a.forms[i].number {
		return -1
	}
	if stem := a.forms[i].light; b.sig.stem.has(bits.stem) {
		for j, w := range b.forms {
			if !used[j] && w.light == stem && !w.number {
				return j
			}
		}
	}
	if skel := a.forms[i].skel; skel != "" && b.sig.skel.has(bits.skel) {
		for j, w := range b.forms {
			if !used[j] && w.skel == skel {
				return j
			}
		}
	}
	if v := a.forms[i].verbal; v != "" && b.sig.verb.has(bits.verb) {
		for j, w := range b.forms {
			if !used[j] && verbalMatch(v, w.verbal) {
				return j
			}
		}
	}
	return matchTermRest(a, i, b, used)
}

// matchTermRest is matchTerm past the word's own forms: the things it names.
func matchTermRest(a *Headline, i int, b *Headline, used []bool) int {
	if a.forms[i].thing != "" {
		for j, w := range b.forms {
			if !used[j] && w.thing == a.forms[i].thing {
				return j
			}
		}
	}
	// a word of a longer name and the other's word of the same thing
	// (المنتخب الوطني, أسود الأطلس; المغرب الفاسي, الماص), when no word
	// names it alone on that side: بيضاء, not دار, is كازا.
	if pa := a.phrased[i]; pa != "" && !namesAlone(a, pa) {
		for j := range b.terms {
			if !used[j] && (b.phrased[j] == pa || b.forms[j].thing == pa) {
				return j
			}
		}
	}
	if ta := a.forms[i].thing; ta != "" && !namesAlone(b, ta) {
		for j, u := range b.phrased {
			if !used[j] && u == ta {
				return j
			}
		}
	}
	if a.forms[i].value != "" {
		for j, w := range b.forms {
			if !used[j] && w.value == a.forms[i].value {
				return j
			}
		}
	}
	return -1
}

// dropProclitic removes one leading ب ل و ف ك from an Arabic word of at least
// four letters; other words come back unchanged.
func dropProclitic(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	if !unicode.Is(unicode.Arabic, r) || utf8.RuneCountInString(w) < 4 {
		return w
	}
	switch r {
	case 'ب', 'ل', 'و', 'ف', 'ك':
		return w[size:]
	}
	return w
}

// WindowWeights weighs a word by how many items of the story window carry it
// (DocFreq, from the index postings), floored by the shipped table of words
// common across topics, so a cold start with an empty window still knows
// that "يصادق" and "adopte" say little.
type WindowWeights struct {
	Lang    string
	DocFreq func(term string) int
	common  *commonTerms // nil: the shipped table
}

// referenceWindow is the number of items a 36-hour window of Moroccan news
// holds, the scale weights are computed against.
const referenceWindow = 2000

// maxWeight is the weight of a word no other item carries.
var maxWeight = math.Log(1 + referenceWindow)

// Weight is log(1 + N / (1 + df)), df the larger of the window's count and the common-words table's.
func (w WindowWeights) Weight(term string) float64 {
	df := w.common.df(w.Lang, term)
	if w.DocFreq != nil {
		df = max(df, w.DocFreq(term))
	}
	return weightOf(df)
}

// weightOf is the weight of a word df items of the reference window carry.
func weightOf(df int) float64 { return math.Log(1 + referenceWindow/float64(1+df)) }

// nameSwapped finds one template filled with two things where the gazetteer
// or the capitals know one of them: one word of a and one of b, each the
// other's lacks, stand between the same two shared words, and one of them
// is a name — a listed place, club, country or other named thing, or a word
// written with a capital inside a Latin-script sentence (properNames):
// "ملتقى الرباط للدوري الماسي" against "ملتقى الدوحة للدوري الماسي",
// "السلطات المحلية بأكادير تطلق" against "السلطات المحلية بسلا تطلق". A
// rewrite that puts another word in place of a word between the same two
// words changes the wording (grimpe, atteint), not the name: another name
// of the same thing is matched as the same word (matchTerm). matchA is
// the b term each of a's matched (-1: none), matchedB which of b's are.
// It returns the two words ("" when none).
func nameSwapped(a, b *Headline, matchA []int, matchedB []bool) (string, string) {
	for i := 1; i+1 < len(a.terms); i++ {
		l, r := matchA[i-1], matchA[i+1]
		if matchA[i] >= 0 || l < 0 || r != l+2 || matchedB[l+1] || a.forms[i].number || b.forms[l+1].number || namesToo(a, i, b) || namesToo(b, l+1, a) {
			continue
		}
		if namedTerm(a, i) || namedTerm(b, l+1) {
			return a.terms[i], b.terms[l+1]
		}
	}
	return "", ""
}

// namedTerm reports whether h's i-th term is a name: a place, club, country
// or other named thing of the gazetteer (behind a proclitic too), or a word
// written with a capital inside a Latin-script sentence (properNames).
func namedTerm(h *Headline, i int) bool {
	g, st := entityIndex(), stem(h.terms[i])
	return g.names(st) || g.names(stem(h.forms[i].bare)) || contains(h.entities[nameKind], nameForm(st)) || latinInArabic(h, i)
}

// latinInArabic reports whether h's i-th term is a word in Latin script in
// an Arabic headline: an acronym or a name written as its bearer writes it
// (مباراة "ENSA").
func latinInArabic(h *Headline, i int) bool {
	r, _ := utf8.DecodeRuneInString(h.terms[i])
	return unicode.IsLetter(r) && unicode.In(r, unicode.Latin) && arabicHeadline(h)
}

// arabicHeadline reports whether h is written in Arabic: a letter of its
// text is.
func arabicHeadline(h *Headline) bool {
	for _, c := range h.Norm {
		if unicode.Is(unicode.Arabic, c) {
			return true
		}
	}
	return false
}

// sharesWhere reports whether a and b name one thing of kinds (one place,
// country or club, one capitalised name; for the story check one weekday
// too), or give one figure with decimals (+0,82%, 11,2%, 2.25%) or one
// percentage or temperature (13%, 38 في المائة, 47 درجة: measured) or,
// with anyNumber (the penalty's), one number, a year aside (12 DH, 57
// migrants, a score): where the story is, who it is about, how much — what a rewrite keeps and a template filled
// with another thing changes (two different numbers of one unit are the
// number rule's conflict; one number in two templates, two clubs' 2-1
// wins, the other things' conflicts). The story check takes no other whole
// number as what a story is about: four dead in one province and four in
// another are two events. Two reports that
// share it and each word the rest their own way are one story more often
// than the penalty for their rarest words says: it is halved, quartered
// when they share two kinds of it (wherePenalty).
func sharesWhere(a, b *Headline, kinds []string, anyNumber bool) bool {
	return sharedWhere(a, b, kinds, anyNumber, 1) > 0
}

// sharedWhere counts the kinds of thing sharesWhere reads that a and b
// both give (a number counts as one kind), up to most: one place and one
// club are two, Tanger Med and the Tanger it is at one.
func sharedWhere(a, b *Headline, kinds []string, anyNumber bool, most int) int {
	n := 0
	for x, ctx := range a.numbers {
		if anyNumber && !isYear(x) || strings.Contains(x, ".") || measured(ctx) {
			if bctx, ok := b.numbers[x]; ok && (anyNumber || strings.Contains(x, ".") || measured(bctx)) {
				n++
				break
			}
		}
	}
	for _, k := range kinds {
		if n >= most {
			break
		}
		for _, id := range a.entities[k] {
			if contains(b.entities[k], id) {
				n++
				break
			}
		}
	}
	return n
}

// wherePenalty scales the penalty of two reports that share n things
// sharedWhere reads: half for one, a quarter for two or more (where and
// who, who and how much: a template filled with other things changes one
// of them).
func wherePenalty(n int) float64 {
	switch {
	case n >= 2:
		return sharedWherePenalty * sharedWherePenalty
	case n == 1:
		return sharedWherePenalty
	}
	return 1
}

// sharedKinds are the kinds whose thing shared halves the penalty; bodies
// and companies are not among them: one firm or ministry has many
// unrelated events in a day (RAM receives a plane; RAM's pilots strike).
// Nor is a weekday: one day has many events of one template (Tuesday's
// power cut in one city and Tuesday's water cut in another), and the day
// is what a template keeps, not what it is filled with.
var sharedKinds = []string{"place", "country", "club", nameKind}

// keptKinds are the kinds whose thing kept keeps a report in its story
// (keepsWhere): sharedKinds and the weekday (a forecast's or a strike
// call's rewrites name its day and word the rest their own way).
var keptKinds = []string{"place", "country", "club", nameKind, "weekday"}

// sharedWherePenalty scales the penalty of two reports that share where
// the story is or who it is about (sharesWhere).
const sharedWherePenalty = 0.5

// drift is what the time between two reports, apart as a part of the
// window, adds to the threshold: nothing within Grace, then up to Drift
// for reports a whole window apart, the threshold at most maxThreshold.
func (p Params) drift(apart float64) float64 {
	if apart <= p.Grace || p.Grace >= 1 {
		return 0
	}
	return min(p.Drift*(apart-p.Grace)/(1-p.Grace), max(0, maxThreshold-p.Threshold))
}

// maxThreshold bounds the threshold the drift raises: a copy of a report
// (score near 1) is one story with it however far apart in the window.
const maxThreshold = 0.9

// rareSharedWeight and rareSharedMax are the weights of a word one to
// three reports of the window carry besides the new one (weightOf(3),
// weightOf(1)): two reports that share rareSharedMin of them share a name,
// listed or not. A word no report of the window carries (weight
// maxWeight: a cold start, two headlines given as text) says nothing of
// how rare it is, and is not counted.
var rareSharedWeight, rareSharedMax = weightOf(3), weightOf(1) + 1e-9

const rareSharedMin = 2

// isYear reports whether a number is a year of this era (1900–2099): the
// one number every report of its season may give.
func isYear(n string) bool {
	return len(n) == 4 && (strings.HasPrefix(n, "19") || strings.HasPrefix(n, "20"))
}

// measured reports a number given as a percentage or in degrees (its
// neighbours ctx: "%", درجة, degrés): a rate or a temperature is what its
// story measured, as a figure with decimals is.
func measured(ctx []string) bool {
	return contains(ctx, "%") || contains(ctx, "درجه") || contains(ctx, "degre")
}

// sharedMeasure returns a number other than a year both headlines carry
// with the same unit beside it (a word, or a percent or degree sign), or a
// decimal both carry, as "number unit"; "" when none.
func sharedMeasure(a, b *Headline) string {
	if len(a.numbers) == 0 || len(b.numbers) == 0 {
		return ""
	}
	xs := make([]string, 0, len(a.numbers))
	for x := range a.numbers {
		xs = append(xs, x)
	}
	sort.Strings(xs)
	for _, x := range xs {
		cb, ok := b.numbers[x]
		if !ok || isYear(x) {
			continue
		}
		ca := a.numbers[x]
		if strings.Contains(x, ".") || measured(ca) && measured(cb) {
			return x
		}
		if n, err := strconv.ParseFloat(x, 64); err != nil || n < 10 {
			continue // a few of a thing: two events of a template ("6 حافلات" for two communes)
		}
		for _, u := range ca {
			if !isNumber(u) && contains(cb, u) {
				return x + " " + u
			}
		}
	}
	return ""
}

// namesWhereOnlyOne reports whether either headline names a place,
// country, club or capitalised name the other does not.
func namesWhereOnlyOne(a, b *Headline) bool {
	for _, k := range sharedKinds {
		if onlyIn(a.entities[k], b.entities[k]) != "" || onlyIn(b.entities[k], a.entities[k]) != "" {
			return true
		}
	}
	return false
}

// acronymsIn returns the terms a title writes as an acronym: a word of two
// to five Latin capitals in a title not written in capitals throughout.
func acronymsIn(title string, terms []string) []string {
	var out []string
	words := strings.Fields(title)
	caps := 0
	for _, w := range words {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if w != "" && isAllCaps(w) {
			caps++
		}
	}
	if caps*2 > len(words) {
		return nil
	}
	for _, w := range words {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if n := len(w); n < 2 || n > 5 || !isAllCaps(w) || strings.IndexFunc(w, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
			continue
		}
		if t := strings.ToLower(w); contains(terms, t) && !contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// acronymAt returns the index of the first of len(t) consecutive terms of
// h whose first letters spell t ("banque atlas financement" for baf: stop
// words are no terms), none a number nor used, -1 when none.
func acronymAt(t string, h *Headline, used []bool) int {
	n := len(t)
	for k := 0; k+n <= len(h.terms); k++ {
		ok := true
		for m := 0; m < n && ok; m++ {
			u := h.terms[k+m]
			ok = u != "" && u[0] == t[m] && u != t && !h.forms[k+m].number && (used == nil || !used[k+m])
		}
		if ok {
			return k
		}
	}
	return -1
}

// spellOut marks in spelled the terms of h that spell out an acronym of
// other (the acronym's own headline).
func spellOut(other, h *Headline, spelled []bool) {
	for _, t := range other.acronyms {
		if k := acronymAt(t, h, nil); k >= 0 {
			for m := k; m < k+len(t); m++ {
				spelled[m] = true
			}
		}
	}
}

// anchorSlots are the template slots whose filler says what a report is
// about: the commune or douar (جماعة عين الشقف, "commune de X"), what a
// campaign is for (حملة للتلقيح, "campagne de vaccination"), whom an
// appointment or a verdict is about, which festival, concours or centre,
// what a minister inspects. Two headlines that fill one of them with the
// same word share something specific, as a place or a rare word shared
// is, even when the window weighs the word as a template's. Not the
// subject of a law (its filler is one word: "قانون المسطرة" is the
// criminal procedure and the civil one), nor an opponent, a beaten side or
// a stage (clubs and rounds are named things already), nor a portfolio
// (one minister, many events).
var anchorSlots = map[string]bool{"locality": true, "person": true, "festival": true, "concours": true, "centre": true, "campaign": true, "inspected": true}

// sharedFiller returns the slot (kind and filler) of anchorSlots both
// headlines fill with the same word (sameFiller), "" when none.
func sharedFiller(a, b *Headline) string {
	for _, x := range a.slots {
		if !anchorSlots[x.Kind] {
			continue
		}
		for _, y := range b.slots {
			if y.Kind == x.Kind && sameFiller(x, y) {
				return x.Kind + " " + strings.Join(x.Words, " ")
			}
		}
	}
	return ""
}

// namesAlone reports whether one of h's words alone names thing (kind:id).
func namesAlone(h *Headline, thing string) bool {
	return slices.ContainsFunc(h.forms, func(w *termWord) bool { return w.thing == thing })
}

// namesToo reports whether h's i-th term is (a word of) the name of a
// thing other names too, in another form: المغرب الفاسي against الماص,
// "Renaissance de Berkane" against RSB. It is neither shared again nor
// lacking: the thing itself is shared (sharedEntity).
func namesToo(h *Headline, i int, other *Headline) bool {
	for _, x := range [2]string{h.phrased[i], h.forms[i].thing} {
		if kind, id, ok := strings.Cut(x, ":"); ok && contains(other.entities[kind], id) {
			return true
		}
	}
	return false
}

// detailOnlyIn reports whether h's i-th term is a weekday or a month and
// other names none: when a report is dated is a detail one outlet gives
// and another leaves out, not the evidence of another event (two dates
// are: entityConflict parts them). So is where, when the other headline
// names no place and no country at all: one outlet writes the town or the
// stadium (فطنجة, à Garage Allal, بإقليم تاونات), another leaves it out.
// Two places still part two reports (entityConflict); a headline that
// names a country but no place has said where in its own way (talks "in
// Rabat" against a visa deal between the same two countries), and its
// place lacking stays the penalty's word.
func detailOnlyIn(h *Headline, i int, other *Headline) bool {
	kind, _, ok := strings.Cut(h.forms[i].thing, ":")
	switch {
	case !ok:
		return false
	case kind == "weekday", kind == "month":
		return len(other.entities[kind]) == 0
	case kind == "place":
		return len(other.entities[kind]) == 0 && len(other.entities["country"]) == 0
	}
	return false
}

// signature is a set of bit places (bitOf) of 64.
type signature uint64

func (s signature) has(bit uint8) bool { return s&(1<<bit) != 0 }

// signatures are a headline's signatures of its terms' forms (termBits).
type signatures struct {
	term, bare, stem, skel, verb signature
}

// add places w's forms: a skeleton or verbal key only when it has one.
func (s *signatures) add(w *termWord) {
	s.term |= 1 << w.bits.term
	s.bare |= 1 << w.bits.bare
	s.stem |= 1 << w.bits.stem
	if w.skel != "" {
		s.skel |= 1 << w.bits.skel
	}
	if w.verbal != "" {
		s.verb |= 1 << w.bits.verb
	}
}
