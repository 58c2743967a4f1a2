package archive

import (
	"crypto/sha256"
	"encoding/binary"
	"time"

	"github.com/nashra-ma/nashra/story"
)

// SchemaVersion is written to the meta table; a database from a newer
// nashra is refused rather than misread, an older one is migrated on open.
//
//	1: JSON records with their normalised headline and terms; term postings
//	   on disk; links and link tombstones by the whole URL.
//	2: binary records (package record); per-source, per-language and
//	   per-category time indexes; links by digest; the story window in memory.
//	3: the same tables; on bbolt, index, link and story entries may be staged
//	   (storage.WithStaging), which a nashra of schema 2 would not read.
//	   A schema 2 database is schema 3 as it is: opening it writes 3.
const SchemaVersion = 3

// The tables of schema 2. Index keys begin with the item's time, big-endian
// nanoseconds, so that bytes sort as time and a reverse scan is newest first.
const (
	tRecords    = "records"       // item key → record (package record)
	tByTime     = "by_time"       // time + key → ""
	tBySource   = "by_source"     // source 0 time + key → "" (its own items and those it also carries)
	tByLang     = "by_lang"       // language 0 time + key → ""
	tByCategory = "by_category"   // folded category 0 time + key → ""
	tLinks      = "links"         // digest of the canonical link → item key
	tStories    = "story_members" // story id → its reports' keys, earliest first
	tTombstones = "pruned"        // "k" key or "h" link digest → first-seen
	tAliases    = "aliases"       // the key an item's later GUID makes → the key it is stored under
	tSources    = "sources"       // source name → JSON SourceState
	tMeta       = "meta"          // schema_version, item_count, seq
)

// stagedTables are the tables whose entries the bbolt engine stages
// (storage.WithStaging): the indexes, links and story members, small
// entries that a first ingest scatters over every page of each table
// (BENCHMARKS.md § 20). Records, larger and fetched one by one, are not.
var stagedTables = []string{tByTime, tBySource, tByLang, tByCategory, tLinks, tStories}

var (
	keySchema = []byte("schema_version")
	keyCount  = []byte("item_count")
	// keySeq changes with every batch nashra applies: a batch expects the
	// value it was decided on, so a concurrent writer is detected.
	keySeq = []byte("seq")
)

// timePrefix is a time as index keys begin with it.
func timePrefix(t time.Time) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(max(t.UnixNano(), 0)))
	return b[:]
}

// timeKey is a time index entry's key after its prefix: time then item key.
func timeKey(t time.Time, key string) []byte {
	return append(timePrefix(t), key...)
}

// scoped is an index prefix: a name (source, language, category) and a 0 byte.
func scoped(name string) []byte {
	return append([]byte(name), 0)
}

func categoryName(c string) string { return story.Fold(c) }

// folder remembers the category names it has folded: a store holds few,
// and folding one (story.Fold) costs more than the rest of an item's index
// entries together.
type folder map[string]string

func (f folder) name(c string) string {
	n, ok := f[c]
	if !ok {
		n = categoryName(c)
		f[c] = n
	}
	return n
}

// linkDigest names a canonical link in the links table and in tombstones: 16
// bytes whatever the URL's length (a collision is 1 in 2^64 per pair and
// costs at worst one duplicate never found, as a stored link is checked).
func linkDigest(link string) []byte {
	sum := sha256.Sum256([]byte(link))
	return sum[:16]
}

func keyTombstone(key string) []byte   { return append([]byte("k"), key...) }
func linkTombstone(link string) []byte { return append([]byte("h"), linkDigest(link)...) }

func uint64Bytes(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

func bytesUint64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

// encodeMembers and decodeMembers store a story's reports: each a varint
// length, the key's bytes, then its time (8 bytes, big-endian nanoseconds).
func encodeMembers(ms []member) []byte {
	var b []byte
	for _, m := range ms {
		b = binary.AppendUvarint(b, uint64(len(m.Key)))
		b = append(b, m.Key...)
		b = append(b, timePrefix(m.Time)...)
	}
	return b
}

func decodeMembers(b []byte) ([]member, bool) {
	var out []member
	for len(b) > 0 {
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n+8 {
			return out, false
		}
		key := string(b[w : w+int(n)])
		ns := int64(binary.BigEndian.Uint64(b[w+int(n):]))
		out = append(out, member{Key: key, Time: time.Unix(0, ns).UTC()})
		b = b[w+int(n)+8:]
	}
	return out, true
}
