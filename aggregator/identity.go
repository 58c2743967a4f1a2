package aggregator

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Identity names an item within its source (DESIGN.md, level 1): its GUID or
// Atom id when present and unique in the document; a GUID repeated inside one
// document is told apart by the link; else the canonical link; else a hash of
// title and date.
func Identity(guid, canonicalLink, title string, date time.Time, guidRepeated bool) string {
	switch {
	case guid != "" && !guidRepeated:
		return "guid:" + guid
	case guid != "":
		return "guid:" + guid + "#" + canonicalLink
	case canonicalLink != "":
		return "link:" + canonicalLink
	default:
		sum := sha256.Sum256([]byte(title + "\x00" + date.UTC().Format(time.RFC3339)))
		return "hash:" + hex.EncodeToString(sum[:12])
	}
}

// ItemKey is the storage key of an item: a digest of its source and identity,
// so it never changes when the item's title or summary does.
func ItemKey(source, identity string) string {
	sum := sha256.Sum256([]byte(source + "\x00" + identity))
	return hex.EncodeToString(sum[:12])
}
