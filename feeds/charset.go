package feeds

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
)

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	prologRe   = regexp.MustCompile(`^\s*<\?xml[^>]*\?>`)
	encodingRe = regexp.MustCompile(`(?i)(encoding\s*=\s*)(["'])([^"']*)(["'])`)
)

// ToUTF8 returns body as UTF-8 with an XML prolog that says so, whatever it
// came in. Valid UTF-8 passes through (even under a prolog that names another
// charset); otherwise the charset is taken from the prolog, then the HTTP
// Content-Type, then override. gofeed honours only the prolog, so the prolog
// is rewritten to match the bytes it will see.
func ToUTF8(body []byte, contentType, override string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(body, utf8BOM):
		body = body[len(utf8BOM):]
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}), bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(body)
		if err != nil {
			return nil, fmt.Errorf("charset: decode UTF-16: %w", err)
		}
		body = out
	case isUTF16NoBOM(body):
		order, _ := utf16NoBOM(body)
		out, err := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder().Bytes(body)
		if err != nil {
			return nil, fmt.Errorf("charset: decode UTF-16: %w", err)
		}
		body = out
	}
	if !utf8.Valid(body) {
		enc, name := charset.Lookup(chooseLabel(body, contentType, override))
		if enc == nil {
			// Nothing names a usable charset: keep what can be read rather than lose the poll.
			body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
		} else {
			out, err := enc.NewDecoder().Bytes(body)
			if err != nil {
				return nil, fmt.Errorf("charset: decode %s: %w", name, err)
			}
			body = out
		}
	}
	return replaceIllegal(rewriteProlog(body)), nil
}

// chooseLabel names the charset of a body that is not UTF-8: the prolog's,
// then the HTTP Content-Type's, then override.
func chooseLabel(body []byte, contentType, override string) string {
	label := prologEncoding(body)
	if enc, _ := charset.Lookup(label); enc == nil || isUTF8Label(label) {
		label = httpCharset(contentType)
	}
	if enc, _ := charset.Lookup(label); enc == nil || isUTF8Label(label) {
		label = override
	}
	return label
}

// Charset names what ToUTF8 decodes body from: "" for UTF-8, "UTF-16" for a
// UTF-16 byte-order mark, "unknown" when nothing names a usable charset
// (invalid bytes are then replaced), else the charset's canonical name.
func Charset(body []byte, contentType, override string) string {
	switch {
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}), bytes.HasPrefix(body, []byte{0xFE, 0xFF}), isUTF16NoBOM(body):
		return "UTF-16"
	case utf8.Valid(bytes.TrimPrefix(body, utf8BOM)):
		return ""
	}
	if _, name := charset.Lookup(chooseLabel(body, contentType, override)); name != "" {
		return name
	}
	return "unknown"
}

func isUTF8Label(label string) bool {
	l := strings.ToLower(strings.TrimSpace(label))
	return l == "utf-8" || l == "utf8"
}

// prologEncoding returns the encoding named in the XML declaration, if any.
func prologEncoding(body []byte) string {
	prolog := prologRe.Find(body)
	if prolog == nil {
		return ""
	}
	if m := encodingRe.FindSubmatch(prolog); m != nil {
		return string(m[3])
	}
	return ""
}

func httpCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// rewriteProlog makes the XML declaration, if any, name UTF-8.
func rewriteProlog(body []byte) []byte {
	loc := prologRe.FindIndex(body)
	if loc == nil {
		return body
	}
	prolog := body[loc[0]:loc[1]]
	m := encodingRe.FindSubmatchIndex(prolog)
	if m == nil || strings.EqualFold(string(prolog[m[6]:m[7]]), "utf-8") {
		return body
	}
	out := make([]byte, 0, len(body))
	out = append(out, body[:loc[0]]...)
	out = append(out, prolog[:m[6]]...)
	out = append(out, "UTF-8"...)
	out = append(out, prolog[m[7]:]...)
	return append(out, body[loc[1]:]...)
}

// replaceIllegal replaces characters XML 1.0 forbids (C0 controls other than
// tab, LF and CR, and the non-characters U+FFFE and U+FFFF) with a space:
// gofeed deletes the controls, gluing two words together, and rejects the
// whole document for a U+FFFE.
//
// Every body pays the check, so it reads bytes, not runes: a C0 control is
// one byte that no multi-byte UTF-8 sequence contains, and U+FFFE/U+FFFF
// are the only sequences EF BF BE and EF BF BF.
func replaceIllegal(body []byte) []byte {
	if !hasIllegal(body) {
		return body
	}
	out := bytes.Clone(body)
	for i, b := range out {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			out[i] = ' '
		}
	}
	out = bytes.ReplaceAll(out, []byte("\uFFFE"), []byte(" "))
	return bytes.ReplaceAll(out, []byte("\uFFFF"), []byte(" "))
}

func hasIllegal(body []byte) bool {
	// Eight bytes at a time: a word with no byte under 0x20 and no 0xEF
	// (nearly every word of a document but those with a line break) needs
	// no closer look.
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(body); i += 8 {
		x := binary.LittleEndian.Uint64(body[i:])
		under := (x - 0x20*ones) &^ x & highs // a byte < 0x20 (exact for any byte)
		ef := x ^ 0xEF*ones
		ef = (ef - ones) &^ ef & highs // a byte 0xEF
		if under|ef != 0 && illegalAt(body, i, i+8) {
			return true
		}
	}
	return illegalAt(body, i, len(body))
}

// illegalAt reports whether body[from:to] starts a C0 control other than
// tab, line feed and carriage return, or U+FFFE or U+FFFF.
func illegalAt(body []byte, from, to int) bool {
	for i := from; i < to; i++ {
		switch b := body[i]; {
		case b < 0x20:
			if b != '\t' && b != '\n' && b != '\r' {
				return true
			}
		case b == 0xEF:
			if i+2 < len(body) && body[i+1] == 0xBF && (body[i+2] == 0xBE || body[i+2] == 0xBF) {
				return true
			}
		}
	}
	return false
}

// utf16NoBOM is the byte order of a document in UTF-16 without a byte-order
// mark, and whether it is one: its first character "<" as UTF-16 writes it,
// "<\x00" then a character and 0 (little-endian) or "\x00<\x00" (big),
// as XML's appendix F detects it. Such bytes are valid UTF-8 (NUL is), so
// the UTF-8 check alone took the document for "not a feed".
func utf16NoBOM(body []byte) (unicode.Endianness, bool) {
	switch {
	case len(body) < 4:
	case body[0] == '<' && body[1] == 0 && body[2] != 0 && body[3] == 0:
		return unicode.LittleEndian, true
	case body[0] == 0 && body[1] == '<' && body[2] == 0 && body[3] != 0:
		return unicode.BigEndian, true
	}
	return unicode.BigEndian, false
}

func isUTF16NoBOM(body []byte) bool {
	_, ok := utf16NoBOM(body)
	return ok
}

// InvalidBytes counts the bytes of body (after a UTF-8 byte order mark)
// that are not UTF-8: what decoding replaces with U+FFFD when nothing names
// a charset that reads them (Charset says "unknown").
func InvalidBytes(body []byte) int {
	body = bytes.TrimPrefix(body, utf8BOM)
	n := 0
	for len(body) > 0 {
		r, size := utf8.DecodeRune(body)
		if r == utf8.RuneError && size == 1 {
			n++
		}
		body = body[size:]
	}
	return n
}
