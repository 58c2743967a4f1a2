package aggregator

import (
	"testing"

	"github.com/nashra-ma/nashra/news"
)

func TestCleanText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "السباق على البرلمان يبدأ مبكرا", "السباق على البرلمان يبدأ مبكرا"},
		{"double-encoded entity from CDATA", "Conseil : adoption d&#8217;un projet", "Conseil : adoption d’un projet"},
		{"quotes as char refs", "&#8220;الكاف&#8221; يحدد", "“الكاف” يحدد"},
		{"tags stripped", "<b>Maroc</b> : <a href='x'>ONCF</a>", "Maroc : ONCF"},
		{"script dropped", "titre<script>alert(1)</script>", "titre"},
		{"escaped script is text, never markup", "&lt;script&gt;alert(1)&lt;/script&gt;titre", "titre"},
		{"white space folded", "  a\n\t b  ", "a b"},
		{"nbsp kept for French typography", "«\u00a0mot\u00a0»", "«\u00a0mot\u00a0»"},
		{"NFC", "e\u0301te\u0301", "été"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanText(tt.in); got != tt.want {
				t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanSummary(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"arabic footer", "<p>برّادة يراجع المعايير [&#8230;]</p><p>ظهرت المقالة برّادة يراجع أولاً على هسبريس.</p>", "برّادة يراجع المعايير …"},
		{"english footer", "<p>Text here.</p><p>The post Morocco Wins appeared first on Morocco World News.</p>", "Text here."},
		{"french footer", "<p>Le texte.</p><p>L’article Un titre est apparu en premier sur Médias24.</p>", "Le texte."},
		{"no footer", "<p>Just text</p>", "Just text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanSummary(tt.in); got != tt.want {
				t.Errorf("CleanSummary = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	if got := Excerpt("short", 10); got != "short" {
		t.Errorf("got %q", got)
	}
	got := Excerpt("one two three four five six", 15)
	if got != "one two three…" {
		t.Errorf("got %q", got)
	}
}

func TestDetectLanguage(t *testing.T) {
	if news.DetectLanguage("حركة المسافرين ONCF") != "ar" || news.DetectLanguage("ONCF : trafic") != "" {
		t.Error("DetectLanguage misjudged")
	}
}
