package dedup

import "testing"

func TestDecide(t *testing.T) {
	const link = "https://x.ma/a"
	stored := func(source string, inDoc bool) Linked {
		return Linked{Indexed: true, Found: true, Key: "k0", Source: source, InDocument: inDoc, GUID: "http://x.ma/?p=1234", Title: "t"}
	}
	ownedBy := func(source string) Linked {
		l := stored(source, false)
		l.SourceOwnsLink = true
		return l
	}
	tests := []struct {
		name string
		in   Input
		want Decision
	}{
		{"the same key again is an edit", Input{Source: "s", Link: link, KeyStored: true, ByLink: stored("s", true)}, Decision{Action: Edit}},
		{"a pruned key stays out", Input{Source: "s", Link: link, Tombstoned: true}, Decision{Action: Pruned}},
		{"a new key and a new link", Input{Source: "s", Link: link}, Decision{Action: New, IndexLink: true}},
		{"no link: new, nothing to index", Input{Source: "s"}, Decision{Action: New}},
		{"another source's article link: one item", Input{Source: "s", Link: link, ByLink: stored("other", false)}, Decision{Action: Duplicate}},
		{"a link shared inside the document is no copy of another source's item", Input{Source: "s", Link: link, LinkShared: true, ByLink: stored("other", false)}, Decision{Action: New}},
		{"distinct GUIDs sharing one link in the document", Input{Source: "s", Link: link, LinkShared: true, ByLink: stored("s", true)}, Decision{Action: New}},
		{"old GUID gone, same link, the GUID written another way: the GUID changed", Input{Source: "s", Link: link, GUID: "https://x.ma/?p=1234", Title: "t, edited", ByLink: stored("s", false)}, Decision{Action: GUIDChange}},
		{"old GUID gone, same link, same headline: the GUID changed", Input{Source: "s", Link: link, GUID: "urn:new", Title: "t", ByLink: stored("s", false)}, Decision{Action: GUIDChange}},
		{"old GUID gone, same link, another GUID and headline: a latest-bulletin feed's next story", Input{Source: "s", Link: link, GUID: "g-b", Title: "Bulletin B", ByLink: stored("s", false)}, Decision{Action: New}},
		{"old GUID gone, same page, another anchor: a live blog's next entry", Input{Source: "s", Link: link, ByLink: Linked{Indexed: true, Found: true, Key: "k0", Source: "s", OtherAnchor: true}}, Decision{Action: New}},
		{"old GUID still served, same link: two items", Input{Source: "s", Link: link, ByLink: stored("s", true)}, Decision{Action: New}},
		{"a dangling index entry does not eat the item", Input{Source: "s", Link: link, ByLink: Linked{Indexed: true, Key: "gone"}}, Decision{Action: New, IndexLink: true, Repaired: true}},
		// Seen from outside: a source that brought another outlet's link
		// first, under its own (fake) headline, kept it, and the outlet's
		// own report became "+ outlet" beside it.
		{"the link's own outlet after a source that carried it: it takes the item over", Input{Source: "s", Link: link, OwnsLink: true, ByLink: stored("other", false)}, Decision{Action: Adopt}},
		{"both own the link's site (two feeds of one outlet): one item, as before", Input{Source: "s", Link: link, OwnsLink: true, ByLink: ownedBy("other")}, Decision{Action: Duplicate}},
		{"a carrier after the link's own outlet: a carrier", Input{Source: "s", Link: link, ByLink: ownedBy("other")}, Decision{Action: Duplicate}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Decide(tt.in); got != tt.want {
				t.Errorf("Decide = %+v (%v), want %+v (%v)", got, got.Action, tt.want, tt.want.Action)
			}
		})
	}
}

func TestSameID(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"http://www.hespress.com/?p=1201835", "https://www.hespress.com/?p=1201835", true},
		{"https://x.ma/a/", "https://www.x.ma/a", true},
		{"https://www.hespress.com/?p=1201835", "https://www.hespress.com/politique/1201835-slug.html", true},
		{"g-a", "g-b", false},
		{"https://x.ma/2026/12/1201835", "https://x.ma/2026/12/1201836", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := SameID(tt.a, tt.b); got != tt.want {
			t.Errorf("SameID(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestOwnsLinkReadOnlyForAnotherSourcesLink: whose site the link is on
// changes a decision only when the link is found stored by another source,
// so a caller may leave OwnsLink unasked otherwise (the archive does: the
// public-suffix lookup cost more than the rest of an item's decision).
// Every combination of the other inputs.
func TestOwnsLinkReadOnlyForAnotherSourcesLink(t *testing.T) {
	const flags = 11
	for bits := range 1 << flags {
		on := func(i int) bool { return bits&(1<<i) != 0 }
		in := Input{Source: "a", GUID: "g1", Title: "t", KeyStored: on(0), Tombstoned: on(1), LinkShared: on(2),
			ByLink: Linked{Indexed: on(4), Found: on(5), SourceOwnsLink: on(7), InDocument: on(8), OtherAnchor: on(9), Source: "a", GUID: "g2", Title: "t"}}
		if on(3) {
			in.Link = "https://example.ma/x"
		}
		if on(6) {
			in.ByLink.Source = "b"
		}
		if on(10) {
			in.ByLink.Title = "another"
		}
		asked := in.Link != "" && !in.LinkShared && in.ByLink.Indexed && in.ByLink.Found && in.ByLink.Source != in.Source
		with, without := in, in
		with.OwnsLink, without.OwnsLink = true, false
		if a, b := Decide(with), Decide(without); a != b && !asked {
			t.Fatalf("%+v: OwnsLink changes %+v into %+v where the link is not another source's", in, b, a)
		}
	}
}
