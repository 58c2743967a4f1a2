package storage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// The file is mapped with initialMmap of address space from the start; the
// file then grows in bbolt's 16 MiB steps (AllocSize) from the first write,
// as it did past 16 MiB before, but sparse: the disk holds what was written.
func TestMappedAheadFileStaysSparse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for i := range 20 {
		var batch Batch
		for j := range 100 {
			batch.Put("t", fmt.Appendf(nil, "%04d-%04d", i, j), make([]byte, 200))
		}
		if err := b.Apply(context.Background(), &batch); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() >= initialMmap {
		t.Fatalf("file is %d bytes after 2,000 small entries: it grew to the map", fi.Size())
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		t.Skip("no block count on this system")
	}
	if used := st.Blocks * 512; used > 4<<20 {
		t.Fatalf("file of %d bytes holds %d bytes on disk after 2,000 small entries, want it sparse", fi.Size(), used)
	}
}
