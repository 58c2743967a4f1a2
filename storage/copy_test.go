package storage_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/nashra-ma/nashra/storage"
)

func openBolt(t *testing.T) *storage.Bolt {
	t.Helper()
	e, err := storage.OpenBolt(filepath.Join(t.TempDir(), "x.db"), storage.WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// batchSizes wraps an engine to record the size of every batch applied.
type batchSizes struct {
	storage.Engine
	ops, bytes []int
}

func (b *batchSizes) Apply(ctx context.Context, batch *storage.Batch) error {
	n := 0
	for _, op := range batch.Ops {
		n += len(op.Table) + len(op.Key) + len(op.Value)
	}
	b.ops, b.bytes = append(b.ops, len(batch.Ops)), append(b.bytes, n)
	return b.Engine.Apply(ctx, batch)
}

func TestCopyTableInBoundedBatches(t *testing.T) {
	ctx := context.Background()
	src := openBolt(t)
	fill := &storage.Batch{}
	const n = 2500 // more than one page of the copy's reads
	for i := range n {
		fill.Put("t", fmt.Appendf(nil, "k%05d", i), fmt.Appendf(nil, "%0100d", i))
	}
	fill.Put("other", []byte("k"), []byte("not copied"))
	if err := src.Apply(ctx, fill); err != nil {
		t.Fatal(err)
	}
	guard := []storage.Cond{{Table: "m", Key: []byte("marker"), Value: []byte("mine")}}
	tests := []struct {
		name string
		lim  storage.CopyLimits
	}{
		{"by operations", storage.CopyLimits{Ops: 7, Bytes: 1 << 20}},
		{"by bytes", storage.CopyLimits{Ops: 1000, Bytes: 1000}},
		{"one entry over the byte bound goes alone", storage.CopyLimits{Ops: 1000, Bytes: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := &batchSizes{Engine: openBolt(t)}
			mark := &storage.Batch{}
			mark.Put("m", []byte("marker"), []byte("mine"))
			if err := dst.Engine.Apply(ctx, mark); err != nil {
				t.Fatal(err)
			}
			var copied, read storage.TableSum
			err := src.View(ctx, func(r storage.Reader) error {
				var err error
				if copied, err = storage.CopyTable(ctx, r, dst, "t", tt.lim, guard, nil); err != nil {
					return err
				}
				read, err = storage.SumTable(r, "t")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if copied != read || copied.Entries != n {
				t.Fatalf("copied %d entries (digest equal: %v), want %d", copied.Entries, copied == read, n)
			}
			for i := range dst.ops {
				if dst.ops[i] > tt.lim.Ops || (dst.bytes[i] > tt.lim.Bytes && dst.ops[i] > 1) {
					t.Fatalf("batch %d: %d ops, %d bytes: over %+v", i, dst.ops[i], dst.bytes[i], tt.lim)
				}
			}
			var got storage.TableSum
			dst.View(ctx, func(r storage.Reader) error { got, err = storage.SumTable(r, "t"); return err })
			if got != read {
				t.Errorf("destination holds %d entries, digest equal %v", got.Entries, got == read)
			}
		})
	}
}

func TestCopyTableStopsWhenItsMarkerIsGone(t *testing.T) {
	ctx := context.Background()
	src, dst := openBolt(t), openBolt(t)
	fill := &storage.Batch{}
	fill.Put("t", []byte("a"), []byte("1"))
	if err := src.Apply(ctx, fill); err != nil {
		t.Fatal(err)
	}
	guard := []storage.Cond{{Table: "m", Key: []byte("marker"), Value: []byte("mine")}}
	err := src.View(ctx, func(r storage.Reader) error {
		_, err := storage.CopyTable(ctx, r, dst, "t", storage.CopyLimitsFor(dst), guard, nil)
		return err
	})
	if !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("copy without the marker: %v, want ErrConflict", err)
	}
}
