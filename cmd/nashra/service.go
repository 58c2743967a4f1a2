package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/server"
)

// retentionEvery is how often old items are pruned.
const retentionEvery = time.Hour

// service is a running nashra: the pipeline, the HTTP server, WebSub and
// retention, with the configuration in force and a way to reload it.
type service struct {
	path string
	log  *slog.Logger

	mu   sync.Mutex // serialises Reload and Stop
	cfg  *config.Config
	pipe *pipeline
	web  *server.Server
	http *http.Server
	ln   net.Listener

	ctx    context.Context
	cancel context.CancelFunc
	done   sync.WaitGroup
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
	s := &service{path: path, log: log, cfg: cfg, pipe: p, ln: ln}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	m := newMetrics(p)
	s.web = server.New(cfg, p.store, log, s.ready).WithMetrics(m).WithMinRender(time.Second)
	s.http = s.web.HTTPServer()

	notifier := s.web.NewNotifier()
	p.poller.OnPoll = func(r aggregator.Result) {
		recordPoll(m, r)
		if notifier != nil && r.Counts.Changed() {
			notifier.Kick()
		}
	}
	s.goRun(func() {
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", "err", err)
		}
	})
	if notifier != nil {
		s.goRun(func() { notifier.Run(s.ctx) })
	}
	s.goRun(func() {
		aggregator.RunRetention(s.ctx, p.store, func() time.Duration { return s.config().Retention }, retentionEvery, log, m.Pruned)
	})
	p.scheduler.Start()
	writePIDFile(cfg, log)
	log.Info("serving", "listen", ln.Addr().String(), "base_url", cfg.BaseURL, "sources", len(cfg.Sources), "database", cfg.Database)
	return s, nil
}

func (s *service) goRun(f func()) {
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		f()
	}()
}

func (s *service) config() *config.Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

func (s *service) ready() bool {
	s.mu.Lock()
	sched := s.pipe.scheduler
	s.mu.Unlock()
	return sched.Ready()
}

// Addr is where the service listens.
func (s *service) Addr() string { return s.ln.Addr().String() }

// Reload re-reads the configuration file. An invalid file changes nothing
// and its problems are returned; a valid one replaces sources, outputs and
// polling settings without a restart and without touching stored items.
// listen and database keep their running values (they need a restart).
func (s *service) Reload() error {
	cfg, err := config.Load(s.path)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cfg.Listen != s.cfg.Listen || cfg.Database != s.cfg.Database {
		s.log.Warn("reload: listen and database changes need a restart; keeping the running ones",
			"listen", s.cfg.Listen, "database", s.cfg.Database)
		cfg.Listen, cfg.Database = s.cfg.Listen, s.cfg.Database
	}
	s.pipe.scheduler.Stop(shutdownGrace)
	s.pipe.poller.Fetcher = newFetcher(cfg)
	s.pipe.store.SetStoryMatcher(newMatcher(cfg))
	sched, err := aggregator.NewScheduler(cfg, s.pipe.poller, s.log)
	if err != nil {
		// Cannot happen for a validated config; keep polling with the old one.
		s.pipe.scheduler.StartAfterReload()
		return err
	}
	s.pipe.scheduler = sched
	s.web.SetConfig(cfg)
	s.cfg = cfg
	sched.StartAfterReload()
	s.log.Info("reloaded", "config", s.path, "sources", len(cfg.Sources), "outputs", len(cfg.Outputs))
	return nil
}

// Stop shuts down HTTP, polling, WebSub and retention, then closes the database.
func (s *service) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		s.log.Warn("http shutdown", "err", err)
	}
	s.pipe.scheduler.Stop(shutdownGrace)
	s.cancel()
	s.done.Wait()
	os.Remove(pidFile(s.cfg))
	if err := s.pipe.store.Close(); err != nil {
		s.log.Error("close database", "err", err)
	}
}

// pidFile is where a running service writes its process id, for `nashra reload`.
func pidFile(cfg *config.Config) string { return cfg.Database + ".pid" }

func writePIDFile(cfg *config.Config, log *slog.Logger) {
	if err := os.WriteFile(pidFile(cfg), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Warn("cannot write pid file; `nashra reload` will not find this process", "err", err)
	}
}
