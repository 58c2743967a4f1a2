package feeds

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// FuzzRepairReferences: after the repairs ToUTF8 and Decode make, no
// character in an item, raw or referenced, may make encoding/xml (as gofeed
// configures it) reject the document; the repair is idempotent, and a body
// without "&#" passes through untouched.
func FuzzRepairReferences(f *testing.F) {
	for _, s := range []string{"Bad&#11;title", "&#0;", "&#xFFFF;", "&#x0000b;", "<![CDATA[&#11;]]>&#11;", "<!-- &#1; -->", "a&amp;#11;b", "&#65534;&#x41;", "\uFFFE", "&#99999999999999999;", "&#;&#x;&#xg;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		body := []byte(`<?xml version="1.0"?><r a="` + strings.ReplaceAll(text, `"`, "") + `">` + text + `</r>`)
		fixed, err := ToUTF8(body, "", "")
		if err != nil {
			t.Skip()
		}
		fixed = repairReferences(fixed)
		if again := repairReferences(fixed); !bytes.Equal(again, fixed) {
			t.Fatalf("not idempotent: %q → %q", fixed, again)
		}
		if !bytes.Contains(body, []byte("&#")) {
			if got := repairReferences(body); !bytes.Equal(got, body) {
				t.Fatalf("changed a body without references: %q → %q", body, got)
			}
		}
		d := xml.NewDecoder(bytes.NewReader(fixed))
		d.Strict = false
		d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
		for {
			_, err := d.Token()
			if err == nil {
				continue
			}
			if strings.Contains(err.Error(), "illegal character code") {
				t.Fatalf("still illegal after repair: %v\n%q", err, fixed)
			}
			break
		}
	})
}
