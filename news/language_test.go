package news

import "testing"

// A source without a language gets its items' language from their script
// and, in Latin script, from the little words French and English headlines
// cannot do without. Seen from outside: the same French headline from a
// source with `language: fr` and one without never formed a story ("two
// languages (fr, )").
func TestDetectLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"حركة المسافرين ONCF", "ar"},
		{"ONCF : trafic", ""},
		{"Le Raja fait match nul avec la RSB Berkane en Ligue des champions", "fr"},
		{"Séisme d'Al Haouz : le bilan s'alourdit à 2 946 morts", "fr"},
		{"Morocco's parliament adopts the finance bill for 2027", "en"},
		{"Heavy rain expected on Monday in the north of the country", "en"},
		{"Maroc", ""},
		{"", ""},
		{"La Bourse de Casablanca termine in the red", ""}, // one word of each: undecided
	}
	for _, tc := range tests {
		if got := DetectLanguage(tc.text); got != tc.want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
