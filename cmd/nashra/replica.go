package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/cluster"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/server"
	"github.com/nashra-ma/nashra/storage"
)

// startReplica runs this service as one replica of several on an etcd
// store: every replica serves, a watch of the store's commits keeps its
// renders current, and the replica the election picks polls (lead).
func (s *service) startReplica(cfg *config.Config) {
	el := cluster.New(cluster.Config{Store: s.pipe.etcd, Prefix: cfg.Storage.Prefix, LeaseTTL: cfg.Storage.LeaseTTL,
		Name: replicaName(s.ln), Log: s.log})
	s.cluster = el
	// Known out of reach only once a session was lost: before the first,
	// the store is read as usual.
	s.pipe.reachable = func() bool { st := el.Status(); return st.Reachable || st.Since.IsZero() }
	s.metrics.Cluster(el.Leading, el.Elections, func() bool { return el.Status().Reachable })
	s.web.WithStoreStatus(func() server.StoreStatus {
		st := el.Status()
		return server.StoreStatus{Leading: el.Leading(), Reachable: st.Reachable, Since: st.Since, Err: st.Err}
	})
	s.goRun(func() { s.watchStore(s.ctx) })
	s.goRun(func() { el.Run(s.ctx, s.lead) })
	s.goRun(s.noteFirstRound)
}

// replicaName tells replicas apart in the election and the logs: the host
// and the address this one listens on.
func replicaName(ln net.Listener) string {
	host, err := os.Hostname()
	if err != nil {
		host = "nashra"
	}
	return fmt.Sprintf("%s %s pid %d", host, ln.Addr(), os.Getpid())
}

// lead is one leadership term: the scheduler resumes from the states the
// store holds, retention and WebSub run, every write goes through the
// term's fence; all of it stops the moment ctx ends (the session lost, or
// the service stopping).
func (s *service) lead(ctx context.Context, term cluster.Term) {
	fenced := s.pipe.store.WritingThrough(term.Fence(s.pipe.etcd))
	t := &leaderTerm{ctx: ctx, store: fenced, states: s.pipe.states.Over(fenced)}
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return
	}
	cfg := s.config()
	poller := &aggregator.Poller{Store: t.states, Fetcher: newFetcher(cfg), Log: s.log, OnPoll: s.onPoll}
	sched, err := aggregator.NewScheduler(cfg, poller, s.log)
	if err != nil {
		s.mu.Unlock()
		s.log.Error("lead: not polling", "err", err)
		<-ctx.Done()
		return
	}
	s.term = t
	s.scheduler.Store(sched)
	s.startNotifier(ctx, cfg)
	s.mu.Unlock()
	s.pipe.states.ForgetAll() // what a previous term could not store is another leader's to say now

	retention := make(chan struct{})
	go func() {
		defer close(retention)
		aggregator.RunRetention(ctx, fenced, func() time.Duration { return s.config().Retention }, retentionEvery, s.log, s.metrics.Pruned)
	}()
	sched.Resume()
	<-ctx.Done()

	s.mu.Lock()
	scheds := s.retired
	if cur := s.scheduler.Swap(nil); cur != nil {
		scheds = append(scheds, cur)
	}
	s.retired, s.term = nil, nil
	if hn := s.notifier.Swap(nil); hn != nil {
		hn.stop()
	}
	s.mu.Unlock()
	for _, sc := range scheds {
		sc.HandOver() // at once: another replica leads, or is about to
	}
	<-retention
	s.pipe.states.ForgetAll()
}

// watchStore watches the store's commits: every commit, this replica's or
// another's, makes the renders out of date (all replicas then serve the
// same bytes), and says the store is there (for /readyz).
func (s *service) watchStore(ctx context.Context) {
	s.pipe.etcd.WatchCommits(ctx, storage.CommitWatch{
		Commit: func(at time.Time, own bool) {
			now := time.Now()
			if !own { // this replica's writes moved its renders on already
				s.pipe.store.Changed()
			}
			s.web.StoreRead(now)
			if !at.IsZero() {
				s.metrics.WatchLag(now.Sub(at))
			}
			s.firstRound.kick()
		},
		Resumed: func() {
			s.log.Info("watch of the store resumed")
			s.pipe.store.Changed() // commits may have been missed meanwhile
		},
		Broken: func(err error) { s.log.Warn("watch of the store broken; retrying", "err", err) },
	})
}

// noteFirstRound makes a replica that does not poll ready once the store
// shows every configured source polled (by whichever replica led), checked
// after commits until it is so.
func (s *service) noteFirstRound() {
	for !s.everReady.Load() {
		select {
		case <-s.ctx.Done():
			return
		case <-s.firstRound.c:
		case <-time.After(time.Minute):
		}
		states, err := s.pipe.states.States()
		if err == nil && firstRoundStored(s.config(), states) {
			s.everReady.Store(true)
		}
	}
}

// firstRoundStored reports whether the states show every source that is
// polled attempted at its configured URL.
func firstRoundStored(cfg *config.Config, states map[string]archive.SourceState) bool {
	for _, src := range cfg.Sources {
		if src.Disabled {
			continue
		}
		st, ok := states[src.Name]
		if !ok || st.ConfiguredURL != src.URL || st.LastAttempt.IsZero() {
			return false
		}
	}
	return true
}

// kicker wakes one waiter without ever blocking the one who kicks.
type kicker struct{ c chan struct{} }

func newKicker() kicker { return kicker{c: make(chan struct{}, 1)} }

func (k kicker) kick() {
	select {
	case k.c <- struct{}{}:
	default:
	}
}
