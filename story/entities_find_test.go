package story

import (
	"reflect"
	"testing"
)

func TestGazetteerFinds(t *testing.T) {
	g := parseGazetteer(`place	casablanca	الدار البيضاء | البيضاء | Casablanca
place	tanger	طنجة | Tanger
club	raja	الرجاء | Raja | Raja de Casablanca
place	region_tth	Tanger-Tétouan-Al Hoceima
place	al_hoceima	Al Hoceima
body	bourse	Bourse de Casablanca
place	tanger-med	طنجة المتوسط | Tanger Med
place	oujda	وجدة | Oujda
place	jeddah	جدة | Jeddah
weekday	monday	الاثنين | lundi
place	sale	سلا
`)
	for _, c := range []struct {
		title string
		want  map[string][]string
	}{
		{"حادثة سير بالدار البيضاء", map[string][]string{"place": {"casablanca"}}},
		{"أمن البيضاء يوقف نصابا", map[string][]string{"place": {"casablanca"}}},
		{"وزير التجهيز يحل بطنجة لتفقد ميناء طنجة المتوسط", map[string][]string{"place": {"tanger", "tanger-med"}}},
		{"Port de Tanger Med : record", map[string][]string{"place": {"tanger-med", "tanger"}}},
		{"إحباط تهريب أربعة أطنان من الشيرا بطنجة المتوسط", map[string][]string{"place": {"tanger-med", "tanger"}}},
		{"Le Raja de Casablanca s'impose", map[string][]string{"club": {"raja"}, "place": {"casablanca"}}},
		{"La Bourse de Casablanca termine en hausse", map[string][]string{"body": {"bourse"}}},
		{"Alerte dans la région de Tanger-Tétouan-Al Hoceima", map[string][]string{"place": {"region_tth", "tanger", "al_hoceima"}}},
		{"أمطار يوم الاثنين بوجدة", map[string][]string{"place": {"oujda"}, "weekday": {"monday"}}},
		{"رحلة إلى جدة", map[string][]string{"place": {"jeddah"}}},
		// a short name behind a proclitic: بسلا is ب + سلا, stemmed whole بسل
		{"السلطات المحلية بسلا تطلق حملة", map[string][]string{"place": {"sale"}}},
		{"انهيار منزل بالمدينة العتيقة لسلا", map[string][]string{"place": {"sale"}}},
		{"Le budget adopté", nil},
	} {
		got := g.find(Normalize(c.title, nil))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.title, got, c.want)
		}
	}
}
