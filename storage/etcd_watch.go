package storage

import (
	"bytes"
	"context"
	"strconv"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// commitOp puts the commit key, valued with the time of the commit and the
// writer's id ("<unix ns> <writer>"), so that a watcher can tell its own
// commits from others'.
func (e *Etcd) commitOp() clientv3.Op {
	return clientv3.OpPut(e.commitKey(), strconv.FormatInt(time.Now().UnixNano(), 10)+" "+e.writer)
}

// CommitWatch is told what a watch of the commit key sees.
type CommitWatch struct {
	// Commit is called for every batch committed under the prefix, by any
	// writer, with when its writer committed it (zero when unknown) and
	// whether this engine (or a fenced copy of it) wrote it.
	Commit func(at time.Time, own bool)
	// Resumed is called when the watch works again after Broken: batches
	// committed meanwhile may have been missed.
	Resumed func()
	// Broken is called when the watch fails (the member lost its leader,
	// the cluster cannot be reached); it is started again.
	Broken func(err error)
}

// watchRetry is how long a broken watch waits before it starts again.
const watchRetry = 500 * time.Millisecond

// WatchCommits watches the commit key until ctx ends. It requires the
// member it watches through to have a leader, so a member cut off from its
// cluster reports Broken rather than silence.
func (e *Etcd) WatchCommits(ctx context.Context, w CommitWatch) {
	broken := false
	for ctx.Err() == nil && e.client.Ctx().Err() == nil {
		wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
		wch := e.client.Watch(wctx, e.commitKey(), clientv3.WithCreatedNotify())
		for resp := range wch {
			if err := resp.Err(); err != nil {
				if !broken && w.Broken != nil && ctx.Err() == nil {
					w.Broken(err)
				}
				broken = true
				break
			}
			if resp.Created {
				if broken && w.Resumed != nil {
					w.Resumed()
				}
				broken = false
				continue
			}
			for _, ev := range resp.Events {
				if w.Commit != nil {
					at, writer := parseCommit(ev.Kv.Value)
					w.Commit(at, writer == e.writer)
				}
			}
		}
		cancel()
		select {
		case <-ctx.Done():
		case <-time.After(watchRetry):
		}
	}
}

// parseCommit reads the commit key's value: the commit's time (zero when
// it is not one) and its writer's id (empty when the value has none, as
// the values of earlier releases).
func parseCommit(v []byte) (time.Time, string) {
	ns, writer, _ := bytes.Cut(v, []byte(" "))
	n, err := strconv.ParseInt(string(ns), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, string(writer)
	}
	return time.Unix(0, n), string(writer)
}
