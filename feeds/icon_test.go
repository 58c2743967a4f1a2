package feeds

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// Readers show a feed's icon (Miniflux showed none): RSS <image>, Atom
// <icon>/<logo>, JSON Feed icon/favicon.
func TestFeedsNameTheirIcon(t *testing.T) {
	tk := sampleTicker(t)
	tk.Icon, tk.Favicon = "http://localhost:8080/icon-512.png", "http://localhost:8080/icon-64.png"
	tests := []struct {
		format string
		enc    func(*Ticker) ([]byte, error)
		want   []string
	}{
		{"rss", EncodeRSS, []string{"<image>", "<url>http://localhost:8080/icon-64.png</url>", "<title>" + tk.Title + "</title>", "<link>" + tk.HomeURL + "</link>"}},
		{"atom", EncodeAtom, []string{"<icon>http://localhost:8080/icon-64.png</icon>", "<logo>http://localhost:8080/icon-512.png</logo>"}},
		{"json", EncodeJSON, []string{`"icon": "http://localhost:8080/icon-512.png"`, `"favicon": "http://localhost:8080/icon-64.png"`}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			out, err := tt.enc(tk)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("no %s", w)
				}
			}
			f, err := gofeed.NewParser().Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if f.Image == nil || f.Image.URL == "" {
				t.Errorf("gofeed reads no image")
			}
		})
	}
	// Without icons configured nothing is written (no empty <image>).
	tk.Icon, tk.Favicon = "", ""
	out, _ := EncodeRSS(tk)
	if strings.Contains(string(out), "<image>") {
		t.Error("empty <image>")
	}
}
