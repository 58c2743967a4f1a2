// Package archive keeps nashra's items in a storage engine: it looks up what a poll's decisions need, applies them as one batch, and reads tickers and stories by index.
package archive

import (
	"context"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// Store is what the rest of nashra needs of its items and sources. Archive
// implements it over any storage engine; Fallback wraps it.
type Store interface {
	// SavePoll stores one successful poll of source: its items and its new
	// fetch state, in one transaction. When ctx ends before it commits, the
	// transaction is abandoned: nothing of the poll is written.
	SavePoll(ctx context.Context, source string, state SourceState, items []news.Item) (PollCounts, error)
	// SaveState records a fetch that stored no items (a failure or a 304).
	SaveState(source string, state SourceState) error
	State(source string) (SourceState, bool, error)
	States() (map[string]SourceState, error)
	// Newest returns up to q.Limit items, newest effective time first. It
	// reads O(limit) records when most items pass the query's filter, and
	// never more than q.MaxScan (Read says when it stopped there).
	Newest(q Query) ([]news.Item, error)
	// Read is Newest with what the read cost.
	Read(q Query) (Reading, error)
	// Stories returns up to limit stories with a report at or after since,
	// the story with the newest report first, each with its reports.
	Stories(since time.Time, limit int) ([]Story, error)
	// Count is the number of items stored.
	Count() (int, error)
	// Generation changes whenever stored items change; readers cache by it.
	Generation() uint64
	Close() error
}

// Query selects items for a ticker.
type Query struct {
	Limit int
	// Keep filters items (nil keeps all).
	Keep func(*news.Item) bool
	// Sources, Languages and Categories are the parts of Keep that an index
	// answers: when one is set, the read walks that index (an item's sources
	// include those that also carry it) instead of every item, so a filter
	// that few items pass costs what a common one does. Keep must still
	// check them.
	Sources, Languages, Categories []string
	// MaxScan bounds the index entries one read walks (0: DefaultMaxScan):
	// a keyword filter that few items pass stops there and says so.
	MaxScan int
	// Stories shows each story once, at its earliest report that Keep
	// passes, with the other reports in Related.
	Stories bool
	// Since stops the walk at items older than this (zero: no limit).
	Since time.Time
	// PerSource caps the items of one source in the result (0: no cap).
	PerSource int
	// Proxy says which sources are aggregator proxies (nil: none): a story
	// is shown at a proxy's report only when no outlet's report can be.
	Proxy func(source string) bool
}

// SourceState is what nashra remembers about fetching one source.
type SourceState struct {
	// ConfiguredURL is the URL in the config when this state was written;
	// URL is where the source is fetched from now: the same, or the target of
	// a permanent redirect (reported, never written back to the config).
	ConfiguredURL string `json:"configured_url,omitempty"`
	// Outlet is how the source was shown when it was last polled: its items
	// keep it after the source leaves the config.
	Outlet       *Outlet `json:"outlet,omitempty"`
	URL          string  `json:"url,omitempty"`
	ETag         string  `json:"etag,omitempty"`
	LastModified string  `json:"last_modified,omitempty"`

	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	NextCheck   time.Time `json:"next_check,omitzero"`
	// HeldBack says NextCheck is later than the schedule's next tick (a
	// backoff, Retry-After, a server's caching hint): only then does a tick
	// of the schedule wait for it. A next check that is only the schedule's
	// tick holds back no tick, so a reloaded schedule takes effect at once.
	HeldBack  bool      `json:"held_back,omitempty"`
	Status    int       `json:"status,omitempty"`     // last HTTP status
	Error     string    `json:"error,omitempty"`      // last error, "" after a success
	Failures  int       `json:"failures"`             // failed polls in a row
	Items     int       `json:"items"`                // items stored from this source
	LastNew   int       `json:"last_new"`             // new items in the last poll that stored any
	LastNewAt time.Time `json:"last_new_at,omitzero"` // when that poll was made
	Rejected  int       `json:"rejected,omitempty"`   // broken items dropped from the last document
	// Counts of the last document's entries left out or distrusted (aggregator.Tally).
	Untitled    int `json:"untitled,omitempty"`     // no title once cleaned
	Repeated    int `json:"repeated,omitempty"`     // a key seen earlier in the document
	Capped      int `json:"capped,omitempty"`       // beyond max_items
	FutureDated int `json:"future_dated,omitempty"` // kept at first-seen: dated in the future
	Expired     int `json:"expired,omitempty"`      // older than retention
	// RetryAfter is when the server (429/503 Retry-After) allows the next request.
	RetryAfter time.Time `json:"retry_after,omitzero"`
	// Gone is set by a 410: the source is not polled again until its URL changes.
	Gone bool `json:"gone,omitempty"`
	// Digest is aggregator.DocumentDigest of the last document whose items
	// were all decided and stored: a re-served document with the same
	// digest holds the same items, so they are not normalised or looked up
	// again. "" when the last poll's items were not all settled (some dated
	// in the future, whose placement depends on the clock).
	Digest string `json:"digest,omitempty"`
	// Unsaved is why this state could not be written and lives only in
	// memory (see Fallback); it is never stored.
	Unsaved string `json:"-"`
}

// PollCounts says what one SavePoll did with the items it was given.
type PollCounts struct {
	New       int // stored for the first time
	Updated   int // same identity, content edited in place
	Unchanged int // same identity, nothing to write
	Duplicate int // same canonical link as an item stored under another identity
	Pruned    int // identity pruned before (a tombstone): never comes back
	Merged    int // new, and joined another outlet's story
	// Repaired counts by_url entries that named a missing item: the new item
	// was stored and the index repaired.
	Repaired int
	// Undecodable counts story candidates whose record could not be read
	// (skipped; the item is stored without joining them).
	Undecodable int
	// AlsoIn counts duplicates from a source not yet recorded on the stored
	// item: its "also in" grew, which readers see.
	AlsoIn int
}

// Changed reports whether the poll changed what readers see.
func (c PollCounts) Changed() bool { return c.New > 0 || c.Updated > 0 || c.AlsoIn > 0 }

// Outlet is a source as readers see it (public URLs only: never the
// configured URL with its secrets).
type Outlet struct {
	Title    string `json:"title,omitempty"`
	FeedURL  string `json:"feed_url,omitempty"`
	HomeURL  string `json:"home_url,omitempty"`
	Language string `json:"language,omitempty"`
}

// DefaultMaxScan is how many index entries a read walks at most: reading a
// record costs microseconds, but matching keywords in its title and summary
// costs 0.15–0.4 ms, so this bounds a keyword render under a second however
// rare its words (about a day of Moroccan news).
const DefaultMaxScan = 2000

// Reading is what a read returned and what it cost.
type Reading struct {
	Items []news.Item
	// Scanned is the index entries walked; Truncated says the walk stopped
	// at the query's MaxScan before it found Limit items or the end.
	Scanned   int
	Truncated bool
	// Damaged names the records the walk met that do not decode (a damaged
	// page or record): left out, so that one of them does not fail every
	// render; `nashra verify` says the rest.
	Damaged []string
}
