// Package opml reads and writes OPML 2.0 subscription lists, the format feed readers exchange sources in.
package opml

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/nashra-ma/nashra/config"
)

// Document is an OPML file.
type Document struct {
	XMLName xml.Name  `xml:"opml"`
	Version string    `xml:"version,attr"`
	Title   string    `xml:"head>title"`
	Created string    `xml:"head>dateCreated,omitempty"`
	Docs    string    `xml:"head>docs,omitempty"`
	Body    []Outline `xml:"body>outline"`
}

// Outline is a folder (with children) or a feed (with an xmlUrl).
type Outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr,omitempty"`
	Type     string    `xml:"type,attr,omitempty"`
	XMLURL   string    `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string    `xml:"htmlUrl,attr,omitempty"`
	Language string    `xml:"language,attr,omitempty"`
	Category string    `xml:"category,attr,omitempty"`
	Children []Outline `xml:"outline"`
}

// Feed is one subscription found in a document.
type Feed struct {
	Title, XMLURL, HTMLURL, Language string
	// Categories are the folders the feed sits in and its category attribute.
	Categories []string
}

// Limits of a document Parse reads: far more than any reader exports (a
// list of 10,000 feeds is ~1 MB), and what a poll of so many sources could
// bear; seen from outside, an OPML file of 200,000 feeds took 1.8 GB.
const (
	MaxBytes    = 8 << 20
	MaxOutlines = 10000
)

// Parse reads an OPML document in any charset, refusing one of more than
// MaxBytes or MaxOutlines outlines before decoding it.
func Parse(r io.Reader) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("opml: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("opml: more than %d MiB: not a subscription list nashra imports", MaxBytes>>20)
	}
	if n := bytes.Count(data, []byte("<outline")); n > MaxOutlines {
		return nil, tooManyOutlines(n) // before decoding them
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false // exports from some readers carry HTML entities
	dec.Entity = xml.HTMLEntity
	var d Document
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("opml: %w", err)
	}
	// Counted again as decoded: an outline in a namespace (<o:outline>) is
	// one too (seen from outside: 20,000 past the byte count).
	if n := d.outlines(); n > MaxOutlines {
		return nil, tooManyOutlines(n)
	}
	return &d, nil
}

func tooManyOutlines(n int) error {
	return fmt.Errorf("opml: %d outlines, more than the %d nashra imports at once: split the file", n, MaxOutlines)
}

// outlines counts the document's outlines, folders and feeds.
func (d *Document) outlines() int {
	var count func([]Outline) int
	count = func(os []Outline) int {
		n := len(os)
		for _, o := range os {
			n += count(o.Children)
		}
		return n
	}
	return count(d.Body)
}

// Feeds lists every subscription, folders flattened into categories.
func (d *Document) Feeds() []Feed {
	var out []Feed
	var walk func([]Outline, []string)
	walk = func(outlines []Outline, folders []string) {
		for _, o := range outlines {
			if o.XMLURL != "" {
				f := Feed{Title: firstNonEmpty(o.Title, o.Text), XMLURL: o.XMLURL, HTMLURL: o.HTMLURL, Language: o.Language}
				f.Categories = append(f.Categories, folders...)
				for _, c := range strings.Split(o.Category, ",") {
					if c = strings.Trim(strings.TrimSpace(c), "/"); c != "" {
						f.Categories = append(f.Categories, c)
					}
				}
				out = append(out, f)
			}
			if len(o.Children) > 0 {
				sub := folders
				if o.XMLURL == "" {
					sub = append(append([]string(nil), folders...), firstNonEmpty(o.Title, o.Text))
				}
				walk(o.Children, sub)
			}
		}
	}
	walk(d.Body, nil)
	return out
}

// FromConfig is the OPML of cfg's sources, grouped by language, dated now
// unless now is zero.
func FromConfig(cfg *config.Config, now time.Time) *Document {
	d := &Document{Version: "2.0", Title: cfg.Title + " — sources", Docs: "https://opml.org/spec2.opml"}
	if !now.IsZero() { // no date: dateCreated is optional in OPML 2.0
		d.Created = now.UTC().Format(time.RFC1123Z)
	}
	folders := map[string]int{}
	for _, src := range cfg.Sources {
		o := Outline{Text: src.Title, Title: src.Title, Type: "rss", XMLURL: src.PublicURL(), HTMLURL: src.HomeURL(), Language: src.Language}
		if len(src.Categories) > 0 {
			o.Category = "/" + strings.Join(src.Categories, ",/")
		}
		lang := src.Language
		if lang == "" {
			lang = "other"
		}
		i, ok := folders[lang]
		if !ok {
			i = len(d.Body)
			folders[lang] = i
			d.Body = append(d.Body, Outline{Text: lang, Title: lang})
		}
		d.Body[i].Children = append(d.Body[i].Children, o)
	}
	return d
}

// Marshal writes d as indented XML with a declaration.
func (d *Document) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("opml: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
