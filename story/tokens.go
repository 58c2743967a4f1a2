package story

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// stopwords are words that carry no story: they are neither indexed nor
// compared. Made the first time a headline is split, not at start.
var stopwords = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(`
في من على الى عن مع بعد قبل خلال حول ضد بين عبر هذا هذه ذلك تلك التي الذي الذين ان قد لا ما لم لن او ثم
هو هي كما حتى منذ لدى عند اي كل غير بعض ب ل و ف ك ال يوم اليوم امس غدا جديد جديده له لها
le la les l de des du d un une et en a au aux pour par sur dans avec son sa ses leur leurs est sont ce cet cette
ces qui que qu selon plus ne pas se ou il elle ils elles y dont lors apres avant entre contre vers chez sous
m mme mlle mr sm dr
the of and to in on for at by with from as is are its an be new after over`) {
		out[arabicFold.Replace(w)] = true
	}
	return out
})

// Tokens returns the distinct content words of a normalised headline, lightly
// stemmed (Arabic article and proclitics, French and English plurals), in order.
func Tokens(normalized string) []string {
	return tokensOf(splitWords(normalized))
}

// words are a normalised headline's words, split once for all that reads
// them (Tokens, numbersIn, the gazetteer): as written, stemmed (stem), and
// in their synonym class ("" for a stop word).
type words struct {
	raw, stemmed, content []string
}

func splitWords(normalized string) words {
	raw := strings.Fields(normalized)
	n := len(raw)
	all := make([]string, 2*n)
	ws := words{raw: raw, stemmed: all[:n:n], content: all[n:]}
	stop := stopwords()
	for i, w := range raw {
		ws.stemmed[i] = stem(w)
		if c := canonical(ws.stemmed[i]); c != "" && !stop[c] {
			ws.content[i] = c
		}
	}
	return ws
}

// tokensOf is Tokens of a headline's words.
func tokensOf(ws words) []string {
	var words []string
	var spelled []bool
	for i, c := range ws.content {
		if c == "" {
			continue
		}
		words = append(words, c)
		spelled = append(spelled, isNumber(c) && !isNumber(ws.raw[i]))
	}
	joined := joinThousands(joinNumberWords(words, spelled))
	out := joined[:0]
	var seen map[string]bool // for a long text; a headline's few words are compared
	if len(joined) > 32 {
		seen = make(map[string]bool, len(joined))
	}
	for _, w := range joined {
		if seen != nil && !seen[w] || seen == nil && !slices.Contains(out, w) {
			out = append(out, w)
			if seen != nil {
				seen[w] = true
			}
		}
	}
	return slices.Clip(out)
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
