package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
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

	mu      sync.Mutex // serialises Reload and Stop; never held while polls are waited for
	retired []*aggregator.Scheduler
	stopped bool

	ctx    context.Context
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// hubNotifier is the WebSub notifier in force and what stops it.
type hubNotifier struct {
	hub  string
	n    *server.Notifier
	stop context.CancelFunc
}

// startService loads the configuration at path and starts everything.
func startService(path string, log *slog.Logger) (*service, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	p, err := newPipeline(cfg, log)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		p.store.Close()
		return nil, fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	s := &service{path: path, log: log, pipe: p, ln: ln}
	s.cfg.Store(cfg)
	s.rounds.Store(newRoundTally(sourceNames(cfg)))
	s.scheduler.Store(p.scheduler)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.metrics = newMetrics(p)
	s.web = server.New(cfg, p.states, log, s.ready).WithMetrics(s.metrics).WithMinRender(time.Second).
		WithLastPoll(func() time.Time { return time.Unix(0, s.lastPoll.Load()) })
	s.http = s.web.HTTPServer()

	s.startAdmin(cfg)
	p.poller.OnPoll = s.onPoll
	s.startNotifier(cfg)
	s.goRun(func() {
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", "err", err)
		}
	})
	s.goRun(func() {
		aggregator.RunRetention(s.ctx, p.store, func() time.Duration { return s.config().Retention }, retentionEvery, log, s.metrics.Pruned)
	})
	p.scheduler.Start()
	writePIDFile(cfg, log)
	log.Info("serving", "open", cfg.BaseURL+"/", "listen", ln.Addr().String(), "base_url", cfg.BaseURL, "sources", len(cfg.Sources), "database", cfg.Database)
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
	db, err := filepath.Abs(cfg.Database)
	if err != nil {
		db = cfg.Database
	}
	h := server.AdminHandler(s.pipe.store, db, func() *story.Matcher { return newMatcher(s.config()) }, s.log)
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

// startNotifier puts a notifier for cfg's hub in force (none without a hub).
func (s *service) startNotifier(cfg *config.Config) {
	n := s.web.NewNotifier() // for the configuration just put in force
	if n == nil {
		s.notifier.Store(nil)
		return
	}
	ctx, stop := context.WithCancel(s.ctx)
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

// ready reports whether the first poll round has finished; a reload does
// not take it back.
func (s *service) ready() bool {
	if s.everReady.Load() {
		return true
	}
	if s.scheduler.Load().Ready() {
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
	if cfg.Listen != old.Listen || cfg.Database != old.Database || cfg.AdminListen != old.AdminListen {
		s.log.Warn("reload: listen, admin_listen and database changes need a restart; keeping the running ones",
			"listen", old.Listen, "admin_listen", old.AdminListen, "database", old.Database)
		cfg.Listen, cfg.Database, cfg.AdminListen = old.Listen, old.Database, old.AdminListen
	}
	poller := &aggregator.Poller{Store: s.pipe.poller.Store, Fetcher: newFetcher(cfg), Log: s.log, OnPoll: s.onPoll}
	prev := s.scheduler.Load()
	sched, err := prev.Successor(cfg, poller)
	if err != nil {
		return fmt.Errorf("reload: %w", err) // nothing was changed: the old scheduler runs on
	}
	if err := s.pipe.store.SetStoryMatcher(grouping(cfg)); err != nil {
		// The stories of new items wait for the next reload; nothing else does.
		s.log.Error("reload: story grouping off until the next reload", "err", err)
	}
	s.web.SetConfig(cfg)
	s.cfg.Store(cfg)
	s.rounds.Store(newRoundTally(sourceNames(cfg)))
	if cur := s.notifier.Load(); cur == nil || cur.hub != cfg.WebSub.Hub {
		if cur != nil {
			cur.stop()
		}
		s.startNotifier(cfg)
	}
	s.scheduler.Store(sched)
	prev.Retire()
	s.retired = append(slices.DeleteFunc(s.retired, (*aggregator.Scheduler).Idle), prev)
	sched.StartAfterReload()
	s.log.Info("reloaded", "config", s.path, "sources", len(cfg.Sources), "outputs", len(cfg.Outputs), "websub_hub", cfg.WebSub.Hub)
	return nil
}

// Stop shuts down HTTP, polling, WebSub and retention, then closes the
// database, within shutdownGrace and a second: requests and polls get the
// grace to finish, then polls are cancelled (a save under way is rolled
// back) and nothing is waited for beyond that second.
func (s *service) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	s.stopped = true
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
	for _, sched := range append(s.retired, s.scheduler.Load()) {
		wg.Go(func() { sched.Stop(shutdownGrace) })
	}
	wg.Wait()
	s.cancel()
	if !waitAtMost(&s.done, time.Second) {
		s.log.Warn("stopping: retention or WebSub still busy; not waiting for them")
	}
	os.Remove(pidFile(s.config()))
	if err := s.pipe.store.Close(); err != nil {
		s.log.Error("close database", "err", err)
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

// pidFile is where a running service writes its process id, for `nashra reload`.
func pidFile(cfg *config.Config) string { return cfg.Database + ".pid" }

func writePIDFile(cfg *config.Config, log *slog.Logger) {
	if err := os.WriteFile(pidFile(cfg), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Warn("cannot write pid file; `nashra reload` will not find this process", "err", err)
	}
}
