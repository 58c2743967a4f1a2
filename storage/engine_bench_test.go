package storage_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// BenchmarkEngines compares the engines on one poll's write (50 items ≈ 350
// entries: record, indexes, postings) and one page's read (the newest 100 of
// a 10,000-entry index, then their records).
func BenchmarkEngines(b *testing.B) {
	engines := []struct {
		name string
		open func(b *testing.B) storage.Engine
	}{
		{"bbolt", func(b *testing.B) storage.Engine {
			e, err := storage.OpenBolt(filepath.Join(b.TempDir(), "db"))
			if err != nil {
				b.Fatal(err)
			}
			return e
		}},
		{"etcd-1", func(b *testing.B) storage.Engine {
			e, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: etcdtest.Start(b, 1).Endpoints})
			if err != nil {
				b.Fatal(err)
			}
			return e
		}},
	}
	ctx := context.Background()
	record := make([]byte, 600)
	for _, eng := range engines {
		e := eng.open(b)
		seed := &storage.Batch{}
		for i := range 10000 {
			k := fmt.Appendf(nil, "%08d", i)
			seed.Put("items", k, record)
			seed.Put("by_time", k, nil)
		}
		if err := e.Apply(ctx, seed); err != nil {
			b.Fatal(err)
		}
		b.Run(eng.name+"/apply-50-items", func(b *testing.B) {
			n := 0
			for b.Loop() {
				batch := &storage.Batch{}
				for range 50 {
					n++
					k := fmt.Appendf(nil, "p%08d", n)
					batch.Put("items", k, record)
					for ix := range 3 {
						batch.Put(fmt.Sprintf("by_%d", ix), k, nil)
					}
					for term := range 3 {
						batch.Put("terms", fmt.Appendf(nil, "%d/%s", term, k), nil)
					}
				}
				if err := e.Apply(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(eng.name+"/view-100-newest", func(b *testing.B) {
			for b.Loop() {
				err := e.View(ctx, func(r storage.Reader) error {
					idx, err := r.Scan("by_time", storage.Range{Reverse: true, Limit: 100})
					if err != nil {
						return err
					}
					for _, kv := range idx {
						if _, err := r.Get("items", kv.Key); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(eng.name+"/view-100-newest-getmany", func(b *testing.B) {
			for b.Loop() {
				err := e.View(ctx, func(r storage.Reader) error {
					idx, err := r.Scan("by_time", storage.Range{Reverse: true, Limit: 100})
					if err != nil {
						return err
					}
					keys := make([][]byte, len(idx))
					for i, kv := range idx {
						keys[i] = kv.Key
					}
					_, err = r.GetMany("items", keys)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		e.Close()
	}
}
