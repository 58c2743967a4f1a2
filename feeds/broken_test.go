package feeds

import (
	"strings"
	"testing"
)

// TestDecodeKeepsMarkedUpTitlesDropsSwallowedDocuments: any title with "<"
// and ">" used to be taken for a swallowed document, and every item without
// link and GUID was dropped. Markup in a headline is cleaned later
// (aggregator.CleanText); only a swallowed document is dropped.
func TestDecodeKeepsMarkedUpTitlesDropsSwallowedDocuments(t *testing.T) {
	const link = `<link>https://x.ma/1</link>`
	const guid = `<guid isPermaLink="false">x-1</guid>`
	const date = `<pubDate>Tue, 14 Apr 2026 15:04:07 +0000</pubDate>`
	tests := []struct {
		name  string
		item  string // inside <item>
		title string // the raw title gofeed must hand over ("" when dropped)
		keep  bool
	}{
		{"headline after a stray script element, in CDATA", `<title><![CDATA[<script>alert(1)</script>Séisme à Al Haouz]]></title>` + link, "<script>alert(1)</script>Séisme à Al Haouz", true},
		{"headline with bold markup, escaped", `<title>Le &lt;b&gt;Maroc&lt;/b&gt; qualifié</title>` + link, "Le <b>Maroc</b> qualifié", true},
		{"comparison signs escaped in RSS text", `<title>Inflation &lt; 2% while growth &gt; 3%</title>` + link, "Inflation < 2% while growth > 3%", true},
		{"comparison signs without link or GUID", `<title>Inflation &lt; 2% while growth &gt; 3%</title>` + date, "Inflation < 2% while growth > 3%", true},
		{"markup with only a GUID", `<title><![CDATA[<em>عاجل</em> زلزال]]></title>` + guid, "<em>عاجل</em> زلزال", true},
		{"clean title without link or GUID keeps a title+date identity", `<title>Clean headline</title>` + date, "Clean headline", true},
		{"image tag in a title with a link", `<title><![CDATA[<img src=x onerror=alert(1)>Headline]]></title>` + link, "<img src=x onerror=alert(1)>Headline", true},
		{"markup and neither link nor GUID", `<title><![CDATA[<b>Headline</b>]]></title>` + date, "", false},
		{"a closing title tag inside the title", `<title><![CDATA[Headline</title><link>https://evil.example/</link>]]></title>` + link, "", false},
		{"an item tag inside the title", `<title><![CDATA[One <item><title>Two]]></title>` + link, "", false},
		{"a link element inside the title", `<title><![CDATA[One <link>https://x.ma/2</link>]]></title>` + guid, "", false},
		{"an entry tag inside the title, upper case", `<title><![CDATA[One <ENTRY>]]></title>` + link, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://x.ma/</link>` +
				`<item>` + tt.item + `</item><item><title>other</title><link>https://x.ma/9</link></item></channel></rss>`
			doc, err := Decode([]byte(body), "", "")
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			kept := len(doc.Entries) == 2
			if kept != tt.keep || doc.Rejected != map[bool]int{true: 0, false: 1}[tt.keep] {
				t.Fatalf("kept = %v rejected = %d (entries %+v), want kept %v", kept, doc.Rejected, doc.Entries, tt.keep)
			}
			if kept && doc.Entries[0].Title != tt.title {
				t.Errorf("title = %q, want %q", doc.Entries[0].Title, tt.title)
			}
		})
	}
}

func TestSwallowedTitleOfAnUnclosedElement(t *testing.T) {
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>two
<link>https://x.ma/2</link>
<guid>https://x.ma/2</guid></item>
</channel></rss>`
	doc, err := Decode([]byte(body), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Entries) != 0 || doc.Rejected != 1 {
		t.Errorf("entries = %d (%q) rejected = %d, want 0 and 1", len(doc.Entries), strings.Join(titles(doc), "|"), doc.Rejected)
	}
}

func titles(doc *Document) []string {
	var out []string
	for _, e := range doc.Entries {
		out = append(out, e.Title)
	}
	return out
}
