// Package storage holds nashra's data in an engine: records and ordered indexes in named tables, read in snapshots and written one atomic batch at a time. It makes no decisions.
package storage

import (
	"context"
	"errors"
)

// Engine is a key-value store of named tables with ordered keys. It answers
// questions and applies writes; what to write is decided above it (package
// archive). Every engine passes the conformance suite in storage/enginetest.
type Engine interface {
	// View runs fn on a consistent snapshot: no batch applied meanwhile is
	// half-visible to it. fn must not keep the Reader after it returns.
	View(ctx context.Context, fn func(Reader) error) error
	// Apply writes b's operations in order, all of them or none. It fails
	// with ErrConflict, writing nothing, unless every condition of b holds
	// at the moment it commits: that is how a writer detects another one.
	// When ctx ends before the batch commits, nothing is written.
	Apply(ctx context.Context, b *Batch) error
	Close() error
}

// Reader reads one snapshot.
type Reader interface {
	// Get returns the value at key in table, or nil when there is none.
	// The value is the caller's to keep.
	Get(table string, key []byte) ([]byte, error)
	// GetMany is Get of each key, in one round trip where the engine has
	// trips (etcd): the values in the order of keys, nil where absent.
	GetMany(table string, keys [][]byte) ([][]byte, error)
	// Scan returns up to r.Limit entries of table inside r, in key order
	// (reversed when r.Reverse: greatest key first). Keys and values are the
	// caller's to keep. To read on, scan again from past the last key.
	Scan(table string, r Range) ([]KV, error)
}

// KV is one entry of a table.
type KV struct{ Key, Value []byte }

// Range selects keys of one table: those starting with Prefix and, within
// the prefix, at or after Prefix+From and before Prefix+To (nil: no bound).
type Range struct {
	Prefix   []byte
	From, To []byte
	Reverse  bool
	// Limit is the most entries one Scan returns; engines cap it at MaxScan.
	Limit int
}

// MaxScan is the most entries one Scan returns, whatever Limit says, so that
// no single read holds a snapshot open for the whole store.
const MaxScan = 10000

// Batch is one atomic write: the conditions it needs, then its operations.
type Batch struct {
	// Expect lists values that must be in place when the batch commits (a nil
	// Value: the key must be absent).
	Expect []Cond
	Ops    []Op
}

// Cond is one condition of a batch.
type Cond struct {
	Table string
	Key   []byte
	Value []byte
}

// Op puts Value at Key in Table, or deletes the key when Delete is set, or
// deletes every key of Table that starts with Key when Prefix is set too (an
// empty Key: the whole table), as a migration drops what it has replaced.
type Op struct {
	Table  string
	Key    []byte
	Value  []byte
	Delete bool
	Prefix bool
}

// Put adds a put to b.
func (b *Batch) Put(table string, key, value []byte) {
	if value == nil {
		value = []byte{}
	}
	b.Ops = append(b.Ops, Op{Table: table, Key: key, Value: value})
}

// Delete adds a delete to b.
func (b *Batch) Delete(table string, key []byte) {
	b.Ops = append(b.Ops, Op{Table: table, Key: key, Delete: true})
}

// DeletePrefix adds the deletion of every key of table starting with prefix.
func (b *Batch) DeletePrefix(table string, prefix []byte) {
	b.Ops = append(b.Ops, Op{Table: table, Key: prefix, Delete: true, Prefix: true})
}

// ErrConflict is returned by Apply when a condition of the batch does not
// hold: another writer changed what the batch was decided on.
var ErrConflict = errors.New("storage: another writer changed the data this write was decided on")

// ErrClosed is returned by an engine used after Close.
var ErrClosed = errors.New("storage: engine is closed")

// keyEnd is the least key greater than every key starting with prefix (nil:
// no such key, the prefix is all 0xff).
func keyEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// bounds is r as absolute keys: [lo, hi), hi nil for no upper bound.
func (r Range) bounds() (lo, hi []byte) {
	lo = append(append([]byte(nil), r.Prefix...), r.From...)
	if r.To != nil {
		hi = append(append([]byte(nil), r.Prefix...), r.To...)
	} else {
		hi = keyEnd(r.Prefix)
	}
	return lo, hi
}

func (r Range) limit() int {
	if r.Limit <= 0 || r.Limit > MaxScan {
		return MaxScan
	}
	return r.Limit
}
