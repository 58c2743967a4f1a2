package aggregator

import (
	"testing"

	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/news"
)

func TestCleanText(t *testing.T) {
	const (
		html, plain, guess = feeds.TextHTML, feeds.TextPlain, feeds.TextGuess
	)
	tests := []struct {
		name string
		typ  feeds.TextType
		in   string
		want string
	}{
		{"plain", guess, "السباق على البرلمان يبدأ مبكرا", "السباق على البرلمان يبدأ مبكرا"},
		{"double-encoded entity from CDATA", guess, "Conseil : adoption d&#8217;un projet", "Conseil : adoption d’un projet"},
		{"quotes as char refs", guess, "&#8220;الكاف&#8221; يحدد", "“الكاف” يحدد"},
		{"tags stripped", guess, "<b>Maroc</b> : <a href='x'>ONCF</a>", "Maroc : ONCF"},
		{"script dropped", guess, "titre<script>alert(1)</script>", "titre"},
		{"stray start tag stripped", guess, "<b>Urgent : averses", "Urgent : averses"},
		{"escaped script in HTML is text, decoded once", guess, "&lt;script&gt;alert(1)&lt;/script&gt;titre", "<script>alert(1)</script>titre"},
		{"white space folded", guess, "  a\n\t b  ", "a b"},
		{"nbsp kept for French typography", guess, "«\u00a0mot\u00a0»", "«\u00a0mot\u00a0»"},
		{"NFC", guess, "e\u0301te\u0301", "été"},

		// Decode exactly as often as the type says (feedparser's corpus).
		{"atom text: brackets are text", plain, "History of the <blink> tag", "History of the <blink> tag"},
		{"atom text: an entity is text", plain, "AT&amp;T &lt;b&gt;", "AT&amp;T &lt;b&gt;"},
		{"atom html: escaped tag is text", html, "History of the &lt;blink&gt; tag", "History of the <blink> tag"},
		{"atom xhtml: inline markup stripped", html, "History of the <b>blink</b> tag", "History of the blink tag"},
		{"rss title: comparison signs are text", guess, "Inflation < 2% while growth > 3%", "Inflation < 2% while growth > 3%"},
		{"rss title: unknown element name is text", guess, "History of the <blink> tag", "History of the <blink> tag"},
		{"html: comparison signs survive", html, "Inflation &lt; 2% while growth &gt; 3%", "Inflation < 2% while growth > 3%"},
		{"html: double-escaped markup decodes once", html, "&amp;lt;img src=x onerror=alert(1)&amp;gt;", "&lt;img src=x onerror=alert(1)&gt;"},
		{"html: triple-escaped markup stays escaped text", html, "&amp;amp;lt;b&amp;amp;gt;", "&amp;lt;b&amp;gt;"},
		{"html: javascript link keeps only its text", html, `<a href="jav&#x09;ascript:alert(1)">lien</a>`, "lien"},

		// Bidi controls never leak out of the text they sit in.
		{"unclosed override closed", plain, "\u202Eabc", "\u202Eabc\u202C"},
		{"unclosed isolate closed", plain, "\u2067abc", "\u2067abc\u2069"},
		{"stray closers dropped", plain, "abc\u202C\u2069", "abc"},
		{"pdf does not close an isolate", plain, "\u2066a\u202Cb", "\u2066ab\u2069"},
		{"isolate closes embeddings opened inside it", plain, "\u2067\u202Ba\u2069b", "\u2067\u202Ba\u202C\u2069b"},
		{"balanced text unchanged", plain, "a\u202Bب\u202Cc", "a\u202Bب\u202Cc"},
		{"marks are harmless and kept", plain, "\u200Fب\u200E", "\u200Fب\u200E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanText(tt.in, tt.typ); got != tt.want {
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
			if got := CleanSummary(tt.in, feeds.TextHTML); got != tt.want {
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
	if got := Excerpt("\u202Bone two three four\u202C", 10); got != "\u202Bone two…\u202C" {
		t.Errorf("an excerpt cut inside an embedding must close it: %q", got)
	}
}

func TestDetectLanguage(t *testing.T) {
	if news.DetectLanguage("حركة المسافرين ONCF") != "ar" || news.DetectLanguage("ONCF : trafic") != "" {
		t.Error("DetectLanguage misjudged")
	}
}
