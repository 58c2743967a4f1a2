package storage

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
)

func TestInKeyOrder(t *testing.T) {
	put := func(table, key, v string) Op { return Op{Table: table, Key: []byte(key), Value: []byte(v)} }
	del := func(table, key string) Op { return Op{Table: table, Key: []byte(key), Delete: true} }
	drop := func(table, prefix string) Op {
		return Op{Table: table, Key: []byte(prefix), Delete: true, Prefix: true}
	}
	show := func(ops []Op) string {
		s := ""
		for _, o := range ops {
			switch {
			case o.Prefix:
				s += fmt.Sprintf("[drop %s/%s]", o.Table, o.Key)
			case o.Delete:
				s += fmt.Sprintf("[del %s/%s]", o.Table, o.Key)
			default:
				s += fmt.Sprintf("[%s/%s=%s]", o.Table, o.Key, o.Value)
			}
		}
		return s
	}
	for _, c := range []struct {
		name string
		in   []Op
		want string
	}{
		{"sorted by table then key", []Op{put("b", "2", "x"), put("a", "9", "y"), put("b", "1", "z")}, "[a/9=y][b/1=z][b/2=x]"},
		{"one key's ops keep their order", []Op{put("a", "k", "1"), del("a", "k"), put("a", "j", "2"), put("a", "k", "3")}, "[a/j=2][a/k=1][del a/k][a/k=3]"},
		{"a prefix delete stays between what came before and after", []Op{put("a", "p2", "1"), put("a", "p1", "2"), drop("a", "p"), put("a", "p3", "3"), put("a", "b", "4")},
			"[a/p1=2][a/p2=1][drop a/p][a/b=4][a/p3=3]"},
		{"nothing", nil, ""},
	} {
		in := show(c.in)
		if got := show(inKeyOrder(c.in)); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		if show(c.in) != in {
			t.Errorf("%s: the caller's ops were changed", c.name)
		}
	}
}

// The same batch in any order leaves the same state: a prefix delete
// between puts of its keys, a key put twice and deleted.
func TestApplyInKeyOrderKeepsTheBatchMeaning(t *testing.T) {
	eng, err := OpenBolt(filepath.Join(t.TempDir(), "k.db"), WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ctx := context.Background()
	var b Batch
	b.Put("t", []byte("p2"), []byte("old"))
	b.Put("t", []byte("z"), []byte("1"))
	b.DeletePrefix("t", []byte("p"))
	b.Put("t", []byte("p3"), []byte("new"))
	b.Put("t", []byte("z"), []byte("2"))
	b.Put("t", []byte("a"), []byte("gone"))
	b.Delete("t", []byte("a"))
	if err := eng.Apply(ctx, &b); err != nil {
		t.Fatal(err)
	}
	var got string
	eng.View(ctx, func(r Reader) error {
		kvs, err := r.Scan("t", Range{})
		for _, kv := range kvs {
			got += fmt.Sprintf("%s=%s ", kv.Key, kv.Value)
		}
		return err
	})
	if want := "p3=new z=2 "; got != want {
		t.Errorf("table after the batch: %q, want %q", got, want)
	}
}

// BenchmarkInKeyOrder sorts the ops of one poll of 100,000 new items (seven
// entries each, random keys): a shutdown cannot stop it, so it must be quick.
func BenchmarkInKeyOrder(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	tables := []string{"records", "by_time", "by_source", "by_lang", "by_category", "links", "story_members"}
	var ops []Op
	for range 100_000 {
		for _, t := range tables {
			k := make([]byte, 24)
			for i := range k {
				k[i] = byte(rng.IntN(256))
			}
			ops = append(ops, Op{Table: t, Key: k, Value: []byte("v")})
		}
	}
	for b.Loop() {
		inKeyOrder(ops)
	}
}

// inKeyOrderOne is inKeyOrder as one sort of each run by table, key and
// position, as it was before it grouped the run by table: the oracle of
// TestInKeyOrderAgreesWithOneSort.
func inKeyOrderOne(ops []Op) []Op {
	var out []Op
	start := 0
	for i := 0; i <= len(ops); i++ {
		if i < len(ops) && !ops[i].Prefix {
			continue
		}
		idx := make([]int, 0, i-start)
		for j := start; j < i; j++ {
			idx = append(idx, j)
		}
		slices.SortFunc(idx, func(a, b int) int {
			return cmp.Or(cmp.Compare(ops[a].Table, ops[b].Table), bytes.Compare(ops[a].Key, ops[b].Key), cmp.Compare(a, b))
		})
		for _, j := range idx {
			out = append(out, ops[j])
		}
		if i < len(ops) {
			out = append(out, ops[i])
		}
		start = i + 1
	}
	return out
}

// TestInKeyOrderAgreesWithOneSort: random batches of puts, deletes and
// prefix deletes over a few tables and a small key space (ties on keys
// many), ordered as one sort by table, key and position orders them.
func TestInKeyOrderAgreesWithOneSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tables := []string{"records", "by_time", "links", "by_source"}
	for round := range 500 {
		var ops []Op
		for range rng.IntN(60) {
			op := Op{Table: tables[rng.IntN(len(tables))], Key: []byte{byte('a' + rng.IntN(4)), byte('a' + rng.IntN(4))}, Value: []byte{byte(rng.IntN(256))}}
			switch rng.IntN(10) {
			case 0:
				op.Delete, op.Prefix, op.Key = true, true, op.Key[:rng.IntN(2)]
			case 1, 2:
				op.Delete, op.Value = true, nil
			}
			ops = append(ops, op)
		}
		got, want := inKeyOrder(ops), inKeyOrderOne(ops)
		if len(got) != len(want) {
			t.Fatalf("round %d: %d ops, want %d", round, len(got), len(want))
		}
		for i := range got {
			if got[i].Table != want[i].Table || !bytes.Equal(got[i].Key, want[i].Key) || !bytes.Equal(got[i].Value, want[i].Value) ||
				got[i].Delete != want[i].Delete || got[i].Prefix != want[i].Prefix {
				t.Fatalf("round %d, op %d: %+v, want %+v", round, i, got[i], want[i])
			}
		}
	}
}
