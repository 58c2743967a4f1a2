package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"syscall"
	"text/tabwriter"
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
	p, err := newPipeline(cfg, quiet)
	if err != nil {
		fmt.Fprintln(stderr, "nashra:", err)
		return 1
	}
	defer p.store.Close()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var live *progress
	if isTerminal(stderr) {
		live = &progress{w: stderr, total: len(sourceNames(cfg))}
		p.poller.OnPoll = live.observe
	}
	results := p.scheduler.RunOnce(ctx)
	if live != nil {
		live.finish()
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tRESULT\tHTTP\tITEMS\tNEW\tUPDATED\tTIME\tERROR")
	failed, added := 0, 0
	for _, r := range results {
		errText := ""
		if r.Err != nil {
			errText = r.Err.Error()
			failed++
		}
		added += r.Counts.New
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n", r.Source, r.Status, r.HTTP, r.Items, r.Counts.New, r.Counts.Updated, r.Duration.Round(1e6), errText)
	}
	tw.Flush()
	for _, src := range cfg.Sources {
		if src.Disabled {
			fmt.Fprintf(stdout, "%s: disabled in the config, not polled\n", src.Name)
		}
	}
	total, _ := p.store.Count()
	fmt.Fprintf(stdout, "%d sources, %d failed, %d new items, %d stored\n", len(results), failed, added, total)
	if failed > 0 {
		return 1
	}
	return 0
}
