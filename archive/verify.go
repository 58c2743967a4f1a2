package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/nashra-ma/nashra/news"
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
	// Partial: the walk stopped at a page too damaged to read, so the
	// figures above count only what was read before it.
	Partial bool `json:"partial,omitempty"`
}

// OK reports whether nothing disagreed.
func (r VerifyReport) OK() bool { return r.Found == 0 }

const maxVerifyProblems = 50

// verifyBatch is how many records one read transaction checks: a check of
// a million items never holds one snapshot open for all of them.
const verifyBatch = 1000

func (r *VerifyReport) problem(format string, args ...any) {
	r.Found++
	if len(r.Problems) < maxVerifyProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Verify reads the whole store and says what does not agree: the engine's
// own check (bbolt's pages), then every record decoded, each record's index
// entries (time, sources, language, categories) present, no index entry,
// link or story member naming a record that is not there, and the item count
// equal to the records. It changes nothing. A damaged page or record is a
// problem reported, not an error; an error is a store that cannot be read.
func (a *Archive) Verify(ctx context.Context) (rep VerifyReport, err error) {
	defer func() {
		// A page too damaged to read ends the walk: that is the finding.
		if errors.Is(err, storage.ErrCorrupt) {
			rep.problem("%v", err)
			rep.Partial, err = true, nil
		}
	}()
	rep = VerifyReport{Entries: map[string]int{}}
	if err := a.Check(); err != nil {
		rep.problem("engine: %v", err)
	}
	expected := map[string]int{} // index entries the records call for, by table
	f := folder{}
	err = a.walkTable(ctx, tRecords, func(r storage.Reader, kv storage.KV) error {
		rep.Records++
		it, err := decodeItem(kv.Value)
		if err != nil {
			rep.problem("records %q: does not decode: %v", kv.Key, err)
			return nil
		}
		it.Key = string(kv.Key)
		return verifyEntries(r, &it, f, expected, &rep)
	})
	if err != nil {
		return rep, err
	}
	for _, table := range []string{tByTime, tBySource, tByLang, tByCategory} {
		if err := a.verifyIndex(ctx, table, &rep); err != nil {
			return rep, err
		}
		if got, want := rep.Entries[table], expected[table]; got != want {
			rep.problem("%s: %d entries, but the records call for %d (%d stray)", table, got, want, got-want)
		}
	}
	if err := a.verifyPointers(ctx, tLinks, &rep, func(_, v []byte) [][]byte { return [][]byte{v} }); err != nil {
		return rep, err
	}
	if err := a.verifyPointers(ctx, tStories, &rep, func(k, v []byte) [][]byte {
		ms, ok := decodeMembers(v)
		if !ok {
			rep.problem("%s %q: its members do not decode", tStories, k)
		}
		keys := make([][]byte, len(ms))
		for i, m := range ms {
			keys[i] = []byte(m.Key)
		}
		return keys
	}); err != nil {
		return rep, err
	}
	n, err := a.Count()
	if err != nil {
		return rep, err
	}
	rep.Counted = n
	if n != rep.Records {
		rep.problem("meta: item count %d, but %d records", n, rep.Records)
	}
	return rep, nil
}

// verifyEntries checks that each index entry of it is present, and adds
// them to expected.
func verifyEntries(r storage.Reader, it *news.Item, f folder, expected map[string]int, rep *VerifyReport) error {
	var seen []entry
	for _, e := range entries(it, f) {
		if slices.Contains(seen, e) {
			continue // a category listed twice: one entry
		}
		seen = append(seen, e)
		expected[e.table]++
		v, err := r.Get(e.table, []byte(e.key))
		if err != nil {
			return err
		}
		if v == nil {
			rep.problem("%s: no entry for record %q (%s)", e.table, it.Key, it.Time.UTC().Format("2006-01-02T15:04:05Z"))
		}
	}
	return nil
}

// verifyIndex counts table's entries and checks each names a stored record.
func (a *Archive) verifyIndex(ctx context.Context, table string, rep *VerifyReport) error {
	return a.verifyPointers(ctx, table, rep, func(k, _ []byte) [][]byte {
		key, ok := indexedKey(table, k)
		if !ok {
			rep.problem("%s %q: not an index key", table, k)
			return nil
		}
		return [][]byte{key}
	})
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

// verifyPointers walks table and checks that every record key targets
// finds in an entry is stored.
func (a *Archive) verifyPointers(ctx context.Context, table string, rep *VerifyReport, targets func(k, v []byte) [][]byte) error {
	return a.walkTable(ctx, table, func(r storage.Reader, kv storage.KV) error {
		rep.Entries[table]++
		for _, key := range targets(kv.Key, kv.Value) {
			v, err := r.Get(tRecords, key)
			if err != nil {
				return err
			}
			if v == nil {
				rep.problem("%s %q: names record %q, which is not stored", table, kv.Key, key)
			}
		}
		return nil
	})
}

// walkTable calls fn with each entry of table in key order, verifyBatch
// entries a read transaction.
func (a *Archive) walkTable(ctx context.Context, table string, fn func(r storage.Reader, kv storage.KV) error) error {
	var from []byte
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var last []byte
		err := a.eng.View(ctx, func(r storage.Reader) error {
			kvs, err := r.Scan(table, storage.Range{From: from, Limit: verifyBatch})
			if err != nil {
				return err
			}
			for _, kv := range kvs {
				last = kv.Key
				if err := fn(r, kv); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("archive: verify %s: %w", table, err)
		}
		if last == nil {
			return nil
		}
		from = append(bytes.Clone(last), 0)
	}
}
