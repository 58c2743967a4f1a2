package main

import (
	"fmt"
	"io"

	"github.com/nashra-ma/nashra/storage"
)

// compact rewrites the database without its free pages. The service must be stopped.
func compact(opt options, stdout, stderr io.Writer) int {
	cfg, ok := loadConfig(opt.configPath, stderr)
	if !ok {
		return 1
	}
	if cfg.Storage.Etcd() {
		fmt.Fprintln(stderr, "nashra: compact rewrites a bbolt file; an etcd store is compacted and defragmented by etcd (etcdctl compact, etcdctl defrag)")
		return 1
	}
	before, after, err := storage.Compact(cfg.Database)
	if err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %.1f MiB → %.1f MiB\n", cfg.Database, float64(before)/(1<<20), float64(after)/(1<<20))
	return 0
}
