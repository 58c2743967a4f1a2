package feeds

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
)

// Dates gofeed does not read but leaves in Extensions, by the element's name:
// Dublin Core terms (usually under the dcterms prefix; the prefix is the
// document's choice, so any prefix is looked at).
var (
	publishedExtensions = []string{"issued", "created", "available"}
	updatedExtensions   = []string{"modified"}
)

// extensionDates fills e's missing dates from it's extension elements, when
// gofeed read no date of that kind. Dates gofeed read always win.
func extensionDates(e *Entry, it *gofeed.Item) {
	if e.PublishedParsed == nil {
		if raw, t := extensionDate(it.Extensions, publishedExtensions); t != nil {
			e.Published, e.PublishedParsed = raw, t
		}
	}
	if e.UpdatedParsed == nil {
		if raw, t := extensionDate(it.Extensions, updatedExtensions); t != nil {
			e.Updated, e.UpdatedParsed = raw, t
		}
	}
}

// extensionDate returns the first readable date among the elements named in
// names, whatever their prefix (dc's own elements are gofeed's business).
func extensionDate(exts ext.Extensions, names []string) (string, *time.Time) {
	for _, name := range names {
		for _, prefix := range slices.Sorted(maps.Keys(exts)) { // one answer for one document
			if prefix == "dc" {
				continue
			}
			for _, x := range exts[prefix][name] {
				raw := strings.TrimSpace(x.Value)
				if t, ok := parseW3CDate(raw); ok {
					return raw, &t
				}
			}
		}
	}
	return "", nil
}

// w3cLayouts are the W3C date-time profile of ISO 8601 that Dublin Core
// terms use, plus RFC 1123 for feeds that put an RSS date there.
var w3cLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02", "2006-01",
	time.RFC1123Z, time.RFC1123,
}

// parseW3CDate reads raw with the first layout that fits. A date without an
// offset comes back as UTC wall clock, as gofeed's dates do; the aggregator
// reads it in the source's zone.
func parseW3CDate(raw string) (time.Time, bool) {
	for _, layout := range w3cLayouts {
		if t, err := time.Parse(layout, raw); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
