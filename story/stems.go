package story

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lightStem is the form two inflections of one word share, for comparing
// words only (the index and the tables keep the words themselves): Arabic
// without a one-letter proclitic and one suffix of number, gender or
// relation (مغربي/المغرب, امتحانات/امتحان, الغاني/غانا), French without the
// endings of a verb's persons or an adjective's gender (adoptent/adopté,
// ghanéenne/ghanéen, médecine/médecin). Numbers come back unchanged.
func lightStem(w string) string {
	r, _ := utf8.DecodeRuneInString(w)
	switch {
	case unicode.Is(unicode.Arabic, r):
		return arabicLightStem(dropProclitic(w))
	case unicode.IsLetter(r):
		return frenchLightStem(w)
	}
	return w
}

// arabicSuffixes are removed, the longest first, twice at most and leaving
// at least three letters, so that a plural and its singular end alike
// (امتحانات → امتحان → امتح, as امتحان → امتح).
var arabicSuffixes = []string{"يات", "ات", "ون", "ين", "ان", "يه", "ه", "ي", "ا"}

func arabicLightStem(w string) string {
	for range 2 {
		n, cut := utf8.RuneCountInString(w), false
		for _, s := range arabicSuffixes {
			if strings.HasSuffix(w, s) && n-utf8.RuneCountInString(s) >= 3 {
				w, cut = strings.TrimSuffix(w, s), true
				break
			}
		}
		if !cut {
			break
		}
	}
	return w
}

// skeletonLetters is the least length of a word whose long vowels are
// dropped: loanwords are written with and without them (باكالوريا and
// بكالوريا, الترامواي and الترامفاي), and a word this long seldom meets
// another word on the same consonants.
const skeletonLetters = 6

// skeleton is a long Arabic word without its long vowels (ا و ي) after the
// first letter, so that two spellings of one loanword match; "" for a
// shorter word or another script.
func skeleton(w string) string {
	first, size := utf8.DecodeRuneInString(w)
	if !unicode.Is(unicode.Arabic, first) || utf8.RuneCountInString(w) < skeletonLetters {
		return ""
	}
	rest := strings.Map(func(r rune) rune {
		if r == 'ا' || r == 'و' || r == 'ي' {
			return -1
		}
		return r
	}, w[size:])
	return string(first) + rest
}

func frenchLightStem(w string) string {
	switch {
	case len(w) >= 7 && strings.HasSuffix(w, "ent"):
		w = w[:len(w)-3]
	case len(w) >= 5 && strings.HasSuffix(w, "ee"):
		w = w[:len(w)-2]
	case len(w) >= 5 && strings.HasSuffix(w, "e"):
		w = w[:len(w)-1]
	}
	if len(w) >= 5 && strings.HasSuffix(w, "nn") {
		w = w[:len(w)-1]
	}
	return w
}

// verbalKey is what an Arabic verb in the present and its verbal noun
// share, so that a rewrite that says the act as a noun matches one that
// says it as a verb: the verb without its person prefix (ي, ت) and plural
// or dual ending (يضربون → ضرب, تعلن → علن), the noun without the letters
// its pattern adds to the root — تفعيل (تعليق → علق, توقيف → وقف), افعال,
// انفعال, افتعال, استفعال (اعلان → علن, انطلاق → نطلق, ارتفاع → رتفع,
// استثمار → ستثمر) and مفاعلة (مصادقة → صادق). "" for other words: a
// verb's or noun's key alone says nothing, only a verb's against a noun's.
func verbalKey(w string) string {
	w = dropProclitic(w)
	r := []rune(w)
	if len(r) < 4 || !unicode.Is(unicode.Arabic, r[0]) {
		return ""
	}
	switch r[0] {
	case 'ي', 'ت':
		// ت with ي before the last letter is the noun تفعيل (تعليق);
		// else ي or ت and three letters or more is a verb.
		v := r[1:]
		if n := len(v); n >= 5 && (string(v[n-2:]) == "ون" || string(v[n-2:]) == "ان") {
			v = v[:n-2]
		}
		if r[0] == 'ت' && len(r) >= 5 && r[len(r)-2] == 'ي' {
			return "n" + string(r[1:len(r)-2]) + string(r[len(r)-1]) // تفعيل
		}
		if len(v) >= 3 {
			return "v" + string(v)
		}
	case 'ا':
		n := r
		if n[len(n)-1] == 'ه' {
			n = n[:len(n)-1]
		}
		if len(n) >= 5 && n[len(n)-2] == 'ا' {
			return "n" + string(n[1:len(n)-2]) + string(n[len(n)-1])
		}
	case 'م':
		if len(r) >= 6 && r[2] == 'ا' && r[len(r)-1] == 'ه' {
			return "n" + string(r[1:len(r)-1])
		}
	}
	return ""
}

// verbalMatch reports whether two verbal keys are a verb's and its noun's.
func verbalMatch(x, y string) bool {
	return x != "" && y != "" && x[0] != y[0] && x[1:] == y[1:]
}
