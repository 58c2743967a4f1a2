package story

import (
	"slices"
	"strconv"
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
ديال ديالها ديالو ديالهم هاد هادي هادو غادي باش واش
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
	info                  []*rawWord // each word's readings, the gazetteer's among them
}

// split is a normalised headline's words and its terms' forms, found once
// for both its index terms and its headline.
type split struct {
	words words
	forms []*termWord // each term's (termWords), in order
}

// formsOf is each term's forms.
func formsOf(terms []string) []*termWord {
	memo := termWords()
	forms := make([]*termWord, len(terms))
	for i, t := range terms {
		forms[i] = memo.get(t)
	}
	return forms
}

func splitWords(normalized string) words {
	raw := strings.Fields(normalized)
	n := len(raw)
	all := make([]string, 2*n)
	ws := words{raw: raw, stemmed: all[:n:n], content: all[n:], info: make([]*rawWord, n)}
	memo := rawWords()
	for i, w := range raw {
		r := memo.get(w)
		ws.stemmed[i], ws.content[i], ws.info[i] = r.stemmed, r.content, r
	}
	readOrdinals(ws)
	return ws
}

// readOrdinals reads ordinals that a rewrite writes in digits as the
// number they say, in place: French "3ème", "3ieme" and "3e" are one
// "3e"; an Arabic compound ordinal, a unit's ordinal and a ten or tens
// ("الخامسة عشرة", "السابعة والعشرين"), is its number (15, 27: "الدورة
// 15", "الدورة 27"), where the tens alone read 10 or 20 and parted the
// rewrites on a number. A unit's ordinal alone stays unread.
func readOrdinals(ws words) {
	for i, c := range ws.content {
		if c == "" || !isNumber(c) {
			continue
		}
		if isNumber(ws.raw[i]) { // digits: 3ème, 3e
			if rest := strings.TrimLeft(c, "0123456789"); rest == "eme" || rest == "ieme" || rest == "em" {
				ws.content[i] = c[:len(c)-len(rest)] + "e"
			}
			continue
		}
		if i == 0 || ws.content[i-1] == "" {
			continue
		}
		if unit, ok := ordinalUnits[ws.content[i-1]]; ok {
			if tens, err := strconv.Atoi(c); err == nil && (tens == 10 || tens >= 20 && tens <= 90 && tens%10 == 0) {
				ws.content[i-1], ws.content[i] = strconv.Itoa(unit+tens), ""
			}
		}
	}
}

// ordinalUnits are the Arabic ordinals of the units as a compound ordinal
// starts (stemmed, the article and ة folded): الحادية عشرة, الخامسة
// والعشرين.
var ordinalUnits = map[string]int{
	"حادي": 1, "حاديه": 1, "ثاني": 2, "ثانيه": 2, "ثالث": 3, "ثالثه": 3, "رابع": 4, "رابعه": 4,
	"خامس": 5, "خامسه": 5, "سادس": 6, "سادسه": 6, "سابع": 7, "سابعه": 7, "ثامن": 8, "ثامنه": 8,
	"تاسع": 9, "تاسعه": 9,
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
	joined := joinThousands(joinNumberWords(words, spelled, spelledArabic(ws)))
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
