package story

import "testing"

// A verb of the synonyms list is found in its other persons too: the list
// writes "he" (يهزم, يمرر, عين), headlines write "they" and "she", and
// Darija's past plural (عينو, ربحو).
func TestCanonicalVerbPersons(t *testing.T) {
	for _, c := range []struct{ word, want string }{
		{"يهزمون", "فوز"},   // they defeat
		{"يمررون", "صادق"},  // they pass (a bill)
		{"تهزمان", "فوز"},   // the two of them defeat
		{"عينو", "تعيين"},   // Darija: (he) appointed him / (they) appointed
		{"يتغلبوا", "فوز"},  // subjunctive plural, as normalised
		{"يعتمدون", "صادق"}, // they adopt
		{"مغربي", "مغربي"},  // no verb of the list behind it: unchanged
		{"لون", "لون"},      // too short to lose an ending
	} {
		w := stem(c.word)
		if got := canonical(w); got != c.want {
			t.Errorf("canonical(%s) = %s, want %s", w, got, c.want)
		}
	}
	a, b := Tokens(Normalize("أسود الأطلس يهزمون الغابون", nil)), Tokens(Normalize("المنتخب يهزم الغابون", nil))
	if !contains(a, "فوز") || !contains(b, "فوز") {
		t.Errorf("one verb in two persons is not one word: %v / %v", a, b)
	}
}

// Darija's numerals are numbers as the standard ones are: "بجوج" is 2,
// "ربعة" 4; "ربع" (a quarter) is no number.
func TestDarijaNumerals(t *testing.T) {
	for _, c := range []struct{ word, want string }{
		{"جوج", "2"}, {"بجوج", "2"}, {"تلاتة", "3"}, {"ربعة", "4"}, {"تمنية", "8"},
		{"تلاتين", "30"}, {"ربعين", "40"}, {"ربع", "ربع"},
	} {
		w := stem(Normalize(c.word, nil))
		if got := canonical(w); got != c.want {
			t.Errorf("canonical(%s) = %s, want %s", w, got, c.want)
		}
	}
	for _, c := range []struct{ word, want string }{{"six", "6"}, {"twelve", "12"}, {"forty", "40"}} {
		if got := canonical(c.word); got != c.want {
			t.Errorf("canonical(%s) = %s, want %s", c.word, got, c.want)
		}
	}
}

// A number word is not a verb: تسعون (90) is not تسع (9) with a plural's
// ending, nor ثمانون (80) ثمان (8).
func TestNumberWordIsNoVerbPerson(t *testing.T) {
	for _, w := range []string{"تسعون", "ثمانون", "جوجو"} {
		if got := canonical(stem(w)); isNumber(got) {
			t.Errorf("canonical(%s) = %s, a number", w, got)
		}
	}
}

// A listed Arabic word in another number or gender is in its class: the
// list writes مهاجرين, a headline مهاجرا or مهاجرون; the light stem of a
// number word is no key (عشرين is 20, not a form of عشرة's stem).
func TestSynonymInAnotherNumber(t *testing.T) {
	syn := parseSynonyms("ar\tهجره\tهجره | مهاجرين\nar\t20\tعشرين\n")
	restore := synonymOf
	defer func() { synonymOf = restore }()
	synonymOf = fixed(syn)
	for _, c := range []struct{ word, want string }{
		{"مهاجرا", "هجره"}, {"المهاجرون", "هجره"}, {"ومهاجرين", "هجره"}, {"مهاجرات", "هجره"},
		{"عشر", "عشر"}, {"مهرجان", "مهرجان"},
	} {
		if got := canonical(stem(Normalize(c.word, nil))); got != c.want {
			t.Errorf("canonical(%s) = %s, want %s", c.word, got, c.want)
		}
	}
}

// fixed is a table made beforehand, standing for one made when first asked for.
func fixed[T any](v T) func() T { return func() T { return v } }
