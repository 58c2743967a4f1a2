package record

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"sync"
)

// The summary is the one field worth compressing: ~300 characters of text,
// ~550 bytes of Arabic UTF-8, where every letter spends a byte on its block
// (0xD8/0xD9). On the varied sample of the tests (TestSizes, benchmarks),
// compress/flate at BestSpeed takes 246 bytes off a median Arabic record
// (913 → 661) and 82 off a French one (557 → 475), for ~14 µs more per
// Encode and ~6 µs more per Decode. Higher levels save a few bytes more for
// twice the time; HuffmanOnly saves less for about the same time: short
// texts gain from entropy coding, hardly from matches.
const (
	// minDeflate is the shortest summary worth trying: below it flate's
	// block header eats what its codes save.
	minDeflate = 96
	// maxRatio bounds what a compressed summary may claim to expand to:
	// deflate cannot beat 1032:1, so a larger claim is garbage, and is
	// refused before anything is allocated for it.
	maxRatio = 1032
	// maxPooled is the largest scratch buffer kept for the next record, so
	// that one huge summary does not pin its size in the pool for good.
	maxPooled = 64 << 10
)

// deflateWorth reports whether a compressed summary earns its flag and its
// decoding cost: it must save an eighth of the text.
func deflateWorth(raw, compressed int) bool {
	return compressed+uvarintLen(uint64(raw)) <= raw-raw/8
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// The pools are caches, not state: what Encode and Decode return never
// depends on them. A flate.Writer costs ~600 KB and ~0.5 ms to make and a
// reader tens of KB, against ~15 µs and ~6 µs to reset and use one.
var (
	deflaters = sync.Pool{New: func() any { return newDeflater() }}
	inflaters = sync.Pool{New: func() any { return new(inflater) }}
)

// sink is an io.Writer that appends to a reused slice.
type sink struct{ b []byte }

func (s *sink) Write(p []byte) (int, error) {
	s.b = append(s.b, p...)
	return len(p), nil
}

type deflater struct {
	w   *flate.Writer
	in  []byte // the summary as bytes: flate.Writer has no WriteString
	out sink
}

func newDeflater() *deflater {
	d := new(deflater)
	w, err := flate.NewWriter(&d.out, flate.BestSpeed)
	if err != nil {
		panic(err) // only for an invalid level, and the level is a constant
	}
	d.w = w
	return d
}

// compress returns s deflated when that is worth it; the bytes are d's until
// d is used again.
func (d *deflater) compress(s string) ([]byte, bool) {
	if len(s) < minDeflate {
		return nil, false
	}
	d.in = append(d.in[:0], s...)
	d.out.b = d.out.b[:0]
	d.w.Reset(&d.out)
	// Writes to a sink cannot fail, so neither can these.
	_, _ = d.w.Write(d.in)
	_ = d.w.Close()
	out := d.out.b
	if cap(d.in) > maxPooled || cap(d.out.b) > maxPooled {
		d.in, d.out.b = nil, nil // out stays valid for the caller
	}
	return out, deflateWorth(len(s), len(out))
}

type inflater struct {
	r   io.ReadCloser // a flate reader; nil until first used
	src bytes.Reader
	out []byte
	one [1]byte // the read that must find the stream's end (a local would escape)
}

// inflate returns the n bytes of text the flate stream comp holds, or an
// error when comp is not exactly such a stream.
func (f *inflater) inflate(comp []byte, n uint64) (string, error) {
	out, err := f.inflateBytes(comp, n)
	if err != nil {
		return "", err
	}
	s := string(out)
	if cap(f.out) > maxPooled {
		f.out = nil
	}
	return s, nil
}

// inflateBytes is inflate into f's own buffer: the bytes are f's until f is
// used again.
func (f *inflater) inflateBytes(comp []byte, n uint64) ([]byte, error) {
	if n > uint64(len(comp))*maxRatio {
		return nil, corrupt("summary", "%d bytes claimed from %d compressed", n, len(comp))
	}
	f.src.Reset(comp)
	if f.r == nil {
		f.r = flate.NewReader(&f.src)
	} else if err := f.r.(flate.Resetter).Reset(&f.src, nil); err != nil {
		return nil, fmt.Errorf("record: summary: reset inflater: %w", err)
	}
	if uint64(cap(f.out)) < n {
		f.out = make([]byte, n)
	}
	out := f.out[:n]
	if _, err := io.ReadFull(f.r, out); err != nil {
		return nil, corrupt("summary", "inflate: %v", err)
	}
	// The stream must end exactly there, with nothing after it.
	if k, err := f.r.Read(f.one[:]); k != 0 || !errors.Is(err, io.EOF) {
		return nil, corrupt("summary", "compressed text longer than the %d bytes stated", n)
	}
	if f.src.Len() != 0 {
		return nil, corrupt("summary", "%d bytes after the compressed text", f.src.Len())
	}
	return out, nil
}
