package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/cluster"
	"github.com/nashra-ma/nashra/config"
)

// pollOnce polls every source once and prints a line per source. It exits 1
// when any source failed, so that a cron job notices.
func pollOnce(opt options, stdout, stderr io.Writer) int {
	cfg, ok := loadConfig(opt.configPath, stderr)
	if !ok {
		return 1
	}
	// The table is the output; per-poll log lines would repeat it, so only
	// what goes wrong beyond a failed poll is logged.
	quiet := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	p, err := newPipeline(cfg, quiet, nil)
	if err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 1
	}
	defer p.store.Close()
	if opt.cpuProfile != "" {
		stopProfile, err := startCPUProfile(opt.cpuProfile)
		if err != nil {
			fmt.Fprintln(stderr, "nashra:", err)
			return 1
		}
		defer stopProfile()
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var live *progress
	if isTerminal(stderr) {
		live = &progress{w: stderr, total: len(sourceNames(cfg))}
		p.poller.OnPoll = live.observe
	}
	results, err := runRound(ctx, cfg, p, quiet)
	if live != nil {
		live.finish()
	}
	if err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 1
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	// WAITED is the time a poll waited for its host's per_host slot, in
	// TIME besides; blank below what the log line would name.
	fmt.Fprintln(tw, "SOURCE\tRESULT\tHTTP\tITEMS\tNEW\tUPDATED\tTIME\tWAITED\tERROR")
	// Interrupted (SIGINT, SIGTERM): the polls it cancelled, and those it
	// never started, are no source's failure (seen from outside: 342
	// sources "failed" with "context canceled" after a Ctrl-C).
	interrupted := ctx.Err() != nil
	failed, cut, added := 0, 0, 0
	for _, r := range results {
		if r.Source == "" { // never started
			cut++
			continue
		}
		status, errText := r.Status, ""
		switch {
		case interrupted && (errors.Is(r.Err, context.Canceled) || r.Skip == aggregator.SkipStopped):
			status = "interrupted"
			cut++
		case r.Err != nil:
			errText = r.Err.Error()
			failed++
		case r.Waiting && r.Failing:
			// Skipped for its own failing state (its server's Retry-After,
			// gone, a backoff): failed, as the service's round says (seen
			// from outside: "0 failed" and exit 0).
			errText = r.Skip
			failed++
		}
		added += r.Counts.New
		waited := ""
		if r.Waited >= aggregator.WaitWorthSaying {
			waited = r.Waited.Round(time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", r.Source, status, r.HTTP, r.Items, r.Counts.New, r.Counts.Updated, r.Duration.Round(time.Millisecond), waited, errText)
	}
	tw.Flush()
	for _, src := range cfg.Sources {
		if src.Disabled {
			fmt.Fprintf(stdout, "%s: disabled in the config, not polled\n", src.Name)
		}
	}
	total, _ := p.store.Count()
	if cut > 0 {
		fmt.Fprintf(stdout, "interrupted: %d sources not polled (they are polled at the next run)\n", cut)
	}
	fmt.Fprintf(stdout, "%d sources, %d failed, %d new items, %d stored\n", len(results), failed, added, total)
	if failed > 0 || interrupted {
		return 1
	}
	return 0
}

// runRound polls every source once. With the store on etcd it first takes
// the leadership, as a replica would, so that it never polls beside the
// replica that does: a running leader makes it refuse.
func runRound(ctx context.Context, cfg *config.Config, p *pipeline, log *slog.Logger) ([]aggregator.Result, error) {
	if p.etcd == nil {
		return p.scheduler.RunOnce(ctx), nil
	}
	if leader, err := cluster.Leader(ctx, p.etcd.Client(), cfg.Storage.Prefix); err != nil {
		return nil, err
	} else if leader != "" {
		return nil, fmt.Errorf("a nashra replica polls this store (%s): not polling beside it", leader)
	}
	el := cluster.New(cluster.Config{Store: p.etcd, Prefix: cfg.Storage.Prefix, LeaseTTL: cfg.Storage.LeaseTTL,
		Name: fmt.Sprintf("nashra poll pid %d", os.Getpid()), Log: log})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var results []aggregator.Result
	var err error
	var won atomic.Bool
	give := time.AfterFunc(cfg.Storage.LeaseTTL+2*time.Second, func() {
		if !won.Load() {
			cancel()
		}
	})
	defer give.Stop()
	el.Run(ctx, func(lctx context.Context, term cluster.Term) {
		won.Store(true)
		fenced := p.store.WritingThrough(term.Fence(p.etcd))
		poller := *p.poller
		poller.Store = p.states.Over(fenced)
		sched, serr := aggregator.NewScheduler(cfg, &poller, log)
		if serr != nil {
			err = serr
		} else {
			results = sched.RunOnce(lctx)
		}
		cancel() // resign: the replicas take over at once
	})
	if !won.Load() {
		return nil, errors.New("another replica took the leadership first, or etcd did not answer: not polling")
	}
	return results, err
}
