package archive

import (
	"slices"

	"github.com/nashra-ma/nashra/storage"
)

// remote reports whether eng pays a round trip for each read (etcd's
// interface{ Remote() bool }): deciding a poll then reads what it will look
// up in a few GetMany calls first, instead of three Gets an item.
func remote(eng storage.Engine) bool {
	r, ok := eng.(interface{ Remote() bool })
	return ok && r.Remote()
}

// prefetch reads at once, from w's snapshot, what deciding polls looks up
// item by item (write.stored, aliasOf, tombstoned, linked, stateFound): each
// item's record, the key its GUID had before, its key and link tombstones,
// its link's entry, and each source's state. The decisions read the same values as before, from memory.
func (w *write) prefetch(polls []*pollRequest) error {
	want := map[string][][]byte{}
	for _, p := range polls {
		want[tSources] = append(want[tSources], []byte(p.source))
		for i := range p.items {
			it := &p.items[i]
			want[tRecords] = append(want[tRecords], []byte(it.Key))
			want[tAliases] = append(want[tAliases], []byte(it.Key))
			want[tTombstones] = append(want[tTombstones], keyTombstone(it.Key))
			if it.Link != "" {
				want[tTombstones] = append(want[tTombstones], linkTombstone(it.Link))
				want[tLinks] = append(want[tLinks], linkDigest(it.Link))
			}
		}
	}
	got := map[string][]byte{}
	for table, keys := range want {
		vals, err := w.r.GetMany(table, keys)
		if err != nil {
			return err
		}
		for i, k := range keys {
			got[prefetchKey(table, k)] = vals[i]
		}
	}
	w.r = prefetched{Reader: w.r, got: got}
	return nil
}

func prefetchKey(table string, key []byte) string { return table + "\x00" + string(key) }

// prefetched is a snapshot's reader that answers the keys read ahead from
// memory (absent ones too) and the rest from the snapshot.
type prefetched struct {
	storage.Reader
	got map[string][]byte
}

// Get implements storage.Reader.
func (p prefetched) Get(table string, key []byte) ([]byte, error) {
	if v, ok := p.got[prefetchKey(table, key)]; ok {
		return slices.Clone(v), nil // the caller's to keep, as Get promises
	}
	return p.Reader.Get(table, key)
}
