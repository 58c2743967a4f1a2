// Package cluster elects the one replica that polls, over etcd.
package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"

	"github.com/nashra-ma/nashra/storage"
)

// Config is what an Elector needs.
type Config struct {
	// Store is the etcd engine the replicas share; the election lives
	// under its prefix, beside the engine's own keys.
	Store *storage.Etcd
	// Prefix is the store's key prefix; the election's keys are
	// Prefix+"!election/…" (the engine's own namespace, which no table can
	// take and a batch's repair never rolls back).
	Prefix string
	// LeaseTTL is the session lease: a replica that stops renewing it (dead,
	// paused, cut off) stops leading this long after its last renewal.
	LeaseTTL time.Duration
	// Name says which replica this is, in the election and the logs.
	Name string
	Log  *slog.Logger
}

// Term is one leadership: the leader key and its creation revision, which
// every write of the leader compares (Fence), so that a leader that lost
// its lease without noticing writes nothing.
type Term struct {
	Key string
	Rev int64
}

// Fence is e writing only while this term lasts: its writes fail with
// storage.ErrFenced once the leader key is gone.
func (t Term) Fence(e *storage.Etcd) *storage.Etcd { return e.WithFence(t.Key, t.Rev) }

// Elector campaigns for this replica and runs the leader's work while it leads.
type Elector struct {
	cfg       Config
	leading   atomic.Bool
	elections atomic.Uint64

	mu     sync.Mutex
	status Status
}

// Status is how this replica stands with the cluster.
type Status struct {
	// Reachable: this replica holds a live session with the cluster.
	Reachable bool
	// Since is when Reachable last changed (zero before the first session).
	Since time.Time
	// Err is why the cluster is not reachable ("" when it is).
	Err string
}

// retryEvery is how long a replica waits before trying a failed session or
// campaign again.
const retryEvery = 500 * time.Millisecond

// New returns an Elector; Run starts it.
func New(cfg Config) *Elector {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Elector{cfg: cfg}
}

// Leading reports whether this replica leads now.
func (e *Elector) Leading() bool { return e.leading.Load() }

// Elections is how many times this replica has become the leader.
func (e *Elector) Elections() uint64 { return e.elections.Load() }

// Status is how this replica stands with the cluster.
func (e *Elector) Status() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status
}

func (e *Elector) reachable(ok bool, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if ok != e.status.Reachable || e.status.Since.IsZero() {
		e.status.Since = time.Now()
		if ok {
			e.cfg.Log.Info("cluster: session with etcd", "replica", e.cfg.Name)
		} else {
			e.cfg.Log.Warn("cluster: no session with etcd (out of reach, or its lease ran out); serving the last renders", "replica", e.cfg.Name, "err", err)
		}
	}
	e.status.Reachable = ok
	e.status.Err = ""
	if err != nil {
		e.status.Err = err.Error()
	}
}

// Run campaigns until ctx ends. Each time this replica wins, lead runs with
// a context that is cancelled the moment the session is lost (its lease
// expired, etcd unreachable) or ctx ends, and with its term; Run waits for
// lead to return before it campaigns again, so two terms of one replica
// never overlap. When ctx ends, a leader resigns and the lease is revoked:
// another replica leads at once rather than after the lease.
func (e *Elector) Run(ctx context.Context, lead func(context.Context, Term)) {
	cli := e.cfg.Store.Client()
	ttl := max(int(e.cfg.LeaseTTL/time.Second), 1)
	for ctx.Err() == nil && cli.Ctx().Err() == nil {
		sess, err := concurrency.NewSession(cli, concurrency.WithTTL(ttl))
		if err != nil {
			e.reachable(false, fmt.Errorf("open a session: %w", err))
			sleep(ctx, retryEvery)
			continue
		}
		e.reachable(true, nil)
		// Said the moment it happens: a campaign cut short then tries to
		// withdraw, which waits for a cluster that may not answer.
		lost := context.AfterFunc(sess.Ctx(), func() {
			if ctx.Err() == nil {
				// The session lost, this replica no longer leads, whatever
				// its work still has in flight (its writes are fenced from
				// now on): said at once, not when lead has wound down, and
				// before "unreachable", so whoever sees that sees this too.
				e.leading.Store(false)
				e.reachable(false, errors.New("session lost: its lease expired or etcd stopped answering"))
			}
		})
		e.term(ctx, sess, lead)
		lost()
		closeSession(sess)
	}
}

// term campaigns on sess and, if this replica wins, leads until the session
// or ctx ends.
func (e *Elector) term(ctx context.Context, sess *concurrency.Session, lead func(context.Context, Term)) {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Run's own AfterFunc on the session says "not leading" the moment
	// it is lost; this one ends the term's work.
	stop := context.AfterFunc(sess.Ctx(), cancel)
	defer stop()
	el := concurrency.NewElection(sess, e.cfg.Prefix+"!election")
	if err := el.Campaign(cctx, e.cfg.Name); err != nil {
		if cctx.Err() == nil {
			e.cfg.Log.Warn("cluster: campaign", "replica", e.cfg.Name, "err", err)
			sleep(ctx, retryEvery)
		}
		return
	}
	t := Term{Key: el.Key(), Rev: el.Rev()}
	e.elections.Add(1)
	e.leading.Store(true)
	if sess.Ctx().Err() != nil {
		e.leading.Store(false) // lost between the win and now
	}
	e.cfg.Log.Info("cluster: leading: this replica polls", "replica", e.cfg.Name, "term", t.Rev)
	lead(cctx, t)
	e.leading.Store(false)
	e.cfg.Log.Info("cluster: no longer leading", "replica", e.cfg.Name, "term", t.Rev)
	if sess.Ctx().Err() == nil {
		// Still holding the lease (shutdown, or lead gave up): hand over now.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.LeaseTTL)
		defer rcancel()
		if err := el.Resign(rctx); err != nil {
			e.cfg.Log.Warn("cluster: resign", "replica", e.cfg.Name, "err", err)
		}
	}
}

// closeSession revokes the session's lease when it still can (its keys go
// at once); a session already lost is only orphaned.
func closeSession(sess *concurrency.Session) {
	select {
	case <-sess.Done():
		sess.Orphan()
	default:
		sess.Close()
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// Leader is the name of the replica leading now ("" when none).
func Leader(ctx context.Context, cli *clientv3.Client, prefix string) (string, error) {
	resp, err := cli.Get(ctx, prefix+"!election/", clientv3.WithFirstCreate()...)
	if err != nil {
		return "", fmt.Errorf("cluster: leader: %w", err)
	}
	if len(resp.Kvs) == 0 {
		return "", nil
	}
	return string(resp.Kvs[0].Value), nil
}
