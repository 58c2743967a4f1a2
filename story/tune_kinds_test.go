package story

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// Recall per rewrite kind (NASHRA_TUNE=kinds): which of the rewrites outlets
// make the matcher misses, on the tuning pool (seven writers). A same-story pair is of a
// kind when one headline shows it and the other does not (a flag, a
// publisher's suffix, harakat…); "other" pairs show none of them: they
// are reworded.

// rewriteKinds tell, each, whether a headline shows a kind of rewrite.
var rewriteKinds = []struct {
	name string
	has  func(title string) bool
}{
	{"flag (عاجل, URGENT, VIDÉO…)", regexp.MustCompile(`(?i)^\s*(عاجل|عـاجـل|خبر عاجل|بالفيديو|فيديو|رسميا|رسمياً|urgent|vid[ée]o|officiel|breaking)`).MatchString},
	{"publisher suffix", regexp.MustCompile(`\s[-|–—]\s*[^-|–—]+$`).MatchString},
	{"harakat or tatweel", func(s string) bool { return strings.ContainsAny(s, "ًٌٍَُِّْـ") }},
	{"Eastern digits", func(s string) bool { return strings.ContainsAny(s, "٠١٢٣٤٥٦٧٨٩") }},
	{"all capitals", func(s string) bool {
		up, low := 0, 0
		for _, r := range s {
			if unicode.IsUpper(r) {
				up++
			} else if unicode.IsLower(r) {
				low++
			}
		}
		return up > 10 && up > 3*low
	}},
	{"guillemets or ’", func(s string) bool { return strings.ContainsAny(s, "«»’“”") }},
	{"a number in words", regexp.MustCompile(`(?i)\b(deux|trois|quatre|cinq|six|sept|huit|neuf|dix|vingt|trente|quarante|cinquante)\b|(اثنين|ثلاث|أربع|اربع|خمس|ست|سبع|ثمان|تسع|عشر|عشرين|ثلاثين|أربعين|بهدفين|بثنائية|بهدف)`).MatchString},
	{"darija (فكازا, فثمن…)", regexp.MustCompile(`(^|\s)ف(كازا|ثمن|الرباط)|كازا`).MatchString},
}

func TestTuneRecallByKind(t *testing.T) {
	if os.Getenv("NASHRA_TUNE") != "kinds" {
		t.Skip("NASHRA_TUNE=kinds")
	}
	rows := readTuningPool(t)
	count := func(storyOf []string) (tp, fn map[string]int) {
		tp, fn = map[string]int{}, map[string]int{}
		for i := range rows {
			for j := i + 1; j < len(rows); j++ {
				a, b := rows[i], rows[j]
				if a.lang != b.lang || a.group != b.group || a.story != b.story {
					continue
				}
				kinds := []string{}
				for _, k := range rewriteKinds {
					if k.has(a.title) != k.has(b.title) {
						kinds = append(kinds, k.name)
					}
				}
				if len(kinds) == 0 {
					kinds = []string{"other (reworded)"}
				}
				for _, k := range kinds {
					k = a.lang + " " + k
					if storyOf[i] == storyOf[j] {
						tp[k]++
					} else {
						fn[k]++
					}
				}
			}
		}
		return tp, fn
	}
	tp, fn := count(windowIngest(rows, NewMatcher(0, 0, nil)))
	keys := make([]string, 0, len(tp)+len(fn))
	for k := range tp {
		keys = append(keys, k)
	}
	for k := range fn {
		if _, ok := tp[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-34s pairs %3d, recall %s", k, tp[k]+fn[k], f3(fraction(tp[k], tp[k]+fn[k])))
	}
}
