package feeds

import "testing"

// TestDecodeTextTypes: the type of each text construct is known after
// decoding, so that it is decoded exactly as often as its format says.
func TestDecodeTextTypes(t *testing.T) {
	const atomHead = `<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">feed &lt;b&gt;</title><id>urn:f</id><updated>2026-04-14T12:00:00Z</updated>`
	tests := []struct {
		name string
		body string
		want TextTypes
	}{
		{"rss: title unknown, description HTML",
			`<rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://e.test/a</link><description>d</description></item></channel></rss>`,
			TextTypes{TextGuess, TextHTML, TextHTML}},
		{"atom: no type is text",
			atomHead + `<entry><title>a</title><id>urn:a</id><summary>s</summary><content>c</content></entry></feed>`,
			TextTypes{TextPlain, TextPlain, TextPlain}},
		{"atom: html and xhtml are HTML",
			atomHead + `<entry><title type="html">a</title><id>urn:a</id><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">s</div></summary><content type="text/html">c</content></entry></feed>`,
			TextTypes{TextHTML, TextHTML, TextHTML}},
		{"atom: a source's title type is not the entry's",
			atomHead + `<entry><source><title type="html">x</title></source><title type="text">History of the blink tag</title><id>urn:a</id><link href="https://e.test/a"/></entry></feed>`,
			TextTypes{TextPlain, TextPlain, TextPlain}},
		{"atom 0.3: escaped mode is HTML",
			`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title><entry><title mode="escaped" type="text/html">a</title><id>urn:a</id><summary type="text/plain">s</summary></entry></feed>`,
			TextTypes{TextHTML, TextPlain, TextPlain}},
		{"json: content_html is HTML, the rest text",
			`{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [{"id": "a", "url": "https://e.test/a", "title": "t", "summary": "s", "content_html": "<p>c</p>"}]}`,
			TextTypes{TextPlain, TextPlain, TextHTML}},
		{"json: content_text is text",
			`{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [{"id": "a", "url": "https://e.test/a", "title": "t", "content_text": "<p>c</p>"}]}`,
			TextTypes{TextPlain, TextPlain, TextPlain}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode([]byte(tt.body), "", "")
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Entries) != 1 {
				t.Fatalf("entries = %d", len(doc.Entries))
			}
			if got := doc.Entries[0].Types; got != tt.want {
				t.Errorf("types = %+v, want %+v", got, tt.want)
			}
		})
	}
}
