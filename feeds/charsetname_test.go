package feeds

import "testing"

// TestCharsetName attacks `nashra test` naming the wrong charset (or none)
// for a body ToUTF8 transcodes.
func TestCharsetName(t *testing.T) {
	cases := []struct {
		name, ct, override string
		body               []byte
		want               string
	}{
		{"UTF-8 under a prolog naming another charset is UTF-8", "", "", []byte(`<?xml version="1.0" encoding="windows-1256"?><rss/>`), ""},
		{"prolog names it", "", "", []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>caf\xe9</rss>"), "windows-1252"},
		{"only the HTTP header names it", "text/xml; charset=windows-1256", "", []byte("<rss>\xc7\xe1</rss>"), "windows-1256"},
		{"only the override names it", "text/xml", "windows-1256", []byte("<rss>\xc7\xe1</rss>"), "windows-1256"},
		{"nothing names it", "text/xml", "", []byte("<rss>\xc7\xe1</rss>"), "unknown"},
		{"UTF-16 byte-order mark", "", "", []byte{0xFF, 0xFE, '<', 0}, "UTF-16"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Charset(c.body, c.ct, c.override); got != c.want {
				t.Errorf("Charset = %q, want %q", got, c.want)
			}
		})
	}
}

func TestInvalidBytes(t *testing.T) {
	tests := []struct {
		name string
		body string
		want int
	}{
		{"UTF-8 Arabic", "<t>الحكومة</t>", 0},
		{"a byte order mark is not counted", "\xef\xbb\xbf<t>x</t>", 0},
		{"windows-1256 letters, each alone", "<t>\xc7\xe1\xcd</t>", 3},
		{"a cut sequence", "<t>\xd8</t>", 1},
		{"U+FFFD written as itself is valid", "<t>\uFFFD</t>", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InvalidBytes([]byte(tt.body)); got != tt.want {
				t.Errorf("InvalidBytes = %d, want %d", got, tt.want)
			}
		})
	}
}
