package feeds

import (
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html"
)

// rssTranslator is gofeed's RSS translation, lead images included, except
// that an item's HTML is parsed for an <img> only when it can hold one.
// gofeed parses every description and content into a whole HTML tree to
// look for one: a third of what parsing a feed of plain WordPress excerpts
// costs, for text with no image in it.
type rssTranslator struct {
	plain gofeed.DefaultRSSTranslator // DisableContentImageScan: the scan is ours
}

func newRSSTranslator() *rssTranslator {
	return &rssTranslator{plain: gofeed.DefaultRSSTranslator{DisableContentImageScan: true}}
}

// Translate implements gofeed.Translator. gofeed scans the HTML only when
// every other source of an image (iTunes, media:content, enclosures) gave
// none, that is when the translation without the scan has no image: the
// scan is then the same, in the same order (content, then description).
func (t *rssTranslator) Translate(feed any) (*gofeed.Feed, error) {
	f, err := t.plain.Translate(feed)
	if err != nil {
		return nil, err
	}
	src := feed.(*rss.Feed) // plain.Translate refuses anything else
	if f.Image == nil {
		f.Image = firstImage(src.Description)
	}
	for i, it := range f.Items {
		if it.Image != nil {
			continue
		}
		if it.Image = firstImage(src.Items[i].Content); it.Image == nil {
			it.Image = firstImage(src.Items[i].Description)
		}
	}
	return f, nil
}

// firstImage is the first <img> with a src in document, as gofeed finds it
// (the HTML tree, in document order), nil when there is none. An <img>
// element comes only from a start tag named img (or image, which the HTML
// parser renames): text without "<im", in any case, has none.
func firstImage(document string) *gofeed.Image {
	if !mayHoldImage(document) {
		return nil
	}
	doc, err := html.Parse(strings.NewReader(document))
	if err != nil {
		return nil
	}
	if img := firstImgWithSrc(doc); img != nil {
		for _, a := range img.Attr {
			if a.Key == "src" {
				return &gofeed.Image{URL: a.Val}
			}
		}
	}
	return nil
}

// mayHoldImage reports whether s contains "<im" in any ASCII case.
func mayHoldImage(s string) bool {
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 || i+2 >= len(s) {
			return false
		}
		if s[i+1]|0x20 == 'i' && s[i+2]|0x20 == 'm' {
			return true
		}
		s = s[i+1:]
	}
}

// firstImgWithSrc is the first <img> element in document order that has a
// src attribute.
func firstImgWithSrc(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.Data == "img" {
		for _, a := range n.Attr {
			if a.Key == "src" {
				return n
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if img := firstImgWithSrc(c); img != nil {
			return img
		}
	}
	return nil
}
