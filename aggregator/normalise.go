package aggregator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
	"github.com/nashra-ma/nashra/news"
)

// Tally counts what normalising a document left out or distrusted; each is
// shown on /sources and in the poll log line.
type Tally struct {
	Untitled    int // entries whose title is empty once cleaned: kept out of the ticker
	Repeated    int // entries repeating an earlier entry's identity in the same document
	Capped      int // entries beyond the source's max_items (the oldest ones)
	FutureDated int // kept, but placed at first-seen: their date lies in the future
	Expired     int // entries older than the source's retention: left out, as pruning would
	// ProxyStripped counts titles that lost an aggregator's " - Outlet" suffix.
	ProxyStripped int
}

// Normalise is NormaliseTally without the tally.
func Normalise(doc *feeds.Document, src *config.Source, feedURL string, now time.Time) []news.Item {
	items, _ := NormaliseTally(doc, src, feedURL, now)
	return items
}

// NormaliseTally turns a decoded document from src into items: canonical
// links, plain-text titles and excerpts, dates read in the source's zone,
// identity and key. Only the source's max_items newest entries are
// normalised. feedURL is the URL the document was fetched from (relative
// links resolve against it); now is the fetch time, used as first-seen.
func NormaliseTally(doc *feeds.Document, src *config.Source, feedURL string, now time.Time) ([]news.Item, Tally) {
	var tally Tally
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
	maxItems := src.MaxItems
	if maxItems <= 0 {
		maxItems = config.DefaultMaxItems
	}
	keep, capped := newest(doc.Entries, maxItems, loc, now)
	tally.Capped = capped

	all := make([]news.Item, 0, min(len(doc.Entries), maxItems))
	sharedLink := map[string]int{} // canonical link → entries without a GUID that carry it
	proxy := src.IsProxy()         // parses the source's URL
	for i, e := range doc.Entries {
		if !keep[i] {
			continue
		}
		it := normaliseEntry(&e, src.Name, base, loc, guidCount[e.GUID] > 1, now)
		if proxy {
			if t := StripProxySuffix(it.Title); t != it.Title {
				it.Title = t
				tally.ProxyStripped++
			}
		}
		if it.GUID == "" && it.Link != "" {
			sharedLink[it.Link]++
		}
		all = append(all, it)
	}
	items := all[:0] // filtered in place: each item is copied out before its slot is written
	seen := make(map[string]bool, len(all))
	futureFrom := now.Add(FutureSkew) // a date after it is not believed: the item stands at first-seen
	for _, it := range all {
		if it.GUID == "" && sharedLink[it.Link] > 1 {
			// Several entries without a GUID point at one page (a home page, a
			// live blog): the link names none of them, title and date do.
			it.Identity = Identity("", "", it.Title, it.Published, false)
			it.Key = ItemKey(src.Name, it.Identity)
		}
		switch {
		case it.Title == "":
			tally.Untitled++
			continue
		case seen[it.Key]:
			tally.Repeated++
			continue
		case src.Retention > 0 && it.Time.Before(now.Add(-src.Retention)):
			// Stored, it would be shown until the next retention pass
			// (seen from outside: four days of a feed under retention 1h).
			tally.Expired++
			continue
		}
		if it.TimeFrom == "first-seen" && (it.Published.After(futureFrom) || it.Updated.After(futureFrom)) {
			tally.FutureDated++ // not one of 1989: seen from outside, counted
		}
		if !Believable(it.Updated, now) {
			// Not believed for the ticker, not published either: seen
			// from outside, an update of 2099 pinned an item on top of
			// readers that sort by it.
			it.Updated = time.Time{}
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
	return items, tally
}

// newest marks the n entries whose ticker time is latest (ties: the one
// earlier in the document) and counts the others. It reads dates only, so a
// document of 200,000 entries costs 200,000 date reads, not normalisations.
func newest(entries []feeds.Entry, n int, loc *time.Location, now time.Time) (keep []bool, dropped int) {
	keep = make([]bool, len(entries))
	if len(entries) <= n {
		for i := range keep {
			keep[i] = true
		}
		return keep, 0
	}
	at := make([]time.Time, len(entries))
	order := make([]int, len(entries))
	for i := range entries {
		published, _ := EntryTime(entries[i].Published, entries[i].PublishedParsed, loc)
		updated, _ := EntryTime(entries[i].Updated, entries[i].UpdatedParsed, loc)
		at[i], _ = EffectiveTime(published, updated, now)
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return at[b].Compare(at[a]) })
	for _, i := range order[:n] {
		keep[i] = true
	}
	return keep, len(entries) - n
}

func normaliseEntry(e *feeds.Entry, source string, base *url.URL, loc *time.Location, guidRepeated bool, now time.Time) news.Item {
	link := CanonicalURL(e.Link, base)
	if link == "" && isURL(e.GUID) {
		link = CanonicalURL(e.GUID, base) // a permalink GUID is the article's address
	}
	guid := boundedGUID(e.GUID)
	published, _ := EntryTime(e.Published, e.PublishedParsed, loc)
	updated, _ := EntryTime(e.Updated, e.UpdatedParsed, loc)
	title := cleanTextUpTo(truncateBytes(e.Title, maxTitleMarkup), e.Types.Title, maxTitleBytes)
	summary := CleanSummary(e.Summary, e.Types.Summary)
	if summary == "" {
		summary = CleanSummary(e.Content, e.Types.Content)
	}
	identity := Identity(guid, link, title, published, guidRepeated)
	it := news.Item{
		Key:       ItemKey(source, identity),
		Source:    source,
		Identity:  identity,
		GUID:      guid,
		Link:      link,
		Anchor:    anchorOf(e.Link),
		Title:     title,
		Summary:   Excerpt(summary, summaryRunes),
		Author:    CleanText(truncateBytes(e.Author, maxAuthorBytes), feeds.TextGuess),
		Image:     CanonicalURL(e.Image, base),
		Published: published,
		Updated:   updated,
		FirstSeen: now.UTC(),
		Changed:   now.UTC(),
	}
	it.Categories = cleanCategories(e.Categories)
	it.Time, it.TimeFrom = EffectiveTime(published, updated, now)
	return it
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// boundedGUID is guid, or for one longer than MaxURLBytes its SHA-256 (as
// "sha256:" and hex): told apart from every other GUID as the whole one is,
// the same at every poll, and never a record's megabytes.
func boundedGUID(guid string) string {
	if len(guid) <= MaxURLBytes {
		return guid
	}
	sum := sha256.Sum256([]byte(guid))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// anchorOf is the fragment of a feed's raw link ("" without one, or for a
// link longer than any kept).
func anchorOf(raw string) string {
	if len(raw) > MaxURLBytes {
		return ""
	}
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		return raw[i+1:]
	}
	return ""
}
