package storage

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
)

// CopyLimits bound one batch of a copy: etcd takes 128 operations and about
// 1.5 MiB in one transaction (the engine chunks a larger batch behind a
// marker, but a copy has no need of that), bbolt pays one fsync a batch.
type CopyLimits struct {
	Ops   int
	Bytes int
}

// CopyLimitsFor is the batch size that suits dst as a copy's destination:
// well inside one etcd transaction, so that no batch needs chunking; large
// for bbolt, where a batch costs an fsync.
func CopyLimitsFor(dst Engine) CopyLimits {
	if e, ok := dst.(*Etcd); ok {
		return CopyLimits{Ops: max(1, min(100, e.limits.ops-4)), Bytes: e.limits.bytes * 2 / 3}
	}
	if _, ok := dst.(*Bolt); ok {
		return CopyLimits{Ops: 10000, Bytes: 32 << 20}
	}
	return CopyLimits{Ops: 100, Bytes: 1 << 20}
}

// TableSum is what a table holds: its entries and a digest of every key and
// value in key order, so two tables can be compared byte for byte without
// holding either in memory.
type TableSum struct {
	Entries int
	Digest  [sha256.Size]byte
}

// copyPage is how many entries one Scan of a copy reads.
const copyPage = 1000

// CopyTable copies every entry of table from snapshot r into dst, in batches
// within lim, each of which also expects guard (a marker the copier holds).
// after, when set, runs after each batch lands (its error stops the copy).
// It returns the sum of what it read.
func CopyTable(ctx context.Context, r Reader, dst Engine, table string, lim CopyLimits, guard []Cond, after func() error) (TableSum, error) {
	s := newSummer()
	b := &Batch{Expect: guard}
	size := 0
	flush := func() error {
		if len(b.Ops) == 0 {
			return nil
		}
		if err := dst.Apply(ctx, b); err != nil {
			return fmt.Errorf("storage: copy %s: %w", table, err)
		}
		b, size = &Batch{Expect: guard}, 0
		if after != nil {
			return after()
		}
		return nil
	}
	err := eachEntry(r, table, func(kv KV) error {
		s.add(kv)
		n := len(table) + len(kv.Key) + len(kv.Value)
		if len(b.Ops) > 0 && (len(b.Ops) >= lim.Ops || size+n > lim.Bytes) {
			if err := flush(); err != nil {
				return err
			}
		}
		b.Put(table, kv.Key, kv.Value)
		size += n
		return ctx.Err()
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return TableSum{}, err
	}
	return s.sum(), nil
}

// SumTable reads every entry of table from snapshot r.
func SumTable(r Reader, table string) (TableSum, error) {
	s := newSummer()
	if err := eachEntry(r, table, func(kv KV) error { s.add(kv); return nil }); err != nil {
		return TableSum{}, err
	}
	return s.sum(), nil
}

// eachEntry calls fn on every entry of table in key order, a page at a time.
func eachEntry(r Reader, table string, fn func(KV) error) error {
	var from []byte
	for {
		page, err := r.Scan(table, Range{From: from, Limit: copyPage})
		if err != nil {
			return fmt.Errorf("storage: read %s: %w", table, err)
		}
		for _, kv := range page {
			if err := fn(kv); err != nil {
				return err
			}
		}
		if len(page) < copyPage {
			return nil
		}
		// The least key after the last one read.
		from = append(append([]byte(nil), page[len(page)-1].Key...), 0)
	}
}

type summer struct {
	n int
	h hash.Hash
}

func newSummer() *summer { return &summer{h: sha256.New()} }

// add hashes each key and value after its length, so that no two different
// tables hash alike by moving bytes between a key and a value.
func (s *summer) add(kv KV) {
	s.n++
	var l [binary.MaxVarintLen64]byte
	s.h.Write(l[:binary.PutUvarint(l[:], uint64(len(kv.Key)))])
	s.h.Write(kv.Key)
	s.h.Write(l[:binary.PutUvarint(l[:], uint64(len(kv.Value)))])
	s.h.Write(kv.Value)
}

func (s *summer) sum() TableSum {
	t := TableSum{Entries: s.n}
	s.h.Sum(t.Digest[:0])
	return t
}
