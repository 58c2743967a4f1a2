package feeds

import (
	"fmt"
	"strings"
	"testing"
)

// twentyAndOne is an RSS document of twenty good items and one whose title is bad.
func twentyAndOne(bad string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://x.ma/</link>`)
	for i := range 20 {
		fmt.Fprintf(&b, "<item><title>good %d</title><link>https://x.ma/%d</link></item>\n", i, i)
	}
	fmt.Fprintf(&b, "<item><title>%s</title><link>https://x.ma/bad</link><category domain=\"a&#1;b\">c</category></item></channel></rss>", bad)
	return []byte(b.String())
}

// TestDecodeRepairsIllegalCharacterReferences: one reference to a character
// XML forbids used to reject the whole document ("illegal character code
// U+000B"), while the same raw byte was repaired into a space.
func TestDecodeRepairsIllegalCharacterReferences(t *testing.T) {
	tests := []struct {
		name, title, want string
	}{
		{"decimal reference to a vertical tab", "Bad&#11;title", "Bad title"},
		{"reference to NUL", "Bad&#0;title", "Bad title"},
		{"decimal with leading zeros", "Bad&#0000000011;title", "Bad title"},
		{"hex reference to a vertical tab", "Bad&#xB;title", "Bad title"},
		{"hex with leading zeros and lower case", "Bad&#x000000b;title", "Bad title"},
		{"hex reference to U+FFFF", "Bad&#xFFFF;title", "Bad title"},
		{"decimal reference to U+FFFE", "Bad&#65534;title", "Bad title"},
		{"raw U+FFFE", "Bad\uFFFEtitle", "Bad title"},
		{"raw U+FFFF", "Bad\uFFFFtitle", "Bad title"},
		{"raw vertical tab (already repaired)", "Bad\vtitle", "Bad title"},
		{"legal references are left alone", "A&#x41;&#66;&#9;C", "AAB\tC"},
		{"an escaped ampersand is not a reference", "Bad&amp;#11;title", "Bad&#11;title"},
		{"inside CDATA it is text, not a reference", "<![CDATA[Bad&#11;title]]>", "Bad&#11;title"},
		{"a reference after a CDATA section is repaired", "<![CDATA[a]]>&#11;b", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode(twentyAndOne(tt.title), "", "")
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if len(doc.Entries) != 21 {
				t.Fatalf("entries = %d, want 21", len(doc.Entries))
			}
			if got := doc.Entries[20].Title; got != tt.want {
				t.Errorf("title = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeRepairsIllegalReferencesInAtom(t *testing.T) {
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>t&#x1F;</title><id>x</id>
<entry><title>Bad&#31;title</title><id>1</id><link href="https://x.ma/1"/><updated>2026-04-14T13:02:00Z</updated><summary>s&#x0;</summary></entry></feed>`
	doc, err := Decode([]byte(atom), "", "")
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if len(doc.Entries) != 1 || doc.Entries[0].Title != "Bad title" {
		t.Errorf("entries = %+v", doc.Entries)
	}
}
