package feeds

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

const rssTemplate = `%s<rss version="2.0"><channel><title>t</title><link>https://example.ma/</link><ttl>30</ttl>
<item><title>%s</title><link>https://example.ma/a-1.html</link><guid>https://example.ma/?p=1</guid><pubDate>Tue, 14 Apr 2026 15:04:07 +0000</pubDate></item>
</channel></rss>`

func rssDoc(prolog, title string) string {
	return strings.Replace(strings.Replace(rssTemplate, "%s", prolog, 1), "%s", title, 1)
}

func mustEncode(t *testing.T, enc *charmap.Charmap, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func TestDecodeCharsets(t *testing.T) {
	const ar = "«نشرة إنذارية» زخات رعدية"
	const fr = "Bulletin d'alerte : averses à Agadir, ça tombe"
	tests := []struct {
		name        string
		body        []byte
		contentType string
		override    string
		want        string
	}{
		{"utf-8 plain", []byte(rssDoc(`<?xml version="1.0" encoding="UTF-8"?>`, ar)), "", "", ar},
		{"windows-1256 in prolog", mustEncode(t, charmap.Windows1256, rssDoc(`<?xml version="1.0" encoding="windows-1256"?>`, ar)), "", "", ar},
		{"windows-1256 only in HTTP header", mustEncode(t, charmap.Windows1256, rssDoc(`<?xml version="1.0"?>`, ar)), "application/rss+xml; charset=windows-1256", "", ar},
		{"windows-1256 only in source override", mustEncode(t, charmap.Windows1256, rssDoc("", ar)), "text/xml", "windows-1256", ar},
		{"iso-8859-1 in prolog", mustEncode(t, charmap.ISO8859_1, rssDoc(`<?xml version="1.0" encoding="ISO-8859-1"?>`, fr)), "", "", fr},
		{"utf-8 body under a lying windows-1256 prolog", []byte(rssDoc(`<?xml version="1.0" encoding="windows-1256"?>`, ar)), "", "", ar},
		{"utf-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, rssDoc(`<?xml version="1.0" encoding="UTF-8"?>`, ar)...), "", "", ar},
		{"control character becomes a space", []byte(rssDoc("", "السلطات تعلن\vعن تدابير")), "", "", "السلطات تعلن عن تدابير"},
		{"HTML named entities outside CDATA", []byte(rssDoc("", "&laquo;ماب&raquo;:&nbsp;خبر&hellip;")), "", "", "«ماب»:\u00a0خبر…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Decode(tt.body, tt.contentType, tt.override)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if len(doc.Entries) != 1 {
				t.Fatalf("entries = %d, want 1", len(doc.Entries))
			}
			if got := doc.Entries[0].Title; got != tt.want {
				t.Errorf("title = %q, want %q", got, tt.want)
			}
			if doc.TTL != 30 {
				t.Errorf("TTL = %d, want 30", doc.TTL)
			}
		})
	}
}

func TestDecodeNotFeeds(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		notFeed bool
		wantErr string
	}{
		{"empty body", "", true, "empty body"},
		{"whitespace body", "  \n", true, "empty body"},
		{"cloudflare challenge", "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>cf-chl</body></html>", true, "bot-protection"},
		{"plain html", "<!doctype html><html><body>hello</body></html>", true, "an HTML page"},
		{"an outlet's home page is not a challenge", "<!doctype html><html><head><title>Challenge.ma</title></head></html>", true, "an HTML page"},
		{"truncated rss", `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</ti`, false, "parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.body), "", "")
			if err == nil {
				t.Fatal("Decode succeeded")
			}
			if errors.Is(err, ErrNotAFeed) != tt.notFeed {
				t.Errorf("errors.Is(ErrNotAFeed) = %v, want %v (%v)", !tt.notFeed, tt.notFeed, err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q lacks %q", err, tt.wantErr)
			}
		})
	}
}

func TestDecodeRejectsSwallowedItemsAndKeepsEmptyFeeds(t *testing.T) {
	broken := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>one</title><link>https://x.ma/1</link></item>
<item><title>two
<link>https://x.ma/2</link>
<pubDate>Tue, 14 Apr 2026 15:04:07 +0000</pubDate></item>
<item><title>three</title><link>https://x.ma/3</link></item>
</channel></rss>`
	doc, err := Decode([]byte(broken), "", "")
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if len(doc.Entries) != 2 || doc.Rejected != 1 {
		t.Fatalf("entries = %d rejected = %d, want 2 and 1", len(doc.Entries), doc.Rejected)
	}
	for _, e := range doc.Entries {
		if strings.Contains(e.Title, "<") {
			t.Errorf("kept a swallowed title %q", e.Title)
		}
	}

	empty := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://x.ma/</link></channel></rss>`
	doc, err = Decode([]byte(empty), "", "")
	if err != nil || len(doc.Entries) != 0 {
		t.Fatalf("empty feed: doc=%+v err=%v", doc, err)
	}
}

func TestDecodeAtomUpdatedOnlyHasNoPublished(t *testing.T) {
	atom := `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>m</title><id>x</id><updated>2026-04-14T13:02:00Z</updated>
<entry><title type="html"><![CDATA[Bourse&#8217;s]]></title><id>https://medias24.com/?p=1</id><link rel="alternate" href="https://medias24.com/a/"/><updated>2026-04-14T13:02:00Z</updated><author><name>Rédaction</name></author></entry></feed>`
	doc, err := Decode([]byte(atom), "", "")
	if err != nil {
		t.Fatal(err)
	}
	e := doc.Entries[0]
	if e.PublishedParsed != nil || e.UpdatedParsed == nil {
		t.Errorf("published=%v updated=%v, want only updated", e.PublishedParsed, e.UpdatedParsed)
	}
	if e.Author != "Rédaction" {
		t.Errorf("author = %q", e.Author)
	}
}

func TestDecodeJSONFeedAndImages(t *testing.T) {
	js := `{"version":"https://jsonfeed.org/version/1.1","title":"Goud","items":[
{"id":"https://www.goud.ma/?p=1","url":"https://www.goud.ma/a-1/","title":"برادة يراجع","date_published":"2026-04-14T16:15:00+01:00","image":"https://www.goud.ma/i.jpg","authors":[{"name":"كود"}]}]}`
	doc, err := Decode([]byte(js), "application/feed+json", "")
	if err != nil {
		t.Fatal(err)
	}
	e := doc.Entries[0]
	if e.Title != "برادة يراجع" || e.Image != "https://www.goud.ma/i.jpg" || e.PublishedParsed == nil {
		t.Errorf("entry = %+v", e)
	}
	if got := e.PublishedParsed.UTC().Format("15:04"); got != "15:15" {
		t.Errorf("published UTC = %s, want 15:15", got)
	}
}
