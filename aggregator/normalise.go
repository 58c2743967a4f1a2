package aggregator

import (
	"net/url"
	"strings"
	"time"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/news"
)

// Normalise turns a decoded document from src into items: canonical links,
// plain-text titles and excerpts, dates read in the source's zone, identity
// and key. feedURL is the URL the document was fetched from (relative links
// resolve against it); now is the fetch time, used as first-seen.
func Normalise(doc *feeds.Document, src *config.Source, feedURL string, now time.Time) []news.Item {
	base, _ := url.Parse(feedURL)
	loc := src.Location
	if loc == nil {
		loc = time.UTC
	}
	guidCount := map[string]int{}
	for _, e := range doc.Entries {
		if e.GUID != "" {
			guidCount[e.GUID]++
		}
	}
	lang := src.Language
	if lang == "" {
		lang = news.BaseLanguage(doc.Language)
	}

	items := make([]news.Item, 0, len(doc.Entries))
	seen := make(map[string]bool, len(doc.Entries))
	for _, e := range doc.Entries {
		it := normaliseEntry(&e, src.Name, base, loc, guidCount[e.GUID] > 1, now)
		if it.Title == "" || seen[it.Key] {
			continue
		}
		seen[it.Key] = true
		it.Language = lang
		if it.Language == "" {
			it.Language = news.DetectLanguage(it.Title)
		}
		if len(it.Categories) == 0 && len(src.Categories) > 0 {
			it.Categories = append([]string(nil), src.Categories...)
		}
		items = append(items, it)
	}
	return items
}

func normaliseEntry(e *feeds.Entry, source string, base *url.URL, loc *time.Location, guidRepeated bool, now time.Time) news.Item {
	link := CanonicalURL(e.Link, base)
	if link == "" && isURL(e.GUID) {
		link = CanonicalURL(e.GUID, base) // a permalink GUID is the article's address
	}
	published, _ := EntryTime(e.Published, e.PublishedParsed, loc)
	updated, _ := EntryTime(e.Updated, e.UpdatedParsed, loc)
	title := CleanText(truncateBytes(e.Title, maxTitleBytes), e.Types.Title)
	summary := CleanSummary(e.Summary, e.Types.Summary)
	if summary == "" {
		summary = CleanSummary(e.Content, e.Types.Content)
	}
	identity := Identity(e.GUID, link, title, published, guidRepeated)
	it := news.Item{
		Key:       ItemKey(source, identity),
		Source:    source,
		Identity:  identity,
		GUID:      e.GUID,
		Link:      link,
		Title:     title,
		Summary:   Excerpt(summary, summaryRunes),
		Author:    CleanText(e.Author, feeds.TextGuess),
		Image:     CanonicalURL(e.Image, base),
		Published: published,
		Updated:   updated,
		FirstSeen: now.UTC(),
		Changed:   now.UTC(),
	}
	for _, c := range e.Categories {
		if c = CleanText(c, feeds.TextGuess); c != "" {
			it.Categories = append(it.Categories, c)
		}
	}
	it.Time, it.TimeFrom = EffectiveTime(published, updated, now)
	return it
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}
