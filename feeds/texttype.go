package feeds

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
)

// TextType says how a text construct reads once gofeed has undone the
// document's own XML escaping: as HTML (strip tags, decode entities once) or
// as plain text (take it as it is). Decoding more often than the format says
// turns escaped text into markup ("History of the &lt;blink&gt; tag").
type TextType uint8

const (
	// TextGuess: the format does not say (an RSS title); HTML when it looks
	// like HTML. The zero value, so entries built by hand keep the old reading.
	TextGuess TextType = iota
	// TextHTML: RSS description and content:encoded, Atom type="html" and
	// "xhtml", JSON Feed content_html.
	TextHTML
	// TextPlain: Atom type="text" (or no type), JSON Feed title, summary and content_text.
	TextPlain
)

// TextTypes are the types of one entry's title, summary and content.
type TextTypes struct {
	Title, Summary, Content TextType
}

// entryTextTypes returns the text types of f's items, in order. body is the
// UTF-8 document, read again for Atom only: gofeed keeps the type of an Atom
// <content> but not of <title> or <summary>.
func entryTextTypes(f *gofeed.Feed, body []byte) []TextTypes {
	out := make([]TextTypes, len(f.Items))
	switch orig := f.OriginalFeed().(type) {
	case *rss.Feed:
		for i := range out {
			out[i] = TextTypes{Title: TextGuess, Summary: TextHTML, Content: TextHTML}
		}
	case *json.Feed:
		for i := range out {
			out[i] = TextTypes{Title: TextPlain, Summary: TextPlain, Content: TextPlain}
			if i < len(orig.Items) && orig.Items[i] != nil && orig.Items[i].ContentHTML != "" {
				out[i].Content = TextHTML
			}
		}
	case *atom.Feed:
		scanned, ok := atomTextTypes(body)
		for i := range out {
			if ok && i < len(scanned) {
				out[i] = scanned[i]
			} // else TextGuess: the scan failed where gofeed's lenient parse did not
		}
	}
	return out
}

// atomTextTypes reads the type attribute of each entry's title, summary and
// content, in document order. ok is false when the document does not parse
// strictly enough to tell.
func atomTextTypes(body []byte) (types []TextTypes, ok bool) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already UTF-8
	depth, entryDepth := 0, -1
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return types, err == io.EOF
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case entryDepth < 0 && t.Name.Local == "entry" && depth == 2:
				entryDepth = depth
				types = append(types, TextTypes{Title: TextPlain, Summary: TextPlain, Content: TextPlain})
			case entryDepth >= 0 && depth == entryDepth+1:
				tt := atomType(t.Attr)
				switch t.Name.Local {
				case "title":
					types[len(types)-1].Title = tt
				case "summary":
					types[len(types)-1].Summary = tt
				case "content":
					types[len(types)-1].Content = tt
				}
			}
		case xml.EndElement:
			if depth == entryDepth {
				entryDepth = -1
			}
			depth--
		}
	}
}

// atomType reads an Atom text construct's type (and Atom 0.3's mode) as
// gofeed does: no type is text, "html"/"xhtml" and text/html are HTML, other
// text/* types are plain, anything else (base64 content) is a guess.
func atomType(attrs []xml.Attr) TextType {
	var typ, mode string
	for _, a := range attrs {
		switch a.Name.Local {
		case "type":
			typ = strings.ToLower(strings.TrimSpace(a.Value))
		case "mode":
			mode = strings.ToLower(strings.TrimSpace(a.Value))
		}
	}
	switch {
	case mode == "escaped" || typ == "html" || strings.Contains(typ, "xhtml") || typ == "text/html":
		return TextHTML
	case mode == "" && (typ == "" || typ == "text" || strings.HasPrefix(typ, "text/")):
		return TextPlain
	}
	return TextGuess
}
