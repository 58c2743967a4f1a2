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
	readOrdinals(ws)
	readNumberWords(ws)
	return ws
}

// readNumberWords reads, in place, the Arabic number words no synonym
// class can: the article-like start of ألف is stripped by stemming
// (ألفين, ألفي, ألفا stem to no word at all) and a dual carries its number in
// its ending. The hundreds' dual (مائتي, مائتين: 200), the hundreds written
// as one word (ثلاثمائة … تسعمائة), the thousand's dual (ألفين, ألفي, ألفان:
// 2000) are their numbers; the dual of a million or a billion (مليوني,
// مليونين, ملياري) is "2 مليون", "2 مليار" (spellDuals writes it out), as
// "2 مليون" other outlets write. مليونا and مليارا are a dual only before
// the noun they count (dualBeforeNoun): "42 مليونا" is the accusative after
// 11 to 99. ألفا stays unread: read as 2000 it is no penalty's word against
// another count, and two counts of schools (ألفا إعدادية, 4500 مدرسة) were
// merged on one writer's set. A
// thousand alone is 1000 before a number written in words (ألف ومائتي: 1200,
// joined by joinNumberWords).
func readNumberWords(ws words) {
	for i, w := range ws.raw {
		if ws.content[i] == "" && !strings.HasSuffix(w, "ي") {
			continue // a stop word (ألفي stems to في)
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.Is(unicode.Arabic, r) {
			continue
		}
		n, ok := arabicNumberWords[w]
		if !ok {
			n, ok = arabicNumberWords[dropProclitic(w)]
		}
		if !ok {
			continue
		}
		if strings.HasSuffix(w, "ا") && !dualBeforeNoun(ws, i) {
			continue // 63 ألفا, 42 مليونا, ترصد مليونا وثمانمائة ألف: the accusative of one
		}
		ws.content[i] = n
	}
	for i, w := range ws.raw { // ألف before a number in words
		if i+1 < len(ws.raw) && ws.content[i] != "" && stem(dropProclitic(w)) == "الف" && (i == 0 || !isNumber(ws.raw[i-1]) && (ws.content[i-1] == "" || !isNumber(ws.content[i-1]))) &&
			ws.content[i+1] != "" && isNumber(ws.content[i+1]) && !isNumber(ws.raw[i+1]) {
			ws.content[i] = "1000"
		}
	}
}

// dualBeforeNoun reports whether the i-th word, written with a final alif
// (مليونا, مليارا), is a dual: one that counts the noun after it (مليونا
// طن), no number before it (63 ألفا) and none after (مليونا
// وثمانمائة ألف: one million and eight hundred thousand).
func dualBeforeNoun(ws words, i int) bool {
	if i > 0 && (isNumber(ws.raw[i-1]) || ws.content[i-1] != "" && isNumber(ws.content[i-1])) {
		return false
	}
	if i+1 >= len(ws.raw) || ws.content[i+1] == "" || isNumber(ws.content[i+1]) {
		return false
	}
	next := ws.raw[i+1]
	_, spelled := arabicNumberWords[dropProclitic(next)]
	_, spelledToo := arabicNumberWords[next]
	return !spelled && !spelledToo && !strings.HasPrefix(next, "و")
}

// arabicNumberWords are the Arabic number words readNumberWords reads,
// normalised (ئ is ي, ة is ه), each with what it says.
var arabicNumberWords = map[string]string{
	"مايتين": "200", "مايتي": "200", "مايتان": "200", "ميتين": "200", "ميتي": "200", "ميتان": "200",
	"ثلاثمايه": "300", "ثلاثميه": "300", "اربعمايه": "400", "اربعميه": "400", "خمسمايه": "500", "خمسميه": "500",
	"ستمايه": "600", "ستميه": "600", "سبعمايه": "700", "سبعميه": "700", "ثمانمايه": "800", "ثمانميه": "800",
	"تسعمايه": "900", "تسعميه": "900",
	"الفين": "2000", "الفي": "2000", "الفان": "2000",
	"مليونين": "مليونين", "مليوني": "مليونين", "مليونان": "مليونين", "مليونا": "مليونين",
	"مليارين": "مليارين", "ملياري": "مليارين", "ملياران": "مليارين", "مليارا": "مليارين",
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
