package storage

import (
	"bytes"
	"fmt"
	"sort"
)

// An etcd transaction may not put one key twice, nor put a key inside a range
// it deletes, and it holds at most so many operations and bytes. etcdPlan
// turns a batch's ordered operations into chunks that respect all three and,
// applied one after another, leave what the operations in order would.

// etcdOp is one operation on absolute keys: a put, or the deletion of
// [key, end) (end nil: the one key).
type etcdOp struct {
	key, value []byte
	del        bool
	end        []byte
}

func (o etcdOp) size() int { return len(o.key) + len(o.value) + len(o.end) + etcdOpOverhead }

// etcdOpOverhead is a generous bound on the bytes an operation adds to a
// request beyond its key and value (protobuf tags and lengths).
const etcdOpOverhead = 16

// phase is a set of operations no two of which conflict: puts of distinct
// keys, none inside a deleted range.
type phase struct {
	puts map[string][]byte
	dels []etcdOp
}

func (p *phase) covers(k []byte) bool {
	for _, d := range p.dels {
		if d.end != nil && bytes.Compare(k, d.key) >= 0 && bytes.Compare(k, d.end) < 0 {
			return true
		}
	}
	return false
}

// ops is the phase in a fixed order: deletes, then puts by key.
func (p *phase) ops() []etcdOp {
	out := append([]etcdOp(nil), p.dels...)
	keys := make([]string, 0, len(p.puts))
	for k := range p.puts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, etcdOp{key: []byte(k), value: p.puts[k]})
	}
	return out
}

// etcdPhases folds ops into phases: a later put or point delete of a key
// replaces an earlier one in the same phase, a range delete drops the puts
// it covers, and only a put inside a range deleted earlier in the phase
// needs a new phase.
func etcdPhases(ops []etcdOp) []*phase {
	cur := &phase{puts: map[string][]byte{}}
	phases := []*phase{cur}
	for _, o := range ops {
		switch {
		case !o.del:
			if cur.covers(o.key) {
				cur = &phase{puts: map[string][]byte{}}
				phases = append(phases, cur)
			}
			cur.dels = removePoint(cur.dels, o.key)
			cur.puts[string(o.key)] = o.value
		case o.end == nil:
			delete(cur.puts, string(o.key))
			if !cur.covers(o.key) {
				cur.dels = append(removePoint(cur.dels, o.key), o)
			}
		default:
			for k := range cur.puts {
				if k >= string(o.key) && k < string(o.end) {
					delete(cur.puts, k)
				}
			}
			cur.dels = append(cur.dels, o)
		}
	}
	if len(phases) > 1 && len(cur.puts) == 0 && len(cur.dels) == 0 {
		phases = phases[:len(phases)-1]
	}
	return phases
}

func removePoint(dels []etcdOp, k []byte) []etcdOp {
	out := dels[:0]
	for _, d := range dels {
		if d.end != nil || !bytes.Equal(d.key, k) {
			out = append(out, d)
		}
	}
	return out
}

// etcdChunks splits phases into chunks of at most maxOps operations and
// maxBytes bytes; a chunk never spans two phases.
func etcdChunks(phases []*phase, maxOps, maxBytes int) ([][]etcdOp, error) {
	var chunks [][]etcdOp
	for _, p := range phases {
		var cur []etcdOp
		size := 0
		for _, o := range p.ops() {
			if o.size() > maxBytes {
				return nil, fmt.Errorf("one entry of %d bytes is more than a transaction may hold (%d)", o.size(), maxBytes)
			}
			if len(cur) == maxOps || size+o.size() > maxBytes {
				chunks = append(chunks, cur)
				cur, size = nil, 0
			}
			cur = append(cur, o)
			size += o.size()
		}
		if len(cur) > 0 {
			chunks = append(chunks, cur)
		}
	}
	return chunks, nil
}
