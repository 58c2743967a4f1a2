// Package story decides whether two headlines from different outlets report the same story.
package story

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// arabicFoldPairs fold the forms of an Arabic letter, digit or mark that
// headlines write interchangeably to one (hamza forms, alef maqsura, ta
// marbuta, Persian letters, tatweel, Eastern digits, Arabic punctuation):
// each a single rune to one rune or none.
var arabicFoldPairs = []string{
	"أ", "ا", "إ", "ا", "آ", "ا", "ٱ", "ا",
	"ى", "ي", "ة", "ه", "ؤ", "و", "ئ", "ي",
	"ک", "ك", "گ", "ك", "ی", "ي", "ـ", "",
	"٠", "0", "١", "1", "٢", "2", "٣", "3", "٤", "4", "٥", "5", "٦", "6", "٧", "7", "٨", "8", "٩", "9",
	"۰", "0", "۱", "1", "۲", "2", "۳", "3", "۴", "4", "۵", "5", "۶", "6", "۷", "7", "۸", "8", "۹", "9",
	"٫", ",", "٬", "", "٪", "%", "،", " ", "؛", " ", "؟", " ",
}

var arabicFold = strings.NewReplacer(arabicFoldPairs...)

// isArabicMark reports the Arabic harakat (U+064B–U+065F), the superscript
// alef and the Quranic marks: headlines write them or not.
func isArabicMark(r rune) bool {
	return (r >= 0x064B && r <= 0x065F) || r == 0x0670 || (r >= 0x06D6 && r <= 0x06ED)
}

// arabicBlock maps each rune of U+0600–U+06FF (index r − 0x600) to what
// removing the marks and then arabicFold make of it: -1 for none, 0 for
// itself. Every rune arabicFoldPairs maps lies in that block.
var arabicBlock = sync.OnceValue(func() *[256]rune {
	var t [256]rune
	for r := rune(0x600); r < 0x700; r++ {
		if isArabicMark(r) {
			t[r-0x600] = -1
		}
	}
	for i := 0; i < len(arabicFoldPairs); i += 2 {
		from, to := []rune(arabicFoldPairs[i]), []rune(arabicFoldPairs[i+1])
		if len(from) != 1 || len(to) > 1 || from[0] < 0x600 || from[0] >= 0x700 {
			panic("story: arabicFoldPairs holds " + arabicFoldPairs[i] + ": not one rune of the Arabic block")
		}
		t[from[0]-0x600] = -1
		if len(to) == 1 {
			t[from[0]-0x600] = to[0]
		}
	}
	return &t
})

// lowerFoldArabic is strings.ToLower, then the Arabic marks removed and
// arabicFold, in one pass over the runes (strings.ToLower maps each rune
// by unicode.ToLower; no Arabic letter has a case).
func lowerFoldArabic(s string) string {
	t := arabicBlock()
	return strings.Map(func(r rune) rune {
		if r >= 0x600 && r < 0x700 {
			if m := t[r-0x600]; m != 0 {
				return m
			}
			return r
		}
		return unicode.ToLower(r)
	}, s)
}

// flagWords are the flags outlets put before a headline ("عاجل..", "Vidéo :"), folded.
var flagWords = []string{"عاجل", "خبر عاجل", "بالفيديو", "فيديو", "بالصور", "صور", "مباشر", "حصري", "رسميا", "urgent", "officiel", "breaking", "video", "direct", "exclusif", "maroc", "morocco"}

var (
	// Wire marks and flags outlets add around a dispatch. Applied to folded text.
	wireMarks = regexp.MustCompile(`\(\s*و\s*\.?\s*م\s*\.?\s*ع\s*\.?\s*\)|\(\s*ماب\s*\)|\(\s*map\s*\)|\(\s*afp\s*\)|\(\s*mapexpress\s*\)`)
	prefixes  = regexp.MustCompile(`^(?:(?:` + strings.Join(flagWords, "|") + `)\s*(?:\.\.+|[:|\-–—!.]+)\s*)+`)
	elisions  = regexp.MustCompile(`\b(?:l|d|j|qu|n|s|c|m|t|jusqu|lorsqu|puisqu)'`)
	// A number: digits with separators. "2.500" is a thousand separator, "0,4" a decimal.
	thousands = regexp.MustCompile(`(\d)[.,\x{202f} ](\d{3})\b`)
	decimal   = regexp.MustCompile(`(\d),(\d)`)
)

// Normalize folds a headline to the form two outlets' copies of one story
// share: Unicode NFKC, lower case, Arabic without harakat and tatweel with
// hamza forms and digits folded, Latin without accents and elisions, quotes
// and dashes folded, wire marks, "عاجل.." and "Maroc :" flags and known
// publisher suffixes removed, punctuation turned to spaces.
func Normalize(title string, publishers []string) string {
	s := toNFKC(title)
	s = stripPublisher(s, publishers)
	s = lowerFoldArabic(s)
	s = stripLatinAccents(s)
	s = foldQuotes(s)
	// Each rewrite below is skipped when the text lacks what it needs: most
	// headlines have no parenthesis, apostrophe or digit, and a regexp
	// costs more than the rest of Normalize.
	if strings.IndexByte(s, '(') >= 0 {
		s = wireMarks.ReplaceAllString(s, " ")
	}
	if s = strings.TrimSpace(s); startsWithFlag(s) {
		s = prefixes.ReplaceAllString(s, "")
	}
	if strings.IndexByte(s, '\'') >= 0 {
		s = elisions.ReplaceAllString(s, "")
	}
	if digitSepDigit(s, ".,\u202f ") {
		s = thousands.ReplaceAllString(s, "$1$2")
	}
	if digitSepDigit(s, ",") {
		s = decimal.ReplaceAllString(s, "$1.$2")
	}
	s = foldPunct(s) // with a space at either end, which expansions' patterns begin and end with
	if hasExpansion(s) {
		s = expansions.Replace(s)
	}
	return strings.TrimSpace(spellScores(s))
}

// expansions spell out the abbreviations Moroccan outlets use for the same
// things, so "24 MMDH au T1" and "24 milliards de dirhams au premier
// trimestre" share their words. Applied to folded, space-separated text.
var expansions = strings.NewReplacer(expansionPairs...)

var expansionPairs = []string{
	" في الماية ", " % ", " في المايه ", " % ", " بالمايه ", " % ", " pour cent ", " % ", " pourcent ", " % ",
	" في الميه ", " % ", " بالميه ", " % ", " percent ", " % ", " per cent ", " % ",
	" mmdh ", " milliards dirhams ", " mdh ", " millions dirhams ", " mds ", " milliards ",
	" t1 ", " premier trimestre ", " t2 ", " deuxieme trimestre ", " t3 ", " troisieme trimestre ", " t4 ", " quatrieme trimestre ",
	" ram ", " royal air maroc ", " bam ", " bank al maghrib ", " lgv ", " ligne grande vitesse ",
	" لارام ", " الخطوط الملكيه المغربيه ",
}

// expansionsByWord are expansions' patterns by their first word: every
// pattern is " word ... ".
var expansionsByWord = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	for i := 0; i < len(expansionPairs); i += 2 {
		p := expansionPairs[i]
		first, _, _ := strings.Cut(p[1:], " ")
		out[first] = append(out[first], p)
	}
	return out
})

// hasExpansion reports whether one of expansions' patterns is in s: most
// headlines hold none, and a Replacer of patterns of several bytes copies
// the text whatever it finds. A pattern begins with a space and its first
// word: each word of s is looked up, and its patterns compared where it
// stands.
func hasExpansion(s string) bool {
	by := expansionsByWord()
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			continue
		}
		end := strings.IndexByte(s[i+1:], ' ')
		if end < 0 {
			return false // the last word: no space after it, which every pattern ends with
		}
		for _, p := range by[s[i+1:i+1+end]] {
			if strings.HasPrefix(s[i:], p) {
				return true
			}
		}
	}
	return false
}

// foldQuotes folds apostrophes to one and quotation marks to spaces.
func foldQuotes(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '’', '‘', '`', '´':
			return '\''
		case '«', '»', '“', '”', '„', '"':
			return ' '
		}
		return r
	}, s)
}

// stripLatinAccents removes the combining accents of Latin letters. Text
// with no character that can carry one (ASCII, Arabic, general
// punctuation: nearly every Arabic headline) is returned as it is.
func stripLatinAccents(s string) string {
	if !mayCarryLatinAccent(s) {
		return s
	}
	if out, ok := stripLatinByTable(s); ok {
		return out
	}
	return stripAccentsDecomposed(s)
}

// latinFirst and latinEnd bound latinBases: Latin-1's letters and Latin
// Extended-A, every accented letter of French.
const latinFirst, latinEnd = 0xC0, 0x180

// latinBases is what stripAccentsDecomposed makes of each rune of
// [latinFirst, latinEnd) alone: one rune each (é → e, œ → œ).
var latinBases = sync.OnceValue(func() *[latinEnd - latinFirst]rune {
	var t [latinEnd - latinFirst]rune
	for r := rune(latinFirst); r < latinEnd; r++ {
		out := []rune(stripAccentsDecomposed(string(r)))
		if len(out) != 1 {
			panic(fmt.Sprintf("story: U+%04X without its accents is %q, not one rune", r, string(out)))
		}
		t[r-latinFirst] = out[0]
	}
	return &t
})

// stripLatinByTable is stripLatinAccents of text whose every rune is one
// mayCarryLatinAccent passes over or one of latinBases, each read from the
// table; ok is false for any other text. Such text, NFC already (NFKC ran),
// holds no combining mark below U+0600 and nothing to compose once its
// letters lose theirs.
func stripLatinByTable(s string) (string, bool) {
	t := latinBases()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= latinFirst && r < latinEnd:
			b.WriteRune(t[r-latinFirst])
		case r < 0xC0, r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0x2000 && r <= 0x206F:
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// stripAccentsDecomposed is stripLatinAccents by decomposition: NFD, the
// combining marks below U+0600 removed, NFC.
func stripAccentsDecomposed(s string) string {
	d := norm.NFD.String(s)
	return norm.NFC.String(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) && r < 0x0600 { // combining accents of Latin letters only
			return -1
		}
		return r
	}, d))
}

// digitSepDigit reports whether s has an ASCII digit, one of seps, and an
// ASCII digit in a row: what thousands and decimal need to match. Most
// headlines with a number have none (a year, a score, "12 قتيلا").
func digitSepDigit(s, seps string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i+1:])
		if n > 0 && strings.ContainsRune(seps, r) && i+1+n < len(s) && s[i+1+n] >= '0' && s[i+1+n] <= '9' {
			return true
		}
	}
	return false
}

// startsWithFlag reports whether s begins with one of flagWords, the only
// text prefixes can remove.
func startsWithFlag(s string) bool {
	for _, w := range flagWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// mayCarryLatinAccent reports whether s has a character outside the ranges
// whose decomposition holds no combining mark below U+0600: ASCII, Latin-1
// punctuation and symbols, Arabic (its marks are U+064B and above) and
// general punctuation. NFKC already ran, so such text is in NFC too.
func mayCarryLatinAccent(s string) bool {
	for _, r := range s {
		switch {
		case r < 0xC0, r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0x2000 && r <= 0x206F:
		default:
			return true
		}
	}
	return false
}

// foldPunct keeps letters, digits, "%" and the decimal point inside numbers;
// everything else separates words, one space between two and one at either
// end. A letter run and a digit run are split ("بـ7" → "ب 7", "t1" stays
// one token only when it is all Latin: "t1").
func foldPunct(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(' ')
	space := false // a space is owed before the next word
	put := func(r rune) {
		if space && b.Len() > 1 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	prev, before := ' ', rune(-1) // the previous rune as written (a separator as a space), and as it was in s
	for i, r := range s {
		written := r
		c := classOf(r)
		switch {
		case r == '.' && classOf(before)&isDigit != 0 && nextIsDigit(s[i+1:]):
			put(r)
		case r == '%':
			space = true
			put(r)
			space, written = true, ' '
		case c&isDigit != 0:
			if classOf(prev)&isArabic != 0 {
				space = true
			}
			put(r)
		case c&isLetter != 0:
			if classOf(prev)&isDigit != 0 && c&isArabic != 0 {
				space = true
			}
			put(r)
		default:
			space, written = true, ' '
		}
		prev, before = written, r
	}
	b.WriteByte(' ')
	return b.String()
}

// The classes foldPunct reads of a rune (runeClass).
const (
	isDigit  = 1 << iota // unicode.IsDigit
	isLetter             // unicode.IsLetter
	isArabic             // unicode.Is(unicode.Arabic, ·)
)

// classTable is runeClass of every rune below U+0700 (ASCII, Latin, the
// Arabic block: nearly every rune of a Moroccan headline), read from a
// table instead of Unicode's range tables.
var classTable = sync.OnceValue(func() *[0x700]uint8 {
	var t [0x700]uint8
	for r := range rune(len(t)) {
		t[r] = runeClass(r)
	}
	return &t
})

// classOf is runeClass, from classTable where it holds r.
func classOf(r rune) uint8 {
	if r >= 0 && r < 0x700 {
		return classTable()[r]
	}
	return runeClass(r)
}

// runeClass is r's classes (isDigit, isLetter, isArabic).
func runeClass(r rune) uint8 {
	var c uint8
	if unicode.IsDigit(r) {
		c |= isDigit
	}
	if unicode.IsLetter(r) {
		c |= isLetter
	}
	if unicode.Is(unicode.Arabic, r) {
		c |= isArabic
	}
	return c
}

// nextIsDigit reports whether s begins with a digit.
func nextIsDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}

// stripPublisher removes a trailing " - Publisher" (or " | Publisher") that
// aggregators such as Google News append, for the publishers nashra knows.
func stripPublisher(s string, publishers []string) string {
	if len(publishers) == 0 || !hasPublisherSep(s) {
		return s
	}
	for _, sep := range publisherSeps {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			continue
		}
		tail := strings.TrimSpace(s[i+len(sep):])
		for _, p := range publishers {
			if strings.EqualFold(tail, p) {
				return s[:i]
			}
		}
	}
	return s
}

// publisherSeps set a publisher's name off the end of a headline.
var publisherSeps = []string{" - ", " | ", " – ", " — "}

// hasPublisherSep reports whether s holds one of publisherSeps: most
// headlines hold none, and four searches from the end cost more than the
// bytes that every separator's middle begins with.
func hasPublisherSep(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		switch s[i] {
		case '-', '|':
			if s[i-1] == ' ' && s[i+1] == ' ' {
				return true
			}
		case 0xE2: // – and — are E2 80 93 and E2 80 94
			if s[i-1] == ' ' && i+3 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x93 || s[i+2] == 0x94) && s[i+3] == ' ' {
				return true
			}
		}
	}
	return false
}
