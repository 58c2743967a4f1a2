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
// and stemmed, less those the gazetteer or the table of common words
// already knows: the names of people and firms nobody listed. A word after
// the start or a break (":", ".", "|", "-", "«", "(") may be capitalised for
// another reason and is not taken. Arabic has no capitals: it gets none.
func properNames(title string) []string {
	var out []string
	start := true
	for _, raw := range strings.FieldsFunc(title, func(r rune) bool { return unicode.IsSpace(r) }) {
		word := strings.TrimFunc(raw, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		r, _ := utf8.DecodeRuneInString(word)
		if word != "" && !start && unicode.IsUpper(r) && unicode.In(r, unicode.Latin) && !isAllCaps(word) {
			for _, w := range strings.Fields(Normalize(word, nil)) {
				w = stem(w)
				if len(w) > 2 && !stopwords[w] && commonTable["fr"][w] == 0 && commonTable["en"][w] == 0 &&
					len(entityIndex.phrases[w]) == 0 && !contains(out, w) {
					out = append(out, w)
				}
			}
		}
		start = word == "" || strings.ContainsAny(raw[len(raw)-1:], ":.|-«(!?")
		if strings.ContainsAny(raw[:1], "«(\"") {
			start = false
		}
	}
	return out
}

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
