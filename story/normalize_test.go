package story

import "testing"

func TestNormalize(t *testing.T) {
	pubs := []string{"Morocco World News"}
	tests := []struct{ name, in, want string }{
		{"harakat, shadda, tatweel", "بـرّادة يُراجِع", "براده يراجع"},
		{"hamza forms and ta marbuta", "أمطار إنذارية آمال", "امطار انذاريه امال"},
		{"alif maqsura", "على مستوى", "علي مستوي"},
		{"Moroccan gaf is kaf", "ثمن الگازوال بأكادير", "ثمن الكازوال باكادير"},
		{"eastern digits and percent", "ارتفاع بـ٧٪", "ارتفاع ب 7 %"},
		{"في المائة is a percent sign", "يرتفع بـ0,4 في المائة", "يرتفع ب 0.4 %"},
		{"wire mark", "نشرة إنذارية (و م ع)", "نشره انذاريه"},
		{"urgent prefix", "عاجل.. نشرة إنذارية", "نشره انذاريه"},
		{"Maroc prefix", "Maroc: ONCF - le trafic", "oncf le trafic"},
		{"accents and elisions", "L’ONCF réceptionne d'autres rames à l'été", "oncf receptionne autres rames a ete"},
		{"thousands separator", "les 2.500 écoles", "les 2500 ecoles"},
		{"publisher suffix", "ONCF Passenger Traffic Up 7% - Morocco World News", "oncf passenger traffic up 7 %"},
		{"dash inside a title kept as a word break", "Casablanca-Marrakech", "casablanca marrakech"},
		{"abbreviations spelled out", "OCP: 24 MMDH au T1", "ocp 24 milliards dirhams au premier trimestre"},
		{"presentation forms", "ﻧﺸﺮﺓ", "نشره"},
		{"a score in words", "الرجاء يهزم الفتح بهدفين دون رد", "الرجاء يهزم الفتح 2 0"},
		{"a score in words, both sides", "الجيش يفوز بثلاثة أهداف لهدف", "الجيش يفوز 3 1"},
		{"a clean win in one word", "فوز بثنائية نظيفة", "فوز 2 0"},
		{"goals in another phrase stay words", "هدفين في الشوط الأول", "هدفين في الشوط الاول"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in, pubs); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestContradictNumbers(t *testing.T) {
	if !Contradict(Prepare("القروض ترتفع بـ4,2% متم فبراير", nil), Prepare("القروض ترتفع بـ3,1% متم فبراير", nil)) {
		t.Error("different figures not a conflict")
	}
	if Contradict(Prepare("ارتفاع حركة المسافرين بـ7%", nil), Prepare("ارتفاع حركة المسافرين", nil)) {
		t.Error("a dropped figure is not a conflict")
	}
}
