package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/nashra-ma/nashra/storage/etcdtest"
)

func openTestEtcd(t *testing.T, endpoints []string, prefix string) *Etcd {
	t.Helper()
	e, err := OpenEtcd(EtcdConfig{Endpoints: endpoints, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func count(t *testing.T, e Engine, table string) int {
	t.Helper()
	n := 0
	err := e.View(context.Background(), func(r Reader) error {
		rg := Range{}
		for {
			kvs, err := r.Scan(table, rg)
			if err != nil {
				return err
			}
			n += len(kvs)
			if len(kvs) < rg.limit() {
				return nil
			}
			rg.From = append(kvs[len(kvs)-1].Key, 0)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func value(t *testing.T, e Engine, table, key string) string {
	t.Helper()
	var v []byte
	if err := e.View(context.Background(), func(r Reader) error {
		var err error
		v, err = r.Get(table, []byte(key))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if v == nil {
		return "<absent>"
	}
	return string(v)
}

// bigBatch overwrites old/000..old/049, deletes old/050..old/099, and adds
// n new keys: chunks of every kind.
func bigBatch(n int, tag string) *Batch {
	b := &Batch{}
	for i := range 50 {
		b.Put("t", fmt.Appendf(nil, "old/%03d", i), []byte(tag))
	}
	b.DeletePrefix("t", []byte("old/05"))
	for i := 60; i < 100; i++ {
		b.Delete("t", fmt.Appendf(nil, "old/%03d", i))
	}
	for i := range n {
		b.Put("t", fmt.Appendf(nil, "new/%05d", i), []byte(tag))
	}
	b.Put("meta", []byte("seq"), []byte(tag))
	return b
}

var errCrash = errors.New("simulated crash")

func TestEtcdInterruptedBatch(t *testing.T) {
	cluster := etcdtest.Start(t, 1)
	cases := []struct {
		name      string
		stopAfter int // chunks landed before the "crash"
		// repairBy is what finds the dead batch: a new engine opening, or
		// a writer of another engine.
		repairBy string
	}{
		{"crash after the first chunk, repaired on open", 0, "open"},
		{"crash after several chunks, repaired on open", 5, "open"},
		{"crash after several chunks, repaired by the next apply", 5, "apply"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := fmt.Sprintf("/crash/%d/", i)
			e := openTestEtcd(t, cluster.Endpoints, prefix)
			seed := &Batch{}
			for i := range 100 {
				seed.Put("t", fmt.Appendf(nil, "old/%03d", i), []byte("seed"))
			}
			seed.Put("meta", []byte("seq"), []byte("seed"))
			if err := e.Apply(context.Background(), seed); err != nil {
				t.Fatal(err)
			}
			var e2 *Etcd
			if c.repairBy == "apply" { // opened before the crash: only its next write can repair
				e2 = openTestEtcd(t, cluster.Endpoints, prefix)
			}
			e.chunkHook = func(chunk int) error {
				if chunk == c.stopAfter {
					return errCrash
				}
				return nil
			}
			if err := e.Apply(context.Background(), bigBatch(2000, "dead")); !errors.Is(err, errCrash) {
				t.Fatalf("the dead batch: %v", err)
			}
			// The chunks really landed: etcd holds keys of the dead batch.
			raw, err := e.client.Get(context.Background(), prefix+"t/new/", clientv3.WithPrefix(), clientv3.WithCountOnly())
			if err != nil || raw.Count == 0 {
				t.Fatalf("no chunk of the dead batch landed (%v): the test tests nothing", err)
			}
			// Readers already see none of it.
			if n, v := count(t, e, "t"), value(t, e, "meta", "seq"); n != 100 || v != "seed" {
				t.Fatalf("while the dead batch is there: %d keys, seq %q; want 100, seed", n, v)
			}
			if c.repairBy == "open" {
				e2 = openTestEtcd(t, cluster.Endpoints, prefix)
			}
			check := func(when string, eng Engine) {
				t.Helper()
				raw, err := e.client.Get(context.Background(), prefix+"t/new/", clientv3.WithPrefix(), clientv3.WithCountOnly())
				if err != nil || raw.Count != 0 {
					t.Errorf("%s: %d keys of the dead batch are still in etcd (%v)", when, raw.Count, err)
				}
				if got := value(t, eng, "t", "old/000") + value(t, eng, "t", "old/055") + value(t, eng, "t", "old/099"); got != "seedseedseed" {
					t.Errorf("%s: old values %q, want them as before the dead batch", when, got)
				}
				if p, _ := e.client.Get(context.Background(), e.pendingKey()); len(p.Kvs) != 0 {
					t.Errorf("%s: the pending marker is still there", when)
				}
			}
			if c.repairBy == "open" {
				check("after opening", e2)
			}
			// A following batch shows none of the dead one.
			next := &Batch{Expect: []Cond{{Table: "meta", Key: []byte("seq"), Value: []byte("seed")}}}
			next.Put("t", []byte("old/001"), []byte("next"))
			next.Put("meta", []byte("seq"), []byte("next"))
			if err := e2.Apply(context.Background(), next); err != nil {
				t.Fatal(err)
			}
			check("after the next batch", e2)
			if n := count(t, e2, "t"); n != 100 {
				t.Errorf("after the next batch: %d keys, want 100", n)
			}
			if got := value(t, e2, "t", "old/001") + "," + value(t, e2, "t", "old/002"); got != "next,seed" {
				t.Errorf("after the next batch: %q", got)
			}
		})
	}
}
