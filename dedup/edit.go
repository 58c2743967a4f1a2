package dedup

import (
	"slices"

	"github.com/nashra-ma/nashra/news"
)

// Edited is what a stored record old becomes when its item is served again as
// it (Action Edit or GUIDChange): the publishable fields and the GUID follow
// the source; what places the item in the ticker — its key, source,
// first-seen, published, time and story — never changes. changed is false
// when nothing a reader sees differs: nothing is written.
func Edited(old, it *news.Item) (upd news.Item, changed bool) {
	if news.SameContent(old, it) {
		return *old, false
	}
	upd = *old
	upd.Title, upd.Summary, upd.Author, upd.Link, upd.Anchor = it.Title, it.Summary, it.Author, it.Link, it.Anchor
	upd.Image, upd.Language, upd.Updated = it.Image, it.Language, it.Updated
	upd.Categories = slices.Clone(it.Categories)
	upd.GUID = it.GUID
	upd.Changed = it.Changed
	return upd, true
}

// AddCarrier is the stored record it once source is known to carry it too
// (Action Duplicate). changed is false when source was already recorded (or
// is the item's own source).
func AddCarrier(it *news.Item, source string) (upd news.Item, changed bool) {
	if it.Source == source || slices.Contains(it.AlsoIn, source) {
		return *it, false
	}
	upd = *it
	upd.AlsoIn = append(slices.Clone(it.AlsoIn), source)
	return upd, true
}

// Adopted is the record carried, stored from a source that only carried the
// link, taken over by own, the report of the outlet whose site the link is
// on (Action Adopt): the publishable fields, the GUID and the source are
// own's, and carried's source joins the others that carried it; what places
// the line in the ticker — its key, identity, first-seen, published, time
// and story — stays, so the line keeps its id.
func Adopted(carried, own *news.Item) news.Item {
	upd, _ := Edited(carried, own)
	upd.Source = own.Source
	upd.AlsoIn = slices.DeleteFunc(slices.Clone(carried.AlsoIn), func(s string) bool { return s == own.Source })
	upd.AlsoIn = append(upd.AlsoIn, carried.Source)
	return upd
}
