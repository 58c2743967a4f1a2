package feeds

import (
	"strings"
	"testing"
)

// One mangled item of a JSON Feed is dropped and the rest kept, as in RSS
// and Atom, and none crashes the parser. Seen from outside: an item whose title was an array failed the
// whole poll ("json: cannot unmarshal array …").
func TestDecodeJSONFeedDropsMangledItems(t *testing.T) {
	const head = `{"version":"https://jsonfeed.org/version/1.1","title":"t","home_page_url":"https://x.ma/","items":[`
	good := func(n string) string {
		return `{"id":"` + n + `","url":"https://x.ma/` + n + `","title":"خبر ` + n + `","date_published":"2026-04-14T15:04:07Z"}`
	}
	tests := []struct {
		name     string
		body     string
		titles   []string
		rejected int
		wantErr  bool
	}{
		{"all good", head + good("1") + "," + good("2") + "]}", []string{"خبر 1", "خبر 2"}, 0, false},
		{"a title that is an array", head + good("1") + `,{"id":"x","url":"https://x.ma/x","title":["a"]},` + good("2") + "]}", []string{"خبر 1", "خبر 2"}, 1, false},
		{"an item that is a number", head + good("1") + ",42]}", []string{"خبر 1"}, 1, false},
		{"a date of the wrong type", head + `{"id":"d","url":"https://x.ma/d","title":"d","date_published":7},` + good("2") + "]}", []string{"خبر 2"}, 1, false},
		{"every item mangled", head + `{"title":["a"]},{"title":{"b":1}}]}`, nil, 2, false},
		{"the document's own title mangled", `{"version":"https://jsonfeed.org/version/1.1","title":["t"],"items":[` + good("1") + "]}", nil, 0, true},
		// A null where gofeed expects an object panicked inside gofeed and took
		// the service down at every start: a panic in the parser is an error,
		// and an item that makes one is dropped like any mangled item.
		{"a null item", head + "null," + good("1") + "]}", []string{"خبر 1"}, 1, false},
		{"a null author in an item", head + `{"id":"2","title":"x","authors":[null]},` + good("1") + "]}", []string{"خبر 1"}, 1, false},
		{"a null author of the document", `{"version":"https://jsonfeed.org/version/1.1","title":"t","authors":[null],"items":[` + good("1") + "]}", nil, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Decode([]byte(tc.body), "application/feed+json", "")
			if tc.wantErr {
				if err == nil {
					t.Fatalf("decoded %+v, want an error", doc)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, e := range doc.Entries {
				titles = append(titles, e.Title)
			}
			if strings.Join(titles, "|") != strings.Join(tc.titles, "|") || doc.Rejected != tc.rejected {
				t.Errorf("titles %q rejected %d, want %q and %d", titles, doc.Rejected, tc.titles, tc.rejected)
			}
		})
	}
}

// FuzzSalvageJSONItems: whatever the body, salvaging never panics, and a
// salvaged document is one gofeed reads.
func FuzzSalvageJSONItems(f *testing.F) {
	f.Add(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":["a"]},{"id":"2","title":"b"}]}`)
	f.Add(`{"items":[1,2,{"title":{"x":1}}]}`)
	f.Add(`{"title":"t","items":null}`)
	f.Fuzz(func(t *testing.T, body string) {
		fixed, rejected, ok := salvageJSONItems([]byte(body))
		if !ok {
			return
		}
		if rejected < 0 {
			t.Fatalf("rejected %d", rejected)
		}
		if _, err := Decode(fixed, "application/feed+json", ""); err != nil {
			t.Fatalf("the salvaged document does not decode: %v\n%s", err, fixed)
		}
	})
}
