package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// reload asks the running service to re-read its configuration (SIGHUP),
// after checking the file itself so that a broken edit is caught here, and
// after checking that the pid file names the process serving this
// configuration's database (see ownsDatabase), not a stranger that inherited
// a stale pid.
func reload(opt options, stdout, stderr io.Writer) int {
	cfg, ok := loadConfig(opt.configPath, stderr)
	if !ok {
		fmt.Fprintln(stderr, "nashra: not reloading: the running service keeps its configuration")
		return 1
	}
	raw, err := os.ReadFile(pidFile(cfg))
	if err != nil {
		fmt.Fprintf(stderr, "nashra: no running service found for %s (%v)\n", cfg.Storage.Where(), err)
		return 1
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil || pid <= 0 {
		fmt.Fprintf(stderr, "nashra: %s does not hold a process id\n", pidFile(cfg))
		return 1
	}
	// The process serving a bbolt file holds its lock; a replica on etcd
	// holds the lock of its pid file.
	locked := cfg.Database
	if cfg.Storage.Etcd() {
		locked = pidFile(cfg)
	}
	if err := ownsDatabase(pid, locked); err != nil {
		fmt.Fprintf(stderr, "nashra: not signalling pid %d from %s: %v\n", pid, pidFile(cfg), err)
		return 1
	}
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		fmt.Fprintf(stderr, "nashra: signal process %d: %v\n", pid, err)
		return 1
	}
	fmt.Fprintf(stdout, "asked nashra (pid %d) to reload %s\n", pid, cfg.File)
	return 0
}
