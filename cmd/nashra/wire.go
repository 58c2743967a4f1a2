package main

import (
	"log/slog"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/story"
)

// pipeline is the polling side wired from a config.
type pipeline struct {
	store     *storage.Bolt
	poller    *aggregator.Poller
	scheduler *aggregator.Scheduler
}

func newPipeline(cfg *config.Config, log *slog.Logger) (*pipeline, error) {
	matcher := story.NewMatcher(cfg.Stories.Window, cfg.Stories.Threshold, outletTitles(cfg))
	store, err := storage.Open(cfg.Database, storage.WithStories(matcher))
	if err != nil {
		return nil, err
	}
	poller := &aggregator.Poller{
		Store:   store,
		Fetcher: aggregator.NewFetcher(cfg.Timeout, cfg.MaxBody(), cfg.PerHost, cfg.UserAgent),
		Log:     log,
	}
	sched, err := aggregator.NewScheduler(cfg, poller, log)
	if err != nil {
		store.Close()
		return nil, err
	}
	return &pipeline{store: store, poller: poller, scheduler: sched}, nil
}

// outletTitles are the configured outlets' names, stripped as publisher suffixes by story matching.
func outletTitles(cfg *config.Config) []string {
	out := make([]string, 0, len(cfg.Sources))
	for _, src := range cfg.Sources {
		out = append(out, src.Title)
	}
	return out
}
