package feeds

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"regexp"
	"time"

	gfeeds "github.com/gorilla/feeds"
)

// RSS 2.0, wrapped around gorilla's structs: gorilla writes no atom:link
// self, no language, no dc:creator, a <source> without its required url, and
// guids that default to permalinks (TRAPS.md).
type rssRoot struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Media   string     `xml:"xmlns:media,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string     `xml:"title"`
	Link          string     `xml:"link"`
	Description   string     `xml:"description"`
	Language      string     `xml:"language,omitempty"`
	LastBuildDate string     `xml:"lastBuildDate,omitempty"`
	Generator     string     `xml:"generator"`
	Docs          string     `xml:"docs"`
	Image         *rssImage  `xml:"image,omitempty"`
	AtomLinks     []atomLink `xml:"atom:link"`
	Items         []*rssItem `xml:"item"`
}

// rssImage is the channel's icon; its title and link must be the channel's.
type rssImage struct {
	URL    string `xml:"url"`
	Title  string `xml:"title"`
	Link   string `xml:"link"`
	Width  int    `xml:"width,omitempty"`
	Height int    `xml:"height,omitempty"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type rssItem struct {
	Title       string          `xml:"title"`
	Link        string          `xml:"link,omitempty"`
	Description string          `xml:"description,omitempty"`
	Creator     string          `xml:"dc:creator,omitempty"`
	Language    string          `xml:"dc:language,omitempty"` // a mixed channel declares none
	Categories  []string        `xml:"category"`
	Guid        *gfeeds.RssGuid `xml:"guid"`
	PubDate     string          `xml:"pubDate,omitempty"`
	Source      *rssSource      `xml:"source,omitempty"`
	Media       *mediaContent   `xml:"media:content,omitempty"`
}

// mediaContent is the item's lead image (Media RSS): unlike <enclosure>, it
// needs no byte length, which nashra does not know.
type mediaContent struct {
	URL    string `xml:"url,attr"`
	Medium string `xml:"medium,attr"`
	Type   string `xml:"type,attr,omitempty"`
}

type rssSource struct {
	URL  string `xml:"url,attr"`
	Name string `xml:",chardata"`
}

// EncodeRSS writes t as RSS 2.0.
func EncodeRSS(t *Ticker) ([]byte, error) {
	g := (&gfeeds.Rss{Feed: t.gorillaFeed()}).RssFeed()
	ch := rssChannel{
		Title:         g.Title,
		Link:          g.Link,
		Description:   htmlText(g.Description),
		Language:      t.Language,
		LastBuildDate: g.LastBuildDate,
		Generator:     "nashra",
		Docs:          "https://www.rssboard.org/rss-specification",
		AtomLinks:     []atomLink{{Href: t.SelfRSS, Rel: "self", Type: "application/rss+xml"}},
	}
	if t.Favicon != "" {
		ch.Image = &rssImage{URL: t.Favicon, Title: g.Title, Link: g.Link, Width: 64, Height: 64}
	}
	if t.Hub != "" {
		ch.AtomLinks = append(ch.AtomLinks, atomLink{Href: t.Hub, Rel: "hub"})
	}
	if t.Updated.IsZero() {
		ch.LastBuildDate = ""
	}
	for i, gi := range g.Items {
		it := &t.Items[i]
		o := t.outlet(it.Source)
		ri := &rssItem{
			Title:       rssTitle(gi.Title),
			Link:        gi.Link,
			Description: htmlText(gi.Description),
			Creator:     byline(it.Author, o.Title),
			Language:    it.Language,
			Categories:  it.Categories,
			Guid:        &gfeeds.RssGuid{Id: gi.Guid.Id, IsPermaLink: "false"},
			PubDate:     it.Time.In(t.loc()).Format(time.RFC1123Z),
		}
		if o.FeedURL != "" {
			ri.Source = &rssSource{URL: o.FeedURL, Name: o.Title}
		}
		if it.Image != "" {
			ri.Media = &mediaContent{URL: it.Image, Medium: "image", Type: imageType(it.Image)}
		}
		ch.Items = append(ch.Items, ri)
	}
	return marshalXML(rssRoot{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/",
		Media: "http://search.yahoo.com/mrss/", Channel: ch})
}

// htmlText writes plain text into a field readers take for HTML (RSS
// <description>): escaped, so that text which reads "<img onerror=…>" is
// shown as text, never run, whatever a source escaped or unescaped before.
func htmlText(s string) string { return html.EscapeString(s) }

// rssTitle is a headline as an RSS <title>. RSS says nothing of a title's
// type and many readers render it as HTML; a headline that reads like a tag
// or an entity ("History of the <blink> tag", a source's escaped
// "<img onerror=…>", a literal "&lt;b&gt;") is HTML-escaped so that such a
// reader shows it as written and runs nothing. Every other headline is
// written as it is, so readers that take titles as text (for "Q&A" and
// "AT&T") show no entities.
func rssTitle(s string) string {
	if markupLike.MatchString(s) {
		return html.EscapeString(s)
	}
	return s
}

// markupLike finds what an HTML parser would read as a tag, a comment or a
// character reference.
var markupLike = regexp.MustCompile(`<[a-zA-Z/!?]|&(?:[a-zA-Z][a-zA-Z0-9]*;|#[0-9]+;?|#[xX][0-9a-fA-F]+;?|(?:amp|lt|gt|quot|nbsp|copy|reg)\b)`)

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("feeds: encode: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
