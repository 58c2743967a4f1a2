// Package news defines the item record that flows from a source feed to the published ticker.
package news

import "time"

// Where an item's effective time came from.
const (
	TimeFromPublished = "published"
	TimeFromUpdated   = "updated"
	TimeFromFirstSeen = "first-seen"
)

// Item is one news item as nashra stores and publishes it. Times are UTC.
type Item struct {
	// Key is the stable storage key: derived from the source and the item's
	// identity, never from its content, so it survives title edits.
	Key string `json:"key"`
	// Source is the name of the source that brought the item first.
	Source string `json:"source"`
	// AlsoIn lists other sources that carried the same canonical link.
	AlsoIn []string `json:"also_in,omitempty"`
	// Identity is what the key was derived from ("guid:…", "link:…", "hash:…").
	Identity string `json:"identity"`
	GUID     string `json:"guid,omitempty"`
	// Link is the canonical article URL; Anchor the fragment the feed's link
	// had, which the canonical link drops (a live blog's post#c2).
	Link       string   `json:"link,omitempty"`
	Anchor     string   `json:"anchor,omitempty"`
	Title      string   `json:"title"`
	Summary    string   `json:"summary,omitempty"` // sanitised HTML
	Author     string   `json:"author,omitempty"`
	Categories []string `json:"categories,omitempty"`
	Language   string   `json:"language,omitempty"`
	Image      string   `json:"image,omitempty"`

	// Published and Updated are what the feed said (zero when it said nothing usable).
	Published time.Time `json:"published,omitzero"`
	Updated   time.Time `json:"updated,omitzero"`
	// FirstSeen is when nashra first stored the item; it never changes.
	FirstSeen time.Time `json:"first_seen"`
	// Time is the effective time: ticker order and the "HH:MM" shown. Fixed at first store.
	Time     time.Time `json:"time"`
	TimeFrom string    `json:"time_from"`
	// Changed is when the stored record last changed (first store or an edit).
	Changed time.Time `json:"changed"`

	// Story is the id of the story the item belongs to ("" when no other
	// outlet's report matched it). Norm is the headline as the story matcher
	// compares it, Terms the words it is indexed by.
	Story string   `json:"story,omitempty"`
	Norm  string   `json:"norm,omitempty"`
	Terms []string `json:"terms,omitempty"`
	// Split is set when an editor took the item out of its story: it never
	// joins one again (nashra stories split).
	Split bool `json:"split,omitempty"`
	// Related are the other reports of the item's story, filled in on reads
	// that group stories; never stored.
	Related []Report `json:"-"`
}

// Report is one outlet's report of a story.
type Report struct {
	Source string
	Link   string
	Title  string
	Time   time.Time
}

// SameContent reports whether the publishable fields of a and b are equal,
// so that a re-poll of an unchanged item writes nothing.
func SameContent(a, b *Item) bool {
	if a.Title != b.Title || a.Summary != b.Summary || a.Author != b.Author ||
		a.Link != b.Link || a.Image != b.Image || a.Language != b.Language ||
		!a.Updated.Equal(b.Updated) || len(a.Categories) != len(b.Categories) {
		return false
	}
	for i := range a.Categories {
		if a.Categories[i] != b.Categories[i] {
			return false
		}
	}
	return true
}
