package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/nashra-ma/nashra/news"
)

func sampleTicker(t *testing.T) *Ticker {
	t.Helper()
	casa, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 4, 14, 15, 4, 7, 0, time.UTC)
	return &Ticker{
		Name: "all", Title: "نشرة — أخبار المغرب", Description: "كل الأخبار",
		HomeURL: "http://localhost:8080/", SelfRSS: "http://localhost:8080/feed.rss",
		SelfAtom: "http://localhost:8080/feed.atom", SelfJSON: "http://localhost:8080/feed.json",
		Updated: at, Location: casa,
		Outlets: map[string]Outlet{
			"hespress-ar": {Name: "hespress-ar", Title: "هسبريس", FeedURL: "https://www.hespress.com/feed", HomeURL: "https://www.hespress.com/", Language: "ar"},
			"hespress-fr": {Name: "hespress-fr", Title: "Hespress FR", FeedURL: "https://fr.hespress.com/feed", Language: "fr"},
		},
		Items: []news.Item{
			{Key: "a1", Source: "hespress-ar", Title: "برّادة يراجع معايير اختيار مؤسسات الريادة الـ2500", Link: "https://www.hespress.com/%D8%A8-1201850.html",
				Summary: "ملخص <عربي> & نص", Language: "ar", Categories: []string{"سياسة"}, Time: at, Author: "هسبريس"},
			{Key: "b2", Source: "hespress-fr", Title: "Bulletin d’alerte : averses « orageuses » à Agadir", Link: "https://fr.hespress.com/402311-bulletin.html?id=2&x=3",
				Language: "fr", Time: at.Add(-time.Hour), Author: "Rédaction", AlsoIn: []string{"hespress-ar"}},
			{Key: "c3", Source: "unknown", Title: "No link, control\u000bchar", Time: at.Add(-2 * time.Hour)},
		},
	}
}

func TestEncodersParseBack(t *testing.T) {
	tk := sampleTicker(t)
	encoders := map[string]func(*Ticker) ([]byte, error){"rss": EncodeRSS, "atom": EncodeAtom, "json": EncodeJSON}
	for name, enc := range encoders {
		t.Run(name, func(t *testing.T) {
			out, err := enc(tk)
			if err != nil {
				t.Fatal(err)
			}
			if name != "json" {
				if err := wellFormed(out); err != nil {
					t.Fatalf("encoding/xml rejects %s output: %v\n%s", name, err, out)
				}
			} else if !json.Valid(out) {
				t.Fatalf("invalid JSON:\n%s", out)
			}
			f, err := gofeed.NewParser().Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("gofeed: %v", err)
			}
			if len(f.Items) != 3 {
				t.Fatalf("items = %d, want 3", len(f.Items))
			}
			if f.Title != tk.Title {
				t.Errorf("feed title = %q", f.Title)
			}
			ar, fr := f.Items[0], f.Items[1]
			if ar.Title != tk.Items[0].Title || fr.Title != tk.Items[1].Title {
				t.Errorf("titles = %q / %q", ar.Title, fr.Title)
			}
			if ar.GUID != "tag:localhost,2026:item/a1" {
				t.Errorf("guid = %q", ar.GUID)
			}
			if ar.PublishedParsed == nil || !ar.PublishedParsed.Equal(tk.Items[0].Time) {
				t.Errorf("published = %v, want %v", ar.PublishedParsed, tk.Items[0].Time)
			}
			if ar.Link != tk.Items[0].Link || fr.Link != tk.Items[1].Link {
				t.Errorf("links = %q %q", ar.Link, fr.Link)
			}
			shown := ar.Description + ar.Content
			if name == "rss" { // an RSS description is HTML: what a reader shows is its text
				shown = html.UnescapeString(shown)
			}
			if !strings.Contains(shown, "ملخص <عربي> & نص") {
				t.Errorf("summary lost: %q / %q", ar.Description, ar.Content)
			}
			if strings.ContainsRune(string(out), '\u000b') {
				t.Error("control character written")
			}
		})
	}
}

func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestRSSPatches(t *testing.T) {
	out, _ := EncodeRSS(sampleTicker(t))
	s := string(out)
	for _, want := range []string{
		`<atom:link href="http://localhost:8080/feed.rss" rel="self" type="application/rss+xml"></atom:link>`,
		`<guid isPermaLink="false">tag:localhost,2026:item/a1</guid>`,
		`<source url="https://www.hespress.com/feed">هسبريس</source>`,
		`<dc:creator>Rédaction</dc:creator>`, // the byline alone: gofeed drops "Name (Outlet)"
		`<dc:creator>هسبريس</dc:creator>`,    // no byline: the outlet
		`<pubDate>Tue, 14 Apr 2026 16:04:07 +0100</pubDate>`,
		`<category>سياسة</category>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("RSS lacks %s", want)
		}
	}
	if strings.Contains(s, "<language>") {
		t.Error("mixed ticker declares a language")
	}
}

func TestAtomPatches(t *testing.T) {
	tk := sampleTicker(t)
	tk.Language = "ar"
	out, _ := EncodeAtom(tk)
	s := string(out)
	for _, want := range []string{
		`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">`,
		`<id>tag:localhost,2026:feed/all</id>`,
		`<link href="http://localhost:8080/feed.atom" rel="self" type="application/atom+xml"></link>`,
		`<entry xml:lang="ar">`,
		`<published>2026-04-14T16:04:07+01:00</published>`,
		`<name>Rédaction</name>`,
		`<source>`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("Atom lacks %s", want)
		}
	}
	if strings.Contains(s, "<updated></updated>") {
		t.Error("empty updated")
	}
	// The item without a link carries content instead (RFC 4287 4.1.2).
	if !strings.Contains(s, `<content type="text">No link, control`) {
		t.Error("linkless entry has no content")
	}
	empty := &Ticker{Name: "x", Title: "t", HomeURL: "http://h/", Location: time.UTC}
	out, _ = EncodeAtom(empty)
	if strings.Contains(string(out), "<updated></updated>") {
		t.Error("empty ticker has empty updated")
	}
}

func TestJSONPatches(t *testing.T) {
	out, _ := EncodeJSON(sampleTicker(t))
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["version"] != "https://jsonfeed.org/version/1.1" || doc["feed_url"] != "http://localhost:8080/feed.json" {
		t.Errorf("feed = %v", doc)
	}
	items := doc["items"].([]any)
	fr := items[1].(map[string]any)
	if fr["content_text"] == "" || fr["language"] != "fr" {
		t.Errorf("item = %v", fr)
	}
	ext := fr["_nashra"].(map[string]any)
	if ext["source_title"] != "Hespress FR" || ext["also_in"].([]any)[0] != "هسبريس" {
		t.Errorf("_nashra = %v", ext)
	}
}
