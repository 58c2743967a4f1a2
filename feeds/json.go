package feeds

import (
	"encoding/json"
	"fmt"
	"time"

	gfeeds "github.com/gorilla/feeds"
)

// JSON Feed 1.1, wrapped around gorilla's structs: gorilla writes no
// feed_url, no language, and no content unless the item has a body (TRAPS.md).
type jsonRoot struct {
	*gfeeds.JSONFeed
	Items []jsonItem `json:"items"`
}

type jsonItem struct {
	*gfeeds.JSONItem
	Language string    `json:"language,omitempty"`
	Nashra   jsonExtra `json:"_nashra"`
}

// jsonExtra is nashra's extension object: where the item comes from.
type jsonExtra struct {
	Source      string        `json:"source"`
	SourceTitle string        `json:"source_title"`
	SourceFeed  string        `json:"source_feed,omitempty"`
	AlsoIn      []string      `json:"also_in,omitempty"`
	Related     []jsonRelated `json:"related,omitempty"`
}

// jsonRelated is another outlet's report of the same story.
type jsonRelated struct {
	Source string `json:"source"`
	Title  string `json:"source_title"`
	URL    string `json:"url,omitempty"`
}

// EncodeJSON writes t as JSON Feed 1.1.
func EncodeJSON(t *Ticker) ([]byte, error) {
	g := (&gfeeds.JSON{Feed: t.gorillaFeed()}).JSONFeed()
	g.HomePageUrl = t.HomeURL
	g.FeedUrl = t.SelfJSON
	g.Language = t.Language
	g.Icon, g.Favicon = t.Icon, t.Favicon
	// No feed-level author(s): Miniflux appends them to every item's author.
	g.Author, g.Authors = nil, nil
	if t.Hub != "" {
		g.Hubs = []*gfeeds.JSONHub{{Type: "WebSub", Url: t.Hub}}
	}
	root := jsonRoot{JSONFeed: g, Items: make([]jsonItem, 0, len(g.Items))}
	for i, gi := range g.Items {
		it := &t.Items[i]
		o := t.outlet(it.Source)
		gi.Author = nil
		gi.Authors = []*gfeeds.JSONAuthor{{Name: byline(it.Author, o.Title)}}
		gi.ContentText = t.summaryWithAlso(it)
		if gi.ContentText == "" {
			gi.ContentText = it.Title // one of content_text/content_html is required
		}
		gi.Summary = ""
		gi.Tags = it.Categories
		gi.Image = it.Image
		// Whole seconds, as Atom and RSS write them: a time taken from the
		// clock (first seen) has fractions, a feed's own date none, and one
		// document read both ways (seen from outside).
		pub := it.Time.In(t.loc()).Truncate(time.Second)
		mod := modified(it).In(t.loc()).Truncate(time.Second)
		gi.PublishedDate, gi.ModifiedDate = &pub, &mod
		extra := jsonExtra{Source: o.Name, SourceTitle: o.Title, SourceFeed: o.FeedURL, AlsoIn: t.AlsoIn(it)}
		for _, r := range it.Related {
			extra.Related = append(extra.Related, jsonRelated{Source: r.Source, Title: t.outlet(r.Source).Title, URL: r.Link})
		}
		root.Items = append(root.Items, jsonItem{JSONItem: gi, Language: it.Language, Nashra: extra})
	}
	root.JSONFeed.Items = nil
	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("feeds: encode json: %w", err)
	}
	return append(out, '\n'), nil
}
