package aggregator

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/internal/readercheck"
)

// FuzzPipeline feeds arbitrary titles, links, summaries, authors and dates
// through normalise → store → encode: every output must stay parseable by
// encoding/xml (strict) and gofeed, and keep the stored title exactly; no RSS
// description may yield an HTML element. FuzzFeed starts from raw bytes.
// Seeds: testdata/fuzz/FuzzPipeline.
func FuzzPipeline(f *testing.F) {
	f.Add("برّادة يراجع معايير الريادة", "https://www.hespress.com/%D8%A8-1.html", "<p>نص &amp; صورة</p>", "هسبريس", "Tue, 14 Apr 2026 15:04:07 +0000")
	f.Add("Bulletin d’alerte : « orageuses »", "/fr/article/1?utm_source=x#top", "<script>alert(1)</script>", "", "Lun, 15 Avr 2024 10:30:00 +0100")
	f.Add("a\x00b\x0bc\ufffed", "javascript:alert(1)", "]]></description><x>", "\x01", "١٤ أبريل ٢٠٢٦")
	f.Add("&lt;b&gt;bold&lt;/b&gt; &amp;amp;", "http://[::1]:80/a b", "&#0;&#xD800;", "<Name>", "9999999999999")

	src := &config.Source{Name: "fuzz", Title: "مصدر", URL: "https://fuzz.example/feed", Location: time.UTC}
	now := time.Date(2026, 4, 14, 15, 30, 0, 0, time.UTC)

	f.Fuzz(func(t *testing.T, title, link, summary, author, date string) {
		doc := &feeds.Document{Entries: []feeds.Entry{{
			Title: title, Link: link, Summary: summary, Author: author, Published: date,
			GUID: "g:" + title + link + date, Categories: []string{title},
		}}}
		items := Normalise(doc, src, src.URL, now)
		if len(items) == 0 {
			return // nothing left of the title: not an item
		}
		store, err := archive.Open(filepath.Join(t.TempDir(), "fuzz.db"), archive.WithoutSync())
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		if _, err := store.SavePoll(context.Background(), src.Name, archive.SourceState{}, items); err != nil {
			t.Fatalf("store: %v", err)
		}
		stored, err := store.Newest(archive.Query{Limit: 1})
		if err != nil || len(stored) != 1 {
			t.Fatalf("read back: %v %d", err, len(stored))
		}
		tk := &feeds.Ticker{Name: "f", Title: "t", HomeURL: "http://h.example/", SelfRSS: "http://h.example/feed.rss",
			SelfAtom: "http://h.example/feed.atom", SelfJSON: "http://h.example/feed.json", Updated: now, Items: stored,
			Outlets: map[string]feeds.Outlet{"fuzz": {Name: "fuzz", Title: src.Title, FeedURL: src.URL}}, Location: time.UTC}

		rss, err := feeds.EncodeRSS(tk)
		if err != nil {
			t.Fatalf("rss: %v", err)
		}
		var back struct {
			Items []struct {
				Title string `xml:"title"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal(rss, &back); err != nil {
			t.Fatalf("encoding/xml rejects RSS: %v\n%s", err, rss)
		}
		// A title that reads like markup is HTML-escaped in RSS; rendered as a
		// reader renders HTML, every title is the stored one, and no element.
		if len(back.Items) != 1 {
			t.Fatalf("RSS items %q, want 1", back.Items)
		}
		if text, els := readercheck.Render(back.Items[0].Title); len(els) > 0 ||
			(back.Items[0].Title != stored[0].Title && text != stored[0].Title) {
			t.Fatalf("RSS title %q (rendered %q, elements %q), stored %q", back.Items[0].Title, text, els, stored[0].Title)
		}
		descriptions, err := readercheck.HTMLFields("rss", rss)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range descriptions {
			if _, els := readercheck.Render(d); len(els) > 0 {
				t.Fatalf("an RSS description yields elements %q: %q", els, d)
			}
		}
		atom, err := feeds.EncodeAtom(tk)
		if err != nil {
			t.Fatalf("atom: %v", err)
		}
		if err := xml.Unmarshal(atom, new(struct{})); err != nil {
			t.Fatalf("encoding/xml rejects Atom: %v\n%s", err, atom)
		}
		js, err := feeds.EncodeJSON(tk)
		if err != nil || !json.Valid(js) {
			t.Fatalf("json: %v", err)
		}
		for name, out := range map[string][]byte{"rss": rss, "atom": atom, "json": js} {
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("gofeed rejects %s: %v\n%s", name, err, out)
			}
			if len(parsed.Items) != 1 || !strings.HasSuffix(parsed.Items[0].GUID, stored[0].Key) {
				t.Fatalf("%s: gofeed read %d items, guid %q", name, len(parsed.Items), parsed.Items[0].GUID)
			}
		}
	})
}
