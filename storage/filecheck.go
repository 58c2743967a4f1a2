package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// ErrTruncated is returned by Open for a database file shorter than its own
// meta page says it is. bbolt maps such a file and dies of a memory fault
// (no recover catches it) on the first read past the end, so it is refused
// before bbolt sees it.
var ErrTruncated = errors.New("database file is truncated (a partial copy, or a disk that filled up?)")

// bbolt's on-disk meta page (go.etcd.io/bbolt/internal/common.Meta), native
// byte order, after the 16-byte page header of pages 0 and 1.
const (
	boltMagic       = 0xED0CDAED
	boltVersion     = 2
	pageHeaderSize  = 16
	metaSize        = 64 // magic … checksum
	metaChecksumOff = 56 // the checksum covers the bytes before it
)

// boltMeta is what a meta page says about the file.
type boltMeta struct {
	pageSize uint32
	root     uint64 // the root bucket's page
	pages    uint64 // high water mark: pages the file must hold
	txid     uint64
}

// parseMeta reads one meta page's fields; ok is false when the bytes are no
// valid meta (wrong magic or version, bad checksum), as bbolt would judge.
func parseMeta(b []byte) (m boltMeta, ok bool) {
	if len(b) < metaSize {
		return m, false
	}
	ne := binary.NativeEndian
	if ne.Uint32(b[0:]) != boltMagic || ne.Uint32(b[4:]) != boltVersion {
		return m, false
	}
	h := fnv.New64a()
	h.Write(b[:metaChecksumOff])
	if h.Sum64() != ne.Uint64(b[metaChecksumOff:]) {
		return m, false
	}
	return boltMeta{pageSize: ne.Uint32(b[8:]), root: ne.Uint64(b[16:]), pages: ne.Uint64(b[40:]), txid: ne.Uint64(b[48:])}, true
}

// newestMeta is the meta page bbolt opens a file at, given the file's first
// bytes (enough for both meta pages): the valid one with the greater
// transaction id; ok is false when neither is valid (bbolt then refuses the
// file itself).
func newestMeta(head []byte) (best boltMeta, ok bool) {
	readAt := func(off int) {
		if off+pageHeaderSize > len(head) {
			return
		}
		if m, valid := parseMeta(head[off+pageHeaderSize:]); valid && (!ok || m.txid > best.txid) {
			best, ok = m, true
		}
	}
	readAt(0)
	second := 4096 // bbolt's default page size, when the first meta page is unreadable
	if ok {
		second = int(best.pageSize)
	}
	readAt(second)
	return best, ok
}

// requiredSize is the size the newest valid meta page of a file says it has
// at least (newestMeta).
func requiredSize(head []byte) (size int64, ok bool) {
	m, ok := newestMeta(head)
	return int64(m.pages) * int64(m.pageSize), ok
}

// checkNotTruncated refuses a non-empty database file shorter than its meta
// page says. It reads the very file descriptor bbolt will map.
func checkNotTruncated(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() == 0 {
		return nil // a new database: bbolt writes its meta pages
	}
	head := make([]byte, 2*65536) // both meta pages at the largest page size bbolt uses
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	need, ok := requiredSize(head[:n])
	if ok && fi.Size() < need {
		return fmt.Errorf("%w: %d bytes, its meta page says %d; restore it from a backup, or move it aside to start an empty one", ErrTruncated, fi.Size(), need)
	}
	return nil
}
