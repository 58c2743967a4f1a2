// Package enginetest is the conformance suite every storage engine must pass unchanged.
package enginetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/storage"
)

// Opener opens an engine for one test. Reopen, when set, closes e and opens
// the same data again (persistence is checked only then).
type Opener struct {
	Open   func(t *testing.T) storage.Engine
	Reopen func(t *testing.T, e storage.Engine) storage.Engine
}

// Run runs the whole suite against the engines o opens.
func Run(t *testing.T, o Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"get of an absent key or table is nil", testGetAbsent},
		{"put, overwrite and delete in one batch apply in order", testOpsInOrder},
		{"an empty value is not an absent key", testEmptyValue},
		{"get many: in order, absent as nil, beyond one transaction", testGetMany},
		{"prefix deletes, and dropping a whole table", testDeletePrefix},
		{"binary keys sort bytewise", testBinaryKeys},
		{"scan bounds: prefix, from, to, limit", testScanBounds},
		{"reverse scan is newest first and resumable", testScanReverse},
		{"scan of an all-0xff prefix", testScanHighPrefix},
		{"a failed condition writes nothing", testConditionFails},
		{"an absent-key condition", testConditionAbsent},
		{"two writers deciding on one value: one wins", testConcurrentWriters},
		{"a cancelled batch writes nothing", testCancelled},
		{"a big batch is all or nothing", testBigBatch},
		{"a view is a snapshot", testSnapshot},
		{"values returned are the caller's", testValuesOwned},
		{"data survives reopening", testReopen},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, o) })
	}
}

func apply(t *testing.T, e storage.Engine, b *storage.Batch) {
	t.Helper()
	if err := e.Apply(context.Background(), b); err != nil {
		t.Fatalf("apply: %v", err)
	}
}

func get(t *testing.T, e storage.Engine, table, key string) []byte {
	t.Helper()
	var v []byte
	err := e.View(context.Background(), func(r storage.Reader) error {
		var err error
		v, err = r.Get(table, []byte(key))
		return err
	})
	if err != nil {
		t.Fatalf("get %s/%q: %v", table, key, err)
	}
	return v
}

func scan(t *testing.T, e storage.Engine, table string, rg storage.Range) []string {
	t.Helper()
	var out []string
	err := e.View(context.Background(), func(r storage.Reader) error {
		kvs, err := r.Scan(table, rg)
		for _, kv := range kvs {
			out = append(out, string(kv.Key)+"="+string(kv.Value))
		}
		return err
	})
	if err != nil {
		t.Fatalf("scan %s: %v", table, err)
	}
	return out
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func testGetAbsent(t *testing.T, o Opener) {
	e := o.Open(t)
	if v := get(t, e, "never_written", "k"); v != nil {
		t.Errorf("absent table: got %q", v)
	}
	b := &storage.Batch{}
	b.Put("t", []byte("a"), []byte("1"))
	apply(t, e, b)
	if v := get(t, e, "t", "b"); v != nil {
		t.Errorf("absent key: got %q", v)
	}
	if got := scan(t, e, "never_written", storage.Range{}); len(got) != 0 {
		t.Errorf("scan of an absent table: %q", got)
	}
}

func testOpsInOrder(t *testing.T, o Opener) {
	e := o.Open(t)
	b := &storage.Batch{}
	b.Put("t", []byte("k"), []byte("first"))
	b.Put("t", []byte("k"), []byte("second"))
	b.Put("t", []byte("gone"), []byte("x"))
	b.Delete("t", []byte("gone"))
	b.Delete("t", []byte("never-there"))
	b.Put("u", []byte("k"), []byte("other table"))
	apply(t, e, b)
	if v := get(t, e, "t", "k"); string(v) != "second" {
		t.Errorf("k = %q, want the last put", v)
	}
	if v := get(t, e, "t", "gone"); v != nil {
		t.Errorf("gone = %q, want deleted", v)
	}
	if v := get(t, e, "u", "k"); string(v) != "other table" {
		t.Errorf("tables are not separate: %q", v)
	}
}

func testEmptyValue(t *testing.T, o Opener) {
	e := o.Open(t)
	b := &storage.Batch{}
	b.Put("idx", []byte("k"), nil)
	apply(t, e, b)
	v := get(t, e, "idx", "k")
	if v == nil || len(v) != 0 {
		t.Errorf("empty value read back as %#v, want non-nil empty", v)
	}
	got := scan(t, e, "idx", storage.Range{})
	equal(t, "scan", got, []string{"k="})
}

func testGetMany(t *testing.T, o Opener) {
	e := o.Open(t)
	b := &storage.Batch{}
	const n = 300 // more than etcd's 128 operations per transaction
	for i := range n {
		if i%3 != 0 {
			b.Put("t", []byte(fmt.Sprintf("k%04d", i)), []byte(fmt.Sprintf("v%d", i)))
		}
	}
	b.Put("t", []byte("empty"), nil)
	apply(t, e, b)
	var ks [][]byte
	for i := n - 1; i >= 0; i-- { // not in key order
		ks = append(ks, []byte(fmt.Sprintf("k%04d", i)))
	}
	ks = append(ks, []byte("empty"), []byte("k0001"), []byte("k0001"))
	var got [][]byte
	err := e.View(context.Background(), func(r storage.Reader) error {
		var err error
		got, err = r.GetMany("t", ks)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ks) {
		t.Fatalf("%d values for %d keys", len(got), len(ks))
	}
	for i, k := range ks[:n] {
		j := n - 1 - i
		want := fmt.Sprintf("v%d", j)
		if j%3 == 0 {
			if got[i] != nil {
				t.Errorf("%s: %q, want absent (nil)", k, got[i])
			}
			continue
		}
		if string(got[i]) != want {
			t.Errorf("%s: %q, want %q", k, got[i], want)
		}
	}
	if v := got[n]; v == nil || len(v) != 0 {
		t.Errorf("empty value: %#v, want empty and not nil", v)
	}
	if string(got[n+1]) != "v1" || string(got[n+2]) != "v1" {
		t.Errorf("a key asked twice: %q, %q", got[n+1], got[n+2])
	}
	err = e.View(context.Background(), func(r storage.Reader) error {
		vs, err := r.GetMany("no-such-table", ks[:2])
		if err == nil && (len(vs) != 2 || vs[0] != nil || vs[1] != nil) {
			t.Errorf("absent table: %q", vs)
		}
		if vs, err := r.GetMany("t", nil); err != nil || len(vs) != 0 {
			t.Errorf("no keys: %q, %v", vs, err)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testBinaryKeys(t *testing.T, o Opener) {
	e := o.Open(t)
	keys := []string{"\x00", "\x00\x00", "\x00\xff", "a", "a\x00", "a\x00b", "\x7f", "\x80", "\xff", "\xff\xff"}
	b := &storage.Batch{}
	for i := len(keys) - 1; i >= 0; i-- {
		b.Put("bin", []byte(keys[i]), []byte{byte(i)})
	}
	apply(t, e, b)
	var want []string
	for i, k := range keys {
		want = append(want, k+"="+string([]byte{byte(i)}))
	}
	equal(t, "bytewise order", scan(t, e, "bin", storage.Range{}), want)
}

// fill writes keys p<i> for i in [0,n) with value v<i>, zero-padded.
func fill(t *testing.T, e storage.Engine, table, prefix string, n int) {
	t.Helper()
	b := &storage.Batch{}
	for i := range n {
		b.Put(table, fmt.Appendf(nil, "%s%03d", prefix, i), fmt.Appendf(nil, "v%d", i))
	}
	apply(t, e, b)
}

func keys(t *testing.T, e storage.Engine, table string, rg storage.Range) []string {
	t.Helper()
	var out []string
	for _, s := range scan(t, e, table, rg) {
		out = append(out, s[:bytes.IndexByte([]byte(s), '=')])
	}
	return out
}

func testScanBounds(t *testing.T, o Opener) {
	e := o.Open(t)
	fill(t, e, "s", "a/", 5)
	fill(t, e, "s", "b/", 5)
	fill(t, e, "s", "a", 1) // "a000": shares the byte "a" but not the prefix "a/"
	cases := []struct {
		name string
		rg   storage.Range
		want []string
	}{
		{"prefix only", storage.Range{Prefix: []byte("a/")}, []string{"a/000", "a/001", "a/002", "a/003", "a/004"}},
		{"from inside the prefix", storage.Range{Prefix: []byte("b/"), From: []byte("002")}, []string{"b/002", "b/003", "b/004"}},
		{"to is exclusive", storage.Range{Prefix: []byte("b/"), To: []byte("002")}, []string{"b/000", "b/001"}},
		{"from and to", storage.Range{Prefix: []byte("a/"), From: []byte("001"), To: []byte("003")}, []string{"a/001", "a/002"}},
		{"limit", storage.Range{Prefix: []byte("a/"), Limit: 2}, []string{"a/000", "a/001"}},
		{"no prefix, to bounds the table", storage.Range{To: []byte("a/001")}, []string{"a/000"}},
		{"empty range", storage.Range{Prefix: []byte("c/")}, nil},
		{"from past the end", storage.Range{Prefix: []byte("a/"), From: []byte("9")}, nil},
	}
	for _, c := range cases {
		equal(t, c.name, keys(t, e, "s", c.rg), c.want)
	}
	if got := scan(t, e, "s", storage.Range{Prefix: []byte("a/004")}); len(got) != 1 || got[0] != "a/004=v4" {
		t.Errorf("values come with keys: %q", got)
	}
}

func testScanReverse(t *testing.T, o Opener) {
	e := o.Open(t)
	fill(t, e, "r", "a/", 3)
	fill(t, e, "r", "b/", 7)
	fill(t, e, "r", "c/", 3)
	cases := []struct {
		name string
		rg   storage.Range
		want []string
	}{
		{"whole prefix, greatest first", storage.Range{Prefix: []byte("b/"), Reverse: true, Limit: 3}, []string{"b/006", "b/005", "b/004"}},
		{"below to", storage.Range{Prefix: []byte("b/"), To: []byte("004"), Reverse: true, Limit: 2}, []string{"b/003", "b/002"}},
		{"down to from", storage.Range{Prefix: []byte("b/"), From: []byte("005"), Reverse: true}, []string{"b/006", "b/005"}},
		{"last prefix of the table", storage.Range{Prefix: []byte("c/"), Reverse: true}, []string{"c/002", "c/001", "c/000"}},
		{"whole table", storage.Range{Reverse: true, Limit: 2}, []string{"c/002", "c/001"}},
		{"to past the end", storage.Range{Prefix: []byte("c/"), To: []byte("9"), Reverse: true, Limit: 1}, []string{"c/002"}},
	}
	for _, c := range cases {
		equal(t, c.name, keys(t, e, "r", c.rg), c.want)
	}
	// Resuming below the last key read walks the whole prefix exactly once.
	var all []string
	rg := storage.Range{Prefix: []byte("b/"), Reverse: true, Limit: 3}
	for {
		page := keys(t, e, "r", rg)
		all = append(all, page...)
		if len(page) < rg.Limit {
			break
		}
		rg.To = []byte(page[len(page)-1][len("b/"):])
	}
	equal(t, "paged", all, []string{"b/006", "b/005", "b/004", "b/003", "b/002", "b/001", "b/000"})
}

func testScanHighPrefix(t *testing.T, o Opener) {
	e := o.Open(t)
	b := &storage.Batch{}
	for _, k := range []string{"\xfe\xff", "\xff", "\xff\x00", "\xff\xff", "\xff\xff\x01"} {
		b.Put("h", []byte(k), nil)
	}
	apply(t, e, b)
	equal(t, "forward", keys(t, e, "h", storage.Range{Prefix: []byte("\xff\xff")}), []string{"\xff\xff", "\xff\xff\x01"})
	equal(t, "reverse", keys(t, e, "h", storage.Range{Prefix: []byte("\xff"), Reverse: true}), []string{"\xff\xff\x01", "\xff\xff", "\xff\x00", "\xff"})
}

func testConditionFails(t *testing.T, o Opener) {
	e := o.Open(t)
	b := &storage.Batch{}
	b.Put("meta", []byte("seq"), []byte("1"))
	apply(t, e, b)
	stale := &storage.Batch{Expect: []storage.Cond{{Table: "meta", Key: []byte("seq"), Value: []byte("0")}}}
	stale.Put("t", []byte("x"), []byte("written"))
	stale.Put("meta", []byte("seq"), []byte("2"))
	err := e.Apply(context.Background(), stale)
	if !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("apply on a stale condition: %v, want ErrConflict", err)
	}
	if v := get(t, e, "t", "x"); v != nil {
		t.Errorf("a refused batch wrote %q", v)
	}
	if v := get(t, e, "meta", "seq"); string(v) != "1" {
		t.Errorf("seq = %q after a refused batch", v)
	}
	fresh := &storage.Batch{Expect: []storage.Cond{{Table: "meta", Key: []byte("seq"), Value: []byte("1")}}}
	fresh.Put("t", []byte("x"), []byte("written"))
	apply(t, e, fresh)
	if v := get(t, e, "t", "x"); string(v) != "written" {
		t.Errorf("a batch whose condition holds: %q", v)
	}
}

func testConditionAbsent(t *testing.T, o Opener) {
	e := o.Open(t)
	create := func() error {
		b := &storage.Batch{Expect: []storage.Cond{{Table: "meta", Key: []byte("owner")}}}
		b.Put("meta", []byte("owner"), []byte("me"))
		return e.Apply(context.Background(), b)
	}
	if err := create(); err != nil {
		t.Fatalf("first create: %v", err)
	}
	if err := create(); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("second create: %v, want ErrConflict", err)
	}
	// An empty value is present, not absent.
	b := &storage.Batch{}
	b.Put("meta", []byte("empty"), nil)
	apply(t, e, b)
	b = &storage.Batch{Expect: []storage.Cond{{Table: "meta", Key: []byte("empty")}}}
	b.Put("meta", []byte("empty"), []byte("x"))
	if err := e.Apply(context.Background(), b); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("absent-condition on an empty value: %v, want ErrConflict", err)
	}
	b = &storage.Batch{Expect: []storage.Cond{{Table: "meta", Key: []byte("empty"), Value: []byte{}}}}
	b.Put("meta", []byte("empty"), []byte("x"))
	apply(t, e, b)
}

func testConcurrentWriters(t *testing.T, o Opener) {
	e := o.Open(t)
	b := &storage.Batch{}
	b.Put("meta", []byte("seq"), []byte("0"))
	apply(t, e, b)
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			b := &storage.Batch{Expect: []storage.Cond{{Table: "meta", Key: []byte("seq"), Value: []byte("0")}}}
			b.Put("meta", []byte("seq"), fmt.Appendf(nil, "w%d", i))
			b.Put("t", fmt.Appendf(nil, "w%d", i), nil)
			errs[i] = e.Apply(context.Background(), b)
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, storage.ErrConflict):
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d writers won, want exactly 1", won)
	}
	if got := scan(t, e, "t", storage.Range{}); len(got) != 1 {
		t.Errorf("losers wrote: %q", got)
	}
}

func testCancelled(t *testing.T, o Opener) {
	e := o.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	b := &storage.Batch{}
	b.Put("t", []byte("k"), []byte("v"))
	if err := e.Apply(ctx, b); !errors.Is(err, context.Canceled) {
		t.Fatalf("apply with a cancelled context: %v", err)
	}
	if v := get(t, e, "t", "k"); v != nil {
		t.Errorf("a cancelled batch wrote %q", v)
	}
}

func testBigBatch(t *testing.T, o Opener) {
	e := o.Open(t)
	seed := &storage.Batch{}
	seed.Put("meta", []byte("seq"), []byte("1"))
	apply(t, e, seed)
	const n = 5000 // a 1,000-item poll writes about this many entries
	big := func(seq string) *storage.Batch {
		b := &storage.Batch{Expect: []storage.Cond{{Table: "meta", Key: []byte("seq"), Value: []byte(seq)}}}
		for i := range n {
			b.Put("big", fmt.Appendf(nil, "%05d", i), bytes.Repeat([]byte{'x'}, 100))
		}
		b.Put("meta", []byte("seq"), []byte("2"))
		return b
	}
	if err := e.Apply(context.Background(), big("0")); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("big batch on a stale condition: %v", err)
	}
	if got := keys(t, e, "big", storage.Range{Limit: 1}); len(got) != 0 {
		t.Fatalf("a refused big batch left %q", got)
	}
	apply(t, e, big("1"))
	total := 0
	rg := storage.Range{Limit: 1000}
	for {
		page := keys(t, e, "big", rg)
		total += len(page)
		if len(page) < rg.Limit {
			break
		}
		rg.From = append([]byte(page[len(page)-1]), 0)
	}
	if total != n {
		t.Errorf("big batch: %d entries, want %d", total, n)
	}
}

func testSnapshot(t *testing.T, o Opener) {
	e := o.Open(t)
	b := &storage.Batch{}
	b.Put("t", []byte("a"), []byte("old"))
	apply(t, e, b)
	inView, applied := make(chan struct{}), make(chan error, 1)
	err := e.View(context.Background(), func(r storage.Reader) error {
		close(inView)
		go func() {
			w := &storage.Batch{}
			w.Put("t", []byte("a"), []byte("new"))
			w.Put("t", []byte("b"), []byte("new"))
			applied <- e.Apply(context.Background(), w)
		}()
		// bbolt lets a write commit beside a read transaction; an engine that
		// serialises them would block here, which is also a snapshot.
		select {
		case err := <-applied:
			applied <- err
		case <-waitBriefly():
		}
		a, err := r.Get("t", []byte("a"))
		if err != nil {
			return err
		}
		bv, err := r.Get("t", []byte("b"))
		if err != nil {
			return err
		}
		if string(a) != "old" || bv != nil {
			t.Errorf("the view saw a later batch: a=%q b=%q", a, bv)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-applied; err != nil {
		t.Fatal(err)
	}
	if v := get(t, e, "t", "b"); string(v) != "new" {
		t.Errorf("after the view: b=%q", v)
	}
}

func testValuesOwned(t *testing.T, o Opener) {
	e := o.Open(t)
	b := &storage.Batch{}
	b.Put("t", []byte("k"), []byte("value"))
	apply(t, e, b)
	var kept []byte
	var kvs []storage.KV
	e.View(context.Background(), func(r storage.Reader) error {
		kept, _ = r.Get("t", []byte("k"))
		kvs, _ = r.Scan("t", storage.Range{})
		return nil
	})
	for i := range 200 { // churn pages so that a borrowed slice would change
		b := &storage.Batch{}
		b.Put("t", []byte("k"), fmt.Appendf(nil, "overwritten %d", i))
		b.Put("t", fmt.Appendf(nil, "filler%03d", i), bytes.Repeat([]byte{'z'}, 500))
		apply(t, e, b)
	}
	if string(kept) != "value" || len(kvs) != 1 || string(kvs[0].Key) != "k" || string(kvs[0].Value) != "value" {
		t.Errorf("values changed after their view: get %q, scan %q", kept, kvs)
	}
}

func testReopen(t *testing.T, o Opener) {
	if o.Reopen == nil {
		t.Skip("engine keeps nothing across reopening")
	}
	e := o.Open(t)
	b := &storage.Batch{}
	b.Put("t", []byte("k"), []byte("kept"))
	apply(t, e, b)
	e = o.Reopen(t, e)
	if v := get(t, e, "t", "k"); string(v) != "kept" {
		t.Errorf("after reopening: %q", v)
	}
}

func waitBriefly() <-chan time.Time { return time.After(50 * time.Millisecond) }

func testDeletePrefix(t *testing.T, o Opener) {
	e := o.Open(t)
	fill(t, e, "p", "a/", 3)
	fill(t, e, "p", "ab", 2)
	fill(t, e, "p", "b/", 2)
	fill(t, e, "q", "x", 2)
	b := &storage.Batch{}
	b.DeletePrefix("p", []byte("a/"))
	b.Put("p", []byte("a/new"), nil) // a put after the delete stays
	b.DeletePrefix("q", nil)
	b.DeletePrefix("never_written", nil)
	apply(t, e, b)
	equal(t, "after deleting a/", keys(t, e, "p", storage.Range{}), []string{"a/new", "ab000", "ab001", "b/000", "b/001"})
	equal(t, "dropped table", keys(t, e, "q", storage.Range{}), nil)
	fill(t, e, "q", "y", 1)
	equal(t, "a dropped table can be written again", keys(t, e, "q", storage.Range{}), []string{"y000"})
}
