package feeds

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	gfeeds "github.com/gorilla/feeds"

	"github.com/nashra-ma/nashra/news"
)

// Ticker is one output ready to encode: the channel, its items newest first,
// and the outlets they come from.
type Ticker struct {
	Name        string // output name, part of the feed id
	Title       string
	Description string
	Language    string // channel language, "" for a mixed ticker
	// HomeURL is the HTML ticker page; SelfRSS/SelfAtom/SelfJSON the public
	// URLs of this output's feeds (from base_url, never from the request).
	HomeURL, SelfRSS, SelfAtom, SelfJSON string
	// Icon (square, 512 px) and Favicon (64 px) are the public URLs of the
	// images readers show beside the feed ("" for none).
	Icon, Favicon string
	// Hub is the WebSub hub the feeds advertise ("" for none).
	Hub string
	// Updated is when the newest change behind the ticker happened.
	Updated time.Time
	Items   []news.Item
	Outlets map[string]Outlet
	// Location is the zone dates are written in (Africa/Casablanca).
	Location *time.Location
	// Stories says the items are story lines (the output groups stories):
	// a line then takes its story's id (see LineKey).
	Stories bool
}

// Outlet is what a feed says about where an item comes from.
type Outlet struct {
	Name     string // source name in the config
	Title    string // "هسبريس", "Le360"
	FeedURL  string
	HomeURL  string
	Language string
}

// idYear is fixed forever: tag: URIs must not change when the calendar does.
const idYear = "2026"

// ItemID is the permanent id of an item in every output: a tag: URI built
// from the authority of base and the item's storage key.
func ItemID(authority, key string) string {
	return fmt.Sprintf("tag:%s,%s:item/%s", authority, idYear, key)
}

// LineKey is the key a ticker line's id is made from, in every format. A
// story's line keeps its story's id for its whole life — the key of the
// report that founded it — whichever report it is shown at, so that an
// earlier report arriving later moves the line (link, title, time) without
// making a reader show the story twice. An item shown on its own (in no
// story, or in an output that does not group stories) has its own key.
func LineKey(it *news.Item, grouped bool) string {
	if grouped && it.Story != "" {
		return it.Story
	}
	return it.Key
}

// LineKey is LineKey for a line of t.
func (t *Ticker) LineKey(it *news.Item) string { return LineKey(it, t.Stories) }

// FeedID is the permanent id of an output.
func FeedID(authority, name string) string {
	return fmt.Sprintf("tag:%s,%s:feed/%s", authority, idYear, name)
}

// Authority is the host part of base_url used in tag: ids.
func Authority(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" {
		return "nashra.invalid"
	}
	return u.Hostname()
}

func (t *Ticker) loc() *time.Location {
	if t.Location == nil {
		return time.UTC
	}
	return t.Location
}

func (t *Ticker) outlet(name string) Outlet {
	if o, ok := t.Outlets[name]; ok {
		return o
	}
	return Outlet{Name: name, Title: name}
}

func (t *Ticker) description() string {
	if t.Description != "" {
		return t.Description
	}
	return t.Title
}

// byline names who wrote an item: its author, or the outlet when it names
// none. The outlet is never appended ("Rédaction (Le360)"): gofeed drops such
// names from RSS and JSON Feed; every format names the outlet in its source.
func byline(author, outlet string) string {
	if author == "" {
		return outlet
	}
	return author
}

// AlsoIn names the other outlets that carried an item: the same URL
// (AlsoIn) or the same story (Related), each once.
func (t *Ticker) AlsoIn(it *news.Item) []string {
	seen := map[string]bool{it.Source: true}
	var out []string
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, t.outlet(name).Title)
		}
	}
	for _, name := range it.AlsoIn {
		add(name)
	}
	for _, r := range it.Related {
		add(r.Source)
	}
	return out
}

// OrderAlso puts every item's other outlets (AlsoIn, Related) in one order,
// by outlet title then name (and link), so that the output does not depend on
// which outlet happened to be polled first.
func (t *Ticker) OrderAlso() {
	byTitle := func(a, b string) int {
		if c := strings.Compare(t.outlet(a).Title, t.outlet(b).Title); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	}
	for i := range t.Items {
		it := &t.Items[i]
		slices.SortFunc(it.AlsoIn, byTitle)
		slices.SortStableFunc(it.Related, func(a, b news.Report) int {
			if c := byTitle(a.Source, b.Source); c != 0 {
				return c
			}
			return strings.Compare(a.Link, b.Link)
		})
	}
}

// ListSeparator separates names listed in a line of language lang: the
// Arabic comma in Arabic, a comma followed by a space otherwise.
func ListSeparator(lang string) string {
	if lang == "ar" {
		return "، "
	}
	return ", "
}

var alsoLabel = map[string]string{"ar": "أيضا في: ", "fr": "Aussi dans : ", "en": "Also in: "}

// summaryWithAlso is the item's summary followed by the other outlets that
// carried it, for formats without a place for related links (RSS, JSON Feed).
func (t *Ticker) summaryWithAlso(it *news.Item) string {
	also := t.AlsoIn(it)
	if len(also) == 0 {
		return entryText(it)
	}
	label, ok := alsoLabel[it.Language]
	if !ok {
		label = alsoLabel["en"]
	}
	line := label + strings.Join(also, ListSeparator(it.Language))
	if it.Summary == "" {
		return line
	}
	return it.Summary + "\n\n" + line
}

// entryText is an item's text: its summary, else its title. Readers and the
// W3C validator ("Missing textual content") expect every entry to have one.
func entryText(it *news.Item) string {
	if it.Summary != "" {
		return it.Summary
	}
	return it.Title
}

// imageType guesses an image's media type from its URL, "" when unsure.
func imageType(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	p := strings.ToLower(u.Path)
	switch {
	case strings.HasSuffix(p, ".jpg"), strings.HasSuffix(p, ".jpeg"):
		return "image/jpeg"
	case strings.HasSuffix(p, ".png"):
		return "image/png"
	case strings.HasSuffix(p, ".webp"):
		return "image/webp"
	case strings.HasSuffix(p, ".gif"):
		return "image/gif"
	}
	return ""
}

// modified is an item's last significant change as feeds report it.
func modified(it *news.Item) time.Time {
	if it.Updated.After(it.Time) {
		return it.Updated
	}
	return it.Time
}

// gorillaFeed builds gorilla/feeds' generic model of t, the common ground of
// the three encoders; each then patches what gorilla gets wrong (TRAPS.md).
func (t *Ticker) gorillaFeed() *gfeeds.Feed {
	auth := Authority(t.HomeURL)
	f := &gfeeds.Feed{
		Title:       t.Title,
		Link:        &gfeeds.Link{Href: t.HomeURL},
		Description: t.description(),
		Id:          FeedID(auth, t.Name),
		Updated:     t.Updated.In(t.loc()),
		Author:      &gfeeds.Author{Name: t.Title},
	}
	for i := range t.Items {
		it := &t.Items[i]
		o := t.outlet(it.Source)
		f.Items = append(f.Items, &gfeeds.Item{
			Title:       it.Title,
			Link:        &gfeeds.Link{Href: it.Link},
			Author:      &gfeeds.Author{Name: byline(it.Author, o.Title)},
			Description: t.summaryWithAlso(it),
			Id:          ItemID(auth, t.LineKey(it)),
			IsPermaLink: "false",
			Created:     it.Time.In(t.loc()),
			Updated:     modified(it).In(t.loc()),
		})
	}
	return f
}
