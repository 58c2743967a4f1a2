package archive

import (
	"fmt"
	"slices"
	"time"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/story"
)

// reportOf is what the story window keeps of a stored item.
func reportOf(it *news.Item) story.Report {
	return story.Report{Key: it.Key, Source: it.Source, Language: it.Language, Title: it.Title,
		Story: it.Story, Time: it.Time, Split: it.Split}
}

// horizon is how long the window keeps a report after the newest one it
// holds: two windows, so that a new report is checked against every member
// of a story it could join, not only those inside its own window.
func (g *grouping) horizon() time.Duration { return 2 * g.m.Window() }

// advance drops the reports too old to matter once newest has been added.
func (g *grouping) advance(newest time.Time) {
	if newest.After(g.newest) {
		g.newest = newest
	}
	g.w.Evict(g.newest.Add(-g.horizon()))
}

// group finds the story a new item joins (story.Window.Match decides, from
// memory), records the join and adds the item to the window. The item is
// not yet written; group sets its Story.
func (w *write) group(it *news.Item) error {
	if w.g == nil {
		return nil
	}
	if err := w.g.ready(w.r); err != nil {
		return err
	}
	rep := reportOf(it)
	if j, ok := w.g.w.Match(rep); ok {
		if err := w.join(it, j); err != nil {
			return err
		}
	}
	rep.Story = it.Story
	w.g.w.Add(rep)
	key := it.Key
	w.undo = append(w.undo, func() { w.g.w.Remove(key) })
	if it.Time.After(w.newest) {
		w.newest = it.Time
	}
	return nil
}

// regroup takes an item an outlet adopted (upd, stored as old) out of the
// story the carrier's headline put it in, and out of the window as the
// carrier's report, and groups it anew by the outlet's headline. Found by
// an outside review: a budget article adopted from a carrier that had
// titled it as a weather alert stayed in the weather story, and the
// outlet's next report joined its own adopted item.
func (w *write) regroup(old, upd *news.Item) error {
	if w.g == nil {
		return nil
	}
	if err := w.g.ready(w.r); err != nil {
		return err
	}
	if old.Story != "" {
		ms, err := w.storyMembers(old.Story)
		if err != nil {
			return err
		}
		w.setMembers(old.Story, slices.DeleteFunc(slices.Clone(ms), func(m member) bool { return m.Key == old.Key }))
		upd.Story = ""
	}
	was := reportOf(old)
	w.g.w.Remove(old.Key)
	w.undo = append(w.undo, func() { w.g.w.Add(was) })
	return w.group(upd)
}

// join puts it into the story of the report j matched, making that story
// when the report was in none (its id is the report's key).
func (w *write) join(it *news.Item, j story.Join) error {
	matched, err := w.record(j.Match)
	if err != nil || matched == nil {
		// The window holds a report the store cannot give back: keep the new
		// item out of stories rather than fail the poll.
		w.counts.Undecodable++
		return nil
	}
	id := matched.Story
	var ms []member
	if id == "" {
		id = matched.Key
		upd := *matched
		upd.Story = id
		w.put(matched, &upd)
		ms = []member{{Key: matched.Key, Time: matched.Time}}
		key := matched.Key
		w.g.w.SetStory(key, id)
		w.undo = append(w.undo, func() { w.g.w.SetStory(key, "") })
	} else if ms, err = w.storyMembers(id); err != nil {
		return err
	}
	it.Story = id
	ms = slices.Clone(ms)
	at, _ := slices.BinarySearchFunc(ms, it.Time, func(m member, t time.Time) int {
		if m.Time.After(t) {
			return 1
		}
		return -1 // after every report of the same time: arrival order
	})
	ms = slices.Insert(ms, at, member{Key: it.Key, Time: it.Time})
	w.setMembers(id, ms)
	w.counts.Merged++
	return nil
}

// fillFrom adds the stored reports of the last two windows to g, read by
// the time index from the newest item back: filling costs the window's
// size, never the store's.
func fillFrom(r storage.Reader, g *grouping) error {
	rg := storage.Range{Reverse: true, Limit: 1000}
	var stop []byte
	var reports []story.Report
	for {
		page, err := r.Scan(tByTime, rg)
		if err != nil {
			return err
		}
		for _, kv := range page {
			if len(kv.Key) < 8 {
				continue
			}
			if stop == nil {
				g.newest = time.Unix(0, int64(bytesUint64(kv.Key[:8]))).UTC()
				stop = timePrefix(g.newest.Add(-g.horizon()))
			}
			if string(kv.Key[:8]) < string(stop) {
				page = nil
				break
			}
			v, err := r.Get(tRecords, kv.Key[8:])
			if err != nil {
				return err
			}
			if v == nil {
				continue
			}
			it, err := decodeItem(v)
			if err != nil {
				return fmt.Errorf("record %s: %w", kv.Key[8:], err)
			}
			reports = append(reports, reportOf(&it))
		}
		if len(page) < rg.Limit {
			break
		}
		rg.To = page[len(page)-1].Key
	}
	for i := len(reports) - 1; i >= 0; i-- { // oldest first, as they came
		g.w.Add(reports[i])
	}
	return nil
}

// storyReader resolves stories while reading, caching what it loads.
type storyReader struct {
	r       storage.Reader
	keep    func(*news.Item) bool
	since   time.Time // reports older than this are outside the read
	proxy   func(source string) bool
	records map[string][]member
	items   map[string]*news.Item
}

func newStoryReader(r storage.Reader, q Query) *storyReader {
	return &storyReader{r: r, keep: q.Keep, since: q.Since, proxy: q.Proxy,
		records: map[string][]member{}, items: map[string]*news.Item{}}
}

// members is the story's reports, earliest first.
func (sr *storyReader) members(id string) ([]member, error) {
	if ms, ok := sr.records[id]; ok {
		return ms, nil
	}
	v, err := sr.r.Get(tStories, []byte(id))
	if err != nil {
		return nil, err
	}
	ms, ok := decodeMembers(v)
	if !ok {
		return nil, fmt.Errorf("story %s: damaged member list", id)
	}
	sr.records[id] = ms
	return ms, nil
}

// show reports whether it is the report its story is shown at — the earliest
// one inside the read (since) that keep passes, an outlet's over a proxy's
// (story.FirstReport) — and fills in the story's other reports.
func (sr *storyReader) show(it *news.Item) (bool, error) {
	ms, err := sr.members(it.Story)
	if err != nil {
		return false, err
	}
	members := make([]*news.Item, 0, len(ms))
	candidates := make([]story.Candidate, 0, len(ms))
	for _, m := range ms {
		member, err := sr.item(m.Key)
		if err != nil {
			return false, err
		}
		if member == nil {
			continue
		}
		members = append(members, member)
		candidates = append(candidates, story.Candidate{
			Eligible: !member.Time.Before(sr.since) && (sr.keep == nil || sr.keep(member)),
			Proxy:    sr.proxy != nil && sr.proxy(member.Source),
		})
	}
	rep := story.FirstReport(candidates)
	if rep >= 0 && members[rep].Key != it.Key {
		return false, nil
	}
	var related []news.Report
	for i, member := range members {
		if i != rep {
			related = append(related, news.Report{Source: member.Source, Link: member.Link, Title: member.Title, Time: member.Time})
		}
	}
	it.Related = related
	return true, nil
}

func (sr *storyReader) item(key string) (*news.Item, error) {
	if m, ok := sr.items[key]; ok {
		return m, nil
	}
	it, err := readItem(sr.r, key)
	sr.items[key] = it
	return it, err
}

// readItem is the item stored at key (nil: none).
func readItem(r storage.Reader, key string) (*news.Item, error) {
	v, err := r.Get(tRecords, []byte(key))
	if err != nil || v == nil {
		return nil, err
	}
	it, err := decodeItem(v)
	if err != nil {
		return nil, fmt.Errorf("record %s: %w", key, err)
	}
	return &it, nil
}
