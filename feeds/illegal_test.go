package feeds

import (
	"bytes"
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
