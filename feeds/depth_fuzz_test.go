package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"testing"
)

// FuzzDepth checks the byte scan against the parsers it protects: whenever
// encoding/xml in gofeed's lenient mode (or encoding/json) opens more than
// limit levels, CheckDepth must have refused the document. The scan may
// over-count; it must never under-count.
func FuzzDepth(f *testing.F) {
	for _, s := range []string{
		`<rss><channel><item><title>a</title></item></channel></rss>`,
		`<a><b><c/><d x="/>">t</d></b></a>`,
		`<a><!-- <b><c> --><![CDATA[<b>]]><?pi <b>?><b><c><d><e></e></d></c></b></a>`,
		`<!DOCTYPE a [<!ENTITY e "<b>">]><a><b><c><d><e><f><g>`,
		`<a><br><br><br></a><a><b></a>`,
		`<a t='>'><b t=">"><c><d><e><f><g><h><i>`,
		`{"items":[[[[[{"a":"[[["}]]]]]}`,
		`[{"\"":[[[[[[[[[]]]]]]]]]}]`,
	} {
		f.Add([]byte(s))
	}
	const limit = 6
	f.Fuzz(func(t *testing.T, body []byte) {
		err := CheckDepth(body, limit)
		if err != nil && !errors.Is(err, ErrTooDeep) {
			t.Fatalf("CheckDepth returned a foreign error: %v", err)
		}
		var deepest int
		if trimmed := bytes.TrimLeft(bytes.TrimPrefix(bytes.TrimLeft(body, " \t\r\n"), utf8BOM), " \t\r\n"); len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
			deepest = jsonParserDepth(body)
		} else {
			deepest = xmlParserDepth(body)
		}
		if deepest > limit && err == nil {
			t.Fatalf("the parser reached depth %d > %d but CheckDepth accepted %q", deepest, limit, body)
		}
	})
}

// xmlParserDepth is the deepest element stack encoding/xml builds, configured
// as gofeed configures it, before its first error.
func xmlParserDepth(body []byte) int {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	depth, deepest := 0, 0
	for {
		tok, err := d.Token()
		if err != nil {
			return deepest
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			deepest = max(deepest, depth)
		case xml.EndElement:
			depth--
		}
	}
}

// jsonParserDepth is the deepest nesting encoding/json reads before its first error.
func jsonParserDepth(body []byte) int {
	d := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(bytes.TrimLeft(body, " \t\r\n"), utf8BOM)))
	depth, deepest := 0, 0
	for {
		tok, err := d.Token()
		if err != nil {
			return deepest
		}
		if delim, ok := tok.(json.Delim); ok {
			switch delim {
			case '[', '{':
				depth++
				deepest = max(deepest, depth)
			default:
				depth--
			}
		}
	}
}
