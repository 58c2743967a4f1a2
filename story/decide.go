package story

import (
	"fmt"
	"math"
	"sort"
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
}

// nearCopy is the character-trigram Jaccard above which two headlines are
// copies of one text (a wire dispatch and its republications).
const nearCopy = 0.7

// DefaultParams are the settings nashra ships with: chosen on the tuning
// half and the first set, precision first, and checked by cross-validation
// inside the tuning half (NASHRA_TUNE=cv go test ./story -run TuneCrossValidation -v).
var DefaultParams = Params{Threshold: DefaultThreshold, Penalty: 0.12, MinEvidence: 4, MinAnchor: 5, Core: 5, Drift: 0.2}

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
	Reason   string
}

// Headline is a headline prepared for comparison: normalised once, compared many times.
type Headline struct {
	Norm     string
	terms    []string
	trigrams []uint64
	stems    []string // terms' light stems, to match inflections
	skels    []string // terms' skeletons, to match a loanword's spellings ("" for short words)
	things   []string // the thing (kind:id) each term alone names, "" when none: WAC = Wydad
	numbers  numberSet
	entities map[string][]string // kind → ids
	slots    []Slot              // template slots the headline fills (slots.tsv)
}

// Prepare normalises a headline (publisher suffixes from publishers removed).
func Prepare(title string, publishers []string) *Headline {
	return prepareNormalized(title, Normalize(title, publishers), publishers)
}

// prepareNormalized is Prepare for a title already normalised (a stored
// item's Norm): the proper names still come from the title's capitals.
func prepareNormalized(title, normalized string, publishers []string) *Headline {
	h := prepared(normalized)
	if names := properNames(stripPublisher(title, publishers)); len(names) > 0 {
		if h.entities == nil {
			h.entities = map[string][]string{}
		}
		h.entities[nameKind] = names
	}
	return h
}

func prepared(normalized string) *Headline {
	toks := Tokens(normalized)
	stems := make([]string, len(toks))
	skels := make([]string, len(toks))
	things := make([]string, len(toks))
	for i, t := range toks {
		stems[i] = lightStem(t)
		skels[i] = skeleton(t)
		things[i] = entityIndex.wordNames(t)
	}
	return &Headline{Norm: normalized, terms: toks, stems: stems, skels: skels, things: things, trigrams: trigrams(normalized), numbers: numbersIn(normalized),
		entities: entityIndex.find(normalized), slots: slotCues.find(normalized)}
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
	apart = min(max(apart, 0), 1)
	d := Decision{Apart: apart, Drift: p.Drift * apart}
	d.Threshold = p.Threshold + d.Drift
	matchedB := make([]bool, len(b.terms))
	var wa, wb float64
	for i, t := range a.terms {
		tw := w.Weight(t)
		wa += tw
		j := matchTerm(a, i, b, matchedB)
		if j < 0 {
			d.OnlyA = append(d.OnlyA, Term{t, tw})
			continue
		}
		matchedB[j] = true
		sw := min(tw, w.Weight(b.terms[j]))
		d.Shared = append(d.Shared, Term{t, sw})
		d.Evidence += sw
	}
	for j, t := range b.terms {
		tw := w.Weight(t)
		wb += tw
		if !matchedB[j] {
			d.OnlyB = append(d.OnlyB, Term{t, tw})
		}
	}
	byWeight := func(ts []Term) {
		sort.SliceStable(ts, func(i, j int) bool { return ts[i].Weight > ts[j].Weight })
	}
	byWeight(d.Shared)
	byWeight(d.OnlyA)
	byWeight(d.OnlyB)
	if smaller := min(wa, wb); smaller > 0 {
		d.Overlap = d.Evidence / smaller
	}
	d.Trigram = jaccard(a.trigrams, b.trigrams)
	d.Similarity = (d.Overlap + d.Trigram) / 2
	if ra, rb := rarest(d.OnlyA, len(b.numbers) == 0), rarest(d.OnlyB, len(a.numbers) == 0); ra != "" && rb != "" {
		d.RareA, d.RareB = ra, rb
		d.Penalty = p.Penalty * min(w.Weight(ra), w.Weight(rb)) / maxWeight
	}
	switch id := sharedEntity(a.entities, b.entities); {
	case id != "":
		d.Anchor = id
	case len(d.Shared) > 0 && d.Shared[0].Weight >= p.MinAnchor:
		d.Anchor = d.Shared[0].Word
	case d.Trigram >= nearCopy:
		d.Anchor = "the same text" // a wire copy needs no rare word to be one
	}
	what := "two different things of one kind"
	if kind, x, y := entityConflict(a.entities, b.entities); kind != "" {
		d.Conflict = fmt.Sprintf("%s: %s against %s", kind, x, y)
	} else if d.Conflict = slotConflict(a, b); d.Conflict != "" {
		what = "one template filled with two things"
	}
	d.Score = d.Similarity - d.Penalty
	d.NumbersA, d.NumbersB = numberConflict(a.numbers, b.numbers)
	switch {
	case d.Conflict != "":
		d.Score = 0
		d.Reason = fmt.Sprintf("%s (%s): two stories", what, d.Conflict)
	case d.NumbersA != nil:
		d.Score = 0
		d.Reason = fmt.Sprintf("numbers conflict: %s against %s", strings.Join(d.NumbersA, ", "), strings.Join(d.NumbersB, ", "))
	case d.Anchor == "":
		d.Score = 0
		d.Reason = "nothing specific shared: only template words, no name or rare word in common"
	case len(d.Shared) < minShared:
		d.Score = 0
		d.Reason = fmt.Sprintf("only %d words shared (%d needed)", len(d.Shared), minShared)
	case d.Evidence < p.MinEvidence:
		d.Score = 0
		d.Reason = fmt.Sprintf("too little shared: weight %.1f of the %.1f needed", d.Evidence, p.MinEvidence)
	case d.Score >= d.Threshold:
		d.Same = true
		d.Reason = fmt.Sprintf("score %.3f ≥ threshold %s", d.Score, thresholdText(d, p))
	case d.Penalty > 0 && d.Similarity >= d.Threshold:
		d.Reason = fmt.Sprintf("alike (%.3f), but each names what the other lacks (%s / %s): score %.3f < %s",
			d.Similarity, d.RareA, d.RareB, d.Score, thresholdText(d, p))
	default:
		d.Reason = fmt.Sprintf("score %.3f < threshold %s", d.Score, thresholdText(d, p))
	}
	return d
}

// thresholdText is the threshold a decision was taken at, with what the
// time between the two reports added to it.
func thresholdText(d Decision, p Params) string {
	if d.Drift == 0 {
		return fmt.Sprintf("%.2f", d.Threshold)
	}
	return fmt.Sprintf("%.2f (%.2f + %.2f: %.0f%% of the window apart)", d.Threshold, p.Threshold, d.Drift, 100*d.Apart)
}

// rarest is the heaviest word of ts ("" when none): ts are heaviest first.
// A number counts only when the other headline has none (numbers), so that
// a figure only one report gives ("0.4 %", against a plan for a province)
// weighs as any rare word; numbers on both sides are numberConflict's.
func rarest(ts []Term, numbers bool) string {
	for _, t := range ts {
		if numbers || !isNumber(t.Word) {
			return t.Word
		}
	}
	return ""
}

// Contradict reports whether two headlines name different things of one kind
// or different numbers: whatever else they share, they are two stories. A
// report joins a story only if it contradicts none of its reports, so that
// two look-alikes cannot be chained into one story through a third.
func Contradict(a, b *Headline) bool {
	if xa, _ := numberConflict(a.numbers, b.numbers); xa != nil {
		return true
	}
	kind, _, _ := entityConflict(a.entities, b.entities)
	return kind != "" || slotConflict(a, b) != ""
}

// matchTerm finds a's i-th word among b's words not yet matched: the same
// word, the same word behind or without a one-letter Arabic proclitic
// (بطنجة, لطنجة, وطنجة → طنجة), another inflection of it (lightStem),
// another spelling of a long loanword (skeleton: باكالوريا = بكالوريا), or
// another listed name of one thing (entities.tsv: WAC = Wydad, كازا = البيضاء).
func matchTerm(a *Headline, i int, b *Headline, used []bool) int {
	t := a.terms[i]
	for j, u := range b.terms {
		if !used[j] && u == t {
			return j
		}
	}
	for j, u := range b.terms {
		if !used[j] && (dropProclitic(u) == t || dropProclitic(t) == u) {
			return j
		}
	}
	if isNumber(t) {
		return -1
	}
	for j, u := range b.stems {
		if !used[j] && u == a.stems[i] && !isNumber(b.terms[j]) {
			return j
		}
	}
	if a.skels[i] != "" {
		for j, u := range b.skels {
			if !used[j] && u == a.skels[i] {
				return j
			}
		}
	}
	if a.things[i] != "" {
		for j, u := range b.things {
			if !used[j] && u == a.things[i] {
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
	return math.Log(1 + referenceWindow/float64(1+df))
}
