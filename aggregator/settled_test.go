package aggregator

import (
	"html"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/text/unicode/norm"

	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/news"
)

// settleSlowly is what CleanText does after the sanitiser, every step run.
func settleSlowly(s string) string { return news.BalanceBidi(collapseSpace(norm.NFC.String(s))) }

// TestSettledRunesAlone: every rune, alone and between letters, that
// settled accepts is left as it is by the full path; every rune the tables
// cover is tried.
func TestSettledRunesAlone(t *testing.T) {
	accepted := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		for _, s := range []string{string(r), "a" + string(r) + "b", "ب " + string(r) + " ج", string(r) + string(r)} {
			if settled(s) {
				accepted++
				if got := settleSlowly(s); got != s {
					t.Errorf("settled(%+q), but the full path makes it %+q", s, got)
				}
			}
		}
	}
	if accepted < 4*1500 { // Latin, Arabic and punctuation must take the fast path
		t.Errorf("settled accepted %d strings, want at least %d", accepted, 4*1500)
	}
}

// TestSettledRunePairs: two settled runes side by side stay as they are
// (no composition, no reordering), over Latin-1, Latin Extended, Arabic and
// General Punctuation.
func TestSettledRunePairs(t *testing.T) {
	var rs []rune
	for _, span := range [][2]rune{{0x20, 0x250}, {0x600, 0x700}, {0x2000, 0x2070}} {
		for r := span[0]; r < span[1]; r++ {
			if settled(string(r)) {
				rs = append(rs, r)
			}
		}
	}
	for _, a := range rs {
		for _, b := range rs {
			if s := string([]rune{a, b}); settled(s) && norm.NFC.String(s) != s {
				t.Errorf("settled(%+q), but NFC makes it %+q", s, norm.NFC.String(s))
			}
		}
	}
}

func TestSettled(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"", true},
		{"السباق على البرلمان يبدأ مبكرا", true},
		{"L’ONCF : le trafic « voyageurs » progresse de 7% — bilan…", true},
		{" leading", false},
		{"trailing ", false},
		{"two  spaces", false},
		{"tab\there", false},
		{"no\u00a0break", false},
		{"zero\u200bwidth", false},
		{"harakat بَرّادة", true}, // one haraka a letter: NFC leaves it
		{"fatha then shadda بَّ", true},
		{"shadda then fatha بَّ", false}, // NFC reorders them
		{"hamza above أ", false},        // NFC composes them: أ
		{"e\u0301", false},
		{"open \u202b embedding", false},
		{"bad \xff byte", false},
		{"control \x7f", false},
		{"C1 \u0085 control", false},
		{"emoji 🙂", false}, // beyond the tables: the full path decides
	} {
		if got := settled(c.in); got != c.want {
			t.Errorf("settled(%+q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// cleanTextSlowly is CleanText as it was before the fast paths: bluemonday
// whenever the type says HTML or the text looks like it, then every step.
func cleanTextSlowly(s string, typ feeds.TextType) string {
	if s == "" {
		return ""
	}
	if (typ == feeds.TextHTML || (typ == feeds.TextGuess && htmlLike.MatchString(s))) && strings.ContainsAny(s, "<>&") {
		s = html.UnescapeString(bluemonday.StrictPolicy().Sanitize(s))
	}
	return settleSlowly(s)
}

// FuzzCleanText checks CleanText and CleanSummary against the full path.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{
		"السباق على البرلمان يبدأ مبكرا",
		"<p>Bulletin d’alerte : averses</p><p>The post <a href=\"x\">a</a> appeared first on Le360.</p>",
		"&lt;blink&gt; &amp; co  \t x",
		"بَرّادة  يراجع\u00a0معايير",
		"e\u0301 \u202b x \u2069",
		"<script>x</script>y",
	} {
		f.Add(s, uint8(0))
	}
	types := []feeds.TextType{feeds.TextGuess, feeds.TextHTML, feeds.TextPlain}
	f.Fuzz(func(t *testing.T, s string, typ uint8) {
		tt := types[int(typ)%len(types)]
		if got, want := CleanText(s, tt), cleanTextSlowly(s, tt); got != want {
			t.Fatalf("CleanText(%+q, %v) = %+q, the full path %+q", s, tt, got, want)
		}
		want := cleanTextSlowly(truncateBytes(s, maxSummaryBytes), tt)
		for _, f := range wordpressFooters {
			if i := strings.LastIndex(want, f.open); i >= 0 && strings.Contains(want[i:], f.close) && utf8.RuneCountInString(want[i:]) < 600 {
				want = want[:i]
			}
		}
		want = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(want, "[…]", "…"), "[...]", "…"))
		if got := CleanSummary(s, tt); got != want {
			t.Fatalf("CleanSummary(%+q, %v) = %+q, the full path %+q", s, tt, got, want)
		}
	})
}

// FuzzStripTags checks stripTags against what it replaces: bluemonday's
// strict policy, then one unescape.
func FuzzStripTags(f *testing.F) {
	for _, s := range []string{
		"<p>texte</p><p>The post <a href=\"https://x.ma/1\">a &amp; b</a> appeared first on X.</p>",
		"<script>alert(1)</script>after<style>p{}</style>x",
		"<iframe>in</iframe>out</iframe><iframe>again",
		"<title>t</title><textarea>&amp;</textarea>&lt;b&gt;",
		"<SCRIPT>x</SCRIPT>y<Style>z</STYLE>w",
		"a<!-- c --><!DOCTYPE x><?pi?></>b</ x>c\r\nd&#13;e",
		"<p title='>'>x</p><br/><img src=x onerror=y>",
		"<noscript><p>n</p></noscript><object>o</object>",
		"<x:y>ns</x:y><é>u</é>\x00nul",
		"<P CLASS=x>a &amp; b &#8217;</P ><br/><img src='a>b' alt=\"c'd\"/>e < f <3",
		"<a href=x/>t</a><a =x href = \"y\" / >u</a><span\tclass=a\nid=b>v</span>",
		"<p>x</p><p data-x='1'>L&rsquo;article <a href=\"https://x.ma/?a=1&amp;b=2\">y</a> est apparu en premier sur X.</p>",
		"<em>a<strong>b</em>c</strong><h2>t</h2><ul><li>1</li></ul><",
		"<p a=\"unterminated>x",
	} {
		f.Add(s)
	}
	policy := bluemonday.StrictPolicy()
	f.Fuzz(func(t *testing.T, s string) {
		if strings.TrimSpace(s) == "" {
			return // never called with it: htmlToText needs markup first
		}
		if got, want := stripTags(s), html.UnescapeString(policy.Sanitize(s)); got != want {
			t.Fatalf("stripTags(%+q) = %+q, bluemonday %+q", s, got, want)
		}
	})
}

// TestStripPlainTagsTakesExcerpts: the markup of a WordPress excerpt takes
// the fast path (FuzzStripTags checks that whatever takes it agrees with
// bluemonday), and what it cannot be sure of does not.
func TestStripPlainTagsTakesExcerpts(t *testing.T) {
	for s, want := range map[string]bool{
		"<p>texte</p><p>The post <a href=\"https://x.ma/1\">a &amp; b</a> appeared first on X.</p>": true,
		"<p><img src='x.jpg' alt=\"\"/>L&#8217;article</p><br>a < b":                                true,
		"<script>x</script>": false,
		"<p>a</p><!-- c -->": false,
		"<title>t</title>":   false,
		"a\r\nb <b>c</b>":    false,
		"<p class=\"x":       false,
		"<custom>x</custom>": false,
	} {
		if _, ok := stripPlainTags(s); ok != want {
			t.Errorf("stripPlainTags(%q) took the fast path: %v, want %v", s, ok, want)
		}
	}
}

// TestStripTagsOnGeneratedMarkup compares stripTags with bluemonday on
// markup built from the pieces excerpts are made of, and the pieces that
// must send it to the tokenizer, in random order.
func TestStripTagsOnGeneratedMarkup(t *testing.T) {
	pieces := []string{
		"<p>", "</p>", "<P CLASS=x>", "</p >", "<a href=\"https://x.ma/?a=1&amp;b=2\">", "</a>", "<br/>", "<br>",
		"<img src='a>b' alt=\"c'd\"/>", "<a href=x/>", "<span\tid=a\nclass = 'b' >", "</span>", "<em>", "</EM>",
		"<a =x y>", "<p a=>", "<p a= '>'>", "<b/x>", "<i / >",
		"نص", " texte ", "&amp;", "&#8217;", "&rsquo;", "&lt;b&gt;", "&amp", "a < b", "<3", " > ",
		"<script>", "</script>", "<title>", "</title>", "<!-- c -->", "<!x>", "<?pi?>", "</>", "</ x>", "\r\n", "\x00",
		"<custom>", "<p:x>", "<", "&", "\"", "'", "=", "/",
	}
	policy := bluemonday.StrictPolicy()
	rng := rand.New(rand.NewPCG(8, 8))
	fast := 0
	for range 20_000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if strings.TrimSpace(s) == "" {
			continue
		}
		if _, ok := stripPlainTags(s); ok {
			fast++
		}
		if got, want := stripTags(s), html.UnescapeString(policy.Sanitize(s)); got != want {
			t.Fatalf("stripTags(%+q) = %+q, bluemonday %+q", s, got, want)
		}
	}
	if fast < 1000 {
		t.Errorf("only %d of the generated documents took the fast path", fast)
	}
}

// TestHarakatSettled holds settled's harakat to norm: their classes, and
// every settled rune of the tables followed by one haraka or two (in every
// order): settled exactly when the full path leaves the text as it is.
func TestHarakatSettled(t *testing.T) {
	for r := harakaFirst; r <= harakaLast; r++ {
		if p := norm.NFC.PropertiesString(string(r)); rune(p.CCC()) != r-harakaFirst+harakaCCC {
			t.Fatalf("%U: class %d, settled takes %d", r, p.CCC(), r-harakaFirst+harakaCCC)
		}
	}
	tried := 0
	for b := rune(0); b < punctEnd; b++ {
		if b == latinArabicEnd {
			b = punctStart
		}
		if b == ' ' || (b >= harakaFirst && b <= harakaLast) || !settled(string(b)) {
			continue
		}
		for m := harakaFirst; m <= harakaLast; m++ {
			for _, s := range []string{string(b) + string(m), string(b) + string(m) + "ب"} {
				tried++
				if !settled(s) || settleSlowly(s) != s {
					t.Fatalf("%+q: settled %v, the full path makes it %+q", s, settled(s), settleSlowly(s))
				}
			}
			for m2 := harakaFirst; m2 <= harakaLast; m2++ {
				s := string(b) + string(m) + string(m2)
				tried++
				if unchanged := settleSlowly(s) == s; settled(s) != unchanged || settled(s) != (m <= m2) {
					t.Fatalf("%+q: settled %v, the full path makes it %+q", s, settled(s), settleSlowly(s))
				}
			}
		}
	}
	if tried < 100000 {
		t.Errorf("%d strings tried", tried)
	}
}

// collapseSpaceRunes is collapseSpace as it was, rune by rune.
func collapseSpaceRunes(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == '\u00a0' || r == '\u202f' {
			if !space {
				b.WriteRune(r)
			}
			continue
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' || !xmlChar(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// FuzzCollapseSpace holds collapseSpace, byte by byte for ASCII, to the
// rune-by-rune version.
func FuzzCollapseSpace(f *testing.F) {
	for _, s := range []string{"a  b\t\nc", " « mot » ", "بين\u00a0\u00a0سطرين\r\n", "\x00\x7f\x85\xff x", "zero\u200bwidth\ufeff", "\u2028 \u2029 \u3000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpace(s), collapseSpaceRunes(s); got != want {
			t.Fatalf("collapseSpace(%+q) = %+q, rune by rune %+q", s, got, want)
		}
	})
}

// TestCollapseSpaceFastRange: collapseSpace copies U+0100 to U+167F without
// asking; none of them is white space, a control or barred from XML.
func TestCollapseSpaceFastRange(t *testing.T) {
	for r := rune(0x100); r < 0x1680; r++ {
		if unicode.IsSpace(r) || unicode.IsControl(r) || !xmlChar(r) {
			t.Errorf("%U is white space for collapseSpace", r)
		}
		if s := "a" + string(r) + "b"; collapseSpace(s) != collapseSpaceRunes(s) {
			t.Errorf("%U: %+q against %+q", r, collapseSpace(s), collapseSpaceRunes(s))
		}
	}
}
