package story

import (
	"slices"
	"testing"
)

func TestStray(t *testing.T) {
	p := DefaultParams
	// A window where the places are rare and the template's words are not.
	places := map[string]bool{"تارودانت": true, "بتارودانت": true, "تيزنيت": true}
	w := WindowWeights{Lang: "ar", DocFreq: func(t string) int {
		if places[t] {
			return 1
		}
		return 40
	}}
	tests := []struct {
		name   string
		story  []string
		report string
		strays bool
	}{
		{"the same template in another province",
			[]string{"مصرع أربعة أشخاص في حادثة سير خطيرة بإقليم تارودانت", "فاجعة بتارودانت.. أربعة قتلى في حادثة سير مروعة"},
			"مصرع أربعة أشخاص في حادثة سير خطيرة بإقليم تيزنيت", true},
		{"a rewrite that keeps the place and adds a detail",
			[]string{"مصرع أربعة أشخاص في حادثة سير خطيرة بإقليم تارودانت", "فاجعة بتارودانت.. أربعة قتلى في حادثة سير مروعة"},
			"عاجل.. 4 قتلى في انقلاب سيارة للنقل المزدوج قرب تارودانت", false},
		{"a rewrite that drops the place and names nothing else",
			[]string{"مصرع أربعة أشخاص في حادثة سير خطيرة بإقليم تارودانت", "فاجعة بتارودانت.. أربعة قتلى في حادثة سير مروعة"},
			"مصرع أربعة أشخاص في حادثة سير خطيرة", false},
		{"a story of one report is left to Decide",
			[]string{"مصرع أربعة أشخاص في حادثة سير خطيرة بإقليم تارودانت"},
			"مصرع أربعة أشخاص في حادثة سير خطيرة بإقليم تيزنيت", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			story := make([]*Headline, len(tt.story))
			for i, s := range tt.story {
				story[i] = Prepare(s, nil)
			}
			core, other := Stray(Prepare(tt.report, nil), story, w, p)
			if (core != "") != tt.strays {
				t.Errorf("Stray = %q, %q; want straying %v", core, other, tt.strays)
			}
		})
	}
}

// TestStrayRewordings: a story's rewordings stay in it, a report naming
// another thing strays.
func TestStrayRewordings(t *testing.T) {
	allRare := WindowWeights{Lang: "ar", DocFreq: func(string) int { return 1 }}
	tests := []struct {
		name            string
		w               WindowWeights
		story           [2]string
		rewrite, strays string
	}{
		// The noun its story carries, the verb the rewrite carries instead.
		{"another part of speech", rareOnly("fr", "effondrement", "effondre", "saisie", "saisit", "rabat"),
			[2]string{"Effondrement d'une bâtisse dans la médina de Fès : deux morts", "Fès: deux morts dans l'effondrement d'une maison menaçant ruine"},
			"Fès : une maison s'effondre dans la médina, 2 décès", "Rabat : une maison menaçant ruine, deux morts"},
		// A date's month is a detail, not another thing.
		{"a month", rareOnly("fr", "ouarzazate", "canicule", "fevrier", "errachidia"),
			[2]string{"Canicule : Ouarzazate à 45 degrés mardi", "Ouarzazate : la canicule pousse le mercure à 45 degrés mardi"},
			"Ouarzazate : 45 degrés mardi 10 février", "Canicule : 45 degrés mardi à Errachidia"},
		// A French story about a vocabulary word is left by a report naming
		// another thing with a capital, not by one wording the event otherwise.
		{"French capitals", rareOnly("fr", "effondrement", "batisse", "tafraoutine"),
			[2]string{"Effondrement d'une maison dans la médina : deux morts", "Deux morts dans l'effondrement d'une vieille maison de la médina"},
			"Médina : une bâtisse menaçant ruine cède, deux morts", "Deux morts dans une maison de la médina de Tafraoutine"},
		// Without capitals (Arabic), a report naming a listed thing its story
		// names too rewords that story's vocabulary.
		{"Arabic, a thing in common", allRare,
			[2]string{"انهيار منزل قديم بالمدينة العتيقة بفاس", "فاس.. انهيار منزل قديم بالمدينة العتيقة"},
			"فاس: سقوط بناية آيلة للسقوط بالمدينة العتيقة", "انهيار منزل قديم بالمدينة العتيقة بمكناس"},
	}
	for _, tt := range tests {
		story := []*Headline{Prepare(tt.story[0], nil), Prepare(tt.story[1], nil)}
		if core, other := Stray(Prepare(tt.rewrite, nil), story, tt.w, DefaultParams); core != "" {
			t.Errorf("%s: the rewording strays: %q, %q", tt.name, core, other)
		}
		if core, _ := Stray(Prepare(tt.strays, nil), story, tt.w, DefaultParams); core == "" {
			t.Errorf("%s: %q does not stray", tt.name, tt.strays)
		}
	}
	if !akin("saisie", "saisit") || !akin("تتبع", "يتتبع") || akin("tram", "tramway") || akin("حريق", "نيران") || akin("gouvernement", "gouverneur") || !akin("inauguration", "inaugure") {
		t.Error("akin")
	}
}

// rareOnly weighs words as a window where only the words given are rare.
func rareOnly(lang string, rare ...string) WindowWeights {
	return WindowWeights{Lang: lang, DocFreq: func(t string) int {
		if slices.Contains(rare, t) {
			return 1
		}
		return 40
	}}
}
