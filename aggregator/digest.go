package aggregator

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"time"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
)

// normaliseVersion is part of every document digest: bump it whenever
// normalisation (links, text, dates, identity) changes what an entry becomes,
// so that the first poll after an upgrade normalises every item again and
// lands the changes as edits.
const normaliseVersion = 1

// DocumentDigest is a digest of everything normalising doc's entries reads:
// every entry's raw fields in document order, the document's language, the
// URL it was fetched from (relative links resolve against it) and the
// source's settings that shape items. Channel-level fields that feed no item
// (title, dates, ttl) are not part of it, so a re-served document whose only
// change is its lastBuildDate has the digest of the last poll: its items are
// known unchanged without normalising them (see Poller.poll).
func DocumentDigest(doc *feeds.Document, src *config.Source, feedURL string) string {
	h := sha256.New()
	d := digester{h: h}
	d.int(normaliseVersion)
	d.str(src.Name)
	d.str(src.Language)
	d.strs(src.Categories)
	d.int(int64(src.MaxItems))
	d.bool(src.IsProxy())
	loc := src.Location
	if loc == nil {
		loc = time.UTC
	}
	d.str(loc.String())
	d.str(feedURL)
	d.str(doc.Language)
	d.int(int64(len(doc.Entries)))
	for i := range doc.Entries {
		e := &doc.Entries[i]
		d.str(e.GUID)
		d.str(e.Link)
		d.str(e.Title)
		d.str(e.Summary)
		d.str(e.Content)
		d.str(e.Author)
		d.strs(e.Categories)
		d.str(e.Image)
		d.str(e.Published)
		d.time(e.PublishedParsed)
		d.str(e.Updated)
		d.time(e.UpdatedParsed)
		d.int(int64(e.Types.Title))
		d.int(int64(e.Types.Summary))
		d.int(int64(e.Types.Content))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// digester writes fields length-prefixed, so that no two sequences of fields
// write the same bytes.
type digester struct {
	h    hash.Hash
	buf  [binary.MaxVarintLen64]byte
	text []byte // a string's bytes, reused: io.WriteString would copy each one anew
}

func (d *digester) int(n int64) { d.h.Write(binary.AppendVarint(d.buf[:0], n)) }

func (d *digester) str(s string) {
	d.int(int64(len(s)))
	d.text = append(d.text[:0], s...)
	d.h.Write(d.text)
}

func (d *digester) strs(ss []string) {
	d.int(int64(len(ss)))
	for _, s := range ss {
		d.str(s)
	}
}

func (d *digester) bool(b bool) {
	if b {
		d.int(1)
		return
	}
	d.int(0)
}

func (d *digester) time(t *time.Time) {
	if t == nil {
		d.int(-1)
		return
	}
	d.int(t.UnixNano())
	_, off := t.Zone()
	d.int(int64(off))
}
