package archive

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/nashra-ma/nashra/dedup"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/record"
)

// conflictRetries is how often a poll is decided again when another writer
// changed the data it was decided on.
const conflictRetries = 3

// SavePoll implements Store. For each item, in order, it looks up what the
// store knows (the item's key, tombstones, the item its link names) and
// applies what dedup.Decide makes of it: an edit in place (first-seen,
// published and the ticker time never change), a pruned identity kept out,
// another source's copy recorded on the stored item, a GUID change applied to
// the stored item, or a new item, which joins the story the story window
// finds for it. The whole poll lands as one batch: all of it or nothing.
//
// Polls land through one queue (queue.go): each joins it, and whoever
// takes the write lock writes the oldest polls queued, up to the queue's
// bound in items, in one batch (group commit: one commit and one fsync for
// all of them, and the index pages two polls share written once), each
// decided after the ones queued before it. When that batch cannot land,
// each poll is tried alone, so that one poll's failure is its own. A
// caller waits until its poll has landed or failed; with WhenQueued, it
// may free its worker as soon as the poll has joined the queue, so that a
// round's polls gather while the writer commits. While polls come together
// (the last batch held several) and the queue holds less than a commit's
// worth, the writer waits groupLinger for those about to come, as
// databases delay a commit while other transactions are active
// (PostgreSQL's commit_delay and commit_siblings). A caller saving polls
// one after the other never waits.
//
// ctx is checked while the poll waits for room in the queue, between items
// and before the batch commits, so that a shutdown never waits for a huge
// document to be written: nothing of the poll is stored then.
func (a *Archive) SavePoll(ctx context.Context, source string, state SourceState, items []news.Item) (PollCounts, error) {
	if err := ctx.Err(); err != nil {
		return PollCounts{}, fmt.Errorf("archive: save poll of %s: %w", source, err)
	}
	req := &pollRequest{ctx: ctx, source: source, state: state, items: items}
	if err := a.queue.join(ctx, req); err != nil {
		return PollCounts{}, fmt.Errorf("archive: save poll of %s: %w", source, err)
	}
	signalQueued(ctx)
	a.mu.Lock()
	defer a.mu.Unlock()
	for !req.done { // no writer took it along: this one writes the oldest polls queued
		if a.lastGroup > 1 && !a.queue.full() {
			linger(ctx)
		}
		a.savePolls(a.queue.take())
	}
	return req.counts, req.err
}

// groupLinger is how long a writer waits for more polls while polls come
// together: short beside a fetch, long beside the parse of a feed, so that
// the polls of a round's workers share commits.
const groupLinger = 10 * time.Millisecond

// linger waits groupLinger, or until ctx ends.
func linger(ctx context.Context) {
	t := time.NewTimer(groupLinger)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// pollRequest is one SavePoll waiting in the queue; whoever holds the
// lock fills in its outcome.
type pollRequest struct {
	ctx    context.Context
	source string
	state  SourceState
	items  []news.Item

	done   bool
	counts PollCounts
	err    error
}

// savePolls lands the polls of group, in one batch when it can. The caller
// holds a.mu.
func (a *Archive) savePolls(group []*pollRequest) {
	// A panic while applying (a bug a hostile document reaches) fails the
	// polls of the group, which then never wait for ever on a writer that
	// is gone; the engine rolled the transaction back.
	defer func() {
		if p := recover(); p != nil {
			for _, r := range group {
				if !r.done {
					r.done, r.err = true, fmt.Errorf("archive: save poll of %s: internal error (panic: %v); nothing stored", r.source, p)
				}
			}
		}
	}()
	a.lastGroup = len(group)
	live := make([]*pollRequest, 0, len(group))
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.done, r.err = true, fmt.Errorf("archive: save poll of %s: %w", r.source, err)
			continue
		}
		live = append(live, r)
	}
	if len(live) > 1 {
		// Abandoned as soon as any of the polls is: the others then land alone.
		ctx, cancel := context.WithCancel(context.Background())
		for _, r := range live {
			stop := context.AfterFunc(r.ctx, cancel)
			defer stop()
		}
		err := a.applyPolls(ctx, live)
		cancel()
		if err == nil {
			return
		}
	}
	for _, r := range live {
		a.applyPolls(r.ctx, []*pollRequest{r})
	}
}

// applyPolls decides polls, in order, into one batch and applies it,
// recording each poll's outcome. Items are decided on copies, handed back
// (with the story each joined) only when the batch lands.
func (a *Archive) applyPolls(ctx context.Context, polls []*pollRequest) error {
	decided := make([][]news.Item, len(polls))
	counts := make([]PollCounts, len(polls))
	pages, counted := a.eng.(pageCounter)
	var before int64
	if counted {
		before = pages.PagesWritten()
	}
	w, err := a.apply(ctx, func(w *write) error {
		if remote(a.eng) {
			if err := w.prefetch(polls); err != nil {
				return err
			}
		}
		n := 0
		for _, r := range polls {
			n += len(r.items)
		}
		// A new item makes about eight operations: its record, its link
		// and its index entries (opsPerItem).
		w.batch.Ops = slices.Grow(w.batch.Ops, n*opsPerItem)
		for p, r := range polls {
			items := slices.Clone(r.items)
			before := w.counts
			doc := documentOf(items, r.state)
			for i := range items {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := w.save(r.source, &items[i], doc); err != nil {
					return err
				}
			}
			c := w.counts.minus(before)
			old, err := w.sourceState(r.source)
			if err != nil {
				return err
			}
			w.putState(r.source, pollState(old, r.state, c))
			decided[p], counts[p] = items, c
		}
		return nil
	})
	if err != nil {
		if len(polls) == 1 {
			polls[0].done, polls[0].err = true, fmt.Errorf("archive: save poll of %s: %w", polls[0].source, err)
		}
		return err
	}
	for p, r := range polls {
		copy(r.items, decided[p])
		r.done, r.counts = true, counts[p]
	}
	if counted {
		c, committed := w.counts, 0
		for _, r := range polls {
			committed += len(r.items)
		}
		a.queue.setCommit(nextCommitItems(a.queue.commitItems(), committed, a.queue.bound, pages.PagesWritten()-before, c.New+c.Updated+c.AlsoIn))
	}
	if w.counts.Changed() { // a duplicate already recorded changes nothing readers see
		a.gen.Add(1)
	}
	return nil
}

// opsPerItem is the room a batch is made with for each item of its polls.
const opsPerItem = 8

// pageCounter is an engine that counts the pages its commits write (bbolt):
// the writer sizes its commits by them (commitsize.go). Other engines'
// commits take firstCommitItems.
type pageCounter interface{ PagesWritten() int64 }

// minus is what c counts beyond d.
func (c PollCounts) minus(d PollCounts) PollCounts {
	return PollCounts{
		New: c.New - d.New, Updated: c.Updated - d.Updated, Unchanged: c.Unchanged - d.Unchanged,
		Duplicate: c.Duplicate - d.Duplicate, Pruned: c.Pruned - d.Pruned, Merged: c.Merged - d.Merged,
		Repaired: c.Repaired - d.Repaired, Undecodable: c.Undecodable - d.Undecodable, AlsoIn: c.AlsoIn - d.AlsoIn,
	}
}

// pollState is the state a successful poll stores: the poller's, with the
// counts only a poll that stored items may change. last_new tells when news
// last came: a poll that stored nothing (a re-poll of the same body) leaves
// it to the poll that did.
func pollState(old, st SourceState, c PollCounts) SourceState {
	st.Items = old.Items + c.New
	st.LastNew, st.LastNewAt = old.LastNew, old.LastNewAt
	if c.New > 0 {
		st.LastNew, st.LastNewAt = c.New, st.LastAttempt
	}
	return st
}

// document is what the decision needs to know about the whole poll.
type document struct {
	keys  map[string]bool
	links map[string]int // canonical link → items carrying it
	home  string         // the source's home page: the site whose links are its own ("" unknown)
}

func documentOf(items []news.Item, st SourceState) document {
	d := document{keys: make(map[string]bool, len(items)), links: make(map[string]int, len(items))}
	if st.Outlet != nil {
		d.home = st.Outlet.HomeURL
	}
	for i := range items {
		d.keys[items[i].Key] = true
		if items[i].Link != "" {
			d.links[items[i].Link]++
		}
	}
	return d
}

// save decides what one incoming item is and writes what that takes.
func (w *write) save(source string, it *news.Item, doc document) error {
	old, unchanged, err := w.stored(it)
	if err != nil {
		return err
	}
	if old == nil && !unchanged { // not stored under its key: under the key of a GUID it had before?
		k, err := w.aliasOf(it.Key)
		if err != nil {
			return err
		}
		if k != "" && !doc.keys[k] {
			it.Key = k
			if old, unchanged, err = w.stored(it); err != nil {
				return err
			}
		}
	}
	if unchanged { // what dedup.Decide (an edit) then dedup.Edited make of it
		w.counts.Unchanged++
		return nil
	}
	tomb := false
	if old == nil { // a stored key is an edit whatever else is known: no need to ask
		if tomb, err = w.tombstoned(it); err != nil {
			return err
		}
	}
	in := dedup.Input{
		Source: source, Link: it.Link, GUID: it.GUID, Title: it.Title, KeyStored: old != nil,
		Tombstoned: tomb, LinkShared: doc.links[it.Link] > 1,
	}
	var stored *news.Item
	collision := false
	if it.Link != "" && old == nil {
		other, err := w.linked(it.Link)
		if err != nil {
			return err
		}
		if other != "" {
			if stored, err = w.record(other); err != nil {
				return err
			}
			in.ByLink = dedup.Linked{Indexed: true, Key: other, Found: stored != nil, InDocument: doc.keys[other]}
			if stored != nil {
				if stored.Link != it.Link {
					// Another link with the same digest: the link is not indexed, and
					// must not take the other's entry.
					in.ByLink, stored, collision = dedup.Linked{}, nil, true
				} else {
					in.ByLink.Source, in.ByLink.OtherAnchor = stored.Source, stored.Anchor != it.Anchor
					in.ByLink.GUID, in.ByLink.Title = stored.GUID, stored.Title
					// Whose site the link is on matters only to a link stored
					// by another source (a takeover): asked here, not of
					// every item (the public-suffix lookup costs more than
					// the rest of an item's decision).
					in.OwnsLink = stored.Source != source && dedup.OwnSite(it.Link, doc.home)
					if in.OwnsLink {
						in.ByLink.SourceOwnsLink = w.ownsLink(stored.Source, it.Link)
					}
				}
			}
		}
	}
	d := dedup.Decide(in)
	switch d.Action {
	case dedup.Edit:
		if old.Source != source {
			// The outlet whose site its link is on took this item over
			// (Adopt): the source whose key it is only carries the link.
			w.carry(old, source)
			return nil
		}
		return w.edit(old, it)
	case dedup.Pruned:
		w.counts.Pruned++
		return nil
	case dedup.GUIDChange:
		// The key the new GUID makes is remembered: the item is found
		// under it at the next poll, whatever else changes then (its link,
		// its title), and keeps the key, and so the id, it was first stored
		// under.
		w.batch.Put(tAliases, []byte(it.Key), []byte(stored.Key))
		w.aliases[it.Key] = stored.Key
		return w.edit(stored, it)
	case dedup.Duplicate:
		w.carry(stored, source)
		return nil
	case dedup.Adopt:
		// Found under its own key from now on, as a GUID change is.
		w.batch.Put(tAliases, []byte(it.Key), []byte(stored.Key))
		w.aliases[it.Key] = stored.Key
		upd := dedup.Adopted(stored, it)
		w.counts.Updated++
		if err := w.regroup(stored, &upd); err != nil {
			return err
		}
		w.put(stored, &upd)
		return w.moveCount(stored.Source, source)
	}
	if d.Repaired {
		w.counts.Repaired++
	}
	w.counts.New++
	fresh := *it
	fresh.Norm, fresh.Terms, fresh.Related = "", nil, nil
	if err := w.group(&fresh); err != nil {
		return err
	}
	*it = fresh // the caller sees the story it joined
	w.put(nil, &fresh)
	w.added++
	if d.IndexLink && !collision {
		w.batch.Put(tLinks, linkDigest(it.Link), []byte(it.Key))
		w.links[it.Link] = it.Key
	}
	return nil
}

// stored is the record stored under it's key as the batch leaves it (nil:
// none), or, when that record says what it says (news.SameContent),
// unchanged: the record is then compared where it lies (record.Unchanged),
// never decoded.
func (w *write) stored(it *news.Item) (old *news.Item, unchanged bool, err error) {
	if rec, ok := w.records[it.Key]; ok {
		return rec, rec != nil && news.SameContent(rec, it), nil
	}
	v, err := w.r.Get(tRecords, []byte(it.Key))
	if err != nil || v == nil {
		return nil, false, err
	}
	if record.Unchanged(v, it) {
		return nil, true, nil
	}
	old, err = w.decoded(it.Key, v)
	return old, false, err
}

// edit applies a re-served item's edits to its stored record.
// carry records source as carrying stored's link (Duplicate).
func (w *write) carry(stored *news.Item, source string) {
	w.counts.Duplicate++
	if upd, changed := dedup.AddCarrier(stored, source); changed {
		w.counts.AlsoIn++
		w.put(stored, &upd)
	}
}

// moveCount credits one stored item to source to instead of from, in their
// states' item counts (what /sources shows, and prune takes back from the
// item's source).
func (w *write) moveCount(from, to string) error {
	st, found, err := w.stateFound(from)
	if err != nil {
		return err
	}
	if found {
		st.Items = max(st.Items-1, 0)
		w.putState(from, st)
	}
	st, _, err = w.stateFound(to)
	if err != nil {
		return err
	}
	st.Items++
	w.putState(to, st)
	return nil
}

// ownsLink reports whether link is on the own site of source, as its state
// last recorded its home page. A state that does not say (written before
// states kept their outlet, or unreadable) is taken to own it: the item
// stays with the source that has it, as before takeovers, and another
// source's poll does not fail on that source's state (both found by an
// outside review).
func (w *write) ownsLink(source, link string) bool {
	st, err := w.sourceState(source)
	if err != nil || st.Outlet == nil {
		return true
	}
	return dedup.OwnSite(link, st.Outlet.HomeURL)
}

func (w *write) edit(old, it *news.Item) error {
	upd, changed := dedup.Edited(old, it)
	if !changed {
		w.counts.Unchanged++
		return nil
	}
	w.counts.Updated++
	if old.Link != upd.Link {
		if err := w.moveLink(old.Link, upd.Link, old.Key); err != nil {
			return err
		}
	}
	w.put(old, &upd)
	return nil
}

// moveLink points the link index at an item's new link.
func (w *write) moveLink(oldLink, newLink, key string) error {
	if oldLink != "" {
		k, err := w.linked(oldLink)
		if err != nil {
			return err
		}
		if k == key {
			w.batch.Delete(tLinks, linkDigest(oldLink))
			w.links[oldLink] = ""
		}
	}
	if newLink != "" {
		k, err := w.linked(newLink)
		if err != nil {
			return err
		}
		if k == "" {
			w.batch.Put(tLinks, linkDigest(newLink), []byte(key))
			w.links[newLink] = key
		}
	}
	return nil
}
