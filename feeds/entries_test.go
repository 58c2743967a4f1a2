package feeds

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// A document of a million tiny entries fits the 16 MiB body cap (40 KB
// gzipped) and cost gigabytes once parsed (seen from outside: 2.8 GB for
// four such RSS feeds, 5.6 GB for JSON). Decode refuses a document of more
// than MaxEntries entries before parsing it.
func TestDecodeRefusesTooManyEntries(t *testing.T) {
	rssOf := func(n int, item string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` + strings.Repeat(item, n) + `</channel></rss>`)
	}
	jsonOf := func(n int) []byte {
		return []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[` +
			strings.TrimSuffix(strings.Repeat(`{"id":"x","title":"a"},`, n), ",") + `]}`)
	}
	atomOf := func(n int) []byte {
		return []byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>` +
			strings.Repeat(`<entry><title>a</title><id>x</id></entry>`, n) + `</feed>`)
	}
	for _, c := range []struct {
		name string
		doc  []byte
		deny bool
	}{
		{"rss at the limit", rssOf(MaxEntries, `<item><title>a</title></item>`), false},
		{"rss over it", rssOf(MaxEntries+1, `<item><title>a</title></item>`), true},
		{"rss, a million", rssOf(1_000_000, `<item><title>a</title></item>`), true},
		{"rss, self-closing items", rssOf(MaxEntries+1, `<item/>`), true},
		{"rss, prefixed and in capitals", rssOf(MaxEntries+1, `<rss:ITEM><title>a</title></rss:ITEM>`), true},
		{"rss, items in a comment", rssOf(1, strings.Repeat(`<!--<item></item>-->`, MaxEntries+1)+`<item><title>a</title></item>`), false},
		{"rss, items in CDATA", rssOf(1, `<item><title>a</title><description><![CDATA[`+strings.Repeat(`<item>`, MaxEntries+1)+`]]></description></item>`), false},
		{"atom over the limit", atomOf(MaxEntries + 1), true},
		{"json at the limit", jsonOf(MaxEntries), false},
		{"json over it", jsonOf(MaxEntries + 1), true},
		{"json, a million", jsonOf(1_000_000), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.doc, "", "")
			if got := errors.Is(err, ErrTooManyEntries); got != c.deny {
				t.Fatalf("refused for too many entries: %v (err %v), want %v", got, err, c.deny)
			}
			if !c.deny && err != nil {
				t.Fatalf("decode: %v", err)
			}
			if c.deny && !strings.Contains(err.Error(), "entries") {
				t.Errorf("the error does not say why: %v", err)
			}
		})
	}
}

// Strings that look like entries are not counted: a JSON Feed whose items
// hold arrays of objects, and names that only begin like one.
func TestEntriesNotMiscounted(t *testing.T) {
	objs := strings.TrimSuffix(strings.Repeat(`{"name":"a"},`, MaxEntries+1), ",")
	doc := []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"a","authors":[` + objs + `]}]}`)
	if _, err := Decode(doc, "", ""); err != nil {
		t.Errorf("objects inside one item counted as entries: %v", err)
	}
	var b bytes.Buffer
	b.WriteString(`<rss version="2.0"><channel><title>t</title><item><title>a</title>`)
	b.WriteString(strings.Repeat(`<items/><entryway/>`, MaxEntries+1))
	b.WriteString(`</item></channel></rss>`)
	if _, err := Decode(b.Bytes(), "", ""); err != nil {
		t.Errorf("elements named like entries counted: %v", err)
	}
}

// A source whose max_items is raised past MaxEntries may serve that many.
func TestDecodeUpToARaisedMaxItems(t *testing.T) {
	doc := []byte(`<rss version="2.0"><channel><title>t</title>` + strings.Repeat(`<item><title>a</title></item>`, MaxEntries+5) + `</channel></rss>`)
	if _, err := DecodeUpTo(doc, "", "", MaxEntries+5); err != nil {
		t.Errorf("max_items %d: %v", MaxEntries+5, err)
	}
	if _, err := DecodeUpTo(doc, "", "", MaxEntries+4); !errors.Is(err, ErrTooManyEntries) {
		t.Errorf("max_items %d: %v, want too many entries", MaxEntries+4, err)
	}
	if _, err := DecodeUpTo(doc, "", "", 50); !errors.Is(err, ErrTooManyEntries) {
		t.Errorf("max_items 50: %v, want too many entries", err)
	}
}
