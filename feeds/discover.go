package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// Advert is a feed a page advertises with <link rel="alternate">.
type Advert struct {
	URL   string
	Type  string // application/rss+xml, application/atom+xml or application/feed+json
	Title string
}

// feedTypes are the link types that name a feed.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/json":      false, // too general: a page's API, not its feed
}

// CommonFeedPaths are where sites serve feeds without advertising them, in
// the order they are tried.
var CommonFeedPaths = []string{"/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml"}

// Advertised lists the feeds page advertises, resolved against base, in page
// order and without repeats.
func Advertised(page []byte, base *url.URL) []Advert {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil
	}
	var out []Advert
	seen := map[string]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "link" {
			var rel, typ, href, title string
			for _, a := range n.Attr {
				switch strings.ToLower(a.Key) {
				case "rel":
					rel = strings.ToLower(a.Val)
				case "type":
					typ, _, _ = mime.ParseMediaType(a.Val)
				case "href":
					href = strings.TrimSpace(a.Val)
				case "title":
					title = strings.TrimSpace(a.Val)
				}
			}
			if hasWord(rel, "alternate") && feedTypes[typ] && href != "" {
				if u, err := base.Parse(href); err == nil && (u.Scheme == "http" || u.Scheme == "https") && !seen[u.String()] {
					seen[u.String()] = true
					out = append(out, Advert{URL: u.String(), Type: typ, Title: title})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func hasWord(list, word string) bool {
	for _, w := range strings.Fields(list) {
		if w == word {
			return true
		}
	}
	return false
}

// WithAdvertised adds to a decoding error for an HTML page the feeds the page
// advertises, so that whoever configured a site's page as a source learns
// which URL to write instead. Other errors come back unchanged.
func WithAdvertised(err error, body []byte, pageURL string) error {
	if !errors.Is(err, ErrNotAFeed) {
		return err
	}
	base, perr := url.Parse(pageURL)
	if perr != nil {
		return err
	}
	ads := Advertised(body, base)
	if len(ads) == 0 {
		return err
	}
	urls := make([]string, len(ads))
	for i, a := range ads {
		urls[i] = a.URL
	}
	return fmt.Errorf("%w; the page advertises %s: use one as the source's url", err, strings.Join(urls, ", "))
}
