// Package readercheck reads nashra's feeds as a feed reader does, for tests:
// it finds the fields a reader renders as HTML and says what that HTML would
// do once parsed. Only tests import it.
package readercheck

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// body is the context a reader parses an HTML field in.
func body() *html.Node {
	return &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
}

// HTMLFields returns every HTML-typed field of a feed document, after XML
// (or JSON) decoding: RSS <description> and content:encoded, Atom text
// constructs of type "html" or "xhtml", JSON Feed content_html. format is
// "rss", "atom" or "json".
func HTMLFields(format string, doc []byte) ([]string, error) {
	if format == "json" {
		var f struct {
			Items []struct {
				ContentHTML string `json:"content_html"`
			} `json:"items"`
		}
		if err := json.Unmarshal(doc, &f); err != nil {
			return nil, fmt.Errorf("readercheck: json: %w", err)
		}
		var out []string
		for _, it := range f.Items {
			if it.ContentHTML != "" {
				out = append(out, it.ContentHTML)
			}
		}
		return out, nil
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var out []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("readercheck: %s: %w", format, err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case format == "rss" && (start.Name.Local == "description" || start.Name.Local == "encoded"):
			var s string
			if err := dec.DecodeElement(&s, &start); err != nil {
				return nil, fmt.Errorf("readercheck: rss %s: %w", start.Name.Local, err)
			}
			out = append(out, s)
		case format == "atom" && isAtomText(start.Name.Local):
			typ := attr(start, "type")
			var v struct {
				Text  string `xml:",chardata"`
				Inner string `xml:",innerxml"`
			}
			if err := dec.DecodeElement(&v, &start); err != nil {
				return nil, fmt.Errorf("readercheck: atom %s: %w", start.Name.Local, err)
			}
			switch typ {
			case "html":
				out = append(out, v.Text)
			case "xhtml":
				out = append(out, v.Inner)
			}
		}
	}
}

func isAtomText(name string) bool {
	switch name {
	case "title", "subtitle", "summary", "content", "rights":
		return true
	}
	return false
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return strings.ToLower(strings.TrimSpace(a.Value))
		}
	}
	return ""
}

// Render parses s as a reader parses an HTML field and returns the text it
// shows and every element it would create, described ("img onerror=…").
func Render(s string) (text string, elements []string) {
	nodes, err := html.ParseFragment(strings.NewReader(s), body())
	if err != nil {
		return "", []string{"unparsable: " + err.Error()}
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
		case html.ElementNode:
			desc := n.Data
			for _, a := range n.Attr {
				desc += " " + a.Key + "=" + a.Val
			}
			elements = append(elements, desc)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String(), elements
}

// Dangers returns what in s would run script once parsed as HTML: an on*
// attribute, a script, iframe, object or embed element, or a javascript:,
// data: or vbscript: URL. It is the weaker check for fields that may carry
// markup; nashra writes none, so its tests use Render and expect no element.
func Dangers(s string) []string {
	nodes, err := html.ParseFragment(strings.NewReader(s), body())
	if err != nil {
		return []string{"unparsable: " + err.Error()}
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "frame", "frameset", "applet", "base":
				out = append(out, "element "+n.Data)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") {
					out = append(out, n.Data+" "+key)
				}
				if scheme := ScriptScheme(a.Val); scheme != "" {
					out = append(out, n.Data+" "+key+"="+scheme)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

// ScriptScheme returns "javascript:", "data:" or "vbscript:" when a browser
// would read u with that scheme (it ignores case, tabs, newlines and leading
// spaces or controls), "" otherwise.
func ScriptScheme(u string) string {
	var b strings.Builder
	for _, r := range u {
		if r == '\t' || r == '\n' || r == '\r' || (b.Len() == 0 && r <= ' ') {
			continue
		}
		b.WriteRune(r)
		if b.Len() > 12 {
			break
		}
	}
	v := strings.ToLower(b.String())
	for _, s := range []string{"javascript:", "data:", "vbscript:"} {
		if strings.HasPrefix(v, s) {
			return s
		}
	}
	return ""
}
