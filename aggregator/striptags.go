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
