package story

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// numberSet maps each number of a headline ("7", "0.4", "2500") to the
// words around it: its unit ("صوت", "%", "dh", "قتيل"), or the other number
// of a score ("2 1").
type numberSet map[string][]string

// isNumber reports whether a token is a number.
func isNumber(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsDigit(r)
}

// numbersIn returns the numbers of a normalised headline with their
// neighbours: the words right next to each (a stop word between parts a
// number from its neighbour: "الدورة 14 من البطولة" gives 14 no unit in
// البطولة), and a number one stop word away ("de 6 à 7 DH", "44 و47").
func numbersIn(normalized string) numberSet {
	return numbersOf(splitWords(normalized))
}

// numbersOf is numbersIn on a headline's words.
func numbersOf(ws words) numberSet {
	if !slices.ContainsFunc(ws.content, isNumber) && !slices.ContainsFunc(ws.content, isDayDual) {
		return nil
	}
	words := ws.content // content words as Tokens finds them, "" for a stop word (joinRuns makes a new slice)
	spelled := make([]bool, len(words))
	for i, c := range words {
		spelled[i] = isNumber(c) && !isNumber(ws.raw[i])
	}
	words = joinRuns(words, spelled, spelledArabic(ws))
	var out numberSet
	for i, t := range words {
		if !isNumber(t) {
			continue
		}
		if out == nil {
			out = numberSet{}
		}
		n := strings.TrimSuffix(t, "%")
		if _, ok := out[n]; !ok {
			out[n] = nil
		}
		for _, k := range []int{i - 1, i + 1} {
			if k >= 0 && k < len(words) && words[k] != "" {
				out[n] = append(out[n], words[k])
			}
		}
		for _, k := range []int{i - 2, i + 2} {
			if k >= 0 && k < len(words) && words[(i+k)/2] == "" && isNumber(words[k]) {
				out[n] = append(out[n], words[k])
			}
		}
	}
	return out
}

// joinRuns is joinNumberWords on each run of content words between stop words ("").
func joinRuns(words []string, spelled []bool, arabic bool) []string {
	var out []string
	start := 0
	for i := 0; i <= len(words); i++ {
		if i < len(words) && words[i] != "" {
			continue
		}
		out = append(out, joinThousands(joinNumberWords(words[start:i], spelled[start:i], arabic))...)
		if i < len(words) {
			out = append(out, "")
		}
		start = i + 1
	}
	return out
}

// covered reports whether b has n, or its parts: a bill's "45.24" is
// "45-24" written otherwise, and "45" and "24" are in "45.24".
func (b numberSet) covered(n string) bool {
	if _, ok := b[n]; ok {
		return true
	}
	if x, y, ok := strings.Cut(n, "."); ok {
		_, hx := b[x]
		_, hy := b[y]
		if hx && hy {
			return true
		}
	}
	for m := range b {
		if x, y, ok := strings.Cut(m, "."); ok && (x == n || y == n) {
			return true
		}
	}
	return false
}

// numberConflict returns the numbers each headline has and the other lacks
// that count one thing: two such numbers with a neighbour in common (votes,
// %, dirhams, the dead, a score's other goal). A number whose unit the
// other headline does not mention is a detail one report gives and the
// other leaves out (a year, a round, "72 ساعة" against "ثلاثة أيام").
func numberConflict(a, b numberSet) (xa, xb []string) {
	for n, ctxA := range a {
		if b.covered(n) {
			continue
		}
		for m, ctxB := range b {
			if a.covered(m) || !sharesAny(ctxA, ctxB) {
				continue
			}
			if !contains(xa, n) {
				xa = append(xa, n)
			}
			if !contains(xb, m) {
				xb = append(xb, m)
			}
		}
	}
	sort.Strings(xa)
	sort.Strings(xb)
	return xa, xb
}

func sharesAny(a, b []string) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}

// spelledArabic reports whether a headline writes a number in Arabic words
// (the four-twenties are French).
func spelledArabic(ws words) bool {
	for i, c := range ws.content {
		if c != "" && isNumber(c) && !isNumber(ws.raw[i]) {
			r, _ := utf8.DecodeRuneInString(ws.raw[i])
			return unicode.Is(unicode.Arabic, r)
		}
	}
	return false
}

// joinNumberWords merges a number written in words in two parts into one:
// "خمسة وأربعين" (5 and 40) is 45, "quarante-cinq" (40 5) too. French
// writes its teens and 70 to 99 in parts as well: "dix-sept" (10 7) is 17,
// "quatre-vingts" (4 20) 80, "soixante-dix" (60 10) 70,
// "quatre-vingt-dix-sept" 97; Arabic writes its teens unit first, "أربعة
// عشر" (4 10) is 14 (ordinals, "الخامسة عشرة", are not read: no list makes
// them numbers). spelled tells which tokens were words before they became
// digits.
func joinNumberWords(tokens []string, spelled []bool, arabic bool) []string {
	if !slices.Contains(spelled, true) {
		return tokens[:len(tokens):len(tokens)]
	}
	if !arabic { // Arabic has no four-twenties: "أربعة وعشرين" (4 and 20) is 24
		tokens, spelled = joinSpelled(tokens, spelled, func(x, y int) (int, bool) { // quatre-vingt(s)
			return 80, x == 4 && y == 20
		})
	}
	tokens, spelled = joinSpelled(tokens, spelled, func(x, y int) (int, bool) { // dix-sept, -huit, -neuf
		return x + y, x == 10 && y >= 7 && y <= 9
	})
	tokens, spelled = joinSpelled(tokens, spelled, func(x, y int) (int, bool) { // أربعة عشر, ثماني عشرة
		return x + 10, x >= 2 && x <= 9 && y == 10
	})
	tokens, _ = joinSpelled(tokens, spelled, func(x, y int) (int, bool) {
		units, tens := min(x, y), max(x, y)
		if (x == 60 || x == 80) && y >= 10 && y <= 19 { // soixante-dix, quatre-vingt-onze
			return x + y, true
		}
		return tens + units, units >= 1 && units <= 9 && tens >= 20 && tens <= 90 && tens%10 == 0
	})
	return tokens
}

// thousandWords are the words for a thousand after a number (12 ألف, 3
// آلاف — stemmed اف —, trois mille, 5 thousand), normalised and stemmed.
var thousandWords = map[string]bool{"الف": true, "اف": true, "mille": true, "thousand": true}

// joinThousands reads a number followed by a word for a thousand as the
// number it says: "12 ألف قرص" is "12000 قرص", as other outlets write it;
// a number of centimes as the dirhams it is: "40 centimes" is 0.40; and
// whole days counted in hours as days: "72 heures" is "3 jours".
func joinThousands(tokens []string) []string {
	tokens = spellDuals(tokens)
	for i := 0; i+1 < len(tokens); i++ {
		if thousandWords[tokens[i+1]] {
			if n, err := strconv.Atoi(tokens[i]); err == nil && n >= 1 && n < 1000 {
				out := append(tokens[:i:i], strconv.Itoa(1000*n))
				return append(out, joinThousands(tokens[i+2:])...)
			}
		}
		if day, ok := hourWords[tokens[i+1]]; ok {
			if n, err := strconv.Atoi(tokens[i]); err == nil && n >= 24 && n <= 240 && n%24 == 0 && (n != 48 || day != "ايام") {
				out := append(tokens[:i:i], days(n/24, day)...)
				return append(out, joinThousands(tokens[i+2:])...)
			}
		}
		if centWords[tokens[i+1]] {
			if n, err := strconv.Atoi(tokens[i]); err == nil && n >= 1 && n < 100 {
				out := append(tokens[:i:i], fmt.Sprintf("0.%02d", n))
				return append(out, joinThousands(tokens[i+1:])...)
			}
		}
	}
	return tokens
}

// hourWords are the words for an hour after a number, each with its
// language's word for days: "48 heures" is the "deux jours" other outlets
// write, "72 ساعة" their "ثلاثة أيام". "48 ساعة" stays: its days are a
// dual, "يومين", which gives no number, and the 48 two reports share says
// more than the word.
var hourWords = map[string]string{"heure": "jour", "hour": "day", "ساعه": "ايام"}

// days are the tokens n days are written with.
func days(n int, day string) []string {
	return []string{strconv.Itoa(n), day}
}

// centWords are the words for a hundredth of a dirham after a number (40
// centimes, 40 سنتيما): "40 centimes" is the "0,40 DH" other outlets write.
var centWords = map[string]bool{"centime": true, "سنتيم": true, "cent": true}

// joinSpelled merges each two spelled numbers in a row that join makes one.
func joinSpelled(tokens []string, spelled []bool, join func(x, y int) (int, bool)) ([]string, []bool) {
	out, outSpelled := tokens[:0:0], spelled[:0:0]
	for i := 0; i < len(tokens); i++ {
		if i+1 < len(tokens) && spelled[i] && spelled[i+1] {
			x, errX := strconv.Atoi(tokens[i])
			y, errY := strconv.Atoi(tokens[i+1])
			if n, ok := join(x, y); errX == nil && errY == nil && ok {
				out, outSpelled = append(out, strconv.Itoa(n)), append(outSpelled, true)
				i++
				continue
			}
		}
		out, outSpelled = append(out, tokens[i]), append(outSpelled, spelled[i])
	}
	return out, outSpelled
}

// dayDuals are the Arabic dual of a day, "يومين" (يومان): two days, as
// "48 ساعة" says (hourWords keeps it 48 hours, a count of ten or more
// two reports share) and "deux jours", "48 heures" say in French. The dual
// carries its number in its ending, which no other word of the headline
// gives: written as "48 ساعة", a strike "ليومين" and one "لمدة 48 ساعة"
// share their duration. Duals of years, months and weeks are left as
// they are: "من سنتين إلى سنة" (a sentence cut on appeal) read as numbers
// parted rewrites that give one term and not the other.
var dayDuals = map[string]bool{"يومين": true, "يومان": true}

// spellDuals writes each dual of a day (behind a one-letter proclitic
// too: "ليومين") as "48 ساعه"; tokens itself when there is none.
func spellDuals(tokens []string) []string {
	var out []string
	for i, t := range tokens {
		if !isDayDual(t) {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = append(make([]string, 0, len(tokens)+1), tokens[:i]...)
		}
		out = append(out, "48", "ساعه")
	}
	if out == nil {
		return tokens
	}
	return out
}

// isDayDual reports a dual of a day, behind a one-letter proclitic or none.
// Each dual is dayDualBytes long (TestDayDualBytes) and a proclitic is a
// letter of two bytes: no other word is looked up.
func isDayDual(t string) bool {
	if len(t) != dayDualBytes && len(t) != dayDualBytes+2 {
		return false
	}
	return dayDuals[t] || dayDuals[dropProclitic(t)]
}

// dayDualBytes is the length of each of dayDuals.
const dayDualBytes = len("يومين")
