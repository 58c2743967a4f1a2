package story

import (
	"strings"
	"testing"
)

func TestNumberConflict(t *testing.T) {
	tests := []struct {
		name, a, b string
		conflict   bool
	}{
		{"two vote counts", "Les députés adoptent le PLF par 165 voix", "Les députés adoptent le PLF par 160 voix", true},
		{"two percentages", "Attijariwafa bank : RNPG en hausse de 12%", "BCP : RNPG en hausse de 8%", true},
		{"two scores, one goal in common", "Le Raja bat le FUS 2-1", "Le Raja bat le FUS 1-0", true},
		{"a year one report gives", "مجلس النواب يصادق على مشروع قانون المالية بأغلبية 165 صوتا", "النواب يصادقون على مشروع قانون المالية لسنة 2027", false},
		{"a round against a score", "الرجاء يتغلب على الفتح في الدورة 14", "الرجاء يهزم الفتح 2-0", false},
		{"hours against days", "إضراب وطني لمدة 72 ساعة", "إضراب وطني لثلاثة أيام", false},
		{"a bill's number written two ways", "le projet de loi n°45.24", "le projet de loi 45-24", false},
		{"a number in two words", "توقيف خمسة وأربعين مرشحا للهجرة", "توقيف 45 مرشحا للهجرة", false},
		{"the same number", "4 قتلى في حادثة سير", "أربعة قتلى في حادثة سير", false},
		{"a stop word parts a number from a word", "الوداد يكتفي بالتعادل في الدورة 14 من البطولة", "تعادل بين الوداد والماص (1-1) في البطولة", false},
		{"a range's other end, one stop word away", "le ticket passe de 6 à 7 DH", "le ticket passe de 5 à 6 DH", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := Prepare(tt.a, nil), Prepare(tt.b, nil)
			xa, xb := numberConflict(a.numbers, b.numbers)
			if got := xa != nil; got != tt.conflict {
				t.Errorf("conflict %v (%v against %v), want %v", got, xa, xb, tt.conflict)
			}
			if ya, _ := numberConflict(b.numbers, a.numbers); (ya != nil) != (xa != nil) {
				t.Error("not symmetric")
			}
		})
	}
}

func TestJoinNumberWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"خمسة وأربعين شخصا", "45 شخص"},
		{"quarante-cinq candidats", "45 candidat"},
		{"cinq candidats", "5 candidat"},
		{"2 40 candidats", "2 40 candidat"}, // digits stay as written
		{"dix-sept blessés et onze morts", "17 blesse 11 mort"},
		{"soixante-dix candidats", "70 candidat"},
		{"quatre-vingts candidats", "80 candidat"},
		{"quatre-vingt-cinq candidats", "85 candidat"},
		{"quatre-vingt-dix-neuf candidats", "99 candidat"},
		{"soixante-quinze candidats", "75 candidat"},
		{"dix candidats", "10 candidat"},
		{"أربعة عشر مسجدا", "14 مسجد"},
		{"ثماني عشرة إصابة", "18 اصابه"},
		{"أربعة وعشرين درهما", "24 درهم"}, // Arabic has no four-twenties
		{"ارتفاع بنسبة 5 في المئة", "ارتفاع بنسبه 5 %"},
		{"up 5 percent", "up 5 %"},
		{"الدورة الخامسة", "دوره خامسه"},       // a unit's ordinal stays unread (round eight: the cardinals only)
		{"الدورة الخامسة عشرة", "دوره 15"},     // a compound ordinal is its number (round ten), as "الدورة 15" writes it
		{"الدورة السابعة والعشرين", "دوره 27"}, // not 20
		{"la 27ème édition", "27e edition"},    // "27e", "27ème", "27ieme": one ordinal
		{"حجز 12 ألف قرص", "حجز 12000 قرص"},
		{"حجز 3 آلاف قرص", "حجز 3000 قرص"},
		{"trois mille candidats", "3000 candidat"},
		{"mille candidats", "mille candidat"}, // a thousand after no number stays a word
		{"le gasoil baisse de 40 centimes", "gasoil baisse 0.40 centime"},
		{"grève de 72 heures", "greve 3 jour"},
		{"grève de trois jours", "greve 3 jour"},
		{"إضراب لمدة 72 ساعة", "اضراب لمده 3 ايام"},
		{"إضراب لمدة 48 ساعة", "اضراب لمده 48 ساعه"},
		{"grève de 5 heures", "greve 5 heure"},
		{"الغازوال ينخفض بأربعين سنتيما", "غازوال ينخفض 0.40 سنتيم"},
	}
	for _, tt := range tests {
		if got := strings.Join(Tokens(Normalize(tt.in, nil)), " "); got != tt.want {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLightStem(t *testing.T) {
	same := [][2]string{
		{"adoptent", "adopte"}, {"ghaneenne", "ghaneen"}, {"medecine", "medecin"},
		{"مغربي", "مغرب"}, {"امتحانات", "امتحان"}, {"غاني", "غان"}, {"وغان", "غان"},
	}
	for _, p := range same {
		if lightStem(p[0]) != lightStem(p[1]) {
			t.Errorf("lightStem(%q) = %q, lightStem(%q) = %q: want one", p[0], lightStem(p[0]), p[1], lightStem(p[1]))
		}
	}
	apart := [][2]string{{"vote", "voter"}, {"45", "4"}, {"ماء", "مايه"}}
	for _, p := range apart {
		if lightStem(p[0]) == lightStem(p[1]) {
			t.Errorf("lightStem(%q) = lightStem(%q) = %q: want two", p[0], p[1], lightStem(p[0]))
		}
	}
}

// The dual of a day is two days, as 48 hours: a strike "ليومين" and one
// "لمدة 48 ساعة" give one duration, and one of 36 hours another.
func TestDayDualIsFortyEightHours(t *testing.T) {
	a := Prepare("كتاب الضبط يخوضون إضرابا وطنيا ليومين", nil)
	b := Prepare("موظفو العدل يعلنون إضرابا لـ48 ساعة", nil)
	if _, ok := a.numbers["48"]; !ok {
		t.Fatalf("ليومين: numbers %v, want 48", a.numbers)
	}
	if x, _ := numberConflict(a.numbers, b.numbers); x != nil {
		t.Errorf("two days and 48 hours conflict: %v", x)
	}
	c := Prepare("موظفو العدل يعلنون إضرابا لمدة 36 ساعة", nil)
	if x, _ := numberConflict(a.numbers, c.numbers); x == nil {
		t.Errorf("two days and 36 hours do not conflict: %v / %v", a.numbers, c.numbers)
	}
}

// TestDayDualBytes holds isDayDual's length check to what it skips: every
// dual is dayDualBytes long, and every proclitic dropProclitic takes off
// one is two bytes, so a word of another length is no dual.
func TestDayDualBytes(t *testing.T) {
	for d := range dayDuals {
		if len(d) != dayDualBytes {
			t.Errorf("%q is %d bytes, not dayDualBytes (%d)", d, len(d), dayDualBytes)
		}
		for _, p := range []string{"ب", "ل", "و", "ف", "ك"} {
			if w := p + d; dropProclitic(w) != d || !isDayDual(w) {
				t.Errorf("%q: dropProclitic %q, isDayDual %v", w, dropProclitic(w), isDayDual(w))
			}
		}
		if !isDayDual(d) {
			t.Errorf("isDayDual(%q) false", d)
		}
	}
	for _, w := range []string{"يوم", "اليومين", "ليومينن", "يومين ", "48"} {
		if got, want := isDayDual(w), dayDuals[w] || dayDuals[dropProclitic(w)]; got != want {
			t.Errorf("isDayDual(%q) = %v, the look-ups say %v", w, got, want)
		}
	}
}
