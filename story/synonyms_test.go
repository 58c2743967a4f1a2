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
