package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/cluster"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/metrics"
	"github.com/nashra-ma/nashra/server"
	"github.com/nashra-ma/nashra/story"
)

// retentionEvery is how often old items are pruned.
const retentionEvery = time.Hour

// service is a running nashra: the pipeline, the HTTP server, WebSub and
// retention, with the configuration in force and a way to reload it.
//
// Nothing that answers requests takes mu: the configuration, the scheduler
// and the notifier in force are swapped whole, so a reload or a stop never
// makes /readyz or a feed wait.
type service struct {
	path string
	log  *slog.Logger
	pipe *pipeline
	web  *server.Server
	http *http.Server
	ln   net.Listener
	// admin serves the editor's API on admin_listen (nil when that address
	// could not be taken: the editor's commands then say the database is in use).
	admin   *http.Server
	adminLn net.Listener
	metrics *metrics.Metrics
	rounds  atomic.Pointer[roundTally] // of the configuration in force

	cfg       atomic.Pointer[config.Config]
	scheduler atomic.Pointer[aggregator.Scheduler]
	notifier  atomic.Pointer[hubNotifier]
	everReady atomic.Bool
	lastPoll  atomic.Int64 // unix ns of the last poll a source answered, for /readyz

	mu      sync.Mutex // serialises Reload, Stop and leadership terms; never held while polls are waited for
	retired []*aggregator.Scheduler
	stopped bool
	stopEnd chan struct{} // closed when Stop has finished

	// cluster is set when the store is etcd: this replica polls only while
	// it leads (see lead); term is the leadership in force (nil: following).
	cluster *cluster.Elector
	term    *leaderTerm
	pid     *os.File // the pid file, locked while the service runs
	// firstRound is kicked by commits while a replica that never polled
	// waits for the store to show a first round (noteFirstRound).
	firstRound kicker

	ctx    context.Context
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// leaderTerm is what polls while this replica leads: the archive writing
// through the term's fence, and the states around it.
type leaderTerm struct {
	ctx    context.Context
	store  *archive.Archive
	states *archive.Fallback
}

// hubNotifier is the WebSub notifier in force and what stops it.
type hubNotifier struct {
	hub  string
	n    *server.Notifier
	stop context.CancelFunc
}

// startService loads the configuration at path and starts everything. With
// the store on etcd, every replica serves; only the elected one polls,
// prunes and pings hubs (see lead).
func startService(path string, log *slog.Logger) (*service, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	s := &service{path: path, log: log, stopEnd: make(chan struct{}), firstRound: newKicker()}
	s.metrics = newMetrics(func() *pipeline { return s.pipe })
	p, err := newPipeline(cfg, log, s.metrics.EtcdRequest)
	if err != nil {
		return nil, err
	}
	s.pipe = p
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		p.store.Close()
		return nil, fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	s.ln = ln
	s.cfg.Store(cfg)
	s.rounds.Store(newRoundTally(sourceNames(cfg)))
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.web = server.New(cfg, p.states, log, s.ready).WithMetrics(s.metrics).WithMinRender(time.Second).
		WithLastPoll(func() time.Time { return time.Unix(0, s.lastPoll.Load()) })
	s.http = s.web.HTTPServer()

	p.poller.OnPoll = s.onPoll
	if p.etcd != nil {
		s.startReplica(cfg)
	}
	s.startAdmin(cfg)
	s.goRun(func() {
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", "err", err)
		}
	})
	if p.etcd == nil {
		s.scheduler.Store(p.scheduler)
		s.startNotifier(s.ctx, cfg)
		s.goRun(func() {
			aggregator.RunRetention(s.ctx, p.store, func() time.Duration { return s.config().Retention }, retentionEvery, log, s.metrics.Pruned)
		})
		p.scheduler.Start()
	}
	s.writePIDFile(cfg)
	log.Info("serving", "open", cfg.BaseURL+"/", "listen", ln.Addr().String(), "base_url", cfg.BaseURL, "sources", len(cfg.Sources), "database", cfg.Storage.Where())
	return s, nil
}

// startAdmin serves the admin API on admin_listen, a loopback address (the
// configuration refuses any other; checked again here, since nothing on it
// may be reachable from elsewhere). An address already taken (another
// nashra on this machine) leaves the service running without it.
func (s *service) startAdmin(cfg *config.Config) {
	if !config.LoopbackAddress(cfg.AdminListen) {
		s.log.Error("admin API not started: admin_listen is not a loopback address", "admin_listen", cfg.AdminListen)
		return
	}
	ln, err := net.Listen("tcp", cfg.AdminListen)
	if err != nil {
		s.log.Warn("admin API not started: `nashra stories` cannot reach this service", "admin_listen", cfg.AdminListen, "err", err)
		return
	}
	h := server.AdminHandler(s.pipe.store, cfg.Storage.Identity(), func() *story.Matcher { return newMatcher(s.config()) }, s.log)
	s.adminLn = ln
	s.admin = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second}
	s.goRun(func() {
		if err := s.admin.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("admin server", "err", err)
		}
	})
}

// AdminAddr is where the admin API listens ("" when it does not).
func (s *service) AdminAddr() string {
	if s.adminLn == nil {
		return ""
	}
	return s.adminLn.Addr().String()
}

// onPoll records a poll of any scheduler, old or new, and tells the hub in force.
func (s *service) onPoll(r aggregator.Result) {
	recordPoll(s.metrics, r)
	if failed, total, done := s.rounds.Load().observe(r); done && failed > 0 {
		s.log.Warn(roundSummary(failed, total, s.config().BaseURL))
	}
	if r.HTTP >= 200 && r.HTTP < 400 { // the source answered, stored or not
		s.lastPoll.Store(time.Now().UnixNano())
	}
	if hn := s.notifier.Load(); hn != nil && r.Counts.Changed() {
		hn.n.Kick()
	}
}

// startNotifier puts a notifier for cfg's hub in force (none without a
// hub), running until parent ends (the service, or this replica's term).
func (s *service) startNotifier(parent context.Context, cfg *config.Config) {
	n := s.web.NewNotifier() // for the configuration just put in force
	if n == nil {
		s.notifier.Store(nil)
		return
	}
	ctx, stop := context.WithCancel(parent)
	s.notifier.Store(&hubNotifier{hub: cfg.WebSub.Hub, n: n, stop: stop})
	s.goRun(func() { n.Run(ctx) })
}

func (s *service) goRun(f func()) {
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		f()
	}()
}

func (s *service) config() *config.Config { return s.cfg.Load() }

// ready reports whether the first poll round has finished (on a replica
// that does not poll: whether the store shows every source polled, see
// watchStore); a reload does not take it back.
func (s *service) ready() bool {
	if s.everReady.Load() {
		return true
	}
	if sched := s.scheduler.Load(); sched != nil && sched.Ready() {
		s.everReady.Store(true)
		return true
	}
	return false
}

// Addr is where the service listens.
func (s *service) Addr() string { return s.ln.Addr().String() }

// Reload re-reads the configuration file. An invalid file changes nothing
// and its problems are returned; a valid one replaces sources, outputs,
// polling settings and the WebSub hub without a restart and without
// touching stored items. listen and database keep their running values
// (they need a restart).
func (s *service) Reload() error {
	cfg, err := config.Load(s.path)
	if err != nil {
		return err
	}
	return s.apply(cfg)
}

// apply puts cfg in force. The new poller and scheduler are built aside and
// swapped in; the old scheduler starts nothing more, and its polls under way
// finish and are recorded like any other. It never waits for a poll.
func (s *service) apply(cfg *config.Config) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return errors.New("reload: the service is stopping")
	}
	old := s.config()
	if cfg.Listen != old.Listen || cfg.Storage.Identity() != old.Storage.Identity() || cfg.AdminListen != old.AdminListen ||
		cfg.WriteQueueItems != old.WriteQueueItems {
		s.log.Warn("reload: listen, admin_listen, storage (database) and write_queue_items changes need a restart; keeping the running ones",
			"listen", old.Listen, "admin_listen", old.AdminListen, "storage", old.Storage.Where(), "write_queue_items", old.WriteQueueItems)
		cfg.Listen, cfg.Database, cfg.Storage, cfg.AdminListen = old.Listen, old.Database, old.Storage, old.AdminListen
		cfg.WriteQueueItems = old.WriteQueueItems // read when the store opens
	}
	if s.pipe.etcd != nil && cfg.BaseURL != old.BaseURL {
		return fmt.Errorf("reload: base_url %q: the replicas of a shared store publish under one base_url (%q); nothing was changed", cfg.BaseURL, old.BaseURL)
	}
	prev := s.scheduler.Load()
	var sched *aggregator.Scheduler
	if prev != nil { // this replica polls: a following replica has no scheduler to replace
		poller := &aggregator.Poller{Store: s.pipe.poller.Store, Fetcher: newFetcher(cfg), Log: s.log, OnPoll: s.onPoll}
		if s.term != nil {
			poller.Store = s.term.states
		}
		var err error
		if sched, err = prev.Successor(cfg, poller); err != nil {
			return fmt.Errorf("reload: %w", err) // nothing was changed: the old scheduler runs on
		}
	}
	if err := s.pipe.store.SetStoryMatcher(grouping(cfg)); err != nil {
		// The stories of new items wait for the next reload; nothing else does.
		s.log.Error("reload: story grouping off until the next reload", "err", err)
	}
	s.web.SetConfig(cfg)
	s.cfg.Store(cfg)
	s.rounds.Store(newRoundTally(sourceNames(cfg)))
	if cur := s.notifier.Load(); sched != nil && (cur == nil || cur.hub != cfg.WebSub.Hub) {
		if cur != nil {
			cur.stop()
		}
		parent := s.ctx
		if s.term != nil {
			parent = s.term.ctx
		}
		s.startNotifier(parent, cfg)
	}
	if sched != nil {
		s.scheduler.Store(sched)
		prev.Retire()
		s.retired = append(slices.DeleteFunc(s.retired, (*aggregator.Scheduler).Idle), prev)
		sched.StartAfterReload()
	}
	s.log.Info("reloaded", "config", s.path, "sources", len(cfg.Sources), "outputs", len(cfg.Outputs), "websub_hub", cfg.WebSub.Hub)
	return nil
}

// Stop shuts down HTTP, polling, WebSub and retention, then closes the
// database, within shutdownGrace and a second: requests and polls get the
// grace to finish, then polls are cancelled (a save under way is rolled
// back) and nothing is waited for beyond that second, not even a commit
// that had begun: it lands whole or not at all, as after kill -9, and a
// poll that did not land is polled again at the next start. A leading
// replica resigns, so another leads at once.
func (s *service) Stop() {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		<-s.stopEnd
		return
	}
	s.stopped = true
	scheds := slices.Clone(s.retired)
	if cur := s.scheduler.Load(); cur != nil {
		scheds = append(scheds, cur)
	}
	s.mu.Unlock()
	defer close(s.stopEnd)
	// The promise is the grace and a second after it; the process's exit
	// (closing files, the runtime, a late timer on a busy machine) takes
	// some of that second, so the waits below end exitReserve before it.
	deadline := time.Now().Add(shutdownGrace + time.Second - exitReserve)
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	var wg sync.WaitGroup
	if s.admin != nil {
		wg.Go(func() {
			if err := s.admin.Shutdown(ctx); err != nil {
				s.admin.Close()
			}
		})
	}
	wg.Go(func() {
		if err := s.http.Shutdown(ctx); err != nil {
			s.log.Warn("http shutdown: closing connections still open", "err", err)
			s.http.Close()
		}
	})
	for _, sched := range scheds {
		wg.Go(func() { sched.StopSettling(shutdownGrace, shutdownSettle) })
	}
	wg.Wait()
	s.cancel()
	if !waitAtMost(&s.done, time.Until(deadline)) {
		s.log.Warn("stopping: retention, WebSub or the election still busy; not waiting for them")
	}
	s.removePIDFile()
	closed, err := closeWithin(s.pipe.store.Close, time.Until(deadline))
	switch {
	case !closed:
		s.log.Warn("stopping: a commit is still being written; not waiting for it (it lands whole or not at all)")
	case err != nil:
		s.log.Error("close database", "err", err)
	}
}

// shutdownSettle is how long Stop waits for polls cancelled after the
// grace, and exitReserve what it keeps of the promised second for the rest
// (retention and WebSub, closing the database, the process's exit).
const (
	shutdownSettle = 600 * time.Millisecond
	exitReserve    = 250 * time.Millisecond
)

// closeWithin calls close and waits for it at most d (a tenth of a second
// when d has already passed), reporting whether it returned and with what.
// Closing the database waits for a commit under way, which no context
// stops; one left running ends with the process, which bbolt survives.
func closeWithin(close func() error, d time.Duration) (bool, error) {
	done := make(chan error, 1)
	go func() { done <- close() }()
	t := time.NewTimer(max(d, 100*time.Millisecond))
	defer t.Stop()
	select {
	case err := <-done:
		return true, err
	case <-t.C:
		return false, nil
	}
}

// waitAtMost waits for wg for at most d and reports whether it finished.
func waitAtMost(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// pidFile is where a running service writes its process id, for `nashra
// reload`: beside the bbolt file, or, with the store on etcd, beside the
// configuration file (each replica has its own).
func pidFile(cfg *config.Config) string {
	if cfg.Storage.Etcd() {
		return cfg.File + ".pid"
	}
	return cfg.Database + ".pid"
}

// writePIDFile writes the pid file. With the store on etcd there is no
// database lock to prove which process serves this configuration, so the
// service holds a lock on the pid file itself (see ownsDatabase).
func (s *service) writePIDFile(cfg *config.Config) {
	path := pidFile(cfg)
	if !cfg.Storage.Etcd() {
		if err := os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			s.log.Warn("cannot write pid file; `nashra reload` will not find this process", "err", err)
		}
		return
	}
	f, err := lockedPIDFile(path)
	if err != nil {
		s.log.Warn("cannot write pid file; `nashra reload` will not find this process (kill -HUP works)", "err", err)
		return
	}
	s.pid = f
}

func (s *service) removePIDFile() {
	if s.pid != nil {
		os.Remove(s.pid.Name())
		s.pid.Close()
		return
	}
	if !s.config().Storage.Etcd() {
		os.Remove(pidFile(s.config()))
	}
}
