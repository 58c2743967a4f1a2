package story

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameKind is the entity kind of the proper names found by capitalisation.
const nameKind = "name"

// properNames returns the words of a Latin-script headline that are written
// with a capital inside a sentence (Hamdaoui, Bennani, Kwame), normalised
// and stemmed, less those the gazetteer knows and words common across many
// topics: the names of people and firms nobody listed. The first word of a
// sentence is capitalised anyway and is not taken (after a colon French
// writes lower case, so a capital there is a name). Arabic has no capitals:
// it gets none.
func properNames(title string) []string {
	var out []string
	start := true
	for _, raw := range strings.FieldsFunc(title, func(r rune) bool { return unicode.IsSpace(r) }) {
		word := strings.TrimFunc(raw, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		r, _ := utf8.DecodeRuneInString(word)
		if word != "" && !start && unicode.IsUpper(r) && unicode.In(r, unicode.Latin) && !isAllCaps(word) {
			for _, w := range strings.Fields(Normalize(word, nil)) {
				w = stem(w)
				if len(w) > 2 && !stopwords[w] && shippedCommon.topicsOf("fr", w) < commonNameTopics && shippedCommon.topicsOf("en", w) < commonNameTopics &&
					len(entityIndex.phrases[w]) == 0 && !contains(out, w) {
					out = append(out, w)
				}
			}
		}
		start = word == "" || strings.ContainsAny(raw[len(raw)-1:], ".!?")
		if strings.ContainsAny(raw[:1], "«(\"") {
			start = false
		}
	}
	return out
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
