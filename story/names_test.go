package story

import (
	"slices"
	"testing"
)

// TestProperNames: the names a Latin headline's capitals give, and the
// capitals that say nothing.
func TestProperNames(t *testing.T) {
	tests := []struct {
		name, title string
		want        []string
	}{
		{"names inside the sentence, the gazetteer's left out", "Le Raja s'offre l'attaquant ghanéen Kwame Adjei", []string{"kwam", "adjei"}},
		{"the first word is capitalised anyway", "Bensouda nommé wali", nil},
		{"a capital after a French colon is a name", "Tennis : Younes Alaoui en quarts", []string{"youn", "alaoui"}},
		{"after a full stop a capital starts a sentence", "Fin de saison. Victoire logique", nil},
		{"a title's stop ends no sentence", "SM le Roi nomme M. Youssef Benkirane ambassadeur", []string{"youssef", "benkiran"}},
		{"a capital after an article is no person's name", "Le ministre de la Santé reçoit les Lions et Karim Alaoui", []string{"karim", "alaoui"}},
		{"nor after a contracted article", "Discours du Trône : Karim Alaoui salue l'appel aux Finances", []string{"karim", "alaoui"}},
		{"a word that continues a listed name is that name's", "Marhaba 2026 : Tanger Med renforce le nombre de navires", nil},
		{"a sentence's first word is no sign of title case", "Vidéo. L'incendie de Tizi Ousli maîtrisé", []string{"tizi", "ousli"}},
		{"English title case says nothing", "Bourita Holds Talks With Ghanaian Counterpart in Rabat", nil},
		{"a short headline of names is no title case", "Diplomatie: Nadia Fassi nommée ambassadrice au Chili", []string{"nadia", "fassi"}},
		{"a one-word dateline is where it happened", "Tamassint: des douars isolés après les orages", []string{"tamassint"}},
		{"a dateline set apart by a space", "Tamassint : des douars isolés", []string{"tamassint"}},
		{"a common word before a colon is a rubric", "Carburants: le prix du gasoil baisse", nil},
		{"a flag is no dateline", "Vidéo: des douars isolés", nil},
		{"an acronym is the gazetteer's", "Conseil de gouvernement : un nouveau patron pour l'ANAPEC", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := properNames(tt.title); !slices.Equal(got, tt.want) {
				t.Errorf("properNames(%q) = %q, want %q", tt.title, got, tt.want)
			}
		})
	}
}

// TestLoneNames: a name written alone (no capitalised word beside it in its
// clause, no dateline) is no first name or surname of another.
func TestLoneNames(t *testing.T) {
	tests := []struct {
		title string
		lone  []string
	}{
		{"Ligue de diamant: El Amrani deuxième du 3000 m steeple à Bergen", []string{"bergen"}},
		{"Officiel: le Raja s'offre l'attaquant ivoirien Yao Kouassi", nil},
		{"Tamassint: des douars isolés après les orages", nil},
		{"Visite à Tamassint, Kouassi et Bergen", []string{"tamassint", "kouassi", "bergen"}},
	}
	for _, tt := range tests {
		if _, got := properNamesLone(tt.title); !slices.Equal(got, tt.lone) {
			t.Errorf("properNamesLone(%q) lone = %q, want %q", tt.title, got, tt.lone)
		}
	}
}

// TestNameConflictReadsEveryWord: a capitalised name the other headline
// writes at the start of its sentence is no name it lacks; two people's
// names still part two headlines.
func TestNameConflictReadsEveryWord(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Le Raja recrute Kwame Mensah", "Kwame Mensah signe au Raja après un essai à Marbella", false},
		{"Le Raja recrute Samir Tahiri", "Le Raja recrute Omar Lahlou", true},
		{"Le Raja recrute Hassane Tahiri", "Le Raja recrute Hassan Tahiri", false},                     // a final e written or not
		{"Incendie à Benguerir : trois blessés", "Trois blessés dans un incendie à Ben Guerir", false}, // a name written in one word or two
	}
	for _, tt := range tests {
		kind, _, _ := entityConflict(Prepare(tt.a, nil), Prepare(tt.b, nil))
		if got := kind == nameKind; got != tt.want {
			t.Errorf("entityConflict(%q, %q) = %q, want a name conflict %v", tt.a, tt.b, kind, tt.want)
		}
	}
}
