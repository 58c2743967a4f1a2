package archive

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/story"
)

// pruneBatch bounds one prune batch, so polls are never held up long.
const pruneBatch = 1000

// Prune removes items whose ticker time is before cutoff, with their index
// entries and story memberships, and leaves a tombstone for each (its key
// and its link → first-seen) so that an item still in its source's feed is
// never stored again. It returns how many items it removed.
func (a *Archive) Prune(cutoff time.Time) (int, error) {
	total := 0
	for {
		n, err := a.pruneBatch(cutoff)
		total += n
		if err != nil {
			return total, fmt.Errorf("archive: prune before %s: %w", cutoff.Format(time.RFC3339), err)
		}
		if n < pruneBatch {
			break
		}
	}
	if total > 0 {
		a.gen.Add(1)
	}
	return total, nil
}

func (a *Archive) pruneBatch(cutoff time.Time) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var pruned []string
	_, err := a.apply(context.Background(), func(w *write) error {
		pruned = pruned[:0]
		doomed, err := w.r.Scan(tByTime, storage.Range{To: timePrefix(cutoff), Limit: pruneBatch})
		if err != nil {
			return err
		}
		perSource := map[string]int{}
		for _, kv := range doomed {
			key := string(kv.Key[8:])
			it, err := w.record(key)
			if err != nil {
				return err
			}
			if it == nil { // an index entry left without its record
				w.batch.Delete(tByTime, kv.Key)
				continue
			}
			if err := w.remove(it); err != nil {
				return err
			}
			perSource[it.Source]++
			pruned = append(pruned, key)
		}
		for name, n := range perSource {
			st, found, err := w.stateFound(name)
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			st.Items = max(st.Items-n, 0)
			w.putState(name, st)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if g := a.stories.Load(); g != nil {
		g.update(func(w *story.Window) {
			for _, k := range pruned {
				w.Remove(k)
			}
		})
	}
	return len(pruned), nil
}

// remove deletes one item and everything that points at it, leaving tombstones.
func (w *write) remove(it *news.Item) error {
	seen := timePrefix(it.FirstSeen)
	w.batch.Put(tTombstones, keyTombstone(it.Key), seen)
	if it.Link != "" {
		w.batch.Put(tTombstones, linkTombstone(it.Link), seen)
		k, err := w.linked(it.Link)
		if err != nil {
			return err
		}
		if k == it.Key {
			w.batch.Delete(tLinks, linkDigest(it.Link))
			w.links[it.Link] = ""
		}
	}
	if it.Story != "" {
		ms, err := w.storyMembers(it.Story)
		if err != nil {
			return err
		}
		w.setMembers(it.Story, slices.DeleteFunc(slices.Clone(ms), func(m member) bool { return m.Key == it.Key }))
	}
	w.put(it, nil)
	w.removed++
	return nil
}

// PruneTombstones forgets tombstones written for items first seen before
// cutoff: by then their sources no longer carry them. Then it forgets the
// aliases (a later GUID's key → the key an item is stored under) whose item
// is neither stored nor tombstoned any more: nothing is left for them to
// find. It returns how many tombstones it removed.
func (a *Archive) PruneTombstones(cutoff time.Time) (int, error) {
	limit := timePrefix(cutoff)
	n, err := a.sweep(tTombstones, func(_ *write, kv storage.KV) (bool, error) {
		return len(kv.Value) == 8 && string(kv.Value) < string(limit), nil
	})
	if err != nil {
		return n, fmt.Errorf("archive: prune tombstones before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	if _, err := a.sweep(tAliases, orphanAlias); err != nil {
		return n, fmt.Errorf("archive: prune aliases: %w", err)
	}
	return n, nil
}

// orphanAlias reports whether an alias points at a key with no record and
// no tombstone.
func orphanAlias(w *write, kv storage.KV) (bool, error) {
	target := string(kv.Value)
	it, err := w.record(target)
	if err != nil || it != nil {
		return false, err
	}
	v, err := w.r.Get(tTombstones, keyTombstone(target))
	return v == nil, err
}

// sweep deletes the entries of table that doomed names, a page of
// pruneBatch entries a batch, so polls are never held up long. It returns
// how many it deleted.
func (a *Archive) sweep(table string, doomed func(*write, storage.KV) (bool, error)) (int, error) {
	n := 0
	var from []byte
	for {
		a.mu.Lock()
		done, removed := false, 0
		var next []byte
		_, err := a.apply(context.Background(), func(w *write) error {
			page, err := w.r.Scan(table, storage.Range{From: from, Limit: pruneBatch})
			if err != nil {
				return err
			}
			done, removed = len(page) < pruneBatch, 0
			for _, kv := range page {
				gone, err := doomed(w, kv)
				if err != nil {
					return err
				}
				if gone {
					w.batch.Delete(table, kv.Key)
					removed++
				}
			}
			if len(page) > 0 {
				next = append(page[len(page)-1].Key, 0)
			}
			return nil
		})
		a.mu.Unlock()
		if err != nil {
			return n, err
		}
		n, from = n+removed, next
		if done {
			return n, nil
		}
	}
}
