package feeds

import (
	"bytes"
	"strings"
	"testing"
)

// replaceIllegal reads bytes, not runes: what each case attacks is a place
// where the two could disagree.
func TestReplaceIllegal(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"arabic text untouched", "<t>برّادة يراجع</t>", "<t>برّادة يراجع</t>"},
		{"tab, newline and return kept", "a\tb\nc\rd", "a\tb\nc\rd"},
		{"C0 control between words", "كلمة\x0bكلمة", "كلمة كلمة"},
		{"NUL at the very end", "ab\x00", "ab "},
		{"U+FFFE raw", "Bad\uFFFEtitle", "Bad title"},
		{"U+FFFF at the end", "Bad\uFFFF", "Bad "},
		{"U+FFFD kept (same lead bytes)", "a\uFFFDb", "a\uFFFDb"},
		{"U+FEFF kept", "\uFEFFa", "\uFEFFa"},
		{"truncated EF BF at the end", "a\xef\xbf", "a\xef\xbf"},
		{"invalid UTF-8 left alone", "a\xff\xfeb", "a\xff\xfeb"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := replaceIllegal([]byte(c.in)); string(got) != c.want {
				t.Errorf("replaceIllegal(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// BenchmarkReplaceIllegal is the check every body pays (a clean one).
func BenchmarkReplaceIllegal(b *testing.B) {
	body := benchFeed()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if out := replaceIllegal(body); !bytes.Equal(out[:10], body[:10]) {
			b.Fatal("changed")
		}
	}
}

// hasIllegalByByte is hasIllegal one byte at a time, as it was before it
// read eight at once: the oracle of TestHasIllegalAtEveryPlace and
// FuzzHasIllegal.
func hasIllegalByByte(body []byte) bool { return illegalAt(body, 0, len(body)) }

// TestHasIllegalAtEveryPlace puts each illegal sequence, and each legal
// one that looks like it, at every place of bodies of 1 to 24 bytes, across
// the eight-byte words hasIllegal reads.
func TestHasIllegalAtEveryPlace(t *testing.T) {
	seqs := []struct {
		b       string
		illegal bool
	}{
		{"\x00", true}, {"\x01", true}, {"\x08", true}, {"\x1f", true}, {"\x0b", true}, {"\x0c", true},
		{"\t", false}, {"\n", false}, {"\r", false}, {" ", false}, {"\x7f", false},
		{"\uFFFE", true}, {"\uFFFF", true}, {"\uFFFD", false}, {"\uFEFF", false}, {"\xEF\xBF", false}, {"ع", false},
	}
	for _, s := range seqs {
		for n := len(s.b); n <= 24; n++ {
			for at := 0; at+len(s.b) <= n; at++ {
				body := []byte(strings.Repeat("a", at) + s.b + strings.Repeat("b", n-at-len(s.b)))
				if got := hasIllegal(body); got != s.illegal || got != hasIllegalByByte(body) {
					t.Fatalf("hasIllegal(%q) = %v, want %v", body, got, s.illegal)
				}
			}
		}
	}
}

func FuzzHasIllegal(f *testing.F) {
	f.Add([]byte("<rss>\n\t<title>خبر</title>\r\n</rss>"))
	f.Add([]byte("1234567\xEF\xBF\xBE"))
	f.Add([]byte("\x00"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if got, want := hasIllegal(body), hasIllegalByByte(body); got != want {
			t.Fatalf("hasIllegal(%q) = %v, byte by byte %v", body, got, want)
		}
	})
}

// BenchmarkHasIllegal: the check every body pays, eight bytes at a time
// against one at a time (the oracle), on a normal outlet's RSS.
func BenchmarkHasIllegal(b *testing.B) {
	body := benchFeed()
	for _, c := range []struct {
		name string
		f    func([]byte) bool
	}{{"words", hasIllegal}, {"bytes", hasIllegalByByte}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if c.f(body) {
					b.Fatal("illegal")
				}
			}
		})
	}
}
