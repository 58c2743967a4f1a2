package aggregator

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"html"
	"path/filepath"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/internal/readercheck"
)

// FuzzFeed starts from raw source bytes: decode → normalise → store → every
// encoder. Every output must parse (encoding/xml, gofeed, encoding/json), no
// HTML-typed field may yield any element once parsed as HTML (so no script,
// no on* handler, no javascript:/data:/vbscript: URL), titles come back as
// stored, and no title leaves a bidi control open. Seeds:
// testdata/fuzz/FuzzFeed and the documents below.
func FuzzFeed(f *testing.F) {
	f.Add([]byte(`<rss version="2.0"><channel><title>t</title><item><title>a &amp;lt;b&amp;gt;</title><link>https://e.test/a</link>` +
		`<description><![CDATA[&amp;lt;img src=x onerror=alert(1)&amp;gt;<a href="JaVa&#x09;ScRiPt:x">l</a>]]></description></item></channel></rss>`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>urn:a</id><link href="/a"/>` +
		`<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">History of the &lt;blink&gt; tag</div></title>` +
		`<summary type="html">&amp;amp;lt;script&amp;amp;gt;x&lt;iframe src="data:text/html,x"&gt;</summary></entry></feed>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"a","url":"https://e.test/a",` +
		`"title":"\u202eabc","content_html":"<svg onload=alert(1)>","content_text":"<b>x</b>"}]}`))
	f.Add([]byte(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item><title>&#x202E;x</title>` +
		`<link>https://e.test/b</link><description>&amp;#60;a href=&amp;#34; vbscript:x&amp;#34;&amp;#62;</description></item></rdf:RDF>`))

	src := &config.Source{Name: "fuzz", Title: "مصدر", URL: "https://fuzz.example/feed", Location: time.UTC}
	now := time.Date(2026, 4, 14, 15, 30, 0, 0, time.UTC)

	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 64<<10 {
			return // the decoder's own size and depth limits are tested elsewhere
		}
		doc, err := feeds.Decode(body, "", "")
		if err != nil {
			return
		}
		items := Normalise(doc, src, src.URL, now)
		if len(items) == 0 {
			return
		}
		store, err := archive.Open(filepath.Join(t.TempDir(), "fuzz.db"), archive.WithoutSync())
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		if _, err := store.SavePoll(context.Background(), src.Name, archive.SourceState{}, items); err != nil {
			t.Fatalf("store: %v", err)
		}
		stored, err := store.Newest(archive.Query{Limit: 100})
		if err != nil || len(stored) == 0 {
			t.Fatalf("read back: %v %d", err, len(stored))
		}
		tk := &feeds.Ticker{Name: "f", Title: "t", HomeURL: "http://h.example/", SelfRSS: "http://h.example/feed.rss",
			SelfAtom: "http://h.example/feed.atom", SelfJSON: "http://h.example/feed.json", Updated: now, Items: stored,
			Outlets: map[string]feeds.Outlet{"fuzz": {Name: "fuzz", Title: src.Title, FeedURL: src.URL}}, Location: time.UTC}
		titles := map[string]bool{}
		for _, it := range stored {
			titles[it.Title] = true
			if !bidiClosed(it.Title) || !bidiClosed(it.Summary) {
				t.Fatalf("stored text leaves a bidi control open: %+q / %+q", it.Title, it.Summary)
			}
		}
		for format, enc := range map[string]func(*feeds.Ticker) ([]byte, error){"rss": feeds.EncodeRSS, "atom": feeds.EncodeAtom, "json": feeds.EncodeJSON} {
			out, err := enc(tk)
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			if format == "json" {
				if !json.Valid(out) {
					t.Fatalf("invalid JSON:\n%s", out)
				}
			} else {
				var back struct {
					Items []struct {
						Title string `xml:"title"`
					} `xml:"channel>item"`
					Entries []struct {
						Title string `xml:"title"`
					} `xml:"entry"`
				}
				if err := xml.Unmarshal(out, &back); err != nil {
					t.Fatalf("encoding/xml rejects %s: %v\n%s", format, err, out)
				}
				for _, it := range back.Entries {
					if !titles[it.Title] {
						t.Fatalf("%s title %q is no stored title", format, it.Title)
					}
				}
				for _, it := range back.Items {
					// A headline that reads like a tag is HTML-escaped in RSS,
					// for readers that render titles as HTML.
					if !titles[it.Title] && !titles[html.UnescapeString(it.Title)] {
						t.Fatalf("%s title %q is no stored title", format, it.Title)
					}
					if text, els := readercheck.Render(it.Title); len(els) > 0 {
						t.Fatalf("%s title %q renders elements %q (%q)", format, it.Title, els, text)
					}
				}
			}
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("gofeed rejects %s: %v\n%s", format, err, out)
			}
			if len(parsed.Items) != len(stored) {
				t.Fatalf("%s: gofeed read %d items of %d", format, len(parsed.Items), len(stored))
			}
			fields, err := readercheck.HTMLFields(format, out)
			if err != nil {
				t.Fatal(err)
			}
			for _, field := range fields {
				if d := readercheck.Dangers(field); len(d) > 0 {
					t.Fatalf("%s: an HTML field would run script %q: %q", format, d, field)
				}
				if _, els := readercheck.Render(field); len(els) > 0 {
					t.Fatalf("%s: an HTML field yields elements %q: %q", format, els, field)
				}
			}
		}
	})
}

// bidiClosed reports whether s closes every embedding, override and isolate
// it opens, in order (written apart from news.BalanceBidi, to check it).
func bidiClosed(s string) bool {
	var open []rune
	for _, r := range s {
		switch r {
		case '\u202a', '\u202b', '\u202d', '\u202e':
			open = append(open, '\u202c')
		case '\u2066', '\u2067', '\u2068':
			open = append(open, '\u2069')
		case '\u202c', '\u2069':
			if len(open) == 0 || open[len(open)-1] != r {
				return false
			}
			open = open[:len(open)-1]
		}
	}
	return len(open) == 0
}
