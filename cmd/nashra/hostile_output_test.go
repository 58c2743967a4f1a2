package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/internal/readercheck"
	"github.com/nashra-ma/nashra/server"
)

// escapeTrick is one hostile item: how a source writes its title and
// description (raw XML or JSON, escaping and all), and what a reader must
// see of them in nashra's feeds. Link names the item in every output.
type escapeTrick struct {
	name    string
	format  string // rss, atom, json
	title   string // raw, as written inside the element (JSON: the string value)
	summary string
	// wantTitle and wantText are the title and the description as a reader
	// shows them (description: XML-decoded, then parsed as HTML, text only).
	wantTitle, wantText string
}

var escapeTricks = []escapeTrick{
	{name: "rss description: double-escaped img onerror inside CDATA", format: "rss",
		title: "Trick one", summary: `<![CDATA[&amp;lt;img src=x onerror=alert(1)&amp;gt;]]>`,
		wantTitle: "Trick one", wantText: `&lt;img src=x onerror=alert(1)&gt;`},
	{name: "rss description: escaped img onerror is markup, stripped", format: "rss",
		title: "Trick two", summary: `&lt;img src=x onerror=alert(1)&gt;reste`,
		wantTitle: "Trick two", wantText: "reste"},
	{name: "rss description: double-escaped img onerror is text, never an element", format: "rss",
		title: "Trick three", summary: `&amp;lt;img src=x onerror=alert(1)&amp;gt;`,
		wantTitle: "Trick three", wantText: `<img src=x onerror=alert(1)>`},
	{name: "rss description: triple-escaped bold stays escaped text", format: "rss",
		title: "Trick four", summary: `&amp;amp;lt;b&amp;amp;gt;gras&amp;amp;lt;/b&amp;amp;gt;`,
		wantTitle: "Trick four", wantText: `&lt;b&gt;gras&lt;/b&gt;`},
	{name: "rss description: decimal character references spell a script", format: "rss",
		title: "Trick five", summary: `&amp;#60;script&amp;#62;alert(1)&amp;#60;/script&amp;#62;`,
		wantTitle: "Trick five", wantText: `<script>alert(1)</script>`},
	{name: "rss description: hex references without semicolons spell an img", format: "rss",
		title: "Trick six", summary: `&amp;#x3C;img src=x onerror=alert(1)&amp;#x3E;`,
		wantTitle: "Trick six", wantText: `<img src=x onerror=alert(1)>`},
	{name: "rss description: javascript link with a tab and mixed case", format: "rss",
		title: "Trick seven", summary: `<![CDATA[<a href="JaVa&#x09;ScRiPt:alert(1)">lien</a>]]>`,
		wantTitle: "Trick seven", wantText: "lien"},
	{name: "rss description: escaped javascript link is text", format: "rss",
		title: "Trick eight", summary: `&amp;lt;a href="javascript:alert(1)"&amp;gt;x&amp;lt;/a&amp;gt;`,
		wantTitle: "Trick eight", wantText: `<a href="javascript:alert(1)">x</a>`},
	{name: "rss description: data URL iframe", format: "rss",
		title: "Trick nine", summary: `<![CDATA[<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>texte]]>`,
		wantTitle: "Trick nine", wantText: "texte"},
	{name: "rss description: vbscript link with leading space", format: "rss",
		title: "Trick ten", summary: `&lt;a href=" VBScript:msgbox(1)"&gt;x&lt;/a&gt;`,
		wantTitle: "Trick ten", wantText: "x"},
	{name: "rss description: CDATA end split to smuggle markup", format: "rss",
		title: "Trick eleven", summary: `<![CDATA[x]]]]><![CDATA[>&lt;img src=x onerror=alert(1)&gt;]]>`,
		wantTitle: "Trick eleven", wantText: `x]]><img src=x onerror=alert(1)>`},
	{name: "rss description: comparison signs are text", format: "rss",
		title: "Trick twelve", summary: `Inflation &lt; 2% while growth &gt; 3%`,
		wantTitle: "Trick twelve", wantText: "Inflation < 2% while growth > 3%"},
	{name: "rss title: CDATA entity decoded once", format: "rss",
		title: `<![CDATA[Adoption d&#8217;un projet &amp;lt;b&amp;gt;]]>`, summary: "s",
		wantTitle: "Adoption d’un projet &lt;b&gt;", wantText: "s"},
	{name: "rss title: unbalanced right-to-left override", format: "rss",
		title: "\u202eTrick thirteen", summary: "s",
		wantTitle: "\u202eTrick thirteen\u202c", wantText: "s"},
	{name: "atom html summary: escaped img onerror is markup, stripped", format: "atom",
		title: "Trick fourteen", summary: `<summary type="html">&lt;img src=x onerror=alert(1)&gt;résumé</summary>`,
		wantTitle: "Trick fourteen", wantText: "résumé"},
	{name: "atom html summary: double-escaped img is text", format: "atom",
		title: "Trick fifteen", summary: `<summary type="html">&amp;lt;img src=x onerror=alert(1)&amp;gt;</summary>`,
		wantTitle: "Trick fifteen", wantText: `<img src=x onerror=alert(1)>`},
	{name: "atom text summary: markup characters are text", format: "atom",
		title: "Trick sixteen", summary: `<summary type="text">&lt;script&gt;alert(1)&lt;/script&gt;</summary>`,
		wantTitle: "Trick sixteen", wantText: `<script>alert(1)</script>`},
	{name: "atom xhtml title: escaped tag name is text (feedparser corpus)", format: "atom",
		title: `<div xmlns="http://www.w3.org/1999/xhtml">History of the &lt;blink&gt; tag</div>`, summary: `<summary>s</summary>`,
		wantTitle: "History of the <blink> tag", wantText: "s"},
	{name: "atom xhtml content: javascript link", format: "atom",
		title: "Trick seventeen", summary: `<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a href="&#x6A;avascript:alert(1)">lien</a></div></content>`,
		wantTitle: "Trick seventeen", wantText: "lien"},
	{name: "rss title: comparison signs are a headline, kept whole (feedparser corpus)", format: "rss",
		title: `Inflation &lt; 2% while growth &gt; 3%`, summary: "s",
		wantTitle: "Inflation < 2% while growth > 3%", wantText: "s"},
	{name: "atom text title: escaped tag name is text, item kept (feedparser corpus)", format: "atom",
		title: `History of the &lt;blink&gt; tag`, summary: `<summary>s</summary>`,
		wantTitle: "History of the <blink> tag", wantText: "s"},
	{name: "rss title: a stray bold tag is stripped, the headline kept", format: "rss",
		title: `&lt;b&gt;Trick twenty&lt;/b&gt;`, summary: "s",
		wantTitle: "Trick twenty", wantText: "s"},
	{name: "json content_html: img onerror", format: "json",
		title: "Trick eighteen", summary: `{"content_html": "<img src=x onerror=alert(1)>texte"}`,
		wantTitle: "Trick eighteen", wantText: "texte"},
	{name: "json content_text: markup is text", format: "json",
		title: "Trick nineteen", summary: `{"content_text": "<script>alert(1)</script>"}`,
		wantTitle: "Trick nineteen", wantText: "<script>alert(1)</script>"},
}

// body writes the trick as a one-item document of its format.
func (c *escapeTrick) body(link string) (contentType string, body []byte) {
	switch c.format {
	case "atom":
		title := `<title>` + c.title + `</title>`
		if strings.HasPrefix(c.title, "<div") {
			title = `<title type="xhtml">` + c.title + `</title>`
		}
		return "application/atom+xml", []byte(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:t</id><updated>2026-04-14T12:00:00Z</updated>
<entry>` + title + `<id>` + link + `</id><link href="` + link + `"/><updated>2026-04-14T12:00:00Z</updated><published>2026-04-14T12:00:00Z</published>` + c.summary + `</entry></feed>`)
	case "json":
		extra := strings.TrimSuffix(strings.TrimPrefix(c.summary, "{"), "}")
		t, _ := json.Marshal(c.title)
		return "application/feed+json", []byte(`{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [
{"id": "` + link + `", "url": "` + link + `", "title": ` + string(t) + `, "date_published": "2026-04-14T12:00:00Z", ` + extra + `}]}`)
	}
	return "application/rss+xml", []byte(`<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>t</title><link>https://example.ma/</link><description>d</description>
<item><title>` + c.title + `</title><link>` + link + `</link><guid>` + link + `</guid><pubDate>Tue, 14 Apr 2026 12:00:00 +0000</pubDate><description>` + c.summary + `</description></item>
</channel></rss>`)
}

// TestHostileEscaping runs escaping tricks through the whole service and
// reads every output as a reader does: no HTML-typed field may yield an
// element, and the text shown is what the source's format says it is.
func TestHostileEscaping(t *testing.T) {
	docs := map[string]*escapeTrick{}
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		ct, body := c.body("https://example.ma" + r.URL.Path)
		w.Header().Set("Content-Type", ct)
		w.Write(body)
	}))
	defer src.Close()

	dir := t.TempDir()
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "database: %s\nbase_url: http://nashra.test\nworkers: 2\noutputs: [{name: all, stories: false}]\nsources:\n", filepath.Join(dir, "db"))
	byLink := map[string]*escapeTrick{}
	for i := range escapeTricks {
		c := &escapeTricks[i]
		path := fmt.Sprintf("/trick-%02d", i)
		docs[path] = c
		byLink["https://example.ma"+path] = c
		fmt.Fprintf(&yaml, "  - {name: trick-%02d, url: \"%s%s\", language: fr}\n", i, src.URL, path)
	}
	p, cfg := testPipeline(t, dir, yaml.String())
	for _, r := range p.scheduler.RunOnce(t.Context()) {
		if r.Err != nil {
			t.Fatalf("poll %s: %v", r.Source, r.Err)
		}
	}
	web := httptest.NewServer(server.New(cfg, p.store, nil, nil).Handler())
	defer web.Close()

	rss := readAll(t, get(t, web.URL+"/feed.rss").Body)
	atom := readAll(t, get(t, web.URL+"/feed.atom").Body)
	js := readAll(t, get(t, web.URL+"/feed.json").Body)

	// No HTML-typed field of any format yields an element.
	for format, doc := range map[string][]byte{"rss": rss, "atom": atom, "json": js} {
		fields, err := readercheck.HTMLFields(format, doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fields {
			if _, els := readercheck.Render(f); len(els) > 0 {
				t.Errorf("%s: an HTML field yields elements %q: %q", format, els, f)
			}
		}
	}

	var rssDoc struct {
		Items []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			Description string `xml:"description"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(rss, &rssDoc); err != nil {
		t.Fatal(err)
	}
	var atomDoc struct {
		Entries []struct {
			Title string `xml:"title"`
			Link  []struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Summary struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"summary"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(atom, &atomDoc); err != nil {
		t.Fatal(err)
	}
	var jsonDoc struct {
		Items []struct {
			Title       string `json:"title"`
			URL         string `json:"url"`
			ContentText string `json:"content_text"`
			ContentHTML string `json:"content_html"`
		} `json:"items"`
	}
	if err := json.Unmarshal(js, &jsonDoc); err != nil {
		t.Fatal(err)
	}
	type seen struct{ rssTitle, rssText, atomTitle, atomText, jsonTitle, jsonText string }
	got := map[*escapeTrick]*seen{}
	at := func(link string) *seen {
		c := byLink[link]
		if c == nil {
			t.Fatalf("unknown item link %q", link)
		}
		if got[c] == nil {
			got[c] = &seen{}
		}
		return got[c]
	}
	for _, it := range rssDoc.Items {
		s := at(it.Link)
		s.rssTitle, _ = readercheck.Render(it.Title) // many readers render an RSS title as HTML
		s.rssText, _ = readercheck.Render(it.Description)
	}
	for _, e := range atomDoc.Entries {
		s := at(e.Link[0].Href)
		s.atomTitle = e.Title
		s.atomText = e.Summary.Text
		if e.Summary.Type != "text" {
			t.Errorf("atom summary of %q is %q", e.Title, e.Summary.Type)
		}
	}
	for _, it := range jsonDoc.Items {
		s := at(it.URL)
		s.jsonTitle, s.jsonText = it.Title, it.ContentText
	}
	for i := range escapeTricks {
		c := &escapeTricks[i]
		t.Run(c.name, func(t *testing.T) {
			s := got[c]
			if s == nil {
				t.Fatalf("item missing from the outputs")
			}
			want := seen{c.wantTitle, c.wantText, c.wantTitle, c.wantText, c.wantTitle, c.wantText}
			if *s != want {
				t.Errorf("a reader sees\n%+q\nwant\n%+q", *s, want)
			}
		})
	}

	page := string(readAll(t, get(t, web.URL+"/").Body))
	// The page's one script is its own live-update script, after the
	// ticker; anything else that would run is a source's text let through.
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("the HTML ticker has %d script elements, want its own one", n)
	}
	before, rest, _ := strings.Cut(page, "<script>")
	_, after, _ := strings.Cut(rest, "</script>")
	if d := readercheck.Dangers(before + after); len(d) > 0 {
		t.Errorf("the HTML ticker would run script: %q", d)
	}
	// One title cannot flip its neighbours: its controls are closed inside it,
	// and each headline is isolated in the HTML.
	if !strings.Contains(page, ` dir="auto">`+"\u202eTrick thirteen\u202c</a>") {
		t.Errorf("the overriding headline is not closed and isolated in the HTML ticker")
	}
	for _, line := range strings.Split(string(readAll(t, get(t, web.URL+"/ticker.txt").Body)), "\n") {
		if !bidiBalanced(line) {
			t.Errorf("ticker line leaves a bidi control open: %+q", line)
		}
	}
}

// bidiBalanced reports whether every embedding, override and isolate s
// opens is closed in s.
func bidiBalanced(s string) bool {
	var open []rune
	for _, r := range s {
		switch r {
		case '\u202a', '\u202b', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068':
			open = append(open, r)
		case '\u202c', '\u2069':
			if len(open) == 0 {
				return false
			}
			open = open[:len(open)-1]
		}
	}
	return len(open) == 0
}
