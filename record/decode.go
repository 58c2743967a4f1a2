package record

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/nashra-ma/nashra/news"
)

// Decode reads one record written by Encode. Truncated, unknown-version or
// malformed input is an error wrapping ErrTruncated, ErrVersion or
// ErrCorrupt and naming the field; never a panic. Times come back in UTC.
func Decode(b []byte) (news.Item, error) {
	var it news.Item
	if len(b) == 0 {
		return it, truncated("version")
	}
	if b[0] != Version {
		return it, fmt.Errorf("record: version %d (this build reads %d): %w", b[0], Version, ErrVersion)
	}
	// One string holds every stored text; fields are slices of it, so a
	// record costs one allocation for its strings, not one per field.
	r := reader{b: b, s: string(b), off: 1}
	flags, err := r.uvarint("flags")
	if err != nil {
		return it, err
	}
	if flags&^knownFlags != 0 {
		return it, corrupt("flags", "unknown bits %#x", flags&^knownFlags)
	}
	idKind := int(flags&idMask) >> idShift
	if idKind >= idKinds {
		return it, corrupt("flags", "identity kind %d", idKind)
	}

	if flags&flagTime != 0 && flags&timeMask != timeStored<<timeShift {
		return it, corrupt("flags", "time both stored and rebuilt")
	}
	if flags&flagChanged != 0 && flags&flagChangedIsFirstSeen != 0 {
		return it, corrupt("flags", "changed both stored and rebuilt")
	}

	var base int64
	if flags&flagFirstSeen != 0 {
		if it.FirstSeen, err = r.time("first_seen", 0); err != nil {
			return it, err
		}
		base = it.FirstSeen.Unix()
	}
	times := []struct {
		flag uint64
		name string
		t    *time.Time
	}{
		{flagPublished, "published", &it.Published},
		{flagUpdated, "updated", &it.Updated},
		{flagTime, "time", &it.Time},
		{flagChanged, "changed", &it.Changed},
	}
	for _, f := range times {
		if flags&f.flag != 0 {
			if *f.t, err = r.time(f.name, base); err != nil {
				return it, err
			}
		}
	}
	switch (flags & timeMask) >> timeShift {
	case timeIsPublished:
		it.Time = it.Published
	case timeIsUpdated:
		it.Time = it.Updated
	case timeIsFirstSeen:
		it.Time = it.FirstSeen
	}
	if flags&flagChangedIsFirstSeen != 0 {
		it.Changed = it.FirstSeen
	}
	it.Split = flags&flagSplit != 0

	if flags&flagKeyHex != 0 {
		raw, err := r.bytes("key")
		if err != nil {
			return it, err
		}
		it.Key = hex.EncodeToString(raw)
	} else if it.Key, err = r.str("key"); err != nil {
		return it, err
	}
	if it.Source, err = r.str("source"); err != nil {
		return it, err
	}
	if it.AlsoIn, err = r.strs("also_in"); err != nil {
		return it, err
	}
	var hash []byte
	switch idKind {
	case idStored:
		if it.Identity, err = r.str("identity"); err != nil {
			return it, err
		}
	case idHash:
		if hash, err = r.bytes("identity"); err != nil {
			return it, err
		}
	}
	if flags&flagGUIDIsLink == 0 {
		if it.GUID, err = r.str("guid"); err != nil {
			return it, err
		}
	}
	fields := []struct {
		name string
		s    *string
	}{{"link", &it.Link}, {"anchor", &it.Anchor}, {"title", &it.Title}, {"author", &it.Author}}
	for _, f := range fields {
		if *f.s, err = r.str(f.name); err != nil {
			return it, err
		}
	}
	if it.Categories, err = r.strs("categories"); err != nil {
		return it, err
	}
	if it.Language, err = r.str("language"); err != nil {
		return it, err
	}
	if it.Image, err = r.str("image"); err != nil {
		return it, err
	}
	switch (flags & fromMask) >> fromShift {
	case fromStored:
		if it.TimeFrom, err = r.str("time_from"); err != nil {
			return it, err
		}
	case fromPublished:
		it.TimeFrom = news.TimeFromPublished
	case fromUpdated:
		it.TimeFrom = news.TimeFromUpdated
	case fromFirstSeen:
		it.TimeFrom = news.TimeFromFirstSeen
	}
	if it.Story, err = r.str("story"); err != nil {
		return it, err
	}
	if flags&flagSummaryDeflated != 0 {
		n, err := r.uvarint("summary")
		if err != nil {
			return it, err
		}
		comp, err := r.bytes("summary")
		if err != nil {
			return it, err
		}
		f := inflaters.Get().(*inflater)
		it.Summary, err = f.inflate(comp, n)
		inflaters.Put(f)
		if err != nil {
			return it, err
		}
	} else if it.Summary, err = r.str("summary"); err != nil {
		return it, err
	}
	if r.off != len(b) {
		return it, corrupt("summary", "%d bytes after the record", len(b)-r.off)
	}

	// Rebuilt last: GUID and Link are known now.
	if flags&flagGUIDIsLink != 0 {
		it.GUID = it.Link
	}
	switch idKind {
	case idGUID:
		it.Identity = guidPrefix + it.GUID
	case idLink:
		it.Identity = linkPrefix + it.Link
	case idGUIDLink:
		it.Identity = guidPrefix + it.GUID + "#" + it.Link
	case idHash:
		it.Identity = hashPrefix + hex.EncodeToString(hash)
	}
	return it, nil
}

// reader walks a record; b and s are the same bytes.
type reader struct {
	b   []byte
	s   string
	off int
}

func (r *reader) uvarint(field string) (uint64, error) {
	v, n := binary.Uvarint(r.b[r.off:])
	switch {
	case n == 0:
		return 0, truncated(field)
	case n < 0:
		return 0, corrupt(field, "varint overflows 64 bits")
	}
	r.off += n
	return v, nil
}

func (r *reader) varint(field string) (int64, error) {
	v, n := binary.Varint(r.b[r.off:])
	switch {
	case n == 0:
		return 0, truncated(field)
	case n < 0:
		return 0, corrupt(field, "varint overflows 64 bits")
	}
	r.off += n
	return v, nil
}

// span reads a length and returns where its bytes are.
func (r *reader) span(field string) (start, end int, err error) {
	n, err := r.uvarint(field)
	if err != nil {
		return 0, 0, err
	}
	if n > uint64(len(r.b)-r.off) {
		return 0, 0, fmt.Errorf("record: %s: %d bytes stated, %d left: %w", field, n, len(r.b)-r.off, ErrTruncated)
	}
	start = r.off
	r.off += int(n)
	return start, r.off, nil
}

func (r *reader) str(field string) (string, error) {
	start, end, err := r.span(field)
	return r.s[start:end], err
}

func (r *reader) bytes(field string) ([]byte, error) {
	start, end, err := r.span(field)
	return r.b[start:end], err
}

func (r *reader) strs(field string) ([]string, error) {
	n, err := r.uvarint(field)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	// Each string takes at least its length byte: a count beyond what is
	// left is garbage, refused before allocating for it.
	if n > uint64(len(r.b)-r.off) {
		return nil, fmt.Errorf("record: %s: %d strings stated, %d bytes left: %w", field, n, len(r.b)-r.off, ErrTruncated)
	}
	ss := make([]string, n)
	for i := range ss {
		if ss[i], err = r.str(field); err != nil {
			return nil, err
		}
	}
	return ss, nil
}

func (r *reader) time(field string, base int64) (time.Time, error) {
	sec, err := r.varint(field)
	if err != nil {
		return time.Time{}, err
	}
	nsec, err := r.uvarint(field)
	if err != nil {
		return time.Time{}, err
	}
	if nsec >= 1e9 {
		return time.Time{}, corrupt(field, "%d nanoseconds", nsec)
	}
	return time.Unix(base+sec, int64(nsec)).UTC(), nil
}
