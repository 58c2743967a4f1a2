package feeds

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
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

// A source whose max_items is raised past MaxEntries may serve that many,
// with ElementsPerEntry elements each.
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

// Seen from outside after the entry limit: the parser builds every
// element, not only entries. One item holding 2.8 million extension
// elements (24 KB gzipped) took 3.9 GB for four sources; a JSON item with
// a million authors, 122 MB for one. A document of more than MaxElements
// elements (or JSON values) is refused too.
func TestDecodeRefusesTooManyElements(t *testing.T) {
	limit := MaxElements
	for _, c := range []struct {
		name string
		doc  []byte
		deny bool
	}{
		{"extension elements in one item", []byte(`<rss version="2.0" xmlns:a="urn:a"><channel><title>t</title><item><title>x</title>` + strings.Repeat(`<a:b/>`, limit+1) + `</item></channel></rss>`), true},
		{"categories", []byte(`<rss version="2.0"><channel><title>t</title><item><title>x</title>` + strings.Repeat(`<category/>`, limit+1) + `</item></channel></rss>`), true},
		{"atom links", []byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title><id>1</id>` + strings.Repeat(`<link href="x"/>`, limit+1) + `</entry></feed>`), true},
		{"json authors", []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"x","authors":[` + strings.TrimSuffix(strings.Repeat(`{},`, limit+1), ",") + `]}]}`), true},
		{"elements under the limit", []byte(`<rss version="2.0" xmlns:a="urn:a"><channel><title>t</title><item><title>x</title>` + strings.Repeat(`<a:b/>`, limit/2) + `</item></channel></rss>`), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.doc, "", "")
			if got := errors.Is(err, ErrTooManyEntries); got != c.deny {
				t.Fatalf("refused: %v (err %v), want %v", got, err, c.deny)
			}
		})
	}
}

// Seen from outside: {"items":[1,1,…]}, a million numbers (2 KB gzipped),
// was no entry to the counter, failed gofeed, and the salvage re-encoded
// and re-parsed the whole document once an item: 45 s of CPU for 1,000
// items beside a 4 MB field, hours at the body cap. Items of any kind
// count, and an item is tried alone, not inside the whole document again.
func TestJSONItemsThatAreNotObjects(t *testing.T) {
	nums := []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[` + strings.TrimSuffix(strings.Repeat(`1,`, MaxEntries+1), ",") + `]}`)
	if _, err := Decode(nums, "", ""); !errors.Is(err, ErrTooManyEntries) {
		t.Errorf("a million numbers as items: %v, want too many entries", err)
	}
	filler := strings.Repeat("x", 4<<20)
	doc := []byte(`{"version":"https://jsonfeed.org/version/1.1","title":"t","filler":"` + filler + `","items":[` +
		strings.TrimSuffix(strings.Repeat(`1,`, 1000), ",") + `,{"id":"ok","title":"kept","url":"https://x.ma/1"}]}`)
	start := time.Now()
	d, err := Decode(doc, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("salvaging 1,000 bad items beside a 4 MB field took %v", took)
	}
	if len(d.Entries) != 1 || d.Entries[0].Title != "kept" || d.Rejected != 1000 {
		t.Errorf("entries %d, rejected %d: want the one good item kept and 1,000 rejected", len(d.Entries), d.Rejected)
	}
}

func TestDecodeUpToRaisesTheElementLimit(t *testing.T) {
	doc := []byte(`<rss version="2.0" xmlns:a="urn:a"><channel><title>t</title><item><title>x</title>` + strings.Repeat(`<a:b/>`, MaxElements+10) + `</item></channel></rss>`)
	if _, err := Decode(doc, "", ""); !errors.Is(err, ErrTooManyEntries) {
		t.Errorf("default: %v, want refused", err)
	}
	if _, err := DecodeUpTo(doc, "", "", MaxElements/ElementsPerEntry+1); err != nil {
		t.Errorf("max_items %d: %v", MaxElements/ElementsPerEntry+1, err)
	}
}
