package story

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// synonymsTSV folds words outlets use interchangeably in one story (يتغلب,
// يهزم, يفوز) and numbers written in words (خمس, cinq) to one form, so that
// two reports of one story share them (lang TAB canonical TAB form | form …).
//
//go:embed synonyms.tsv
var synonymsTSV string

// synonymOf maps a stemmed word to its canonical form; read-only, parsed
// the first time a headline is split.
var synonymOf = sync.OnceValue(func() map[string]string { return parseSynonyms(synonymsTSV) })

func parseSynonyms(tsv string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(tsv, "\n") {
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(f) != 3 {
			continue
		}
		canonical := strings.TrimSpace(f[1])
		for _, form := range strings.Split(f[2], "|") {
			for _, w := range strings.Fields(Normalize(form, nil)) {
				if w = stem(w); w != "" && w != canonical {
					out[w] = canonical
				}
				if r, _ := utf8.DecodeRuneInString(w); unicode.Is(unicode.Arabic, r) && !isNumber(canonical) && utf8.RuneCountInString(w) >= 4 {
					out[lightKey+arabicLightStem(dropProclitic(w))] = canonical
				}
			}
		}
	}
	return out
}

// lightKey marks a listed word's light stem (arabicLightStem) among the
// synonyms' keys.
const lightKey = "~"

// canonical is w's synonym class, trying it without a one-letter proclitic too.
func canonical(w string) string {
	syn := synonymOf()
	if c, ok := syn[w]; ok {
		return c
	}
	if bare := dropProclitic(w); bare != w {
		if c, ok := syn[stem(bare)]; ok {
			return c
		}
	}
	if r, _ := utf8.DecodeRuneInString(w); unicode.Is(unicode.Arabic, r) && utf8.RuneCountInString(w) >= 4 {
		// another number or gender of a listed word: مهاجرا is مهاجرين's
		var buf [64]byte
		key := append(append(buf[:0], lightKey...), arabicLightStem(dropProclitic(w))...)
		if c, ok := syn[string(key)]; ok { // no allocation for the lookup
			return c
		}
	}
	if v := verbBase(w); v != w {
		// a verb's, not a number's: تسعون is 90, not تسع (9) and an ending
		if c, ok := syn[v]; ok && !isNumber(c) {
			return c
		}
	}
	return w
}

// arabicVerbEndings are the endings of a verb's person the synonyms list
// writes for "he" only: they (يهزمون, يفوزان), she (فازت), they in the
// past (فازوا, stemmed فازو; Darija ربحو).
var arabicVerbEndings = []string{"ون", "ان", "وا", "و", "ت"}

// verbBase is w without the ending of a verb's person or number (Arabic
// they/she, French "-ent" of the third person plural, a participle's
// feminine "-ee"), to be looked up in the synonyms list; w when none.
func verbBase(w string) string {
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.Is(unicode.Arabic, r) {
		n := utf8.RuneCountInString(w)
		for _, e := range arabicVerbEndings {
			if strings.HasSuffix(w, e) && n-utf8.RuneCountInString(e) >= 3 {
				return strings.TrimSuffix(w, e)
			}
		}
		return w
	}
	return w
}
