package feeds

import (
	"errors"
	"strings"
	"testing"
)

// nest wraps inner in n levels of open (closed by close when close != "").
func nest(n int, open, close, inner string) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

func TestCheckDepth(t *testing.T) {
	const limit = MaxDepth
	rss := func(inner string) string {
		return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://x.ma/1</link>` + inner + `</item></channel></rss>`
	}
	tests := []struct {
		name string
		doc  string
		deep bool
	}{
		{"a normal rss feed", rss(`<description>x</description>`), false},
		{"nesting exactly at the limit", nest(limit, "<a>", "</a>", "x"), false},
		{"one level past the limit", nest(limit+1, "<a>", "</a>", "x"), true},
		{"unclosed elements never closed", strings.Repeat("<a>", 10000), true},
		{"namespaced extension elements (gofeed recurses into these)", rss(nest(500, "<x:e>", "</x:e>", "")), true},
		{"siblings are not nesting", rss(strings.Repeat("<x:e>v</x:e>", 5000)), false},
		{"self-closing tags do not nest", rss(strings.Repeat("<x:e a='1'/>", 5000)), false},
		{"self-closing with space before the slash", rss(strings.Repeat("<x:e a='1' />", 5000)), false},
		{"tags inside a comment are text", rss("<!--" + strings.Repeat("<a>", 5000) + "-->"), false},
		{"tags inside CDATA are text", rss("<description><![CDATA[" + strings.Repeat("<a>", 5000) + "]]></description>"), false},
		{"a comment hides no real nesting after it", "<!-- <a> -->" + strings.Repeat("<a>", 500), true},
		{"CDATA end hides no real nesting after it", "<r><![CDATA[ ]] > ]]>" + strings.Repeat("<a>", 500) + "</r>", true},
		{"processing instruction with > in it", `<?xml-stylesheet href="a>b"?>` + rss(""), false},
		{"processing instruction hides no nesting after it", `<?pi a>b ?>` + strings.Repeat("<a>", 500), true},
		{"doctype with an internal subset", `<!DOCTYPE rss [<!ENTITY e "x>y"><!ENTITY f "<">]>` + rss(""), false},
		{"> inside a quoted attribute value is not the tag's end", nest(500, `<a t="x>y">`, "</a>", ""), true},
		{"/> inside a quoted attribute value does not self-close", nest(500, `<a t="/>">`, "</a>", ""), true},
		{"/> inside a single-quoted attribute value does not self-close", strings.Repeat(`<a t='/>'>`, 500), true},
		{"unclosed void tags closed by their parent", rss(strings.Repeat("<description>a<br>b<br>c</description>", 1000)), false},
		{"an end tag nobody opened does not lower the depth", strings.Repeat("</b>", 1000) + strings.Repeat("<a>", 500), true},
		{"less-than in text is not a tag", rss(strings.Repeat("<description>1 < 2</description>", 500)), false},
		{"json feed", `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","tags":["a","b"]}]}`, false},
		{"json nested arrays", `{"items":` + nest(10000, "[", "]", "") + `}`, true},
		{"json nested objects", nest(10000, `{"a":`, "}", "1"), true},
		{"json brackets inside a string are text", `{"title":"` + strings.Repeat("[{", 5000) + `"}`, false},
		{"json escaped quote does not end the string", `{"title":"\"` + strings.Repeat("[", 5000) + `"}`, false},
		{"json escaped backslash then the string ends", `{"title":"\\"` + `,"x":` + nest(500, "[", "]", "") + `}`, true},
		{"json after a byte order mark and spaces", "\ufeff \n" + nest(500, "[", "]", ""), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckDepth([]byte(tt.doc), limit)
			if got := errors.Is(err, ErrTooDeep); got != tt.deep {
				t.Errorf("CheckDepth deep = %v (err %v), want %v", got, err, tt.deep)
			}
		})
	}
}

// TestDecodeRefusesDeepNesting: before the scan, gofeed's extension parser
// recursed once per level and two million levels overflowed the stack
// (fatal error, no recover); a million cost seconds and gigabytes.
func TestDecodeRefusesDeepNesting(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"two million unclosed extension elements", `<?xml version="1.0"?><rss version="2.0" xmlns:x="urn:x"><channel><title>t</title><item><title>a</title><link>https://x.ma/1</link>` + strings.Repeat("<x:a>", 2_000_000)},
		{"ten thousand closed extension elements", `<rss version="2.0" xmlns:x="urn:x"><channel><title>t</title><item><title>a</title><link>https://x.ma/1</link>` + nest(10000, "<x:a>", "</x:a>", "v") + `</item></channel></rss>`},
		{"atom with deep xhtml content", `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><title>a</title><content type="xhtml">` + nest(100000, "<div>", "</div>", "v") + `</content></entry></feed>`},
		{"json feed of nested arrays", `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"a","x":` + nest(1_000_000, "[", "]", "") + `}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.body), "", "")
			if !errors.Is(err, ErrTooDeep) {
				t.Fatalf("Decode err = %v, want ErrTooDeep", err)
			}
			if !strings.Contains(err.Error(), "nested deeper than") {
				t.Errorf("error %q does not say why", err)
			}
		})
	}
}
