package story

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopwords are words that carry no story: they are neither indexed nor compared.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
في من على الى عن مع بعد قبل خلال حول ضد بين عبر هذا هذه ذلك تلك التي الذي الذين ان قد لا ما لم لن او ثم
هو هي كما حتى منذ لدى عند اي كل غير بعض ب ل و ف ك ال يوم اليوم امس غدا جديد جديده له لها
le la les l de des du d un une et en a au aux pour par sur dans avec son sa ses leur leurs est sont ce cet cette
ces qui que qu selon plus ne pas se ou il elle ils elles y dont lors apres avant entre contre vers chez sous
m mme mlle mr sm dr
the of and to in on for at by with from as is are its an be new after over`) {
		stopwords[arabicFold.Replace(w)] = true
	}
}

// Tokens returns the distinct content words of a normalised headline, lightly
// stemmed (Arabic article and proclitics, French and English plurals), in order.
func Tokens(normalized string) []string {
	var words []string
	var spelled []bool
	for _, w := range strings.Fields(normalized) {
		c := canonical(stem(w))
		if c == "" || stopwords[c] {
			continue
		}
		words = append(words, c)
		spelled = append(spelled, isNumber(c) && !isNumber(w))
	}
	var out []string
	seen := map[string]bool{}
	for _, w := range joinNumberWords(words, spelled) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// Fold is Normalize followed by the same light stemming as Tokens, keeping
// every word: the form keyword filters compare, so that "الأمطار" finds
// "أمطار" and "Météo" finds "METEO".
func Fold(text string) string {
	words := strings.Fields(Normalize(text, nil))
	for i, w := range words {
		words[i] = stem(w)
	}
	return strings.Join(words, " ")
}

var arabicPrefixes = []string{"وبال", "وال", "بال", "كال", "فال", "لل", "ال"}

func stem(w string) string {
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.Is(unicode.Arabic, r) {
		for _, p := range arabicPrefixes {
			if strings.HasPrefix(w, p) && utf8.RuneCountInString(w)-utf8.RuneCountInString(p) >= 2 {
				w = w[len(p):]
				break
			}
		}
		// Accusative tanween alif: "جامعيا" and "جامعي" are one word.
		if utf8.RuneCountInString(w) >= 4 && strings.HasSuffix(w, "ا") && !strings.HasSuffix(w, "اا") {
			w = strings.TrimSuffix(w, "ا")
		}
		return w
	}
	if unicode.IsLetter(r) && len(w) > 3 && (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x")) && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}
