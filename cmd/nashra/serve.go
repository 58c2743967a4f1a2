package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/server"
)

// shutdownGrace bounds how long in-flight requests and polls may take to finish.
const shutdownGrace = 5 * time.Second

func serve(opt options, log *slog.Logger, stderr io.Writer) int {
	cfg, ok := loadConfig(opt.configPath, stderr)
	if !ok {
		return 1
	}
	p, err := newPipeline(cfg, log)
	if err != nil {
		log.Error("start", "err", err)
		return 1
	}
	defer func() {
		if err := p.store.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()

	m := newMetrics(p)
	web := server.New(cfg, p.store, log, p.scheduler.Ready).WithMetrics(m)
	srv := &http.Server{
		Addr:              cfg.Listen,
		Handler:           web.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	notifier := web.NewNotifier()
	p.poller.OnPoll = func(r aggregator.Result) {
		recordPoll(m, r)
		if notifier != nil && r.Counts.Changed() {
			notifier.Kick()
		}
	}
	if notifier != nil {
		go notifier.Run(ctx)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	p.scheduler.Start()
	log.Info("serving", "listen", cfg.Listen, "base_url", cfg.BaseURL, "sources", len(cfg.Sources), "database", cfg.Database)

	code := 0
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", "err", err)
			code = 1
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	p.scheduler.Stop(shutdownGrace)
	log.Info("stopped")
	return code
}
