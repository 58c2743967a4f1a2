package story

import "testing"

func TestStray(t *testing.T) {
	p := DefaultParams
	// A window where the places are rare and the template's words are not.
	places := map[string]bool{"تارودانت": true, "بتارودانت": true, "تيزنيت": true, "بتيزنيت": true, "ارصفه": true, "عمومي": true}
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
		{"a rewrite in other words that keeps the place",
			[]string{"السلطات المحلية بتارودانت تطلق حملة لتحرير الملك العمومي", "حملة واسعة لتحرير الملك العمومي بتارودانت"},
			"تارودانت.. السلطات تشن حملة لتحرير الأرصفة من الاحتلال", false},
		{"the same template at another place",
			[]string{"السلطات المحلية بتارودانت تطلق حملة لتحرير الملك العمومي", "حملة واسعة لتحرير الملك العمومي بتارودانت"},
			"السلطات المحلية بتيزنيت تطلق حملة لتحرير الملك العمومي", true},
		{"a rewrite that keeps the percentage",
			[]string{"نسبة ملء سد تارودانت تبلغ 38 في المائة", "سد تارودانت.. نسبة الملء 38 في المائة"},
			"نسبة ملء السد تبلغ 38% والأرصفة غارقة", false},
		{"a rewrite that keeps the count and its unit",
			[]string{"حجز 23 طنا من السلع بالملك العمومي", "الملك العمومي.. حجز 23 طنا من السلع"},
			"حجز 23 طنا من السلع على الأرصفة", false},
		{"the same count at another place",
			[]string{"جماعة تارودانت تتسلم 6 حافلات للنقل المدرسي", "6 حافلات للنقل المدرسي بتارودانت"},
			"6 حافلات للنقل المدرسي بتيزنيت لفائدة الأرصفة", true},
		{"a rewrite that keeps the temperature",
			[]string{"موجة حر تصل إلى 47 درجة بتارودانت", "تارودانت.. 47 درجة غدا"},
			"حرارة تصل إلى 47 درجة والأرصفة ساخنة", false},
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
