package archive

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// Newest implements Store.
func (a *Archive) Newest(q Query) ([]news.Item, error) {
	r, err := a.Read(q)
	return r.Items, err
}

// Read implements Store: it walks the time index that q's indexed filter
// names (by source, category or language; else every item), newest first,
// reading records until Limit items pass Keep, the walk reaches Since, or it
// has walked MaxScan entries.
func (a *Archive) Read(q Query) (Reading, error) {
	var out Reading
	err := a.eng.View(context.Background(), func(r storage.Reader) error {
		out = Reading{Items: make([]news.Item, 0, min(q.Limit, 1024))}
		w := newWalk(r, q)
		sr := newStoryReader(r, q)
		perSource := map[string]int{}
		bound := q.MaxScan
		if bound <= 0 {
			bound = DefaultMaxScan
		}
		bound = max(bound, q.Limit) // a read whose items all pass is never cut short
		var block []*news.Item      // records read ahead, in walk order (nil: none stored)
		for len(out.Items) < q.Limit {
			if len(block) == 0 {
				var err error
				block, err = readAhead(r, w, q.Limit-len(out.Items), bound-out.Scanned, &out.Damaged)
				if err != nil {
					return err
				}
				if len(block) == 0 { // the walk's end, or the bound
					_, more, err := w.next()
					out.Truncated = more && out.Scanned == bound
					return err
				}
			}
			it := block[0]
			block = block[1:]
			out.Scanned++
			if it == nil || (q.Keep != nil && !q.Keep(it)) {
				continue
			}
			if q.Stories && it.Story != "" {
				show, err := sr.show(it)
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
			out.Items = append(out.Items, *it)
		}
		return nil
	})
	if err != nil {
		return Reading{}, fmt.Errorf("archive: newest %d: %w", q.Limit, err)
	}
	return out, nil
}

// Records are read ahead in blocks of at least minBlock and at most
// maxBlock: one round trip for many records where the engine has trips.
const (
	minBlock = 16
	maxBlock = 128
)

// readAhead walks up to want index entries (at least minBlock, at most
// maxBlock and left) and reads their records, nil for an entry whose record
// is missing.
func readAhead(r storage.Reader, w *walk, want, left int, damaged *[]string) ([]*news.Item, error) {
	n := min(max(want, minBlock), maxBlock, left)
	keys := make([][]byte, 0, n)
	for len(keys) < n {
		key, ok, err := w.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		keys = append(keys, []byte(key))
	}
	if len(keys) == 0 {
		return nil, nil
	}
	values, err := r.GetMany(tRecords, keys)
	if err != nil {
		return nil, err
	}
	out := make([]*news.Item, len(keys))
	for i, v := range values {
		if v == nil {
			continue
		}
		it, err := decodeItem(v)
		if err != nil { // left out as if not stored, and named
			*damaged = append(*damaged, string(keys[i]))
			continue
		}
		out[i] = &it
	}
	return out, nil
}

// walk merges the newest-first scans of one or more index prefixes (an
// output of two sources walks both), each read a page at a time, and gives
// every item once.
type walk struct {
	r       storage.Reader
	table   string
	cursors []*cursor
	since   []byte
	seen    map[string]bool // only with several cursors: an item may be under two
}

type cursor struct {
	prefix []byte
	page   []storage.KV
	to     []byte // resume below this (after the prefix)
	done   bool
	size   int
	// recent, until the cursor has read below it, bounds its reads from
	// below (after the prefix): the newest items of a big index are read
	// without asking the engine about the rest. etcd has no reverse cursor:
	// a reverse read there costs the whole range it is given.
	recent []byte
}

// recentHorizon is how far back a walk's first reads look: two days of
// Moroccan news hold the newest hundreds of any common output.
const recentHorizon = 48 * time.Hour

func newWalk(r storage.Reader, q Query) *walk {
	w := &walk{r: r, table: tByTime}
	var names []string
	switch {
	case len(q.Sources) > 0:
		w.table, names = tBySource, q.Sources
	case len(q.Categories) > 0:
		w.table = tByCategory
		for _, c := range q.Categories {
			names = append(names, categoryName(c))
		}
	case len(q.Languages) > 0:
		w.table, names = tByLang, q.Languages
	}
	first := min(max(q.Limit, 16)*2, 1000)
	recent := timePrefix(time.Now().Add(-recentHorizon))
	if names == nil {
		w.cursors = []*cursor{{size: first, recent: recent}}
	}
	for _, n := range dedupe(names) {
		w.cursors = append(w.cursors, &cursor{prefix: scoped(n), size: first, recent: recent})
	}
	if len(w.cursors) > 1 {
		w.seen = map[string]bool{}
	}
	if !q.Since.IsZero() {
		w.since = timePrefix(q.Since)
	}
	return w
}

func dedupe(names []string) []string {
	var out []string
	for _, n := range names {
		if n != "" && !contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// next is the key of the next item, newest first (ok false: no more).
func (w *walk) next() (string, bool, error) {
	for {
		var best *cursor
		for _, c := range w.cursors {
			if err := w.fill(c); err != nil {
				return "", false, err
			}
			if len(c.page) == 0 {
				continue
			}
			if best == nil || bytes.Compare(c.head(), best.head()) > 0 {
				best = c
			}
		}
		if best == nil {
			return "", false, nil
		}
		suffix := best.head()
		best.page = best.page[1:]
		if len(suffix) < 8 {
			continue
		}
		key := string(suffix[8:])
		if w.seen != nil {
			if w.seen[key] {
				continue
			}
			w.seen[key] = true
		}
		return key, true, nil
	}
}

// head is the cursor's next entry after its prefix: time and item key.
func (c *cursor) head() []byte { return c.page[0].Key[len(c.prefix):] }

// fill reads the cursor's next page when its page is used up; pages grow
// so that a rare filter walks far in few reads.
func (w *walk) fill(c *cursor) error {
	for len(c.page) == 0 && !c.done {
		from := w.since
		bounded := c.recent != nil && bytes.Compare(c.recent, from) > 0
		if bounded {
			from = c.recent
		}
		page, err := w.r.Scan(w.table, storage.Range{Prefix: c.prefix, From: from, To: c.to, Reverse: true, Limit: c.size})
		if err != nil {
			return err
		}
		switch {
		case len(page) == c.size:
		case bounded: // everything since the horizon is read: read on below it
			c.recent = nil
		default:
			c.done = true
		}
		if len(page) > 0 {
			c.to = page[len(page)-1].Key[len(c.prefix):]
		} else if bounded {
			c.to = from
		}
		c.page = page
		c.size = min(c.size*2, storage.MaxScan)
	}
	return nil
}
