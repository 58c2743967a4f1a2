package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"slices"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Staging, in the bbolt engine (WithStaging). A table's B+tree takes a
// batch's keys where they sort: the index entries of a first ingest — all
// of the same few hours, but from every source — land on most pages of
// each index, and every commit rewrites those pages, so a first ingest's
// writes grow like the square of its items. A staged table's puts are
// appended instead to a log of the table in commit order (stagedBucket, keyed by a
// sequence number: a commit writes a page or two of it), and kept in
// memory sorted by table and key; reads merge them with the table's own
// entries, a staged entry over the table's. When the staged entries reach
// the merge size, the batch that reaches it also moves the entries of the
// table that holds the most into it, in key order: each page of an index
// written once for thousands of entries, not once a commit, and one
// table's pages at a time in memory. Everything is in the one file and moves
// in the batches' transactions: a crash leaves the staged entries and the
// tables as the last commit left them, and the next open reads them again.
//
// Every open reads the staged entries, whichever tables it stages: a file
// is read the same by every engine that opens it.

// stagedBucket holds the staged writes: a log per table, a bucket inside
// it named as the table, of one record a batch keyed by an 8-byte sequence
// number and holding the CRC-32C of the rest, then the batch's puts,
// deletes and prefix deletes of the table (appendOp). Reading a table's
// records in order gives its staged entries; a record whose checksum or
// ops do not read is damage (ErrCorrupt), never a shorter log.
const stagedBucket = "\x00staged"

// DefaultMergeAt is how many staged entries the engine keeps before it
// merges a table's: ~40 bytes an index entry, a few MiB of memory.
const DefaultMergeAt = 32768

// logBytesPerEntry bounds the logs: a batch also merges once they hold
// this many bytes per entry the merge size allows (16 MiB by default),
// since a log grows with every staged write, overwrites and deletes too,
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
	txid     uint64 // the bbolt transaction whose state it is
	tables   map[string][]staged
	logBytes map[string]int // per table, the size of its log
	n        int            // entries, all tables
	bytes    int            // the logs' size, all tables
	seq      uint64         // the last record's number, all logs
}

func newStageSet() *stageSet {
	return &stageSet{tables: map[string][]staged{}, logBytes: map[string]int{}}
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

// full reports whether a table's entries are due to be merged.
func (s *stageSet) full(mergeAt int) bool {
	return s.n >= mergeAt || s.bytes >= mergeAt*logBytesPerEntry
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

// appendOp appends op to a log record.
func appendOp(b []byte, op stageOp) []byte {
	b = append(b, op.kind)
	b = binary.AppendUvarint(b, uint64(len(op.key)))
	b = append(b, op.key...)
	if op.kind == opPut {
		b = binary.AppendUvarint(b, uint64(len(op.value)))
		b = append(b, op.value...)
	}
	return b
}

// opSize is how many bytes appendOp appends for op.
func opSize(op stageOp) int {
	n := 1 + uvarintLen(len(op.key)) + len(op.key)
	if op.kind == opPut {
		n += uvarintLen(len(op.value)) + len(op.value)
	}
	return n
}

func uvarintLen(n int) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], uint64(n))
}

// readOps calls fn on each op of a log record, its key and value slices of rec.
func readOps(rec []byte, fn func(op stageOp)) error {
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
		var ok bool
		if op.key, ok = part(); !ok {
			return errors.New("bad key")
		}
		if op.kind == opPut {
			if op.value, ok = part(); !ok {
				return errors.New("bad value")
			}
		}
		fn(op)
	}
	return nil
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// castagnoli is the CRC-32C table a log record's checksum is made with.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// loadStage reads the staged entries tx holds: each table's log replayed.
func loadStage(tx *bolt.Tx) (*stageSet, error) {
	s := newStageSet()
	s.txid = uint64(tx.ID())
	root := tx.Bucket([]byte(stagedBucket))
	if root == nil {
		return s, nil
	}
	err := root.ForEachBucket(func(name []byte) error {
		table := string(name)
		state := map[string][]byte{}
		err := root.Bucket(name).ForEach(func(k, v []byte) error {
			if len(k) != 8 {
				return fmt.Errorf("record key %x: want 8 bytes", k)
			}
			s.seq = max(s.seq, binary.BigEndian.Uint64(k))
			s.logBytes[table] += len(v)
			if len(v) < 4 || crc32.Checksum(v[4:], castagnoli) != binary.BigEndian.Uint32(v) {
				return fmt.Errorf("%w: staged log of table %q, record %x: checksum mismatch", ErrCorrupt, table, k)
			}
			rec := bytes.Clone(v[4:]) // the entries' keys and values point into it
			err := readOps(rec, func(op stageOp) {
				switch op.kind {
				case opPut:
					state[string(op.key)] = op.value
				case opDelete:
					delete(state, string(op.key))
				case opPrefix:
					for k := range state {
						if strings.HasPrefix(k, string(op.key)) {
							delete(state, k)
						}
					}
				}
			})
			if err != nil {
				return fmt.Errorf("%w: staged log of table %q, record %x: %v", ErrCorrupt, table, k, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		es := make([]staged, 0, len(state))
		for k, v := range state {
			es = append(es, staged{key: []byte(k), value: v})
		}
		slices.SortFunc(es, func(a, b staged) int { return bytes.Compare(a.key, b.key) })
		if len(es) > 0 {
			s.tables[table] = es
		}
		s.n += len(es)
		s.bytes += s.logBytes[table]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: read staged entries: %w", err)
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
	room     map[string]int       // table → the batch's puts to it, when the caller counted them
}

func newStageBatch(base *stageSet) *stageBatch {
	return &stageBatch{base: base, ops: map[string][]stageOp{}, prefixes: map[string][][]byte{}, room: map[string]int{}}
}

func (sb *stageBatch) put(table string, key, value []byte) {
	ops := sb.ops[table]
	if ops == nil {
		ops = make([]stageOp, 0, sb.room[table])
	}
	sb.ops[table] = append(ops, stageOp{kind: opPut, key: key, value: value})
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
	byKey := func(a, b stageOp) int { return bytes.Compare(a.key, b.key) }
	if !slices.IsSortedFunc(ops, byKey) { // Apply puts them in key order (inKeyOrder)
		slices.SortStableFunc(ops, byKey)
	}
	out := ops[:0]
	for i, o := range ops {
		if i+1 < len(ops) && bytes.Equal(ops[i+1].key, o.key) {
			continue
		}
		out = append(out, o)
	}
	return out
}

// write appends the batch's record to each table's log and returns the set
// it leaves.
func (sb *stageBatch) write(tx *bolt.Tx) (*stageSet, error) {
	next := &stageSet{tables: maps.Clone(sb.base.tables), logBytes: maps.Clone(sb.base.logBytes), n: sb.base.n, bytes: sb.base.bytes, seq: sb.base.seq}
	if len(sb.ops) == 0 {
		return next, nil
	}
	root, err := tx.CreateBucketIfNotExists([]byte(stagedBucket))
	if err != nil {
		return nil, err
	}
	next.seq++
	for _, t := range slices.Sorted(maps.Keys(sb.ops)) {
		ops := final(sb.ops[t])
		size := 4
		for _, p := range sb.prefixes[t] {
			size += opSize(stageOp{kind: opPrefix, key: p})
		}
		for _, o := range ops {
			size += opSize(o)
		}
		rec := make([]byte, 4, size) // the checksum, filled in below
		for _, p := range sb.prefixes[t] {
			rec = appendOp(rec, stageOp{kind: opPrefix, key: p})
		}
		for _, o := range ops {
			rec = appendOp(rec, o)
		}
		if len(rec) == 4 {
			continue
		}
		binary.BigEndian.PutUint32(rec, crc32.Checksum(rec[4:], castagnoli))
		log, err := root.CreateBucketIfNotExists([]byte(t))
		if err != nil {
			return nil, err
		}
		if err := log.Put(seqKey(next.seq), rec); err != nil {
			return nil, err
		}
		next.logBytes[t] += len(rec)
		next.bytes += len(rec)
		es := mergeStaged(sb.base.tables[t], ops, sb.prefixes[t])
		next.n += len(es) - len(sb.base.tables[t])
		if len(es) > 0 {
			next.tables[t] = es
		} else {
			delete(next.tables, t)
		}
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

// mergeFullest moves the staged entries of the table whose log is the
// largest for its entries (entries, and log bytes counted as entries) into
// that table, in key order, drops its log, and returns the set left.
func mergeFullest(tx *bolt.Tx, s *stageSet) (*stageSet, error) {
	fullest, most := "", -1
	for _, t := range slices.Sorted(maps.Keys(s.logBytes)) {
		if w := len(s.tables[t]) + s.logBytes[t]/logBytesPerEntry; w > most {
			fullest, most = t, w
		}
	}
	if fullest == "" {
		return s, nil
	}
	return mergeTable(tx, s, fullest)
}

// mergeTable moves t's staged entries into t and drops its log.
func mergeTable(tx *bolt.Tx, s *stageSet, t string) (*stageSet, error) {
	b, err := tableBucket(tx, t)
	if err != nil {
		return nil, err
	}
	for _, e := range s.tables[t] {
		if err := b.Put(e.key, e.value); err != nil {
			return nil, fmt.Errorf("table %s: %w", t, err)
		}
	}
	if root := tx.Bucket([]byte(stagedBucket)); root != nil {
		if err := root.DeleteBucket([]byte(t)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
			return nil, err
		}
	}
	next := &stageSet{tables: maps.Clone(s.tables), logBytes: maps.Clone(s.logBytes), n: s.n - len(s.tables[t]), bytes: s.bytes - s.logBytes[t], seq: s.seq}
	delete(next.tables, t)
	delete(next.logBytes, t)
	return next, nil
}
