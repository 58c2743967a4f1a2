package news

import (
	"strings"
	"unicode"
)

// BaseLanguage reduces a language tag ("fr-FR", "ar_MA") to its base ("fr",
// "ar"); "" when the tag is not one.
func BaseLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i > 0 {
		tag = tag[:i]
	}
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	return tag
}

// DetectLanguage guesses "ar" for text written mostly in Arabic script, else "".
func DetectLanguage(s string) string {
	arabic, letters := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Arabic, r) {
				arabic++
			}
		}
	}
	if letters > 0 && arabic*2 > letters {
		return "ar"
	}
	return ""
}
