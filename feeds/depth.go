package feeds

import (
	"bytes"
	"errors"
	"fmt"
)

// MaxDepth is how deeply a source document's elements (or a JSON Feed's
// arrays and objects) may nest. Real feeds stay under 15 even with xhtml
// content; gofeed's extension parser recurses once per level and two million
// levels overflow the goroutine stack, a fatal error no recover can catch.
const MaxDepth = 128

// ErrTooDeep is returned for documents nested deeper than the limit.
var ErrTooDeep = errors.New("nested too deeply")

// MaxEntries is how many entries (RSS items, Atom entries, JSON Feed items)
// a document may hold: ten times the newest kept by default (max_items), or
// a source's max_items when it is raised past that (DecodeUpTo).
// A million tiny entries fit the body cap (40 KB gzipped) and cost gigabytes
// once parsed; ten thousand cost a few tens of megabytes.
const MaxEntries = 10000

// ErrTooManyEntries is returned for documents of more than MaxEntries entries.
var ErrTooManyEntries = errors.New("too many entries")

// MaxElements bounds a document's elements (XML start tags; JSON objects,
// arrays and values after a comma): a parser builds every one, and one item
// of 2.8 million extension elements (24 KB gzipped) took a gigabyte (seen
// from outside). 200,000 cost ~80 MB parsed; real feeds use ten to thirty
// an entry. ElementsPerEntry raises it for a source whose max_items is
// raised (DecodeUpTo).
const (
	MaxElements      = 200000
	ElementsPerEntry = 40
)

// CheckShape is CheckDepth that also refuses a document of more than
// entries entries — XML elements named item or entry (any prefix, any case,
// as gofeed reads them), the elements of the top-level arrays of a JSON
// object (a JSON Feed's items, whatever each is) — or of more than elements
// elements (XML start tags; JSON objects, arrays and values after a comma);
// 0 for either: no limit. Counted in the same scan.
func CheckShape(body []byte, depth, entries, elements int) error {
	if i, ok := jsonStart(body); ok {
		return jsonShape(body, i, depth, entries, elements)
	}
	return xmlShape(body, depth, entries, elements)
}

func tooMany(limit, at int) error {
	return fmt.Errorf("more than %d entries (at byte %d): %w", limit, at, ErrTooManyEntries)
}

func tooManyElements(limit, at int) error {
	return fmt.Errorf("more than %d elements (at byte %d): %w", limit, at, ErrTooManyEntries)
}

// CheckDepth refuses body when its elements (XML) or arrays and objects
// (JSON) nest deeper than limit. It is a byte scan, not a parse: no token is
// decoded and nothing is allocated, so it costs a small fraction of the parse
// it protects. It skips what is text to an XML parser (comments, CDATA,
// processing instructions, the DOCTYPE, quoted attribute values) and to a JSON
// parser (strings), and it never under-counts what encoding/xml's lenient
// mode builds: an end tag closes the innermost open element of its name and
// everything opened inside it (unclosed <br>s included), and an end tag that
// matches nothing open closes nothing.
func CheckDepth(body []byte, limit int) error { return CheckShape(body, limit, 0, 0) }

// jsonStart returns the offset of a JSON document's first '{' or '[' (after
// spaces and a byte order mark); ok is false for anything else.
func jsonStart(body []byte) (int, bool) {
	i := 0
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r') {
		i++
	}
	if bytes.HasPrefix(body[i:], utf8BOM) {
		i += len(utf8BOM)
	}
	for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r') {
		i++
	}
	return i, i < len(body) && (body[i] == '{' || body[i] == '[')
}

func tooDeep(limit, at int) error {
	return fmt.Errorf("nested deeper than %d levels (at byte %d): %w", limit, at, ErrTooDeep)
}

// jsonShape counts open arrays and objects outside strings, the elements
// of the arrays opened in the top-level object, and every object, array
// and value after a comma.
func jsonShape(body []byte, i, limit, entries, elements int) error {
	depth, count, values := 0, 0, 0
	// isArray[d] says whether the container open at depth d+1 is an array,
	// for the first three levels.
	var isArray [3]bool
	for ; i < len(body); i++ {
		switch body[i] {
		case '"':
			// Skip the string: a backslash escapes the next byte, whatever it is.
			for i++; i < len(body) && body[i] != '"'; i++ {
				if body[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			if depth++; depth > limit {
				return tooDeep(limit, i)
			}
			if depth <= len(isArray) {
				isArray[depth-1] = body[i] == '['
			}
			// A top-level array's first element is counted when it opens
			// (an empty one over-counts by one), the others at their commas.
			if depth == 2 && body[i] == '[' && !isArray[0] {
				count++
			}
			values++
		case ',':
			if depth == 2 && isArray[1] && !isArray[0] {
				count++
			}
			values++
		case ']', '}':
			depth = max(depth-1, 0)
			continue
		default:
			continue
		}
		if entries > 0 && count > entries {
			return tooMany(entries, i)
		}
		if elements > 0 && values > elements {
			return tooManyElements(elements, i)
		}
	}
	return nil
}

// span is an open element's name, as offsets into the body.
type span struct{ start, end int }

// xmlShape keeps the names of the open elements (at most limit of them, so
// its memory is fixed) to close them the way a lenient parser does, and
// counts the start tags of entries.
func xmlShape(body []byte, limit, entries, elementLimit int) error {
	open := make([]span, 0, min(limit, 64))
	count, elements := 0, 0
	i := 0
	for {
		lt := bytes.IndexByte(body[i:], '<')
		if lt < 0 {
			return nil
		}
		i += lt + 1
		rest := body[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			i = skipPast(body, i+3, "-->")
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			i = skipPast(body, i+8, "]]>")
		case bytes.HasPrefix(rest, []byte("?")):
			i = skipPast(body, i+1, "?>")
		case bytes.HasPrefix(rest, []byte("!")):
			// encoding/xml takes the byte after "<!" as is (a quote there opens nothing).
			i = skipDeclaration(body, min(i+2, len(body)))
		case bytes.HasPrefix(rest, []byte("/")):
			name := readName(body, i+1)
			i = skipPast(body, name.end, ">")
			if name.end == name.start {
				continue
			}
			for k := len(open) - 1; k >= 0; k-- {
				if bytes.Equal(body[open[k].start:open[k].end], body[name.start:name.end]) {
					open = open[:k]
					break
				}
			}
		default:
			name := readName(body, i)
			if name.end == name.start {
				continue // "a < b" in text: not a tag
			}
			end, selfClosing := tagEnd(body, name.end)
			if entries > 0 && isEntryName(body[name.start:name.end]) {
				if count++; count > entries {
					return tooMany(entries, i-1)
				}
			}
			if elements++; elementLimit > 0 && elements > elementLimit {
				return tooManyElements(elementLimit, i-1)
			}
			if !selfClosing {
				if len(open) == limit {
					return tooDeep(limit, i-1)
				}
				open = append(open, name)
			}
			i = end
		}
		if i >= len(body) {
			return nil
		}
	}
}

// isEntryName reports whether an element name is item or entry, after any
// prefix, in any case.
func isEntryName(name []byte) bool {
	if k := bytes.LastIndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	return bytes.EqualFold(name, []byte("item")) || bytes.EqualFold(name, []byte("entry"))
}

// skipPast returns the offset just after the first end at or after i (the
// body's end when there is none: the parser will fail there anyway).
func skipPast(body []byte, i int, end string) int {
	if i > len(body) {
		return len(body)
	}
	k := bytes.Index(body[i:], []byte(end))
	if k < 0 {
		return len(body)
	}
	return i + k + len(end)
}

// readName returns the span of the XML name starting at i (empty if none).
func readName(body []byte, i int) span {
	j := i
	for j < len(body) {
		c := body[j]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' || c == '>' || c == '<' || c == '=' || c == '"' || c == '\'' {
			break
		}
		j++
	}
	return span{i, j}
}

// tagEnd finds the '>' closing a start tag whose name ends at i, skipping
// quoted attribute values, and says whether the tag closes itself ("/>").
func tagEnd(body []byte, i int) (end int, selfClosing bool) {
	afterEquals := false
	for i < len(body) {
		c := body[i]
		switch {
		case c == '>':
			return i + 1, i > 0 && body[i-1] == '/'
		case (c == '"' || c == '\'') && afterEquals:
			k := bytes.IndexByte(body[i+1:], c)
			if k < 0 {
				return len(body), false
			}
			i += k + 1 // on the closing quote
			afterEquals = false
		case c == '=':
			afterEquals = true
		case c != ' ' && c != '\t' && c != '\n' && c != '\r':
			afterEquals = false
		}
		i++
	}
	return len(body), false
}

// skipDeclaration skips a <!DOCTYPE …> (or other <!…>) starting after "<!",
// with its internal subset: quoted strings, comments and nested <…> included.
func skipDeclaration(body []byte, i int) int {
	depth := 1
	for i < len(body) {
		switch c := body[i]; c {
		case '"', '\'':
			k := bytes.IndexByte(body[i+1:], c)
			if k < 0 {
				return len(body)
			}
			i += k + 1
		case '<':
			if bytes.HasPrefix(body[i:], []byte("<!--")) {
				i = skipPast(body, i+4, "-->") - 1
			} else {
				depth++
			}
		case '>':
			if depth--; depth == 0 {
				return i + 1
			}
		}
		i++
	}
	return len(body)
}
