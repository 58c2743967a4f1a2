package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Staging, in the bbolt engine (WithStaging). A table's B+tree takes a
// batch's keys where they sort: the index entries of a first ingest — all
// of the same few hours, but from every source — land on most pages of
// each index, and every commit rewrites those pages, so a first ingest's
// writes grow like the square of its items. A staged table's puts are
// appended instead to one table in commit order (stagedBucket, keyed by a
// sequence number: a commit writes a page or two of it), and kept in
// memory sorted by table and key; reads merge them with the table's own
// entries, a staged entry over the table's. When the staged entries reach
// the merge size, the batch that reaches it also moves them all into their
// tables, in key order: each page of an index written once for thousands
// of entries, not once a commit. Everything is in the one file and moves
// in the batches' transactions: a crash leaves the staged entries and the
// tables as the last commit left them, and the next open reads them again.
//
// Every open reads the staged entries, whichever tables it stages: a file
// is read the same by every engine that opens it.

// stagedBucket holds the staged writes as a log: one record a batch, keyed
// by an 8-byte sequence number, holding the batch's puts, deletes and
// prefix deletes of staged tables (stageChunk). Reading the records in
// order gives the staged entries.
const stagedBucket = "\x00staged"

// DefaultMergeAt is how many staged entries the engine keeps before it
// moves them into their tables: ~40 bytes an index entry, a few MiB of
// memory, and a merge every few thousand items stored.
const DefaultMergeAt = 32768

// logBytesPerEntry bounds the log: a batch also merges once the log holds
// this many bytes per entry the merge size allows (16 MiB by default),
// since the log grows with every staged write, overwrites and deletes too,
// which add no entry.
const logBytesPerEntry = 512

// staged is one staged put.
type staged struct {
	key, value []byte
}

// stageSet is the staged entries as one committed transaction left them:
// per table, sorted by key. Never changed once made: each batch that stages
// makes a new one, and a snapshot keeps the one of its transaction.
type stageSet struct {
	txid   uint64 // the bbolt transaction whose state it is
	tables map[string][]staged
	n      int    // entries, all tables
	seq    uint64 // the log's last record
	bytes  int    // the log's size
}

// find is where key is or would be in table's entries, and whether it is.
func (s *stageSet) find(table string, key []byte) (int, bool) {
	if s == nil {
		return 0, false
	}
	es := s.tables[table]
	i := sort.Search(len(es), func(i int) bool { return bytes.Compare(es[i].key, key) >= 0 })
	return i, i < len(es) && bytes.Equal(es[i].key, key)
}

// get is the value staged at key in table.
func (s *stageSet) get(table string, key []byte) ([]byte, bool) {
	i, ok := s.find(table, key)
	if !ok {
		return nil, false
	}
	return s.tables[table][i].value, true
}

// span is table's entries in [lo, hi) (hi nil: no bound), in key order.
func (s *stageSet) span(table string, lo, hi []byte) []staged {
	if s == nil {
		return nil
	}
	es := s.tables[table]
	i, _ := s.find(table, lo)
	j := len(es)
	if hi != nil {
		j, _ = s.find(table, hi)
	}
	if j < i {
		return nil
	}
	return es[i:j]
}

// The kinds of a log record's ops.
const (
	opPut    = 1
	opDelete = 2
	opPrefix = 3
)

// stageOp is a put, a delete or a prefix delete of a staged table.
type stageOp struct {
	kind       byte
	key, value []byte
}

// appendOp appends op on table to a log record.
func appendOp(b []byte, table string, op stageOp) []byte {
	b = append(b, op.kind)
	b = binary.AppendUvarint(b, uint64(len(table)))
	b = append(b, table...)
	b = binary.AppendUvarint(b, uint64(len(op.key)))
	b = append(b, op.key...)
	if op.kind == opPut {
		b = binary.AppendUvarint(b, uint64(len(op.value)))
		b = append(b, op.value...)
	}
	return b
}

// readOps calls fn on each op of a log record, its key and value slices of rec.
func readOps(rec []byte, fn func(table string, op stageOp)) error {
	part := func() ([]byte, bool) {
		n, w := binary.Uvarint(rec)
		if w <= 0 || uint64(len(rec)-w) < n {
			return nil, false
		}
		p := rec[w : w+int(n) : w+int(n)]
		rec = rec[w+int(n):]
		return p, true
	}
	for len(rec) > 0 {
		op := stageOp{kind: rec[0]}
		rec = rec[1:]
		if op.kind < opPut || op.kind > opPrefix {
			return fmt.Errorf("op kind %d", op.kind)
		}
		table, ok := part()
		if !ok {
			return errors.New("bad table name")
		}
		if op.key, ok = part(); !ok {
			return errors.New("bad key")
		}
		if op.kind == opPut {
			if op.value, ok = part(); !ok {
				return errors.New("bad value")
			}
		}
		fn(string(table), op)
	}
	return nil
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// loadStage reads the staged entries tx holds: the log replayed.
func loadStage(tx *bolt.Tx) (*stageSet, error) {
	s := &stageSet{txid: uint64(tx.ID()), tables: map[string][]staged{}}
	b := tx.Bucket([]byte(stagedBucket))
	if b == nil {
		return s, nil
	}
	state := map[string]map[string][]byte{}
	err := b.ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			return fmt.Errorf("staged log record key %x: want 8 bytes", k)
		}
		s.seq = max(s.seq, binary.BigEndian.Uint64(k))
		s.bytes += len(v)
		rec := bytes.Clone(v) // the entries' keys and values point into it
		err := readOps(rec, func(table string, op stageOp) {
			m := state[table]
			if m == nil {
				m = map[string][]byte{}
				state[table] = m
			}
			switch op.kind {
			case opPut:
				m[string(op.key)] = op.value
			case opDelete:
				delete(m, string(op.key))
			case opPrefix:
				for k := range m {
					if strings.HasPrefix(k, string(op.key)) {
						delete(m, k)
					}
				}
			}
		})
		if err != nil {
			return fmt.Errorf("staged log record %x: %w", k, err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: read staged entries: %w", err)
	}
	for table, m := range state {
		es := make([]staged, 0, len(m))
		for k, v := range m {
			es = append(es, staged{key: []byte(k), value: v})
		}
		slices.SortFunc(es, func(a, b staged) int { return bytes.Compare(a.key, b.key) })
		if len(es) > 0 {
			s.tables[table] = es
		}
		s.n += len(es)
	}
	return s, nil
}

// stageBatch is one batch's ops on the staged tables, applied to a base
// set: per table its puts and deletes in the batch's order (a prefix
// delete cancels those before it at once), resolved at the end.
type stageBatch struct {
	base     *stageSet
	ops      map[string][]stageOp // table → its puts and deletes, in order
	prefixes map[string][][]byte  // table → prefixes deleted (an empty one: all)
}

func newStageBatch(base *stageSet) *stageBatch {
	return &stageBatch{base: base, ops: map[string][]stageOp{}, prefixes: map[string][][]byte{}}
}

func (sb *stageBatch) put(table string, key, value []byte) {
	sb.ops[table] = append(sb.ops[table], stageOp{kind: opPut, key: key, value: value})
}

func (sb *stageBatch) delete(table string, key []byte) {
	sb.ops[table] = append(sb.ops[table], stageOp{kind: opDelete, key: key})
}

func (sb *stageBatch) deletePrefix(table string, prefix []byte) {
	sb.ops[table] = slices.DeleteFunc(sb.ops[table], func(o stageOp) bool { return bytes.HasPrefix(o.key, prefix) })
	sb.prefixes[table] = append(sb.prefixes[table], bytes.Clone(prefix))
	if sb.ops[table] == nil {
		sb.ops[table] = []stageOp{} // touched all the same
	}
}

// final is the last op on each key of ops, sorted by key.
func final(ops []stageOp) []stageOp {
	slices.SortStableFunc(ops, func(a, b stageOp) int { return bytes.Compare(a.key, b.key) })
	out := ops[:0]
	for i, o := range ops {
		if i+1 < len(ops) && bytes.Equal(ops[i+1].key, o.key) {
			continue
		}
		out = append(out, o)
	}
	return out
}

// write appends the batch's record to the log and returns the set it
// leaves.
func (sb *stageBatch) write(tx *bolt.Tx) (*stageSet, error) {
	next := &stageSet{tables: make(map[string][]staged, len(sb.base.tables)+len(sb.ops)), n: sb.base.n, seq: sb.base.seq, bytes: sb.base.bytes}
	for t, es := range sb.base.tables {
		if _, touched := sb.ops[t]; !touched {
			next.tables[t] = es
		}
	}
	if len(sb.ops) == 0 {
		return next, nil
	}
	var rec []byte
	for _, t := range slices.Sorted(maps.Keys(sb.ops)) {
		for _, p := range sb.prefixes[t] {
			rec = appendOp(rec, t, stageOp{kind: opPrefix, key: p})
		}
		ops := final(sb.ops[t])
		for _, o := range ops {
			rec = appendOp(rec, t, o)
		}
		es := mergeStaged(sb.base.tables[t], ops, sb.prefixes[t])
		next.n += len(es) - len(sb.base.tables[t])
		if len(es) > 0 {
			next.tables[t] = es
		}
	}
	b, err := tx.CreateBucketIfNotExists([]byte(stagedBucket))
	if err != nil {
		return nil, err
	}
	next.seq++
	next.bytes += len(rec)
	if err := b.Put(seqKey(next.seq), rec); err != nil {
		return nil, err
	}
	return next, nil
}

// mergeStaged is base (sorted entries) with ops (sorted, one a key) and the
// prefix deletes before them applied: a new list, base left as it is. The
// keys and values put are copied, into one allocation.
func mergeStaged(base []staged, ops []stageOp, prefixes [][]byte) []staged {
	size := 0
	for _, o := range ops {
		size += len(o.key) + len(o.value)
	}
	arena := make([]byte, 0, size)
	keep := func(b []byte) []byte {
		arena = append(arena, b...)
		return arena[len(arena)-len(b) : len(arena) : len(arena)]
	}
	prefixed := func(k []byte) bool {
		for _, p := range prefixes {
			if bytes.HasPrefix(k, p) {
				return true
			}
		}
		return false
	}
	out := make([]staged, 0, len(base)+len(ops))
	i, j := 0, 0
	for i < len(base) || j < len(ops) {
		if i < len(base) && len(prefixes) > 0 && prefixed(base[i].key) {
			i++
			continue
		}
		c := 1
		switch {
		case i == len(base):
		case j == len(ops):
			c = -1
		default:
			c = bytes.Compare(base[i].key, ops[j].key)
		}
		if c < 0 {
			out = append(out, base[i])
			i++
			continue
		}
		if c == 0 {
			i++ // replaced or deleted
		}
		if o := ops[j]; o.kind == opPut {
			out = append(out, staged{key: keep(o.key), value: keep(o.value)})
		}
		j++
	}
	return out
}

// mergeStage moves every staged entry of s into its table, in table and key
// order, and empties the log. It returns the (empty) set left.
func mergeStage(tx *bolt.Tx, s *stageSet) (*stageSet, error) {
	for _, t := range slices.Sorted(maps.Keys(s.tables)) {
		b, err := tableBucket(tx, t)
		if err != nil {
			return nil, err
		}
		for _, e := range s.tables[t] {
			if err := b.Put(e.key, e.value); err != nil {
				return nil, fmt.Errorf("table %s: %w", t, err)
			}
		}
	}
	if err := dropBucket(tx, stagedBucket); err != nil {
		return nil, err
	}
	return &stageSet{tables: map[string][]staged{}, seq: s.seq}, nil
}

// full reports whether s is due to be merged.
func (s *stageSet) full(mergeAt int) bool {
	return s.n >= mergeAt || s.bytes >= mergeAt*logBytesPerEntry
}
