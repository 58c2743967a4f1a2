package record

import (
	"time"

	"github.com/nashra-ma/nashra/news"
)

// Unchanged reports whether b is a record Decode reads without error into
// an item whose content is it's (news.SameContent: title, summary, author,
// link, image, language, updated, categories). It reads the fields in
// place and allocates nothing, so that an item a source serves again
// unchanged costs a comparison, not a decode. false says nothing more: the
// record may differ, or be one Decode refuses.
func Unchanged(b []byte, it *news.Item) bool {
	if len(b) == 0 || b[0] != Version {
		return false
	}
	r := reader{b: b, off: 1}
	flags, err := r.uvarint("flags")
	if err != nil || flags&^knownFlags != 0 || int(flags&idMask)>>idShift >= idKinds ||
		(flags&flagTime != 0 && flags&timeMask != timeStored<<timeShift) ||
		(flags&flagChanged != 0 && flags&flagChangedIsFirstSeen != 0) {
		return false
	}
	var base int64
	if flags&flagFirstSeen != 0 {
		fs, ok := r.instant(0)
		if !ok {
			return false
		}
		base = fs.Unix()
	}
	updated := time.Time{}
	for _, flag := range []uint64{flagPublished, flagUpdated, flagTime, flagChanged} {
		if flags&flag == 0 {
			continue
		}
		t, ok := r.instant(base)
		if !ok {
			return false
		}
		if flag == flagUpdated {
			updated = t
		}
	}
	if !updated.Equal(it.Updated) {
		return false
	}
	// Key, source, also-in, identity and GUID say who the item is, not what
	// it says: skipped, but read, so that a malformed record is refused.
	if !r.skip() || !r.skip() || !r.skipStrs() {
		return false
	}
	if idKind := int(flags&idMask) >> idShift; (idKind == idStored || idKind == idHash) && !r.skip() {
		return false
	}
	if flags&flagGUIDIsLink == 0 && !r.skip() {
		return false
	}
	if !r.same(it.Link) || !r.skip() || !r.same(it.Title) || !r.same(it.Author) { // the anchor skipped
		return false
	}
	n, err := r.uvarint("categories")
	if err != nil || n != uint64(len(it.Categories)) {
		return false
	}
	for _, c := range it.Categories {
		if !r.same(c) {
			return false
		}
	}
	if !r.same(it.Language) || !r.same(it.Image) {
		return false
	}
	if (flags&fromMask)>>fromShift == fromStored && !r.skip() {
		return false
	}
	if !r.skip() { // the story
		return false
	}
	if flags&flagSummaryDeflated == 0 {
		return r.same(it.Summary) && r.off == len(b)
	}
	n, err = r.uvarint("summary")
	if err != nil || n != uint64(len(it.Summary)) {
		return false
	}
	start, end, err := r.span("summary")
	if err != nil || end != len(b) {
		return false
	}
	f := inflaters.Get().(*inflater)
	defer inflaters.Put(f)
	text, err := f.inflateBytes(b[start:end], n)
	return err == nil && string(text) == it.Summary
}

// instant reads a time as r.time does, without naming the field.
func (r *reader) instant(base int64) (time.Time, bool) {
	t, err := r.time("", base)
	return t, err == nil
}

// skip reads past a str field.
func (r *reader) skip() bool {
	_, _, err := r.span("")
	return err == nil
}

// skipStrs reads past a list of str fields.
func (r *reader) skipStrs() bool {
	n, err := r.uvarint("")
	if err != nil || n > uint64(len(r.b)-r.off) {
		return false
	}
	for range n {
		if !r.skip() {
			return false
		}
	}
	return true
}

// same reads a str field and reports whether it is s.
func (r *reader) same(s string) bool {
	start, end, err := r.span("")
	return err == nil && string(r.b[start:end]) == s
}
