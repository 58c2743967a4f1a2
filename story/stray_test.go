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

// A rewrite may say its story's thing as another part of speech: the
// noun its story carries, the verb it carries instead.
func TestStrayAkin(t *testing.T) {
	w := rareOnly("fr", "effondrement", "effondre", "saisie", "saisit", "rabat")
	story := []*Headline{
		Prepare("Effondrement d'une bâtisse dans la médina de Fès : deux morts", nil),
		Prepare("Fès: deux morts dans l'effondrement d'une maison menaçant ruine", nil),
	}
	if core, other := Stray(Prepare("Fès : une maison s'effondre dans la médina, 2 décès", nil), story, w, DefaultParams); core != "" {
		t.Errorf("a rewrite with the verb strays: %q, %q", core, other)
	}
	if core, _ := Stray(Prepare("Rabat : une maison menaçant ruine, deux morts", nil), story, w, DefaultParams); core == "" {
		t.Error("another place's report does not stray")
	}
	// A date's month is a detail, not another thing.
	weather := []*Headline{Prepare("Canicule : Ouarzazate à 45 degrés mardi", nil), Prepare("Ouarzazate : la canicule pousse le mercure à 45 degrés mardi", nil)}
	w = rareOnly("fr", "ouarzazate", "canicule", "fevrier")
	if core, other := Stray(Prepare("Ouarzazate : 45 degrés mardi 10 février", nil), weather, w, DefaultParams); core != "" {
		t.Errorf("a rewrite that gives the date strays: %q, %q", core, other)
	}
	if !akin("saisie", "saisit") || !akin("تتبع", "يتتبع") || akin("tram", "tramway") || akin("حريق", "نيران") || akin("gouvernement", "gouverneur") || !akin("inauguration", "inaugure") {
		t.Error("akin")
	}
}

// A French story about a vocabulary word is left by a report naming
// another thing with a capital, not by one wording the event otherwise.
func TestStrayByCapitals(t *testing.T) {
	w := rareOnly("fr", "effondrement", "batisse", "tafraoutine")
	story := []*Headline{
		Prepare("Effondrement d'une maison dans la médina : deux morts", nil),
		Prepare("Deux morts dans l'effondrement d'une vieille maison de la médina", nil),
	}
	if core, other := Stray(Prepare("Médina : une bâtisse menaçant ruine cède, deux morts", nil), story, w, DefaultParams); core != "" {
		t.Errorf("a rewording strays: %q, %q", core, other)
	}
	if core, _ := Stray(Prepare("Deux morts dans une maison de la médina de Tafraoutine", nil), story, w, DefaultParams); core == "" {
		t.Error("a report naming another town does not stray")
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

// Without capitals (Arabic), a report naming a listed thing its story
// names too rewords that story's vocabulary; one naming another place strays.
func TestStrayArabicSharedThing(t *testing.T) {
	w := WindowWeights{Lang: "ar", DocFreq: func(string) int { return 1 }}
	story := []*Headline{
		Prepare("انهيار منزل قديم بالمدينة العتيقة بفاس", nil),
		Prepare("فاس.. انهيار منزل قديم بالمدينة العتيقة", nil),
	}
	if core, other := Stray(Prepare("فاس: سقوط بناية آيلة للسقوط بالمدينة العتيقة", nil), story, w, DefaultParams); core != "" {
		t.Errorf("a rewording naming the story's city strays: %q, %q", core, other)
	}
	if core, _ := Stray(Prepare("انهيار منزل قديم بالمدينة العتيقة بمكناس", nil), story, w, DefaultParams); core == "" {
		t.Error("a report naming another city does not stray")
	}
}
