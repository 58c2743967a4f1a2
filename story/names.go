package story

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// nameKind is the entity kind of the proper names found by capitalisation.
const nameKind = "name"

// properNames returns the words of a Latin-script headline that are written
// with a capital inside a sentence (Hamdaoui, Bennani, Kwame), normalised
// and stemmed (a final e left out: nameForm), less those the gazetteer knows and words common across many
// topics: the names of people and firms nobody listed. The first word of a
// sentence is capitalised anyway and is not taken (after a colon French
// writes lower case, so a capital there is a name), unless it is a
// one-word dateline (dateline); nor is a word after a French article
// (articles). Arabic has no capitals: it gets none.
func properNames(title string) []string {
	names, _ := properNamesLone(title)
	return names
}

// properNamesLone is properNames, with the names that stand alone besides
// (loneName): neither a dateline nor written next to another capitalised
// word of their clause ("à Oslo", not "Youssef El Hamri").
func properNamesLone(title string) (out, lone []string) {
	raws := strings.FieldsFunc(title, func(r rune) bool { return unicode.IsSpace(r) })
	if titleCase(raws) {
		return nil, nil
	}
	start := true
	var stems []string // for inListedName, made at the first capitalised word
	for i, raw := range raws {
		word := strings.TrimFunc(raw, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if word == "" {
			// French sets a colon apart (" : "): a mark alone ends a
			// sentence only when it is a full stop, and a capital after a
			// colon is a name.
			start = start || strings.ContainsAny(raw, ".!?")
			continue
		}
		r, _ := utf8.DecodeRuneInString(word)
		if (!start || dateline(raws, i, word)) && unicode.IsUpper(r) && unicode.In(r, unicode.Latin) && !isAllCaps(word) && !(i > 0 && articles[strings.ToLower(raws[i-1])]) {
			nw := nameWords().get(word)
			names := nw.names
			if len(nw.names) > 0 && i > 0 {
				if stems == nil {
					stems = make([]string, len(raws))
				}
				stems[i] = nw.firstStem
				if inListedName(raws, stems, i) {
					names = nil
				}
			}
			alone := !dateline(raws, i, word) && !capitalNext(raws, i)
			for _, n := range names {
				if n != "" && !contains(out, n) {
					out = append(out, n)
					if alone {
						lone = append(lone, n)
					}
				}
			}
		}
		// "M. Bourita", "Dr. Alami": the stop of a short title ends no sentence.
		start = strings.ContainsAny(raw[len(raw)-1:], ".!?") && !(utf8.RuneCountInString(word) <= 3 && unicode.IsUpper(r))
		if strings.ContainsAny(raw[:1], "«(\"") {
			start = false
		}
	}
	return out, lone
}

// capitalNext reports whether raws[i] stands next to another capitalised
// Latin word, no mark between (a first name and a surname: "Yao Kouassi",
// "El Hamri"); a colon or comma ends the run ("Rabat: Youssef").
func capitalNext(raws []string, i int) bool {
	capital := func(j int) bool {
		w := strings.TrimLeftFunc(raws[j], func(r rune) bool { return !unicode.IsLetter(r) })
		r, _ := utf8.DecodeRuneInString(w)
		return w != "" && unicode.IsUpper(r) && unicode.In(r, unicode.Latin)
	}
	joined := func(raw string) bool { // no mark after raw's last letter
		r, _ := utf8.DecodeLastRuneInString(raw)
		return unicode.IsLetter(r)
	}
	return i > 0 && capital(i-1) && joined(raws[i-1]) || i+1 < len(raws) && capital(i+1) && joined(raws[i])
}

// titleCase reports a headline written in title case, as English outlets
// write them ("Bourita Holds Talks With Ghanaian Counterpart"): nearly
// every word of four letters or more has a capital (four in five, of five
// or more), so capitals say nothing about names.
func titleCase(raws []string) bool {
	words, upper := 0, 0
	start := true
	for _, raw := range raws {
		word := strings.TrimFunc(raw, func(r rune) bool { return !unicode.IsLetter(r) })
		// a sentence's first word is capitalised anyway ("Vidéo. L'incendie
		// de Beni Idder maîtrisé" is no title case)
		first := start
		start = strings.ContainsAny(raw[len(raw)-1:], ".!?")
		if utf8.RuneCountInString(word) < 4 || first {
			continue
		}
		r, _ := utf8.DecodeRuneInString(word)
		if !unicode.In(r, unicode.Latin) {
			continue
		}
		words++
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return words >= 5 && 5*upper >= 4*words
}

// commonNameTopics: a capitalised word found in this many topics of the
// common-words table is a common noun written with a capital (Conseil,
// Royaume), not a name.
const commonNameTopics = 4

// isAllCaps reports an acronym (ONDA, ANAPEC): the gazetteer's business, and
// headlines write whole words in capitals for emphasis too.
func isAllCaps(w string) bool {
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// dateline reports whether raws[i], word without its marks, is a headline's
// one-word dateline ("Tafraout: des douars isolés…", "Aoufous :"): the
// first word, a colon right after it, no flag (Vidéo :) and no word of the
// shipped table of words common across topics (a rubric: Carburants :,
// Diplomatie :). Where the story happened is a name however the sentence
// starts; one template under two datelines is two events.
func dateline(raws []string, i int, word string) bool {
	if i != 0 || !strings.HasSuffix(raws[0], ":") && !(len(raws) > 1 && strings.HasPrefix(raws[1], ":")) {
		return false
	}
	w := Normalize(word, nil)
	if st := stem(w); shippedCommon().topicsOf("fr", st) > 0 || shippedCommon().topicsOf("en", st) > 0 {
		return false
	}
	return !startsWithFlag(w)
}

// articles are the French definite articles, alone or contracted with de
// and à (du, des, au, aux): a capitalised word after one is a title or an
// institution (le Roi, la Santé, les Verts, du Trône, aux Finances), not a
// person's name — people's names take no article; the places and clubs
// that do are the gazetteer's.
var articles = map[string]bool{"le": true, "la": true, "les": true, "du": true, "des": true, "au": true, "aux": true}

// inListedName reports whether the i-th word continues a name the
// gazetteer lists, begun by an earlier word (Med of Tanger Med, Air of
// Royal Air Maroc): it is that thing's, not a name of its own. st holds
// each word's first normalised, stemmed word ("" until needed: the i-th
// is given, the earlier ones are made here when the i-th continues a
// listed phrase at all).
func inListedName(raws []string, st []string, i int) bool {
	stemAt := func(k int) string {
		if st[k] == "" {
			st[k] = " " // none
			if nw := nameWords().get(raws[k]); len(nw.names) > 0 {
				st[k] = nw.firstStem
			}
		}
		return st[k]
	}
	g := entityIndex()
	if !g.continues(stemAt(i)) {
		return false
	}
	for j := max(0, i-4); j < i; j++ {
		for _, p := range g.phrases[stemAt(j)] {
			if len(p.words) > i-j && p.words[i-j] == st[i] && equalWords(p.words[:i-j], raws, stemAt, j) {
				return true
			}
		}
	}
	return false
}

// equalWords reports whether words are the stems of raws from j on.
func equalWords(words []string, raws []string, stemAt func(int) string, j int) bool {
	for k, w := range words {
		if stemAt(j+k) != w {
			return false
		}
	}
	return true
}

// nameForm is a name as names are compared: without a final e, which
// transliterations of one name write or leave out (Hassane, Hassan).
func nameForm(w string) string {
	if len(w) > 4 && strings.HasSuffix(w, "e") {
		return w[:len(w)-1]
	}
	return w
}

// nameWord is what properNamesLone reads of a capitalised word: the stem
// of the first of its normalised words, and for each of them the name it
// may be (nameForm of its stem), "" for a word no name is: short, a stop
// word, common across topics, or a listed thing's.
type nameWord struct {
	firstStem string
	names     []string
}

// nameWords remembers nameWord for each word as written.
var nameWords = sync.OnceValue(func() *memo[*nameWord] {
	m := newMemo(memoWords, makeNameWord)
	m.keep = func(nw *nameWord) bool { return nw.bytes() <= 2*memoKeyBytes }
	return m
})

// bytes is the length of nw's strings.
func (nw *nameWord) bytes() int {
	n := len(nw.firstStem)
	for _, s := range nw.names {
		n += len(s)
	}
	return n
}

// makeNameWord is nameWord of word, made.
func makeNameWord(word string) *nameWord {
	nw := &nameWord{}
	for k, w := range strings.Fields(Normalize(word, nil)) {
		w = stem(w)
		if k == 0 {
			nw.firstStem = w
		}
		name := ""
		if len(w) > 2 && !stopwords()[w] && shippedCommon().topicsOf("fr", w) < commonNameTopics && shippedCommon().topicsOf("en", w) < commonNameTopics &&
			len(entityIndex().phrases[w]) == 0 {
			name = nameForm(w)
		}
		nw.names = append(nw.names, name)
	}
	return nw
}
