package storage

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/nashra-ma/nashra/news"
)

// pruneBatch bounds one prune transaction, so polls are never held up long.
const pruneBatch = 1000

func urlTombstone(link string) []byte { return append([]byte("u"), link...) }

// Prune removes items whose ticker time is before cutoff, with their index
// entries and story memberships, and leaves a tombstone for each (its key
// and its link → first-seen) so that an item still in its source's feed is
// never stored again. It returns how many items it removed.
func (s *Bolt) Prune(cutoff time.Time) (int, error) {
	total := 0
	for {
		n, err := s.pruneBatch(cutoff)
		total += n
		if err != nil {
			return total, fmt.Errorf("storage: prune before %s: %w", cutoff.Format(time.RFC3339), err)
		}
		if n < pruneBatch {
			break
		}
	}
	if total > 0 {
		s.gen.Add(1)
	}
	return total, nil
}

func (s *Bolt) pruneBatch(cutoff time.Time) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		n = 0
		w := writer{items: tx.Bucket(bucketItems), byTime: tx.Bucket(bucketByTime), byURL: tx.Bucket(bucketByURL),
			tomb: tx.Bucket(bucketTombstones), meta: tx.Bucket(bucketMeta), stories: tx.Bucket(bucketStories)}
		limit := timeKey(cutoff, "")
		var doomed [][]byte
		cur := w.byTime.Cursor()
		for k, _ := cur.First(); k != nil && string(k[:8]) < string(limit[:8]) && len(doomed) < pruneBatch; k, _ = cur.Next() {
			doomed = append(doomed, append([]byte(nil), k...))
		}
		perSource := map[string]int{}
		for _, tk := range doomed {
			if err := w.byTime.Delete(tk); err != nil {
				return err
			}
			var it news.Item
			found, err := getJSON(w.items, tk[8:], &it)
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			if err := w.remove(&it); err != nil {
				return err
			}
			perSource[it.Source]++
			n++
		}
		if err := writeCount(w.meta, readCount(w.meta)-n); err != nil {
			return err
		}
		return adjustSourceCounts(tx.Bucket(bucketSources), perSource)
	})
	return n, err
}

// remove deletes one item and everything that points at it, leaving tombstones.
func (w writer) remove(it *news.Item) error {
	key := []byte(it.Key)
	var seen [8]byte
	binary.BigEndian.PutUint64(seen[:], uint64(max(it.FirstSeen.UnixNano(), 0)))
	if err := w.tomb.Put(key, seen[:]); err != nil {
		return err
	}
	if it.Link != "" {
		if err := w.tomb.Put(urlTombstone(it.Link), seen[:]); err != nil {
			return err
		}
		if string(w.byURL.Get([]byte(it.Link))) == it.Key {
			if err := w.byURL.Delete([]byte(it.Link)); err != nil {
				return err
			}
		}
	}
	for _, term := range it.Terms {
		if err := w.stories.Delete(termKey(it.Language, term, it.Time, it.Key)); err != nil {
			return err
		}
	}
	if it.Story != "" {
		if err := w.leaveStory(it); err != nil {
			return err
		}
	}
	return w.items.Delete(key)
}

func (w writer) leaveStory(it *news.Item) error {
	var rec storyRecord
	if _, err := getJSON(w.stories, storyKey(it.Story), &rec); err != nil {
		return err
	}
	kept := rec.Members[:0]
	for _, m := range rec.Members {
		if m.Key != it.Key {
			kept = append(kept, m)
		}
	}
	if len(kept) == 0 {
		return w.stories.Delete(storyKey(it.Story))
	}
	rec.Members = kept
	return putJSON(w.stories, storyKey(it.Story), rec)
}

func adjustSourceCounts(b *bolt.Bucket, removed map[string]int) error {
	for name, n := range removed {
		var st SourceState
		found, err := getJSON(b, []byte(name), &st)
		if err != nil {
			return err
		}
		if !found {
			continue
		}
		st.Items = max(st.Items-n, 0)
		if err := putJSON(b, []byte(name), st); err != nil {
			return err
		}
	}
	return nil
}

// PruneTombstones forgets tombstones written for items first seen before
// cutoff: by then their sources no longer carry them. It returns how many it removed.
func (s *Bolt) PruneTombstones(cutoff time.Time) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTombstones)
		limit := uint64(max(cutoff.UnixNano(), 0))
		var doomed [][]byte
		err := b.ForEach(func(k, v []byte) error {
			if len(v) == 8 && binary.BigEndian.Uint64(v) < limit {
				doomed = append(doomed, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range doomed {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(doomed)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("storage: prune tombstones before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	return n, nil
}
