package feeds

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

// Every reader must keep an item's author as written: gofeed drops names
// with parentheses ("Rédaction (Hespress FR)") from RSS and JSON Feed, and
// Miniflux appends JSON Feed's feed-level authors to every item's. The
// author is the byline, else the outlet; the outlet is in the source element.
func TestAuthorsEveryReaderKeeps(t *testing.T) {
	tk := sampleTicker(t)
	want := []struct {
		scenario, author, outlet string
	}{
		{"byline equal to the outlet", "هسبريس", "هسبريس"},
		{"byline of a newsroom", "Rédaction", "Hespress FR"},
		{"no byline, unknown outlet", "unknown", ""},
	}
	encoders := map[string]func(*Ticker) ([]byte, error){"rss": EncodeRSS, "atom": EncodeAtom, "json": EncodeJSON}
	for name, enc := range encoders {
		t.Run(name, func(t *testing.T) {
			out, err := enc(tk)
			if err != nil {
				t.Fatal(err)
			}
			f, err := gofeed.NewParser().Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("gofeed: %v", err)
			}
			for i, w := range want {
				it := f.Items[i]
				if len(it.Authors) != 1 || it.Authors[0].Name != w.author {
					var got []string
					for _, a := range it.Authors {
						got = append(got, a.Name)
					}
					t.Errorf("%s: gofeed reads authors %q, want [%q]", w.scenario, got, w.author)
				}
			}
			s := string(out)
			for _, w := range want {
				if w.outlet == "" {
					continue
				}
				var src string
				switch name {
				case "rss":
					src = ">" + w.outlet + "</source>"
				case "atom":
					src = "<title>" + w.outlet + "</title>"
				case "json":
					src = `"source_title": "` + w.outlet + `"`
				}
				if !strings.Contains(s, src) {
					t.Errorf("%s: outlet %q not in the source element", w.scenario, w.outlet)
				}
			}
			if name == "json" {
				var doc map[string]any
				if err := json.Unmarshal(out, &doc); err != nil {
					t.Fatal(err)
				}
				if _, ok := doc["authors"]; ok {
					t.Errorf("feed-level authors %v: Miniflux appends them to every item", doc["authors"])
				}
				if _, ok := doc["author"]; ok {
					t.Errorf("feed-level author %v", doc["author"])
				}
			}
		})
	}
}
