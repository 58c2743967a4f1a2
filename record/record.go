// Package record encodes a stored item in a compact binary layout with a
// version byte; it never stores what can be recomputed.
//
// Not stored: Norm and Terms (the story matcher recomputes them from the
// title) and Related (filled in on reads, never stored). Empty AlsoIn and
// Categories decode as nil.
//
// Layout, version 1. "varint"/"uvarint" are encoding/binary's; "str" is a
// uvarint byte length followed by the bytes exactly as given (never
// validated or altered). A time is a varint of Unix seconds (relative to
// FirstSeen's seconds for every time but FirstSeen) then a uvarint of
// nanoseconds (< 1e9): UTC instants at full precision, any year.
//
//	version    1 byte, = 1
//	flags      uvarint, bits below
//	FirstSeen  time, absolute            if flagFirstSeen
//	Published  time, relative            if flagPublished
//	Updated    time, relative            if flagUpdated
//	Time       time, relative            if time kind is timeStored and flagTime
//	Changed    time, relative            unless flagChangedIsFirstSeen; if flagChanged
//	Key        str; with flagKeyHex the bytes the lowercase hex key spells
//	Source     str
//	AlsoIn     uvarint count, then str each
//	Identity   identity kind idStored: str; idHash: str of the bytes the hex after "hash:" spells; else nothing
//	GUID       str                       unless flagGUIDIsLink
//	Link       str
//	Anchor     str
//	Title      str
//	Author     str
//	Categories uvarint count, then str each
//	Language   str
//	Image      str
//	TimeFrom   str                       if TimeFrom kind is fromStored
//	Story      str
//	Summary    str; with flagSummaryDeflated: uvarint length of the text,
//	           then str of its compress/flate stream
//
// Nothing may follow the summary. Flags (bit: meaning):
//
//	0      flagKeyHex: Key is lowercase hex of even length, stored as bytes
//	1–3    Identity kind: 0 stored, 1 "guid:"+GUID, 2 "link:"+Link,
//	       3 "guid:"+GUID+"#"+Link, 4 "hash:"+lowercase hex (stored as bytes)
//	4–5    TimeFrom kind: 0 stored, 1 "published", 2 "updated", 3 "first-seen"
//	6–7    Time kind: 0 stored, 1 = Published, 2 = Updated, 3 = FirstSeen
//	8      flagPublished: Published is not zero
//	9      flagFirstSeen: FirstSeen is not zero
//	10     flagChangedIsFirstSeen: Changed equals FirstSeen, not stored
//	11     flagGUIDIsLink: GUID equals Link, not stored
//	12     flagSummaryDeflated
//	13     flagUpdated: Updated is not zero
//	14     flagTime: Time (when stored) is not zero
//	15     flagChanged: Changed (when stored) is not zero
//	16     flagSplit: Split
//
// The bits a common record sets are the low 14, so its flags take two bytes.
// Any other bit set is an error: a new meaning needs a new version.
package record

import (
	"errors"
	"fmt"
)

// Version is the layout version Encode writes and Decode reads.
const Version = 1

// Errors Decode wraps, for errors.Is.
var (
	ErrTruncated = errors.New("truncated")
	ErrVersion   = errors.New("unknown version")
	ErrCorrupt   = errors.New("corrupt")
)

const (
	flagKeyHex = 1 << 0

	idShift = 1
	idMask  = 7 << idShift

	fromShift = 4
	fromMask  = 3 << fromShift

	timeShift = 6
	timeMask  = 3 << timeShift

	flagPublished          = 1 << 8
	flagFirstSeen          = 1 << 9
	flagChangedIsFirstSeen = 1 << 10
	flagGUIDIsLink         = 1 << 11
	flagSummaryDeflated    = 1 << 12
	flagUpdated            = 1 << 13
	flagTime               = 1 << 14
	flagChanged            = 1 << 15
	flagSplit              = 1 << 16

	knownFlags = 1<<17 - 1
)

// Identity kinds (flags bits 1–3).
const (
	idStored = iota
	idGUID
	idLink
	idGUIDLink
	idHash
	idKinds
)

// TimeFrom kinds (flags bits 4–5).
const (
	fromStored = iota
	fromPublished
	fromUpdated
	fromFirstSeen
)

// Time kinds (flags bits 6–7).
const (
	timeStored = iota
	timeIsPublished
	timeIsUpdated
	timeIsFirstSeen
)

func corrupt(field, format string, args ...any) error {
	return fmt.Errorf("record: %s: %s: %w", field, fmt.Sprintf(format, args...), ErrCorrupt)
}

func truncated(field string) error {
	return fmt.Errorf("record: %s: %w", field, ErrTruncated)
}
