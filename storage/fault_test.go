package storage

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A page pointer damaged to point past the file's end (one flipped byte
// does it, seen from outside) reads unmapped-but-reserved address space:
// the kernel raises SIGBUS, which no recover catches unless the goroutine
// asked for a panic on fault. Every read, write and check meets it as
// ErrCorrupt; the process lives on.
func TestPagePastTheFileIsAnErrorNotACrash(t *testing.T) {
	ctx := context.Background()
	path, root, pageSize := branchyFile(t)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	page := make([]byte, pageSize)
	if _, err := f.ReadAt(page, root*pageSize); err != nil {
		t.Fatal(err)
	}
	if flags := binary.LittleEndian.Uint16(page[8:]); flags&0x01 == 0 {
		t.Fatalf("table root %d is not a branch page (flags %#x): the test needs more entries", root, flags)
	}
	// The first branch element's child (pos, ksize, then pgid) now lies
	// far past the file's end, inside the address space mapped ahead.
	f.Close()
	b := patched(t, path, root*pageSize+16+8, binary.LittleEndian.AppendUint64(nil, 100_000))
	err = b.View(ctx, func(r Reader) error {
		_, err := r.Scan("t", Range{Limit: 10})
		return err
	})
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("read across the damaged pointer: %v, want ErrCorrupt", err)
	}
	var put Batch
	put.Put("t", []byte("00001"), []byte("x"))
	if err := b.Apply(ctx, &put); !errors.Is(err, ErrCorrupt) {
		t.Errorf("write across the damaged pointer: %v, want ErrCorrupt", err)
	}
	if err := b.Check(); err == nil {
		t.Error("Check found nothing")
	}
}

// A meta page whose body is zeroed (its header kept) is not used by bbolt,
// which opens the file at the other meta page's commit: the newest commit
// may be lost without a word. Check says so (seen from outside: verify
// said ok).
func TestCheckFindsADamagedMetaPage(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		var batch Batch
		batch.Put("t", fmt.Appendf(nil, "%d", i), []byte("v"))
		if err := b.Apply(ctx, &batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Check(); err != nil {
		t.Fatalf("healthy file: %v", err)
	}
	b.Close()
	b = patched(t, path, 16, make([]byte, 4096-16))
	err = b.Check()
	if err == nil || !strings.Contains(err.Error(), "meta page 0: damaged") {
		t.Errorf("Check = %v, want meta page 0 damaged", err)
	}
}

// patched writes data at off in the (closed) file at path, as damage would,
// and opens it again; the store is closed when the test ends.
func patched(t *testing.T, path string, off int64, data []byte) *Bolt {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(data, off); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// bbolt's check runs in a goroutine of its own, where a fault cannot be
// made a panic: a key position or an overflow count damaged to lead past
// the file's end killed the process there (seen from outside), or made it
// read gigabytes. The tree is walked with pread first; a broken one is
// reported as ErrDamagedTree and bbolt's check is not run on it.
func TestCheckWalksADamagedTreeWithoutTheMap(t *testing.T) {
	for _, tc := range []struct {
		name  string
		at    func(root, pageSize int64) int64
		bytes []byte
		want  string
	}{
		{"a branch key's position past the file", func(root, ps int64) int64 { return root*ps + 16 + 3 }, []byte{0x01}, "key lies outside the page"},
		{"an overflow count past the file", func(root, ps int64) int64 { return root*ps + 15 }, []byte{0xff}, "overflow pages run past"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, root, pageSize := branchyFile(t)
			b := patched(t, path, tc.at(root, pageSize), tc.bytes)
			err := b.Check()
			if !errors.Is(err, ErrDamagedTree) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check = %v, want ErrDamagedTree saying %q", err, tc.want)
			}
		})
	}
}

// branchyFile is a closed bbolt file whose table "t" has a branch page as
// its root (2,000 entries), checked healthy: its path, that root and the
// page size.
func branchyFile(t *testing.T) (path string, root, pageSize int64) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "b.db")
	b, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var batch Batch
	for j := range 2000 {
		batch.Put("t", fmt.Appendf(nil, "%05d", j), make([]byte, 100))
	}
	if err := b.Apply(context.Background(), &batch); err != nil {
		t.Fatal(err)
	}
	if err := b.Check(); err != nil {
		t.Fatalf("healthy file: %v", err)
	}
	b.db.View(func(tx *bolt.Tx) error {
		root, pageSize = int64(tx.Bucket([]byte("t")).Root()), int64(tx.DB().Info().PageSize)
		return nil
	})
	return path, root, pageSize
}
