// Command etcdmember runs one member of an etcd cluster, built from etcd's own embed package, for tests and CI that need members as separate processes.
//
// Its flags are a subset of etcd's, with the same names and meanings, so a
// script starts either this or an etcd binary with the same arguments:
//
//	etcdmember --name m0 --data-dir /tmp/m0 \
//	  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
//	  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
//	  --initial-cluster m0=http://127.0.0.1:2380,m1=http://127.0.0.1:2382,m2=http://127.0.0.1:2384
//
// It logs to stderr, stops cleanly on SIGTERM or SIGINT (exit 0), and after
// a kill -9 starts again from its data directory as the same member.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/types"
	"go.etcd.io/etcd/server/v3/embed"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "etcdmember:", err)
		return 2
	}
	// Signals are caught before the member starts: a SIGTERM while it
	// starts still stops it cleanly.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "etcdmember: start:", err)
		return 1
	}
	ready := e.Server.ReadyNotify()
	for {
		select {
		case <-ready:
			fmt.Fprintf(stderr, "etcdmember: %s ready, clients at %s\n", cfg.Name, urls(cfg.AdvertiseClientUrls))
			ready = nil
		case s := <-sig:
			return stop(e, s, stderr)
		case err := <-e.Err():
			fmt.Fprintln(stderr, "etcdmember:", err)
			e.Close()
			return 1
		}
	}
}

func stop(e *embed.Etcd, s os.Signal, stderr io.Writer) int {
	start := time.Now()
	e.Close() // leadership handed over, data synced, listeners closed
	fmt.Fprintf(stderr, "etcdmember: %s stopped on %s in %s\n", e.Config().Name, s, time.Since(start).Round(time.Millisecond))
	return 0
}

// parseFlags reads etcd's flags of the same names into an embed config.
func parseFlags(args []string, stderr io.Writer) (*embed.Config, error) {
	cfg := embed.NewConfig()
	fs := flag.NewFlagSet("etcdmember", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Name, "name", "", "this member's name (required)")
	fs.StringVar(&cfg.Dir, "data-dir", "", "this member's data directory (required)")
	listenClient := fs.String("listen-client-urls", "", "URLs to serve clients on (required)")
	advertiseClient := fs.String("advertise-client-urls", "", "client URLs to tell the cluster (default: the listen URLs)")
	listenPeer := fs.String("listen-peer-urls", "", "URLs to serve the other members on (required)")
	advertisePeer := fs.String("initial-advertise-peer-urls", "", "peer URLs to tell the cluster (default: the listen URLs)")
	fs.StringVar(&cfg.InitialCluster, "initial-cluster", "", "every member as name=peer-URL, comma-separated (default: this member alone)")
	fs.StringVar(&cfg.InitialClusterToken, "initial-cluster-token", "nashra-etcd", "the cluster's token, the same on every member")
	fs.StringVar(&cfg.ClusterState, "initial-cluster-state", embed.ClusterStateFlagNew, "new, or existing to join a running cluster")
	fs.UintVar(&cfg.TickMs, "heartbeat-interval", cfg.TickMs, "raft heartbeat in milliseconds")
	fs.UintVar(&cfg.ElectionMs, "election-timeout", cfg.ElectionMs, "raft election timeout in milliseconds")
	fs.StringVar(&cfg.LogLevel, "log-level", "warn", "debug, info, warn or error")
	fs.BoolVar(&cfg.UnsafeNoFsync, "unsafe-no-fsync", false, "skip fsync: for throw-away clusters only")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.Name == "" || cfg.Dir == "" || *listenClient == "" || *listenPeer == "" {
		return nil, fmt.Errorf("--name, --data-dir, --listen-client-urls and --listen-peer-urls are required")
	}
	var err error
	if cfg.ListenClientUrls, err = parseURLs("listen-client-urls", *listenClient); err != nil {
		return nil, err
	}
	if cfg.AdvertiseClientUrls, err = parseURLs("advertise-client-urls", or(*advertiseClient, *listenClient)); err != nil {
		return nil, err
	}
	if cfg.ListenPeerUrls, err = parseURLs("listen-peer-urls", *listenPeer); err != nil {
		return nil, err
	}
	if cfg.AdvertisePeerUrls, err = parseURLs("initial-advertise-peer-urls", or(*advertisePeer, *listenPeer)); err != nil {
		return nil, err
	}
	if cfg.InitialCluster == "" {
		cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	}
	cfg.Logger = "zap"
	cfg.LogOutputs = []string{"stderr"}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func parseURLs(flag, s string) ([]url.URL, error) {
	us, err := types.NewURLs(strings.Split(s, ","))
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flag, err)
	}
	return us, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func urls(us []url.URL) string {
	s := make([]string, len(us))
	for i, u := range us {
		s[i] = u.String()
	}
	return strings.Join(s, ",")
}
