package archive

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// write is one batch in the making: what a snapshot says, overlaid with what
// the batch has decided so far, so that the second item of a poll sees the
// first. Nothing reaches the engine before finish; the story window's
// changes are undone by rollback if the batch never lands.
type write struct {
	r   storage.Reader
	g   *grouping // nil: no story grouping
	seq []byte    // the snapshot's sequence number, which the batch expects

	batch   storage.Batch
	records map[string]*news.Item // key → the record as the batch leaves it (nil: deleted)
	dirty   []string              // records to write, in the order first changed
	isDirty map[string]bool       // the keys in dirty
	folded  folder
	links   map[string]string   // canonical link → key as the batch leaves it ("" none)
	aliases map[string]string   // key of a later GUID → the key its item is stored under ("" none)
	members map[string][]member // story id → its reports as the batch leaves them (nil: none)
	stories []string            // stories to write, in the order first changed
	states  map[string]SourceState
	names   []string // states to write, in the order first changed

	counts  PollCounts
	added   int // items stored
	removed int // items pruned
	undo    []func()
	newest  time.Time // the newest item time the batch adds to the window
}

// member is one report of a story.
type member struct {
	Key  string
	Time time.Time
}

func newWrite(r storage.Reader, g *grouping, seq []byte) *write {
	return &write{r: r, g: g, seq: seq, records: map[string]*news.Item{}, isDirty: map[string]bool{}, folded: folder{},
		links: map[string]string{}, aliases: map[string]string{}, members: map[string][]member{}, states: map[string]SourceState{}}
}

// record is the item stored at key as the batch leaves it (nil: none). The
// item is the caller's to read; changes go through put.
func (w *write) record(key string) (*news.Item, error) {
	if it, ok := w.records[key]; ok {
		return it, nil
	}
	v, err := w.r.Get(tRecords, []byte(key))
	if err != nil || v == nil {
		return nil, err
	}
	return w.decoded(key, v)
}

// decoded is the record v stored at key, decoded and kept as the batch's.
func (w *write) decoded(key string, v []byte) (*news.Item, error) {
	it, err := decodeItem(v)
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", key, err)
	}
	w.records[key] = &it
	return &it, nil
}

// put replaces the record old (nil: none) with upd (nil: deleted), and its
// index entries with upd's.
func (w *write) put(old, upd *news.Item) {
	key := ""
	if old != nil {
		key = old.Key
	} else {
		key = upd.Key
	}
	w.reindex(old, upd)
	if !w.isDirty[key] {
		w.isDirty[key] = true
		w.dirty = append(w.dirty, key)
	}
	if upd == nil {
		w.records[key] = nil
		return
	}
	c := *upd
	w.records[key] = &c
}

// entry is one index entry of an item.
type entry struct {
	table string
	key   string
}

// entries are the index entries of it: its time, each source that carries
// it, its language, each of its categories (folded by f).
func entries(it *news.Item, f folder) []entry {
	if it == nil {
		return nil
	}
	tk := string(timeKey(it.Time, it.Key))
	out := []entry{{tByTime, tk}, {tBySource, string(scoped(it.Source)) + tk}}
	for _, s := range it.AlsoIn {
		out = append(out, entry{tBySource, string(scoped(s)) + tk})
	}
	if it.Language != "" {
		out = append(out, entry{tByLang, string(scoped(it.Language)) + tk})
	}
	for _, c := range it.Categories {
		if name := f.name(c); name != "" {
			out = append(out, entry{tByCategory, string(scoped(name)) + tk})
		}
	}
	return out
}

// reindex writes the index entries upd has and old had not, and deletes
// those old had and upd has not.
func (w *write) reindex(old, upd *news.Item) {
	before, after := entries(old, w.folded), entries(upd, w.folded)
	for _, e := range before {
		if !slices.Contains(after, e) {
			w.batch.Delete(e.table, []byte(e.key))
		}
	}
	for i, e := range after {
		if !slices.Contains(before, e) && !slices.Contains(after[:i], e) {
			w.batch.Put(e.table, []byte(e.key), nil)
		}
	}
}

// linked is the key the link index names for link ("" none).
func (w *write) linked(link string) (string, error) {
	if k, ok := w.links[link]; ok {
		return k, nil
	}
	v, err := w.r.Get(tLinks, linkDigest(link))
	if err != nil {
		return "", err
	}
	w.links[link] = string(v)
	return string(v), nil
}

// aliasOf is the key an item whose GUID changed is stored under, for the
// key its new GUID makes ("" when key is no such alias).
func (w *write) aliasOf(key string) (string, error) {
	if k, ok := w.aliases[key]; ok {
		return k, nil
	}
	v, err := w.r.Get(tAliases, []byte(key))
	if err != nil {
		return "", err
	}
	w.aliases[key] = string(v)
	return string(v), nil
}

// tombstoned reports whether it's key or link was pruned.
func (w *write) tombstoned(it *news.Item) (bool, error) {
	v, err := w.r.Get(tTombstones, keyTombstone(it.Key))
	if err != nil || v != nil || it.Link == "" {
		return v != nil, err
	}
	v, err = w.r.Get(tTombstones, linkTombstone(it.Link))
	return v != nil, err
}

// storyMembers is the story's reports as the batch leaves them, earliest first.
func (w *write) storyMembers(id string) ([]member, error) {
	if ms, ok := w.members[id]; ok {
		return ms, nil
	}
	v, err := w.r.Get(tStories, []byte(id))
	if err != nil || v == nil {
		return nil, err
	}
	ms, ok := decodeMembers(v)
	if !ok {
		return nil, fmt.Errorf("story %s: damaged member list", id)
	}
	w.members[id] = ms
	return ms, nil
}

// setMembers replaces the story's reports (none: the story is deleted).
func (w *write) setMembers(id string, ms []member) {
	w.members[id] = ms
	if !slices.Contains(w.stories, id) {
		w.stories = append(w.stories, id)
	}
}

func (w *write) sourceState(name string) (SourceState, error) {
	st, _, err := w.stateFound(name)
	return st, err
}

// stateFound is the source's state as the batch leaves it, and whether there is one.
func (w *write) stateFound(name string) (SourceState, bool, error) {
	if st, ok := w.states[name]; ok {
		return st, true, nil
	}
	var st SourceState
	v, err := w.r.Get(tSources, []byte(name))
	if err != nil || v == nil {
		return st, false, err
	}
	if err := json.Unmarshal(v, &st); err != nil {
		return st, true, fmt.Errorf("source state %s: %w", name, err)
	}
	w.states[name] = st
	return st, true, nil
}

func (w *write) putState(name string, st SourceState) {
	w.states[name] = st
	if !slices.Contains(w.names, name) {
		w.names = append(w.names, name)
	}
}

// finish turns what the batch decided into its operations, and makes it
// expect the sequence number its snapshot read.
func (w *write) finish() error {
	for _, key := range w.dirty {
		it := w.records[key]
		if it == nil {
			w.batch.Delete(tRecords, []byte(key))
			continue
		}
		w.batch.Put(tRecords, []byte(key), encodeItem(it))
	}
	for _, id := range w.stories {
		if ms := w.members[id]; len(ms) > 0 {
			w.batch.Put(tStories, []byte(id), encodeMembers(ms))
		} else {
			w.batch.Delete(tStories, []byte(id))
		}
	}
	for _, name := range w.names {
		raw, err := json.Marshal(w.states[name])
		if err != nil {
			return fmt.Errorf("source state %s: %w", name, err)
		}
		w.batch.Put(tSources, []byte(name), raw)
	}
	if w.added != w.removed {
		v, err := w.r.Get(tMeta, keyCount)
		if err != nil {
			return err
		}
		n := max(int(bytesUint64(v))+w.added-w.removed, 0)
		w.batch.Put(tMeta, keyCount, uint64Bytes(uint64(n)))
	}
	w.batch.Expect = append(w.batch.Expect, storage.Cond{Table: tMeta, Key: keySeq, Value: w.seq})
	w.batch.Put(tMeta, keySeq, w.nextSeq())
	return nil
}

// nextSeq is the sequence number the batch leaves.
func (w *write) nextSeq() []byte { return uint64Bytes(bytesUint64(w.seq) + 1) }

// rollback undoes the story window's changes of a batch that did not land.
func (w *write) rollback() {
	for i := len(w.undo) - 1; i >= 0; i-- {
		w.undo[i]()
	}
	w.undo = nil
}

// settle is the window's housekeeping once the batch has landed: reports
// too old to join any new one leave it.
func (w *write) settle() {
	if w.g == nil {
		return
	}
	w.g.landed(w.nextSeq())
	if !w.newest.IsZero() {
		w.g.advance(w.newest)
	}
}
