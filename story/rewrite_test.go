package story

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// mechanicalRewrites are the rewrites outlets make without changing a word:
// a flag before, a publisher after, the hamza and ta marbuta written
// otherwise, harakat and tatweel, Eastern digits, capitals, accents,
// apostrophes and quotes. Each must leave a headline the same story.
var mechanicalRewrites = []struct {
	name string
	lang string // "" for any
	do   func(string) string
}{
	{"urgent flag", "ar", func(s string) string { return "عاجل.. " + s }},
	{"video flag", "ar", func(s string) string { return "بالفيديو: " + s }},
	{"officially", "ar", func(s string) string { return "رسمياً.. " + s }},
	{"publisher suffix", "ar", func(s string) string { return s + " | اليوم 24" }},
	{"hamza and ta marbuta dropped", "ar", strings.NewReplacer("أ", "ا", "إ", "ا", "ة", "ه", "ى", "ي").Replace},
	{"tatweel", "ar", func(s string) string { return tatweelAfter.ReplaceAllString(s, "${1}ـ${2}") }},
	{"harakat", "ar", func(s string) string { return harakatAfter.ReplaceAllString(s, "${1}َ") }},
	{"Eastern digits", "", strings.NewReplacer("0", "٠", "1", "١", "2", "٢", "3", "٣", "4", "٤", "5", "٥", "6", "٦", "7", "٧", "8", "٨", "9", "٩").Replace},
	{"URGENT flag", "fr", func(s string) string { return "URGENT. " + s }},
	{"VIDÉO flag", "fr", func(s string) string { return "VIDÉO. " + s }},
	{"publisher suffix", "fr", func(s string) string { return s + " - Hespress Français" }},
	{"all capitals", "fr", strings.ToUpper},
	{"accents dropped", "fr", func(s string) string { return stripLatinAccents(s) }},
	{"typographic apostrophe and guillemets", "fr", strings.NewReplacer("'", "’", "\"", "« ").Replace},
}

var (
	tatweelAfter = regexp.MustCompile(`([بتثجحخسشصضطظعغفقكلمنهي])([\p{Arabic}])`)
	harakatAfter = regexp.MustCompile(`([بتثجحخدذرزسشصضطظعغفقكلمنهوي])`)
)

// TestMechanicalRewritesAreOneStory rewrites every headline of the tuning
// material each way and asks the decision (shipped table, no window) whether
// the two are one story: they must be, every time the headline is one story
// with itself.
func TestMechanicalRewritesAreOneStory(t *testing.T) {
	m := NewMatcher(0, 0, nil)
	rows := append(readIndependentEval(t, "tune.tsv"), readOldEvalSet(t)...)
	for _, rw := range mechanicalRewrites {
		n, missed := 0, 0
		var example string
		for _, r := range rows {
			if rw.lang != "" && r.lang != rw.lang || r.lang == "en" {
				continue
			}
			b := rw.do(r.title)
			// A headline too short or too plain to be told one story with
			// itself (three words of template) is not asked.
			if b == r.title || !strings.ContainsFunc(r.title, unicode.IsLetter) || !m.Explain(r.title, r.title, r.lang, nil).Same {
				continue
			}
			n++
			if d := m.Explain(r.title, b, r.lang, nil); !d.Same {
				missed++
				if example == "" {
					example = r.title + " | " + b + ": " + d.Reason
				}
			}
		}
		if missed > 0 {
			t.Errorf("%s (%s): %d of %d rewrites not one story, e.g. %s", rw.name, rw.lang, missed, n, example)
		}
	}
}
