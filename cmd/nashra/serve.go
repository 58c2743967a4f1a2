package main

import (
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// shutdownGrace bounds how long in-flight requests and polls may take to finish.
const shutdownGrace = 5 * time.Second

// serve runs the service until SIGINT or SIGTERM; SIGHUP reloads the configuration.
func serve(opt options, log *slog.Logger, stderr io.Writer) int {
	if _, ok := loadConfig(opt.configPath, stderr); !ok {
		return 1
	}
	svc, err := startService(opt.configPath, log)
	if err != nil {
		log.Error("start", "err", err)
		return 1
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	for sig := range sigs {
		if sig == syscall.SIGHUP {
			if err := svc.Reload(); err != nil {
				log.Error("reload refused; the running configuration stays", "err", err)
			}
			continue
		}
		log.Info("shutting down", "signal", sig.String())
		break
	}
	svc.Stop()
	log.Info("stopped")
	return 0
}
