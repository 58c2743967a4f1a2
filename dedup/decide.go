// Package dedup decides what an incoming item is to the store: new, an edit
// of a stored item, another outlet's copy of one, or a pruned identity. It is
// pure: the store looks things up, this package decides, the store applies.
package dedup

import (
	"slices"
	"strings"
)

// Action is what to do with an incoming item.
type Action int

const (
	// New: store it as a new item.
	New Action = iota
	// Edit: it is the item stored under its own key; update it in place.
	Edit
	// Pruned: its key or link was pruned (a tombstone); it never comes back.
	Pruned
	// GUIDChange: the source gave a stored item of its own a new GUID and
	// kept its link; update that item (Input.ByLink.Key).
	GUIDChange
	// Duplicate: another source's item has this canonical link; record this
	// source on it (Input.ByLink.Key).
	Duplicate
	// Adopt: another source's item has this canonical link, but the link is
	// on the incoming source's own site and not on that source's: the
	// outlet's report takes the item over (Adopted), the other becomes a
	// carrier. Seen from outside: a source that brought an outlet's link
	// first kept it under its own headline, with "+ outlet" beside it.
	Adopt
)

func (a Action) String() string {
	return [...]string{"new", "edit", "pruned", "guid-change", "duplicate", "adopt"}[a]
}

// Linked is what the store's link index says about the incoming item's link.
type Linked struct {
	// Indexed: the index has an entry for the link.
	Indexed bool
	// Found: the entry names an item that exists (false with Indexed: a
	// dangling entry, left by a crash or an old bug).
	Found  bool
	Key    string
	Source string
	// InDocument: that item's key is also in the document being stored, so
	// it is served alongside the incoming one, not replaced by it.
	InDocument bool
	// OtherAnchor: that item's link pointed at another anchor of the page
	// (post#c1 against post#c2): two entries of a live blog or a comment
	// feed, even when served in different polls.
	OtherAnchor bool
	// GUID and Title are that item's.
	GUID, Title string
	// SourceOwnsLink: the link is on that item's source's own site.
	SourceOwnsLink bool
}

// Input is everything the decision needs, looked up by the store.
type Input struct {
	Source string
	Link   string // canonical link; "" when the item has none
	// GUID and Title are the incoming item's.
	GUID, Title string
	// KeyStored: an item is stored under the incoming item's key.
	KeyStored bool
	// Tombstoned: the key or the link was pruned.
	Tombstoned bool
	// LinkShared: other items of the same document carry this link (a home
	// page, a live blog, post#c1 and post#c2): the link names no single item.
	LinkShared bool
	// OwnsLink: the link is on the incoming source's own site (OwnSite).
	// Read only when ByLink found the link stored by another source: a
	// caller may leave it unasked otherwise.
	OwnsLink bool
	ByLink   Linked
}

// Decision is the action and what to do with the link index.
type Decision struct {
	Action Action
	// IndexLink: point the link index at the incoming item (new items only).
	IndexLink bool
	// Repaired: the index entry was dangling; IndexLink overwrites it.
	Repaired bool
}

// Decide says what an incoming item is (DESIGN.md, "Item identity"). Within a
// source, distinct keys are distinct items even when their links match,
// except that a stored item whose key left the document and whose link an
// incoming item of the same source now carries — under the same headline, or
// under a GUID that is the old one written another way — is that item under
// a new GUID.
// Across sources one canonical link is one item — unless the link is shared
// by several items of one document, which never enters the index — and the
// outlet whose site the link is on owns it: its report takes the item over
// from a source that only carried the link.
func Decide(in Input) Decision {
	switch {
	case in.KeyStored:
		return Decision{Action: Edit}
	case in.Tombstoned:
		return Decision{Action: Pruned}
	case in.Link == "" || in.LinkShared:
		return Decision{Action: New}
	case in.ByLink.Indexed && !in.ByLink.Found:
		return Decision{Action: New, IndexLink: true, Repaired: true}
	case !in.ByLink.Indexed:
		return Decision{Action: New, IndexLink: true}
	case in.ByLink.Source != in.Source && in.OwnsLink && !in.ByLink.SourceOwnsLink:
		return Decision{Action: Adopt}
	case in.ByLink.Source != in.Source:
		return Decision{Action: Duplicate}
	case in.ByLink.InDocument:
		return Decision{Action: New} // both GUIDs served together: two items; the index keeps the first
	case in.ByLink.OtherAnchor:
		return Decision{Action: New} // another entry on the same page, served after the first
	case in.Title != in.ByLink.Title && !SameID(in.GUID, in.ByLink.GUID):
		// A one-item "latest bulletin" feed, a daily live blog at a fixed URL:
		// another story under another GUID, not the first one renamed.
		return Decision{Action: New}
	default:
		return Decision{Action: GUIDChange}
	}
}

// SameID reports whether two GUIDs are one id written two ways, as a feed
// writes it when it switches GUIDs: http:// and https://, with and without
// "www." or a trailing slash, or "?p=1201835" and ".../1201835-slug.html"
// (the same number of at least four digits, and no other such number).
func SameID(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if bare(a) == bare(b) {
		return true
	}
	na, nb := longNumbers(a), longNumbers(b)
	return len(na) == 1 && len(nb) == 1 && na[0] == nb[0]
}

func bare(id string) string {
	id = strings.ToLower(strings.TrimSpace(id))
	for _, p := range []string{"https://", "http://", "www."} {
		id = strings.TrimPrefix(id, p)
	}
	return strings.TrimSuffix(id, "/")
}

// longNumbers lists the distinct runs of four or more digits in s.
func longNumbers(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		if len(f) >= 4 && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}
