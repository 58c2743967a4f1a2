package story

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// stripMarks removes Arabic harakat (U+064B–U+0652), the superscript alef and Quranic marks.
func stripMarks(s string) string {
	return strings.Map(func(r rune) rune {
		if (r >= 0x064B && r <= 0x065F) || r == 0x0670 || (r >= 0x06D6 && r <= 0x06ED) {
			return -1
		}
		return r
	}, s)
}

// quotes folds apostrophes to one and quotation marks to spaces.
var quotes = strings.NewReplacer("’", "'", "‘", "'", "`", "'", "´", "'", "«", " ", "»", " ", "“", " ", "”", " ", "„", " ", "\"", " ")

// normalizeReference is Normalize without its shortcuts: every rewrite
// applied to every headline. Normalize must give the same answer.
func normalizeReference(title string, publishers []string) string {
	s := norm.NFKC.String(title)
	s = stripPublisher(s, publishers)
	s = strings.ToLower(s)
	s = stripMarks(s)
	s = arabicFold.Replace(s)
	d := norm.NFD.String(s)
	s = norm.NFC.String(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) && r < 0x0600 {
			return -1
		}
		return r
	}, d))
	s = quotes.Replace(s)
	s = wireMarks.ReplaceAllString(s, " ")
	s = prefixes.ReplaceAllString(strings.TrimSpace(s), "")
	s = elisions.ReplaceAllString(s, "")
	s = thousands.ReplaceAllString(s, "$1$2")
	s = decimal.ReplaceAllString(s, "$1.$2")
	s = foldPunctReference(s)
	return strings.TrimSpace(scoreWords.Replace(expansions.Replace(" " + s + " ")))
}

// foldPunctReference is foldPunct as first written: it keeps letters, digits, "%" and the decimal point inside numbers;
// everything else separates words. A letter run and a digit run are split
// ("بـ7" → "ب 7", "t1" stays one token only when it is all Latin: "t1").
func foldPunctReference(s string) string {
	var b strings.Builder
	prev := ' '
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case r == '.' && i > 0 && i+1 < len(runes) && unicode.IsDigit(runes[i-1]) && unicode.IsDigit(runes[i+1]):
			b.WriteRune(r)
		case r == '%':
			b.WriteString(" % ")
			r = ' '
		case unicode.IsDigit(r):
			if unicode.Is(unicode.Arabic, prev) {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
		case unicode.IsLetter(r):
			if unicode.IsDigit(prev) && unicode.Is(unicode.Arabic, r) {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
		default:
			r = ' '
			if prev != ' ' {
				b.WriteByte(' ')
			}
		}
		prev = r
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// normalizeSamples are headlines of the first set and the tuning half, and
// strings chosen to reach each shortcut's edge.
func normalizeSamples(t testing.TB) []string {
	samples := []string{
		"", "ا\u0654", "e\u0301te", "\u00a8", "Ecole ¨ d’été", "ﻧﺸﺮﺓ", "Ệ", "(و م ع)", "l'ONCF", "2.500", "0,4",
		"عاجل.. (ماب) 1٫5", "ǅ", "ﬁn", "Å", "\u212b", "ö\u0308",
		"2 500 درهم", "2\u202f500", "1.234.567", "12,5%", "1,2,3", "2026 12", "3 1234", "9 99", "a1 234b", "1.2345", "1٬234", "5\u00a0000",
	}
	for _, path := range []string{"testdata/headlines-ar.tsv", "testdata/headlines-fr.tsv", "testdata/independent/tune.tsv"} {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if line := sc.Text(); !strings.HasPrefix(line, "#") {
				fields := strings.Split(line, "\t")
				samples = append(samples, fields[len(fields)-1])
			}
		}
		f.Close()
	}
	return samples
}

func TestNormalizeShortcutsChangeNothing(t *testing.T) {
	pubs := []string{"Morocco World News", "هسبريس"}
	samples := normalizeSamples(t)
	if len(samples) < 500 {
		t.Fatalf("only %d samples", len(samples))
	}
	for _, s := range samples {
		if got, want := Normalize(s, pubs), normalizeReference(s, pubs); got != want {
			t.Errorf("Normalize(%q) = %q, without shortcuts %q", s, got, want)
		}
	}
}

func FuzzNormalizeShortcuts(f *testing.F) {
	for _, s := range normalizeSamples(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Normalize(s, nil), normalizeReference(s, nil); got != want {
			t.Errorf("Normalize(%q) = %q, without shortcuts %q", s, got, want)
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	samples := normalizeSamples(b)
	b.Run("shortcuts", func(b *testing.B) {
		for b.Loop() {
			for _, s := range samples {
				Normalize(s, nil)
			}
		}
	})
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			for _, s := range samples {
				normalizeReference(s, nil)
			}
		}
	})
}

// TestLatinAccentsByTable: every rune the table holds, alone and between
// Arabic letters, marks and punctuation, loses its accents as
// decomposition takes them off.
func TestLatinAccentsByTable(t *testing.T) {
	for r := rune(latinFirst); r < latinEnd; r++ {
		for _, s := range []string{string(r), "a" + string(r) + "\u0618b", "ب" + string(r) + "\u2019" + string(r), string(r) + "\u0301"} {
			checkLatinAccents(t, norm.NFKC.String(s))
		}
	}
}

func checkLatinAccents(t *testing.T, s string) {
	t.Helper()
	if got, want := stripLatinAccents(s), stripAccentsDecomposed(s); got != want {
		t.Fatalf("stripLatinAccents(%q) = %q, by decomposition %q", s, got, want)
	}
}

func FuzzLatinAccents(f *testing.F) {
	f.Add("Élections à Fès: l'été")
	f.Add("œuvre ŝ Ǆ")
	f.Fuzz(func(t *testing.T, s string) {
		checkLatinAccents(t, lowerFoldArabic(norm.NFKC.String(s)))
	})
}

// TestHasExpansion: hasExpansion finds a pattern where expansions would
// replace one, on the samples and on each pattern at the start, in the
// middle and at the end of a text.
func TestHasExpansion(t *testing.T) {
	texts := normalizeSamples(t)
	for i := 0; i < len(expansionPairs); i += 2 {
		p := expansionPairs[i]
		texts = append(texts, p, "x"+p, " a"+p+"b ", p[:len(p)-1], " "+strings.TrimSpace(p)+"x ")
	}
	for _, s := range texts {
		checkHasExpansion(t, " "+s+" ")
		checkHasExpansion(t, s)
	}
}

func checkHasExpansion(t *testing.T, s string) {
	t.Helper()
	if got, want := hasExpansion(s), expansions.Replace(s) != s; got != want {
		t.Fatalf("hasExpansion(%q) = %v, expansions change it: %v", s, got, want)
	}
}

func FuzzHasExpansion(f *testing.F) {
	f.Add(" 24 mmdh au t1 ")
	f.Add(" ارتفاع في المايه ")
	f.Fuzz(checkHasExpansion)
}

// TestRuneClasses: the table foldPunct reads agrees with Unicode's range
// tables (runeClass) for every rune it holds, and past it.
func TestRuneClasses(t *testing.T) {
	for r := rune(0); r < 0x800; r++ {
		if got, want := classOf(r), runeClass(r); got != want {
			t.Fatalf("classOf(%U) = %b, want %b", r, got, want)
		}
	}
	if classOf('٣')&isDigit == 0 || classOf('ب')&(isLetter|isArabic) != isLetter|isArabic || classOf('é') != isLetter || classOf('،') != 0 {
		t.Fatal("classOf misreads ٣, ب, é or ،")
	}
}

// TestHasPublisherSep: hasPublisherSep says whether a separator is in the
// text, wherever it stands, as strings.Contains would.
func TestHasPublisherSep(t *testing.T) {
	texts := normalizeSamples(t)
	for _, sep := range publisherSeps {
		texts = append(texts, sep, "a"+sep+"b", sep+"b", "a"+sep, sep[:len(sep)-1], sep[1:], "ب"+sep+"هسبريس")
	}
	for _, s := range texts {
		checkPublisherSep(t, s)
	}
}

func checkPublisherSep(t *testing.T, s string) {
	t.Helper()
	want := false
	for _, sep := range publisherSeps {
		want = want || strings.Contains(s, sep)
	}
	if got := hasPublisherSep(s); got != want {
		t.Fatalf("hasPublisherSep(%q) = %v, want %v", s, got, want)
	}
}

func FuzzHasPublisherSep(f *testing.F) {
	f.Add("Le Maroc — Hespress")
	f.Add("x \xe2\x80\x94")
	f.Fuzz(checkPublisherSep)
}
