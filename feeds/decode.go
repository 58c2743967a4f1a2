// Package feeds reads source documents into entries and writes tickers as RSS, Atom and JSON Feed.
package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
)

// ErrNotAFeed wraps decoding errors for bodies that are not a feed at all
// (an HTML challenge page, an empty body).
var ErrNotAFeed = errors.New("not a feed")

// Document is a decoded source feed.
type Document struct {
	Title    string
	Link     string
	Language string
	// TTL is the RSS <ttl> in minutes, 0 when absent.
	TTL     int
	Entries []Entry
	// Rejected counts items dropped as broken (a title that swallowed markup,
	// neither link nor GUID).
	Rejected int
}

// Entry is one item as the source wrote it, before normalisation.
type Entry struct {
	GUID       string
	Link       string
	Title      string
	Summary    string
	Content    string
	Author     string
	Categories []string
	Image      string
	// Published and Updated are the raw date strings; the *Parsed fields are
	// gofeed's reading of them (nil when it could not read them).
	Published       string
	PublishedParsed *time.Time
	Updated         string
	UpdatedParsed   *time.Time
	// Types say whether Title, Summary and Content are HTML or plain text.
	Types TextTypes
}

// Decode parses body, whatever its charset and format (RSS 0.9x/1.0/2.0,
// Atom, JSON Feed), refusing a document of more than MaxEntries entries
// or MaxElements elements.
func Decode(body []byte, contentType, charsetOverride string) (*Document, error) {
	return DecodeUpTo(body, contentType, charsetOverride, 0)
}

// DecodeUpTo is Decode for a source whose max_items is maxItems: a
// document may hold max(maxItems, MaxEntries) entries and
// max(ElementsPerEntry × maxItems, MaxElements) elements.
func DecodeUpTo(body []byte, contentType, charsetOverride string, maxItems int) (*Document, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("feeds: empty body: %w", ErrNotAFeed)
	}
	utf8Body, err := ToUTF8(body, contentType, charsetOverride)
	if err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	// Before gofeed sees it: a deep enough document crashes the process,
	// and one of a million entries takes gigabytes.
	if err := CheckShape(utf8Body, MaxDepth, max(maxItems, MaxEntries), max(ElementsPerEntry*maxItems, MaxElements)); err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	if _, isJSON := jsonStart(utf8Body); !isJSON {
		utf8Body = repairReferences(utf8Body)
	}
	parser := gofeed.NewParser()
	parser.KeepOriginalFeed = true
	parser.RSSTranslator = newRSSTranslator()
	f, err := safeParse(parser, utf8Body)
	salvaged := 0
	if _, isJSON := jsonStart(utf8Body); err != nil && isJSON && !errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		if fixed, rejected, ok := salvageJSONItems(utf8Body); ok {
			utf8Body, salvaged = fixed, rejected
			f, err = safeParse(parser, utf8Body)
		}
	}
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, fmt.Errorf("feeds: %s: %w", describe(utf8Body), ErrNotAFeed)
		}
		return nil, fmt.Errorf("feeds: parse: %w", err)
	}
	doc := &Document{Title: f.Title, Link: f.Link, Language: f.Language, Rejected: salvaged}
	if orig, ok := f.OriginalFeed().(*rss.Feed); ok && orig.TTL != "" {
		doc.TTL, _ = strconv.Atoi(strings.TrimSpace(orig.TTL))
	}
	atomFeed, _ := f.OriginalFeed().(*atom.Feed)
	types := entryTextTypes(f, utf8Body)
	for i, it := range f.Items {
		e := entryFrom(it)
		e.Types = types[i]
		// gofeed copies an Atom entry's <updated> into its published date when
		// <published> is absent; keep "no published date" honest.
		if atomFeed != nil && i < len(atomFeed.Entries) && atomFeed.Entries[i].Published == "" {
			e.Published, e.PublishedParsed = "", nil
		}
		extensionDates(&e, it)
		if broken(&e) {
			doc.Rejected++
			continue
		}
		doc.Entries = append(doc.Entries, e)
	}
	return doc, nil
}

// describe names what a non-feed body looks like, for the error shown on /sources.
func describe(body []byte) string {
	head := strings.ToLower(string(body[:min(len(body), 512)]))
	switch {
	case containsAny(head, "just a moment", "cf-chl", "cf-browser-verification", "attention required", "captcha", "ddos-guard", "checking your browser"):
		return "an HTML bot-protection page"
	case strings.Contains(head, "<html") || strings.Contains(head, "<!doctype html"):
		return "an HTML page"
	default:
		return "an unrecognised document"
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// broken reports entries that a lenient parse produced from a broken
// document: an unclosed <title> swallows the rest of the item, so the title
// carries the document's own structure (</title>, <item>, <link>) and link
// and GUID usually come out empty. A headline with ordinary markup (<b>, a
// stray <script>) is still news: it is kept and cleaned later, unless it has
// neither link nor GUID to vouch for it. A clean title without link or GUID is
// kept under a title+date identity.
func broken(e *Entry) bool {
	if structuralTagRe.MatchString(e.Title) {
		return true
	}
	return e.Link == "" && e.GUID == "" && markupRe.MatchString(e.Title)
}

var (
	// markupRe is a tag: "<" then a name, "/" or "!" — not "a < b > c".
	markupRe = regexp.MustCompile(`<[/!]?[A-Za-z][^<>]*>`)
	// structuralTagRe is an element of RSS or Atom's own item structure.
	structuralTagRe = regexp.MustCompile(`(?i)</?(?:[a-z]+:)?(?:title|link|guid|item|entry|channel|feed|rss|pubdate|description|content|summary|id|updated|published|enclosure|comments)(?:\s[^<>]*)?/?>`)
)

func entryFrom(it *gofeed.Item) Entry {
	e := Entry{
		GUID:            strings.TrimSpace(it.GUID),
		Link:            strings.TrimSpace(it.Link),
		Title:           it.Title,
		Summary:         it.Description,
		Content:         it.Content,
		Categories:      it.Categories,
		Published:       it.Published,
		PublishedParsed: it.PublishedParsed,
		Updated:         it.Updated,
		UpdatedParsed:   it.UpdatedParsed,
	}
	if e.Link == "" && len(it.Links) > 0 {
		e.Link = strings.TrimSpace(it.Links[0])
	}
	switch {
	case len(it.Authors) > 0 && it.Authors[0] != nil:
		e.Author = it.Authors[0].Name
	case it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0:
		e.Author = it.DublinCoreExt.Creator[0]
	}
	if it.Image != nil {
		e.Image = it.Image.URL
	}
	if e.Image == "" {
		e.Image = mediaImage(it)
	}
	if it.Published == "" {
		e.PublishedParsed = nil
	}
	return e
}

// mediaImage finds a lead image in enclosures or media:content.
func mediaImage(it *gofeed.Item) string {
	for _, enc := range it.Enclosures {
		if enc != nil && strings.HasPrefix(enc.Type, "image/") {
			return enc.URL
		}
	}
	for _, exts := range it.Extensions["media"] {
		for _, x := range exts {
			if u := x.Attrs["url"]; u != "" && (x.Attrs["medium"] == "image" || strings.HasPrefix(x.Attrs["type"], "image/")) {
				return u
			}
		}
	}
	return ""
}
