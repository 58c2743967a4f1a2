package story

import (
	"strconv"
	"strings"
)

// scoreWords spells a football score written in words as its two numbers,
// as Arabic headlines write it: "بهدفين دون رد" (2-0), "بثلاثة أهداف
// لهدف" (3-1), "بثنائية نظيفة" (2-0). Then a score in words and one in
// digits share their numbers, and two different scores conflict as digits
// do. Applied to folded, space-separated text.
var scoreWords = func() *strings.Replacer {
	goals := []string{"", "هدف", "هدفين", "ثلاثه اهداف", "اربعه اهداف", "خمسه اهداف"}
	sets := []string{"", "", "ثناييه", "ثلاثيه", "رباعيه", "خماسيه"}
	var pairs []string
	add := func(from string, x, y int) {
		pairs = append(pairs, " "+from+" ", " "+strconv.Itoa(x)+" "+strconv.Itoa(y)+" ")
	}
	for x := 1; x < len(goals); x++ {
		add("ب"+goals[x]+" دون رد", x, 0)
		add("ب"+goals[x]+" نظيف", x, 0)
		add("ب"+goals[x]+" نظيفه", x, 0)
		if x == 2 {
			add("بهدفين نظيفين", x, 0)
		}
		if sets[x] != "" {
			add("ب"+sets[x]+" نظيفه", x, 0)
		}
		for y := 1; y < x; y++ {
			add("ب"+goals[x]+" ل"+goals[y], x, y)
			add("ب"+goals[x]+" مقابل "+goals[y], x, y)
		}
	}
	return strings.NewReplacer(pairs...)
}()

// spellScores is scoreWords on a folded headline; most have no ب at a word's
// start followed by a goal, and skip the replacer.
func spellScores(s string) string {
	if !strings.Contains(s, " به") && !strings.Contains(s, " بث") && !strings.Contains(s, " بار") && !strings.Contains(s, " بخ") && !strings.Contains(s, " بر") {
		return s
	}
	return scoreWords.Replace(s)
}
