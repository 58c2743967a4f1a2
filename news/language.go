package news

import (
	"strings"
	"unicode"
)

// BaseLanguage reduces a language tag ("fr-FR", "ar_MA") to its base ("fr",
// "ar"); "" when the tag is not one.
func BaseLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i > 0 {
		tag = tag[:i]
	}
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	return tag
}

// DetectLanguage guesses a headline's language: "ar" for text written
// mostly in Arabic script; in Latin script "fr" or "en" when at least two of
// the little words each language cannot do without (le, des, d', à / the,
// of, 's, for) say so and the other's are fewer; "" when undecided. It is
// for sources whose language is not configured.
func DetectLanguage(s string) string {
	arabic, letters := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Arabic, r) {
				arabic++
			}
		}
	}
	if letters > 0 && arabic*2 > letters {
		return "ar"
	}
	fr, en := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\'' && r != '’'
	}) {
		w = strings.ReplaceAll(w, "’", "'")
		switch {
		case frenchWords[w]:
			fr++
		case englishWords[w]:
			en++
		case strings.HasSuffix(w, "'s"):
			en++
		case len(w) > 2 && strings.Contains("ldsnjmtc", w[:1]) && w[1] == '\'', strings.HasPrefix(w, "qu'"):
			fr++ // an elision: l'État, d'Al Haouz, s'alourdit, qu'il
		}
	}
	switch {
	case fr >= 2 && fr > en:
		return "fr"
	case en >= 2 && en > fr:
		return "en"
	}
	return ""
}

// The function words of French and English headlines, none of them a word
// of the other language.
var (
	frenchWords  = wordSet("le la les de du des en un une et à au aux pour sur avec dans par est sont qui que ne pas son sa ses ce cette plus après contre selon lors vers chez entre sans sous")
	englishWords = wordSet("the of and to in for on with is are by at from after over as its an will was were has have be this that into than")
)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
