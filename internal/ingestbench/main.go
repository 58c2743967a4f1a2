// Command ingestbench is issue 12's process-level ingest benchmark: it
// measures the nashra binary from outside (its CLI and config only), so that
// the same yardstick reads the same before and after storage changes.
//
// Same bytes for everyone: N generated WordPress-shaped RSS feeds × 50
// Arabic/French items are written to disk and served over loopback without
// validators. Measured, as user+system CPU of a child process:
//
//   - gofeed parsing every file from disk (the baseline);
//   - nashra poll into an empty database, stories on and stories off;
//   - nashra re-polling that database, items unchanged but every feed's
//     channel dates changed (no whole-body hash can short-cut it);
//   - bytes per stored item after nashra compact at 72,000 items.
//
// With -etcd DIR (a cluster scripts/etcd-cluster.sh started in DIR), the
// same polls into an etcd store too, the members' CPU counted beside
// nashra's, and the same items' bytes in etcd (compacted, defragmented).
//
// Each scenario runs -runs times, interleaved with the baseline; the report
// is a markdown table of medians and ratios to the same run's baseline.
//
//	go run ./internal/ingestbench -n 200,1000 -runs 3
//	go run ./internal/ingestbench -quick
//	scripts/etcd-cluster.sh start /tmp/ib && go run ./internal/ingestbench -n 200 -etcd /tmp/ib
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if dir := os.Getenv(parseEnv); dir != "" {
		if err := parseChild(dir, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	opt, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Printf("ingestbench %s, %s, %d cores; load average before: %s\n\n",
		time.Now().UTC().Format(time.RFC3339), runtime.Version(), runtime.NumCPU(), loadAverage())
	if err := run(ctx, opt, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("\nload average after: %s\n", loadAverage())
}

func parseFlags(args []string) (options, error) {
	fs := flag.NewFlagSet("ingestbench", flag.ContinueOnError)
	feeds := fs.String("n", "200,1000", "comma-separated numbers of feeds (50 items each)")
	runs := fs.Int("runs", 3, "runs per N (medians are reported)")
	sizeItems := fs.Int("size-items", 72000, "items stored for the bytes-per-item measurement")
	skipSize := fs.Bool("skip-size", false, "skip the bytes-per-item measurement")
	quick := fs.Bool("quick", false, "smoke test: -n 5 -runs 1 -size-items 500")
	nashra := fs.String("nashra", "", "nashra binary to measure (default: go build ./cmd/nashra of the module above the working directory)")
	root := fs.String("root", "", "module root to build nashra from (default: found from the working directory)")
	workers := fs.Int("workers", 4, "nashra's workers")
	perHost := fs.Int("per-host", 4, "nashra's per_host (every feed is on one loopback host)")
	progress := fs.Bool("progress", true, "say on stderr what is being measured")
	etcdDir := fs.String("etcd", "", "measure the etcd engine too, on the cluster `scripts/etcd-cluster.sh start DIR` started (its CPU counted)")
	memory := fs.Bool("memory", false, "run nashra with GODEBUG=gctrace=1 and report its peak Go heap (peak resident memory is always reported)")
	profile := fs.String("profile", "", "a directory: every `nashra poll` writes its CPU profile there (nashra's -cpuprofile), named for N, run and scenario")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	opt := options{runs: *runs, sizeItems: *sizeItems, nashra: *nashra, root: *root, workers: *workers, perHost: *perHost, etcdDir: *etcdDir, memory: *memory, profile: *profile}
	if *progress {
		opt.progress = os.Stderr
	}
	if *quick {
		*feeds, opt.runs, opt.sizeItems = "5", 1, 500
	}
	if *skipSize {
		opt.sizeItems = 0
	}
	for _, f := range strings.Split(*feeds, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return options{}, fmt.Errorf("ingestbench: -n: %q is not a number of feeds", f)
		}
		opt.feeds = append(opt.feeds, n)
	}
	if opt.runs < 1 {
		return options{}, fmt.Errorf("ingestbench: -runs must be at least 1")
	}
	if opt.nashra == "" && opt.root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return options{}, err
		}
		if opt.root, err = findRoot(wd); err != nil {
			return options{}, err
		}
	}
	if opt.profile != "" {
		if err := os.MkdirAll(opt.profile, 0o755); err != nil {
			return options{}, fmt.Errorf("ingestbench: -profile: %w", err)
		}
	}
	return opt, nil
}

// loadAverage is /proc/loadavg's first three fields: how busy the shared
// machine was around the figures.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
