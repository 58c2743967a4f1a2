package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/nashra-ma/nashra/storage"
)

// VerifyReport is what Verify found: the store's figures and what in it
// does not agree.
type VerifyReport struct {
	Records int `json:"records"` // records read (each decoded)
	Counted int `json:"counted"` // the item count the store keeps
	// Entries is the number of entries read in each index table.
	Entries map[string]int `json:"entries"`
	// Problems lists the first maxVerifyProblems disagreements; Found
	// counts them all.
	Problems []string `json:"problems"`
	Found    int      `json:"found"`
	// Partial: the walk stopped at a page too damaged to read, or at keys
	// out of order, so the figures above count only what was read before.
	Partial bool `json:"partial,omitempty"`
}

// OK reports whether nothing disagreed.
func (r VerifyReport) OK() bool { return r.Found == 0 }

const maxVerifyProblems = 50

func (r *VerifyReport) problem(format string, args ...any) {
	r.Found++
	if len(r.Problems) < maxVerifyProblems {
		line := fmt.Sprintf(format, args...)
		if len(line) > maxProblemLine { // a damaged key can be any length
			line = strings.ToValidUTF8(line[:maxProblemLine], "") + "…"
		}
		r.Problems = append(r.Problems, line)
	}
}

// maxProblemLine bounds one problem's text (a key read from a damaged page
// once made a line of 357 KB).
const maxProblemLine = 400

// Verify reads the whole store and says what does not agree: the engine's
// own check (bbolt's pages and meta pages), then, in one snapshot, every
// record decoded; each record's index entries (time, sources, language,
// categories) present and its story listing it; every index entry, link and
// story member naming a stored record (a link that record's, a member one of
// that story); each table's entries in key order and as many as the records
// call for; the item count equal to the records. It changes nothing. A
// damaged page or record is a problem reported, not an error; an error is a
// store that cannot be read. A link index entry deleted is not found: a
// record's link may rightly be in none (another item holds it).
func (a *Archive) Verify(ctx context.Context) (rep VerifyReport, err error) {
	rep = VerifyReport{Entries: map[string]int{}}
	defer func() {
		// A page too damaged to read ends the walk: that is the finding.
		if errors.Is(err, storage.ErrCorrupt) {
			rep.problem("%v", err)
			rep.Partial, err = true, nil
		}
	}()
	checkErr := a.Check()
	if err := checkErr; err != nil {
		var joined interface{ Unwrap() []error }
		if errors.As(err, &joined) {
			for _, e := range joined.Unwrap() {
				rep.problem("engine: %v", e)
			}
		} else {
			rep.problem("engine: %v", err)
		}
	}
	if errors.Is(checkErr, storage.ErrDamagedTree) {
		// Walking a broken tree through the map may read anything.
		rep.problem("records and indexes not walked: the file's page tree is damaged (restore it from a backup)")
		rep.Partial = true
		return rep, nil
	}
	err = a.eng.View(ctx, func(r storage.Reader) error {
		v := &verifier{ctx: ctx, r: r, rep: &rep, expected: map[string]int{}, f: folder{}}
		return v.run()
	})
	if err != nil {
		return rep, fmt.Errorf("archive: verify: %w", err)
	}
	return rep, nil
}

// verifier walks one snapshot of the store.
type verifier struct {
	ctx      context.Context
	r        storage.Reader
	rep      *VerifyReport
	expected map[string]int // index entries the records call for, by table
	inStory  int            // records that name a story
	f        folder
}

// errStopped ends a table's walk at keys out of order (reported).
var errStopped = errors.New("stopped")

func (v *verifier) run() error {
	err := v.walk(tRecords, v.record)
	if err != nil {
		return err
	}
	for _, table := range []string{tByTime, tBySource, tByLang, tByCategory} {
		if err := v.walk(table, func(kv storage.KV) error { return v.indexEntry(table, kv) }); err != nil {
			return err
		}
		if got, want := v.rep.Entries[table], v.expected[table]; got != want && !v.rep.Partial {
			v.rep.problem("%s: %d entries, but the records call for %d (%d stray)", table, got, want, got-want)
		}
	}
	if err := v.walk(tLinks, v.link); err != nil {
		return err
	}
	members := 0
	if err := v.walk(tStories, func(kv storage.KV) error {
		n, err := v.story(kv)
		members += n
		return err
	}); err != nil {
		return err
	}
	if members != v.inStory && !v.rep.Partial {
		v.rep.problem("%s: %d members listed, but %d records name a story", tStories, members, v.inStory)
	}
	count, err := v.r.Get(tMeta, keyCount)
	if err != nil {
		return err
	}
	v.rep.Counted = int(bytesUint64(count))
	if v.rep.Counted != v.rep.Records && !v.rep.Partial {
		v.rep.problem("meta: item count %d, but %d records", v.rep.Counted, v.rep.Records)
	}
	return nil
}

// walk calls fn with each entry of table in key order, counting them, and
// stops at keys out of order (a damaged page), which it reports.
func (v *verifier) walk(table string, fn func(kv storage.KV) error) error {
	var from, prev []byte
	for {
		if err := v.ctx.Err(); err != nil {
			return err
		}
		kvs, err := v.r.Scan(table, storage.Range{From: from, Limit: storage.MaxScan})
		if err != nil {
			return err
		}
		if len(kvs) == 0 {
			return nil
		}
		for _, kv := range kvs {
			if prev != nil && bytes.Compare(kv.Key, prev) <= 0 {
				v.rep.problem("%s: keys out of order (%q after %q): a damaged page; the walk of %s stops there", table, kv.Key, prev, table)
				v.rep.Partial = true
				return nil
			}
			prev = kv.Key
			if table != tRecords { // counted as Records
				v.rep.Entries[table]++
			}
			if err := fn(kv); err != nil {
				return err
			}
		}
		from = append(bytes.Clone(prev), 0)
	}
}

// record checks one record: it decodes, its index entries are there, and
// its story lists it.
func (v *verifier) record(kv storage.KV) error {
	v.rep.Records++
	it, err := decodeItem(kv.Value)
	if err != nil {
		v.rep.problem("records %q: does not decode: %v", kv.Key, err)
		return nil
	}
	it.Key = string(kv.Key)
	var seen []entry
	for _, e := range entries(&it, v.f) {
		if slices.Contains(seen, e) {
			continue // a category listed twice: one entry
		}
		seen = append(seen, e)
		v.expected[e.table]++
		got, err := v.r.Get(e.table, []byte(e.key))
		if err != nil {
			return err
		}
		if got == nil {
			v.rep.problem("%s: no entry for record %q (%s)", e.table, it.Key, it.Time.UTC().Format("2006-01-02T15:04:05Z"))
		}
	}
	if it.Story == "" {
		return nil
	}
	v.inStory++
	raw, err := v.r.Get(tStories, []byte(it.Story))
	if err != nil {
		return err
	}
	ms, _ := decodeMembers(raw)
	if !slices.ContainsFunc(ms, func(m member) bool { return m.Key == it.Key }) {
		v.rep.problem("%s: story %q does not list record %q, which names it", tStories, it.Story, it.Key)
	}
	return nil
}

// stored reads the record key names (nil: none, or undecodable, which the
// records walk reports).
func (v *verifier) stored(key []byte) (*storedRecord, error) {
	raw, err := v.r.Get(tRecords, key)
	if err != nil || raw == nil {
		return nil, err
	}
	it, err := decodeItem(raw)
	if err != nil {
		return &storedRecord{}, nil
	}
	return &storedRecord{link: it.Link, story: it.Story, ok: true}, nil
}

// storedRecord is what the pointer checks need of a record.
type storedRecord struct {
	link, story string
	ok          bool // decoded
}

// indexEntry checks that an index entry names a stored record.
func (v *verifier) indexEntry(table string, kv storage.KV) error {
	key, ok := indexedKey(table, kv.Key)
	if !ok {
		v.rep.problem("%s %q: not an index key", table, kv.Key)
		return nil
	}
	raw, err := v.r.Get(tRecords, key)
	if err != nil {
		return err
	}
	if raw == nil {
		v.rep.problem("%s %q: names record %q, which is not stored", table, kv.Key, key)
	}
	return nil
}

// link checks that a link index entry names a stored record with that link.
func (v *verifier) link(kv storage.KV) error {
	rec, err := v.stored(kv.Value)
	if err != nil {
		return err
	}
	switch {
	case rec == nil:
		v.rep.problem("%s %x: names record %q, which is not stored", tLinks, kv.Key, kv.Value)
	case rec.ok && !bytes.Equal(linkDigest(rec.link), kv.Key):
		v.rep.problem("%s %x: names record %q, whose link is another (%s)", tLinks, kv.Key, kv.Value, rec.link)
	}
	return nil
}

// story checks that each member of a story is a stored record naming that
// story, and returns how many it lists.
func (v *verifier) story(kv storage.KV) (int, error) {
	ms, ok := decodeMembers(kv.Value)
	if !ok {
		v.rep.problem("%s %q: its members do not decode", tStories, kv.Key)
	}
	for _, m := range ms {
		rec, err := v.stored([]byte(m.Key))
		if err != nil {
			return 0, err
		}
		switch {
		case rec == nil:
			v.rep.problem("%s %q: lists record %q, which is not stored", tStories, kv.Key, m.Key)
		case rec.ok && rec.story != string(kv.Key):
			v.rep.problem("%s %q: lists record %q, which names story %q", tStories, kv.Key, m.Key, rec.story)
		}
	}
	return len(ms), nil
}

// indexedKey is the record key an index entry ends with: after a scope name
// and its 0 byte (all but by_time), then the 8-byte time.
func indexedKey(table string, k []byte) ([]byte, bool) {
	if table != tByTime {
		i := bytes.IndexByte(k, 0)
		if i < 0 {
			return nil, false
		}
		k = k[i+1:]
	}
	if len(k) <= 8 {
		return nil, false
	}
	return k[8:], true
}
