package storage_test

import (
	"context"
	"errors"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

func TestEtcdFence(t *testing.T) {
	cluster := etcdtest.Start(t, 1)
	e, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: cluster.Endpoints, Prefix: "/fence/"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	put, err := e.Client().Put(ctx, "/election/leader", "me")
	if err != nil {
		t.Fatal(err)
	}
	leader := e.WithFence("/election/leader", put.Header.Revision)
	write := func(n int, eng storage.Engine) error {
		b := &storage.Batch{}
		for i := range n {
			b.Put("t", []byte{byte(i >> 8), byte(i)}, []byte("v"))
		}
		return eng.Apply(ctx, b)
	}
	cases := []struct {
		name  string
		ops   int
		setup func()
		want  error
	}{
		{"fence in place: small batch", 3, func() {}, nil},
		{"fence in place: chunked batch", 500, func() {}, nil},
		{"fence key re-created by a new leader: refused", 3, func() {
			e.Client().Delete(ctx, "/election/leader")
			e.Client().Put(ctx, "/election/leader", "other")
		}, storage.ErrFenced},
		{"fence key re-created: chunked batch refused", 500, func() {}, storage.ErrFenced},
		{"fence key gone: refused", 3, func() { e.Client().Delete(ctx, "/election/leader") }, storage.ErrFenced},
	}
	for _, c := range cases {
		c.setup()
		if err := write(c.ops, leader); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	// The refused writes left nothing: only the first two batches' keys.
	resp, err := e.Client().Get(ctx, "/fence/t/", clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil || resp.Count != 500 {
		t.Errorf("keys after refused writes: %d (%v), want 500", resp.Count, err)
	}
	if p, _ := e.Client().Get(ctx, "/fence/!pending"); len(p.Kvs) != 0 {
		t.Errorf("a refused chunked batch left its marker")
	}
	// The unfenced engine still writes.
	if err := write(3, e); err != nil {
		t.Errorf("unfenced engine: %v", err)
	}
}

func TestEtcdCompaction(t *testing.T) {
	cluster := etcdtest.Start(t, 1)
	e, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: cluster.Endpoints, Prefix: "/compact/"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	for _, v := range []string{"a", "b", "c"} {
		b := &storage.Batch{}
		b.Put("t", []byte("k"), []byte(v))
		b.Put("t", []byte("k"+v), nil)
		if err := e.Apply(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	// A chunked batch too, whose marker revisions are then compacted.
	big := &storage.Batch{}
	for i := range 300 {
		big.Put("big", []byte{byte(i >> 8), byte(i)}, []byte("x"))
	}
	if err := e.Apply(ctx, big); err != nil {
		t.Fatal(err)
	}
	rev, err := e.Client().Get(ctx, "/compact/!commit")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client().Compact(ctx, rev.Header.Revision, clientv3.WithCompactPhysical()); err != nil {
		t.Fatal(err)
	}
	err = e.View(ctx, func(r storage.Reader) error {
		v, err := r.Get("t", []byte("k"))
		if err != nil {
			return err
		}
		kvs, err := r.Scan("t", storage.Range{Reverse: true})
		if err != nil {
			return err
		}
		n, err := r.Scan("big", storage.Range{})
		if string(v) != "c" || len(kvs) != 4 || len(n) != 300 {
			t.Errorf("after compaction: k=%q, %d keys in t, %d in big", v, len(kvs), len(n))
		}
		return err
	})
	if err != nil {
		t.Fatalf("view after compaction: %v", err)
	}
	b := &storage.Batch{Expect: []storage.Cond{{Table: "t", Key: []byte("k"), Value: []byte("c")}}}
	b.Put("t", []byte("k"), []byte("d"))
	if err := e.Apply(ctx, b); err != nil {
		t.Fatalf("apply after compaction: %v", err)
	}
}
