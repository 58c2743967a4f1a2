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

// spellScores is scoreWords on a folded headline; most have none of the
// words a score in words starts with, and skip the replacer.
func spellScores(s string) string {
	for _, start := range scoreStarts {
		if strings.Contains(s, start) {
			return scoreWords.Replace(s)
		}
	}
	return s
}

// scoreStarts are how a score in words begins: ب and a number of goals.
var scoreStarts = []string{" بهدف", " بثلاث", " بثنايي", " باربع", " بخمس", " برباعي", " بخماسي"}
