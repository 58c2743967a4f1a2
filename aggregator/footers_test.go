package aggregator

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// cutFootersBefore is cutFooters as it was before the probes: every closing
// phrase searched for in the whole excerpt. The oracle of FuzzCutFooters.
func cutFootersBefore(s string) string {
	for _, f := range wordpressFooters {
		if !strings.Contains(s, f.close) {
			continue
		}
		i := strings.LastIndex(s, f.open)
		if i >= 0 && strings.Contains(s[i:], f.close) && utf8.RuneCountInString(s[i:]) < 600 {
			s = s[:i]
		}
	}
	return s
}

func TestCutFooters(t *testing.T) {
	long := strings.Repeat("ع", 600)
	for _, c := range []struct{ name, in, want string }{
		{"english", "نص الخبر The post عنوان appeared first on هسبريس.", "نص الخبر "},
		{"arabic with tanwin", "نص ظهرت المقالة عنوان أولاً على هسبريس.", "نص "},
		{"arabic without", "نص ظهرت المقالة عنوان أولا على هسبريس.", "نص "},
		{"french, curly apostrophe", "Texte. L’article Titre est apparu en premier sur Le360.", "Texte. "},
		{"french, straight apostrophe", "Texte. L'article Titre est apparu en premier sur Le360.", "Texte. "},
		{"opening words without the closing ones", "ظهرت المقالة في الجريدة", "ظهرت المقالة في الجريدة"},
		{"closing words before the opening ones", "appeared first on X. The post Y", "appeared first on X. The post Y"},
		{"a footer of 600 characters is text", "x The post " + long + " appeared first on X", "x The post " + long + " appeared first on X"},
		{"the opening words overlap the closing ones", "x The post appeared first on X", "x "},
		{"ظ elsewhere", "حفظ الأمن ظهر اليوم", "حفظ الأمن ظهر اليوم"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := cutFooters(c.in); got != c.want {
				t.Errorf("cutFooters(%q) = %q, want %q", c.in, got, c.want)
			}
			if got := cutFootersBefore(c.in); got != c.want {
				t.Errorf("the oracle disagrees with the table: %q", got)
			}
		})
	}
}

func FuzzCutFooters(f *testing.F) {
	for _, s := range []string{
		"نص ظهرت المقالة عنوان أولاً على هسبريس.",
		"a The post b appeared first on c. The post d",
		"L’article x est apparu en premier sur y L'article z est apparu en premier sur w",
		"ظهرت المقالة ظهرت المقالة أولا على أولاً على",
		"\xb8\xd9\x87\xd8\xb1\xd8\xaa المقالة x أولا على y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cutFooters(s), cutFootersBefore(s); got != want {
			t.Errorf("cutFooters(%q) = %q, before %q", s, got, want)
		}
	})
}
