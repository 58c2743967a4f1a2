package storage

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/nashra-ma/nashra/dedup"
	"github.com/nashra-ma/nashra/news"
)

// SavePoll implements Store. For each item, in order, it looks up what the
// store knows (the item's key, tombstones, the item its link names) and
// applies what dedup.Decide makes of it: an edit in place (first-seen,
// published and the ticker time never change), a pruned identity kept out,
// another source's copy recorded on the stored item, a GUID change applied to
// the stored item, or a new item.
//
// ctx is checked before the transaction and between items, so that a
// shutdown never waits for a huge document to be written: the transaction
// is rolled back and nothing of the poll is stored.
func (s *Bolt) SavePoll(ctx context.Context, source string, state SourceState, items []news.Item) (PollCounts, error) {
	var c PollCounts
	if err := ctx.Err(); err != nil {
		return PollCounts{}, fmt.Errorf("storage: save poll of %s: %w", source, err)
	}
	err := s.update(func(tx *bolt.Tx) error {
		c = PollCounts{}
		w := writer{
			items: tx.Bucket(bucketItems), byTime: tx.Bucket(bucketByTime), byURL: tx.Bucket(bucketByURL),
			tomb: tx.Bucket(bucketTombstones), meta: tx.Bucket(bucketMeta), stories: tx.Bucket(bucketStories),
			matcher: s.storyMatcher(), counts: &c, doc: documentOf(items),
		}
		for i := range items {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := w.save(source, &items[i], &c); err != nil {
				return err
			}
		}
		if err := writeCount(w.meta, readCount(w.meta)+c.New); err != nil {
			return err
		}
		sources := tx.Bucket(bucketSources)
		var old SourceState
		if _, err := getJSON(sources, []byte(source), &old); err != nil {
			return err
		}
		state.Items = old.Items + c.New
		// last_new tells when news last came: a poll that stored nothing
		// (a re-poll of the same body) leaves it to the poll that did.
		state.LastNew, state.LastNewAt = old.LastNew, old.LastNewAt
		if c.New > 0 {
			state.LastNew, state.LastNewAt = c.New, state.LastAttempt
		}
		return putJSON(sources, []byte(source), state)
	})
	if err != nil {
		return PollCounts{}, fmt.Errorf("storage: save poll of %s: %w", source, err)
	}
	if c.Changed() { // a duplicate already recorded changes nothing readers see
		s.gen.Add(1)
	}
	return c, nil
}

type writer struct {
	items, byTime, byURL, tomb, meta, stories *bolt.Bucket
	matcher                                   StoryMatcher
	counts                                    *PollCounts
	doc                                       document
}

// document is what the decision needs to know about the whole poll.
type document struct {
	keys  map[string]bool
	links map[string]int // canonical link → items carrying it
}

func documentOf(items []news.Item) document {
	d := document{keys: make(map[string]bool, len(items)), links: make(map[string]int, len(items))}
	for i := range items {
		d.keys[items[i].Key] = true
		if items[i].Link != "" {
			d.links[items[i].Link]++
		}
	}
	return d
}

func (w writer) save(source string, it *news.Item, c *PollCounts) error {
	key := []byte(it.Key)
	var old news.Item
	found, err := getJSON(w.items, key, &old)
	if err != nil {
		return err
	}
	in := dedup.Input{
		Source: source, Link: it.Link, GUID: it.GUID, Title: it.Title, KeyStored: found,
		Tombstoned: w.tomb.Get(key) != nil || (it.Link != "" && w.tomb.Get(urlTombstone(it.Link)) != nil),
		LinkShared: w.doc.links[it.Link] > 1,
	}
	var stored news.Item
	if it.Link != "" && !found {
		if other := w.byURL.Get([]byte(it.Link)); other != nil {
			in.ByLink.Indexed, in.ByLink.Key = true, string(other)
			if in.ByLink.Found, err = getJSON(w.items, other, &stored); err != nil {
				return err
			}
			in.ByLink.Source, in.ByLink.InDocument = stored.Source, w.doc.keys[string(other)]
			in.ByLink.OtherAnchor = stored.Anchor != it.Anchor
			in.ByLink.GUID, in.ByLink.Title = stored.GUID, stored.Title
		}
	}
	d := dedup.Decide(in)
	switch d.Action {
	case dedup.Edit:
		return w.update(key, &old, it, c)
	case dedup.Pruned:
		c.Pruned++
		return nil
	case dedup.GUIDChange:
		return w.update([]byte(in.ByLink.Key), &stored, it, c)
	case dedup.Duplicate:
		c.Duplicate++
		return w.addSource([]byte(in.ByLink.Key), &stored, source, c)
	}
	if d.Repaired {
		c.Repaired++
	}
	c.New++
	if w.matcher != nil {
		if err := w.cluster(it); err != nil {
			return err
		}
		if it.Story != "" {
			c.Merged++
		}
	}
	if err := putJSON(w.items, key, it); err != nil {
		return err
	}
	if err := w.byTime.Put(timeKey(it.Time, it.Key), nil); err != nil {
		return err
	}
	if d.IndexLink {
		return w.byURL.Put([]byte(it.Link), key)
	}
	return nil
}

// update applies a re-served item's edits to the stored record at key. What
// places it in the ticker — first-seen, published, its time, its story — never changes.
func (w writer) update(key []byte, old, it *news.Item, c *PollCounts) error {
	if news.SameContent(old, it) {
		c.Unchanged++
		return nil
	}
	if old.Link != it.Link {
		if err := w.moveLink(old.Link, it.Link, key); err != nil {
			return err
		}
	}
	upd := *old
	upd.Title, upd.Summary, upd.Author, upd.Link, upd.Anchor = it.Title, it.Summary, it.Author, it.Link, it.Anchor
	upd.Image, upd.Language, upd.Categories, upd.Updated = it.Image, it.Language, it.Categories, it.Updated
	upd.GUID = it.GUID
	upd.Changed = it.Changed
	c.Updated++
	return putJSON(w.items, key, upd)
}

// moveLink points the by_url index at an item's new link.
func (w writer) moveLink(oldLink, newLink string, key []byte) error {
	if oldLink != "" && string(w.byURL.Get([]byte(oldLink))) == string(key) {
		if err := w.byURL.Delete([]byte(oldLink)); err != nil {
			return err
		}
	}
	if newLink != "" && w.byURL.Get([]byte(newLink)) == nil {
		return w.byURL.Put([]byte(newLink), key)
	}
	return nil
}

// addSource records that source also carries the item stored at key.
func (w writer) addSource(key []byte, it *news.Item, source string, c *PollCounts) error {
	if slices.Contains(it.AlsoIn, source) {
		return nil
	}
	c.AlsoIn++
	it.AlsoIn = append(it.AlsoIn, source)
	return putJSON(w.items, key, it)
}

// Newest implements Store: it walks by_time from the newest entry backwards.
func (s *Bolt) Newest(q Query) ([]news.Item, error) {
	out := make([]news.Item, 0, min(q.Limit, 1024))
	err := s.view(func(tx *bolt.Tx) error {
		items := tx.Bucket(bucketItems)
		stories := &storyReader{items: items, stories: tx.Bucket(bucketStories), keep: q.Keep, since: q.Since, proxy: q.Proxy,
			records: map[string]*storyRecord{}, members: map[string]*news.Item{}}
		perSource := map[string]int{}
		since := timeKey(q.Since, "")[:8]
		cur := tx.Bucket(bucketByTime).Cursor()
		for k, _ := cur.Last(); k != nil && len(out) < q.Limit; k, _ = cur.Prev() {
			if !q.Since.IsZero() && bytes.Compare(k[:8], since) < 0 {
				break
			}
			var it news.Item
			found, err := getJSON(items, k[8:], &it)
			if err != nil {
				return err
			}
			if !found || (q.Keep != nil && !q.Keep(&it)) {
				continue
			}
			if q.Stories && it.Story != "" {
				show, err := stories.show(&it)
				if err != nil {
					return err
				}
				if !show {
					continue
				}
			}
			if q.PerSource > 0 {
				if perSource[it.Source] >= q.PerSource {
					continue
				}
				perSource[it.Source]++
			}
			out = append(out, it)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: newest %d: %w", q.Limit, err)
	}
	return out, nil
}

// Count implements Store.
func (s *Bolt) Count() (int, error) {
	var n int
	err := s.view(func(tx *bolt.Tx) error {
		n = readCount(tx.Bucket(bucketMeta))
		return nil
	})
	return n, err
}
