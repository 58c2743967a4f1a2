package feeds

import (
	"testing"

	"golang.org/x/text/encoding/unicode"
)

// A feed in UTF-16 without a byte-order mark (noticed at stop 21: "not a
// feed") decodes as the same feed in UTF-8, in either byte order, prolog
// or none; Charset names it.
func TestDecodeUTF16WithoutBOM(t *testing.T) {
	const feed = `<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>هسبريس</title><link>https://x.ma/</link>` +
		`<item><title>الحكومة تصادق على مشروع قانون</title><link>https://x.ma/1</link></item></channel></rss>`
	for _, tc := range []struct {
		name  string
		order unicode.Endianness
		body  string
	}{
		{"little-endian", unicode.LittleEndian, feed},
		{"big-endian", unicode.BigEndian, feed},
		{"little-endian, no prolog", unicode.LittleEndian, feed[len(`<?xml version="1.0" encoding="UTF-16"?>`):]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := unicode.UTF16(tc.order, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if got := Charset(raw, "application/rss+xml", ""); got != "UTF-16" {
				t.Errorf("Charset = %q, want UTF-16", got)
			}
			doc, err := Decode(raw, "application/rss+xml", "")
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if len(doc.Entries) != 1 || doc.Entries[0].Title != "الحكومة تصادق على مشروع قانون" {
				t.Fatalf("entries %+v", doc.Entries)
			}
		})
	}
}
