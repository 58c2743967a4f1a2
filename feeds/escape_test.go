package feeds

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/internal/readercheck"
	"github.com/nashra-ma/nashra/news"
)

// TestEncodersWriteTextNeverMarkup stores text that reads like markup, as a
// source's escaping tricks leave it once decoded, and reads every format as
// a reader does: the HTML-typed fields must yield no element, and their text
// must be the stored text exactly.
func TestEncodersWriteTextNeverMarkup(t *testing.T) {
	tests := []struct{ name, text string }{
		{"img with onerror", `<img src=x onerror=alert(1)>`},
		{"script element", `<script>alert(1)</script>`},
		{"javascript link, tab and case", "<a href=\"JaVa\tScRiPt:alert(1)\">x</a>"},
		{"data URL iframe", `<iframe src="data:text/html;base64,PHNjcmlwdD4=">`},
		{"vbscript link", `<a href=" vbscript:msgbox(1)">x</a>`},
		{"escaped markup stays escaped text", `&lt;b&gt;bold&lt;/b&gt; &amp;amp;`},
		{"numeric references stay text", `&#60;script&#62; &#x3C;img&#x3E;`},
		{"CDATA end inside text", `]]><img src=x onerror=alert(1)><![CDATA[`},
		{"comparison signs", `Inflation < 2% while growth > 3%`},
	}
	at := time.Date(2026, 4, 14, 15, 4, 7, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := &Ticker{Name: "all", Title: tt.text, Description: tt.text, HomeURL: "http://h.test/",
				SelfRSS: "http://h.test/feed.rss", SelfAtom: "http://h.test/feed.atom", SelfJSON: "http://h.test/feed.json", Updated: at,
				Items: []news.Item{
					{Key: "a", Source: "s", Title: tt.text, Summary: tt.text, Link: "https://e.test/a", Time: at},
					{Key: "b", Source: "s", Title: tt.text, Summary: tt.text, Time: at}, // no link: Atom writes content
				}}
			for format, enc := range map[string]func(*Ticker) ([]byte, error){"rss": EncodeRSS, "atom": EncodeAtom, "json": EncodeJSON} {
				out, err := enc(tk)
				if err != nil {
					t.Fatal(err)
				}
				fields, err := readercheck.HTMLFields(format, out)
				if err != nil {
					t.Fatalf("%s: %v\n%s", format, err, out)
				}
				if format == "rss" && len(fields) != 3 {
					t.Fatalf("rss: %d descriptions, want 3", len(fields))
				}
				for _, f := range fields {
					text, els := readercheck.Render(f)
					if len(els) > 0 {
						t.Errorf("%s: HTML field %q yields elements %q", format, f, els)
					}
					if text != tt.text {
						t.Errorf("%s: a reader shows %q, want %q", format, text, tt.text)
					}
				}
			}
		})
	}
}

// TestRSSTitlesReadAsHTML: readers that render an RSS <title> as HTML must
// show a headline that reads like a tag as written, and run nothing; plain
// headlines stay plain (outside attack: a second nashra re-reading the first
// one's RSS stripped "<img onerror>" from a headline, a naive reader ran it).
func TestRSSTitlesReadAsHTML(t *testing.T) {
	at := time.Date(2026, 4, 14, 15, 4, 7, 0, time.UTC)
	for _, title := range []string{
		`Atom text-esc <img src=x onerror=alert(31)>`,
		`History of the <blink> tag`,
		`JSON ch-esc <b>bold</b> &lt;i&gt;`,
		`Inflation < 2% while growth > 3%`,
		`Q&A: AT&T au Maroc`,
		`Adoption d’un projet &lt;b&gt;`,
		`&#60;script&#62; as text`,
	} {
		tk := &Ticker{Name: "all", Title: "t", HomeURL: "http://h.test/", SelfRSS: "http://h.test/feed.rss", Updated: at,
			Items: []news.Item{{Key: "a", Source: "s", Title: title, Link: "https://e.test/a", Time: at}}}
		out, err := EncodeRSS(tk)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Items []struct {
				Title string `xml:"title"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal(out, &doc); err != nil || len(doc.Items) != 1 {
			t.Fatalf("%q: %v", title, err)
		}
		raw := doc.Items[0].Title
		text, els := readercheck.Render(raw)
		if len(els) > 0 {
			t.Errorf("%q: a reader rendering the title as HTML gets elements %q", title, els)
		}
		if text != title {
			t.Errorf("%q: a reader rendering the title as HTML shows %q", title, text)
		}
		if !strings.ContainsAny(title, "<;") && raw != title {
			t.Errorf("%q: a plain headline was escaped to %q", title, raw)
		}
	}
}
