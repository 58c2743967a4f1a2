package feeds

import (
	"bytes"
)

// repairReferences replaces character references to characters XML 1.0
// forbids (&#11;, &#0;, &#xFFFF;, surrogates, beyond U+10FFFF) with a space,
// as replaceIllegal does for the raw characters: encoding/xml rejects the
// whole document for one of them. Inside CDATA and comments "&#11;" is text,
// not a reference, and is left alone. Decimal and hex (lower-case x, as XML
// spells it), any number of leading zeros.
func repairReferences(body []byte) []byte {
	if !bytes.Contains(body, []byte("&#")) {
		return body
	}
	var out []byte // nil until the first repair
	done := 0      // body[:done] is in out
	i := 0
	for {
		k := bytes.IndexAny(body[i:], "&<")
		if k < 0 {
			break
		}
		i += k
		rest := body[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skipPast(body, i+9, "]]>")
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipPast(body, i+4, "-->")
		case rest[0] == '&':
			n, ok := charRef(rest)
			if ok && !legalXMLChar(n.r) {
				out = append(out, body[done:i]...)
				out = append(out, ' ')
				done = i + n.len
			}
			i += max(n.len, 1)
		default:
			i++
		}
	}
	if out == nil {
		return body
	}
	return append(out, body[done:]...)
}

// ref is a parsed character reference: its value (clamped above U+10FFFF)
// and its length in bytes.
type ref struct {
	r   rune
	len int
}

// charRef parses "&#123;" or "&#x7B;" at the start of b; ok is false for
// anything else, which is left to the parser.
func charRef(b []byte) (ref, bool) {
	if len(b) < 4 || b[0] != '&' || b[1] != '#' {
		return ref{}, false
	}
	i, base := 2, rune(10)
	if b[i] == 'x' {
		i, base = 3, 16
	}
	start := i
	var v rune
	for ; i < len(b); i++ {
		d := digit(b[i], base)
		if d < 0 {
			break
		}
		if v <= 0x10FFFF { // past it the value is illegal whatever follows; stop growing
			v = v*base + d
		}
	}
	if i == start || i >= len(b) || b[i] != ';' {
		return ref{}, false
	}
	return ref{r: v, len: i + 1}, true
}

func digit(c byte, base rune) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case base == 16 && c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case base == 16 && c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

// legalXMLChar is XML 1.0's Char production.
func legalXMLChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
