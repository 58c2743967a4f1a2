package feeds

import (
	"bytes"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/nashra-ma/nashra/news"
)

// The W3C validator warns "Missing textual content" for entries with neither
// summary nor content: every entry gets a text, its summary else its title.
func TestEveryEntryHasText(t *testing.T) {
	tk := sampleTicker(t)
	tk.Items = append(tk.Items, news.Item{Key: "d4", Source: "hespress-ar", Title: "عنوان بلا ملخص", Link: "https://www.hespress.com/d4.html", Language: "ar", Time: tk.Updated})
	encoders := map[string]func(*Ticker) ([]byte, error){"rss": EncodeRSS, "atom": EncodeAtom, "json": EncodeJSON}
	for name, enc := range encoders {
		t.Run(name, func(t *testing.T) {
			out, err := enc(tk)
			if err != nil {
				t.Fatal(err)
			}
			f, err := gofeed.NewParser().Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			for i, it := range f.Items {
				if it.Description == "" && it.Content == "" {
					t.Errorf("item %d (%s, summary %q, link %q): no textual content", i, it.Title, tk.Items[i].Summary, tk.Items[i].Link)
				}
			}
		})
	}
}

// A mixed ticker has no channel language: each RSS item says its own
// (dc:language), as Atom's xml:lang and JSON Feed's language do.
func TestRSSItemsCarryTheirLanguage(t *testing.T) {
	tk := sampleTicker(t)
	out, err := EncodeRSS(tk)
	if err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range f.Items {
		var got []string
		if it.DublinCoreExt != nil {
			got = it.DublinCoreExt.Language
		}
		want := tk.Items[i].Language
		if (want == "" && len(got) != 0) || (want != "" && (len(got) != 1 || got[0] != want)) {
			t.Errorf("item %d: dc:language %q, want %q", i, got, want)
		}
	}
}
