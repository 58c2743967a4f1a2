package archive

import (
	"context"
	"sync"
)

// DefaultQueueItems bounds the items of the polls waiting for the writer:
// a poll that finds that many queued waits for room before it joins them.
// The writer takes up to this many items (at least one poll) into one
// commit, fewer when the pages its last commit wrote say a commit of that
// many would hold too many dirty pages (commitsize.go): the queued items
// themselves hold little memory (~2 KB each), a commit's dirty pages most.
const DefaultQueueItems = 2000

// queue is the polls waiting for the writer, oldest first.
type queue struct {
	mu    sync.Mutex
	polls []*pollRequest
	items int // items of polls
	bound int // items beyond which a poll waits for room
	// commit is the most items the writer takes into one commit (≤ bound;
	// at least one poll all the same): nextCommitItems sets it.
	commit int
	room   chan struct{} // closed when polls leave; replaced then
}

func newQueue(bound int) *queue {
	bound = max(bound, 1)
	return &queue{bound: bound, commit: min(bound, firstCommitItems), room: make(chan struct{})}
}

// setCommit sets the most items a commit takes.
func (q *queue) setCommit(n int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.commit = min(max(n, 1), q.bound)
}

// commitItems is the most items a commit takes now.
func (q *queue) commitItems() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.commit
}

// join queues r once the queue holds fewer than its bound of items, or
// returns ctx's error if ctx ends first. A poll larger than the bound
// joins an emptier queue all the same: the bound is checked before, not
// after, so that no poll waits for ever.
func (q *queue) join(ctx context.Context, r *pollRequest) error {
	for {
		q.mu.Lock()
		if q.items < q.bound {
			q.polls = append(q.polls, r)
			q.items += len(r.items)
			q.mu.Unlock()
			return nil
		}
		room := q.room
		q.mu.Unlock()
		select {
		case <-room:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// take removes the oldest polls, up to a commit's items but at least one,
// and makes room for those waiting to join.
func (q *queue) take() []*pollRequest {
	q.mu.Lock()
	defer q.mu.Unlock()
	n, items := 0, 0
	for n < len(q.polls) && (n == 0 || items+len(q.polls[n].items) <= q.commit) {
		items += len(q.polls[n].items)
		n++
	}
	group := make([]*pollRequest, n)
	copy(group, q.polls)
	q.polls = append(q.polls[:0], q.polls[n:]...)
	q.items -= items
	if n > 0 {
		close(q.room)
		q.room = make(chan struct{})
	}
	return group
}

// full reports whether the queue holds a commit's worth of items: the
// writer then need not wait for more.
func (q *queue) full() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.items >= q.commit
}

// size is the number of polls queued.
func (q *queue) size() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.polls)
}

type queuedKey struct{}

// WhenQueued returns a context whose SavePoll calls queued once the poll
// has joined the writer's queue, before it waits for the poll to be
// written: the poller then frees its worker, so that the next sources are
// fetched and parsed while the writer commits, and commits grow beyond one
// poll per worker. Polls join the queue in the order their callers call
// queued back, which is what keeps a round's order (the first source
// listed stores a shared article first).
func WhenQueued(ctx context.Context, queued func()) context.Context {
	return context.WithValue(ctx, queuedKey{}, queued)
}

// signalQueued calls ctx's WhenQueued function, if any.
func signalQueued(ctx context.Context) {
	if f, ok := ctx.Value(queuedKey{}).(func()); ok && f != nil {
		f()
	}
}
