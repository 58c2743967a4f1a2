package aggregator

import (
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// skipsContent reports the elements whose text bluemonday's strict policy
// drops with them (its default list).
func skipsContent(name string) bool {
	switch name {
	case "frame", "frameset", "iframe", "noembed", "noframes", "noscript", "nostyle", "object", "script", "style", "title":
		return true
	}
	return false
}

// stripTags is html.UnescapeString(bluemonday.StrictPolicy().Sanitize(s))
// for s that is not blank: the same tokenizer, the same rules (a tag's text
// is kept, except inside the elements skipsContent names and after a script or
// style start tag), without what the sanitiser spends on tags a strict
// policy drops anyway — attributes copied, names quoted, text escaped and
// unescaped again — which was most of a WordPress excerpt's normalisation.
// The fuzz test checks it against bluemonday itself.
func stripTags(s string) string {
	if text, ok := stripPlainTags(s); ok {
		return text
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s))
	var (
		skip     bool
		skipping int64  // elements skipsContent names open (bluemonday's count: it may go below 0)
		recent   string // the last start tag's normalised name, until its end tag
	)
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return b.String()
			}
			return "" // the sanitiser gives nothing for a document it cannot read
		case html.StartTagToken:
			name := tagName(z)
			recent = normaliseName(name)
			if recent == "script" || recent == "style" {
				continue
			}
			if skipsContent(name) {
				skip = true
				skipping++
			}
		case html.EndTagToken:
			name := tagName(z)
			n := normaliseName(name)
			if recent == n {
				recent = ""
			}
			if n == "script" || n == "style" {
				continue
			}
			if skipsContent(name) {
				if skipping--; skipping == 0 {
					skip = false
				}
			}
		case html.TextToken:
			if !skip && recent != "script" && recent != "style" {
				b.Write(z.Text())
			}
		}
	}
}

func tagName(z *html.Tokenizer) string {
	name, _ := z.TagName()
	return string(name)
}

// normaliseName is bluemonday's normaliseElementName: the name quoted in
// ASCII and lower-cased, which leaves the usual names (ASCII letters and
// digits, already lower-cased by the tokenizer) as they are.
func normaliseName(name string) string {
	for i := 0; i < len(name); i++ {
		if c := name[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(strconv.QuoteToASCII(name)), `"`), `"`)
		}
	}
	return name
}

// stripPlainTags is stripTags for markup made only of plainTags (what
// excerpts hold: paragraphs, links, emphasis, images), without comments,
// carriage returns or anything else the tokenizer treats apart; ok is false
// for anything else, which the tokenizer then reads. Tags end where the
// tokenizer ends them (tagEnd), and the text between them is what it makes
// of it, entities decoded once; no tag is a script, style or an element
// whose content is dropped, so every text is kept.
func stripPlainTags(s string) (text string, ok bool) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			j = len(s) - i
		}
		if seg := s[i : i+j]; strings.IndexByte(seg, '\r') >= 0 {
			return "", false // the tokenizer's newline folding: not worth repeating
		} else if strings.IndexByte(seg, '&') >= 0 {
			b.WriteString(html.UnescapeString(seg)) // the tokenizer's own unescaping
		} else {
			b.WriteString(seg)
		}
		i += j
		if i == len(s) {
			break
		}
		if i+1 == len(s) {
			return "", false // a lone '<' at the end
		}
		start := i + 1
		if s[start] == '/' {
			start++
		}
		if start == len(s) || !isASCIILetter(s[start]) {
			if start > i+1 || s[start] == '!' || s[start] == '?' {
				return "", false // "</" without a name, a comment, a declaration
			}
			b.WriteByte('<') // "<" before anything else is text
			i++
			continue
		}
		nameEnd := start
		for nameEnd < len(s) && (isASCIILetter(s[nameEnd]) || '0' <= s[nameEnd] && s[nameEnd] <= '9') {
			nameEnd++
		}
		if nameEnd == len(s) || !(isTagSpace(s[nameEnd]) || s[nameEnd] == '/' || s[nameEnd] == '>') || !plainTag(s[start:nameEnd]) {
			return "", false
		}
		end, ok := tagEnd(s, nameEnd)
		if !ok {
			return "", false
		}
		i = end
	}
	return b.String(), true
}

// plainTag reports the element names (any ASCII case) stripPlainTags strips
// itself: none that the tokenizer reads as raw text, none whose content the
// sanitiser drops.
func plainTag(name string) bool {
	switch strings.ToLower(name) {
	case "a", "abbr", "b", "blockquote", "br", "cite", "code", "div", "em", "figcaption", "figure",
		"h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "mark", "ol", "p", "q", "s", "small",
		"span", "strong", "sub", "sup", "time", "u", "ul":
		return true
	}
	return false
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isTagSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }

// tagEnd is where the tag whose name ends at i ends (after its '>'), read as
// x/net/html's Tokenizer.readTag reads attributes; ok is false when the
// input ends first (the tokenizer then drops the tag with an error).
func tagEnd(s string, i int) (end int, ok bool) {
	skip := func() {
		for i < len(s) && isTagSpace(s[i]) {
			i++
		}
	}
	skip()
	for i < len(s) {
		if s[i] == '>' {
			return i + 1, true
		}
		// An attribute's key: up to a space, '/', '>' or a '=' that is not its first byte.
		for k := i; i < len(s); i++ {
			if c := s[i]; isTagSpace(c) || c == '/' || c == '>' || (c == '=' && i > k) {
				break
			}
		}
		// Its value, when an '=' follows.
		skip()
		if i == len(s) {
			return 0, false
		}
		switch s[i] {
		case '/':
			i++
		case '=':
			i++
			skip()
			if i == len(s) {
				return 0, false
			}
			switch q := s[i]; q {
			case '>':
			case '"', '\'':
				k := strings.IndexByte(s[i+1:], q)
				if k < 0 {
					return 0, false
				}
				i += k + 2
			default:
				for i < len(s) && !isTagSpace(s[i]) && s[i] != '>' {
					i++
				}
			}
		}
		skip()
	}
	return 0, false
}
