package storage

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// The page walk reads a bbolt file's tree with pread, never through the map:
// a pointer or offset damaged to lead past the file's end is then a short
// read, not a SIGBUS. bbolt's own check (tx.Check) runs in a goroutine of
// its own, where no recover can catch such a fault; it runs only once this
// walk has found every page, element and value inside the file.
//
// Layout (go.etcd.io/bbolt/internal/common): a page header of id (8 bytes),
// flags (2), count (2), overflow (4); branch elements of pos, ksize (4 each)
// and child pgid (8); leaf elements of flags, pos, ksize, vsize (4 each);
// an element's key lies pos bytes after the element, its value right after
// the key; a bucket's value starts with its root pgid and sequence (8 each),
// and a root of 0 means the bucket's page follows inline.

const (
	branchPage     = 0x01
	leafPage       = 0x02
	bucketLeafFlag = 0x01
	elementSize    = 16
	bucketHeader   = 16
	maxPageProblem = 20
)

// pageWalk is one walk of a file's pages.
type pageWalk struct {
	f        io.ReaderAt
	pageSize int64
	pages    uint64 // the meta page's high-water mark: pages the tree may use
	seen     map[uint64]bool
	problems []string
}

// pageProblems walks the tree the newest valid meta page of f names and
// returns what is out of place (nil: every page, element, key and value lies
// inside the file and the pages the meta page counts).
func pageProblems(f *os.File) ([]string, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	head := make([]byte, 2*65536)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return nil, err
	}
	meta, ok := newestMeta(head[:n])
	if !ok {
		return []string{"no valid meta page"}, nil
	}
	w := &pageWalk{f: f, pageSize: int64(meta.pageSize), pages: meta.pages, seen: map[uint64]bool{}}
	if need := int64(meta.pages) * w.pageSize; fi.Size() < need {
		w.add("the file is %d bytes, its meta page says %d", fi.Size(), need)
		w.pages = uint64(fi.Size() / w.pageSize)
	}
	w.page(meta.root, 0)
	return w.problems, nil
}

func (w *pageWalk) add(format string, args ...any) {
	if len(w.problems) < maxPageProblem {
		w.problems = append(w.problems, fmt.Sprintf(format, args...))
	}
}

// page reads page id (a bucket's root or a branch's child) and what it
// points to; depth bounds a cycle's recursion.
func (w *pageWalk) page(id uint64, depth int) {
	if len(w.problems) >= maxPageProblem {
		return
	}
	if id < 2 || id >= w.pages {
		w.add("page %d: outside the file's %d pages", id, w.pages)
		return
	}
	if w.seen[id] || depth > 64 {
		w.add("page %d: reached twice (a cycle, or two parents)", id)
		return
	}
	w.seen[id] = true
	hdr := make([]byte, pageHeaderSize)
	if _, err := w.f.ReadAt(hdr, int64(id)*w.pageSize); err != nil {
		w.add("page %d: %v", id, err)
		return
	}
	overflow := uint64(binary.NativeEndian.Uint32(hdr[12:]))
	if got := binary.NativeEndian.Uint64(hdr); got != id {
		w.add("page %d: says it is page %d", id, got)
		return
	}
	if id+overflow >= w.pages {
		w.add("page %d: its %d overflow pages run past the file's %d pages", id, overflow, w.pages)
		return
	}
	buf := make([]byte, int64(overflow+1)*w.pageSize)
	if _, err := w.f.ReadAt(buf, int64(id)*w.pageSize); err != nil {
		w.add("page %d: %v", id, err)
		return
	}
	w.elements(fmt.Sprintf("page %d", id), buf, depth)
}

// elements checks the elements of the page in buf (a whole page, or an
// inline bucket's page) and follows what they point to.
func (w *pageWalk) elements(where string, buf []byte, depth int) {
	if len(buf) < pageHeaderSize {
		w.add("%s: shorter than a page header", where)
		return
	}
	flags := binary.NativeEndian.Uint16(buf[8:])
	count := int(binary.NativeEndian.Uint16(buf[10:]))
	if flags != branchPage && flags != leafPage {
		w.add("%s: neither a branch nor a leaf (flags %#x)", where, flags)
		return
	}
	if pageHeaderSize+count*elementSize > len(buf) {
		w.add("%s: %d elements do not fit in it", where, count)
		return
	}
	for i := range count {
		at := pageHeaderSize + i*elementSize
		e := buf[at : at+elementSize]
		if flags == branchPage {
			pos, ksize := int(binary.NativeEndian.Uint32(e)), int(binary.NativeEndian.Uint32(e[4:]))
			if at+pos+ksize > len(buf) || pos < 0 || ksize < 0 {
				w.add("%s: element %d's key lies outside the page", where, i)
				return
			}
			w.page(binary.NativeEndian.Uint64(e[8:]), depth+1)
			continue
		}
		eflags := binary.NativeEndian.Uint32(e)
		pos, ksize, vsize := int(binary.NativeEndian.Uint32(e[4:])), int(binary.NativeEndian.Uint32(e[8:])), int(binary.NativeEndian.Uint32(e[12:]))
		if pos < 0 || ksize < 0 || vsize < 0 || at+pos+ksize+vsize > len(buf) {
			w.add("%s: element %d's key or value lies outside the page", where, i)
			return
		}
		if eflags&bucketLeafFlag == 0 {
			continue
		}
		v := buf[at+pos+ksize : at+pos+ksize+vsize]
		if len(v) < bucketHeader {
			w.add("%s: element %d: a bucket's value of %d bytes", where, i, len(v))
			continue
		}
		if root := binary.NativeEndian.Uint64(v); root != 0 {
			w.page(root, depth+1)
		} else {
			w.elements(fmt.Sprintf("%s element %d (inline bucket)", where, i), v[bucketHeader:], depth+1)
		}
	}
}
