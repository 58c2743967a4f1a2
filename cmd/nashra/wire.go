package main

import (
	"log/slog"
	"time"

	"github.com/nashra-ma/nashra/aggregator"
	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/story"
)

// pipeline is the polling side wired from a config.
type pipeline struct {
	store *archive.Archive
	// etcd is the store's engine when it is etcd (nil: a bbolt file), and
	// reachable whether this replica holds a session with it (nil: always).
	etcd      *storage.Etcd
	reachable func() bool
	// states is store as the poller and the server use it: source states the
	// database refuses are kept in memory there.
	states    *archive.Fallback
	poller    *aggregator.Poller
	scheduler *aggregator.Scheduler
}

// newPipeline opens the store and wires polling to it; observe (may be
// nil) is told of every request to etcd.
func newPipeline(cfg *config.Config, log *slog.Logger, observe func(string, time.Duration, error)) (*pipeline, error) {
	store, eng, err := openStore(cfg, observe, archive.WithStories(grouping(cfg)), archive.WithQueueItems(cfg.WriteQueueItems))
	if err != nil {
		return nil, err
	}
	if eng != nil {
		if err := agreeBaseURL(store, cfg); err != nil {
			store.Close()
			return nil, err
		}
	}
	states := archive.WithFallback(store)
	poller := &aggregator.Poller{
		Store:   states,
		Fetcher: newFetcher(cfg),
		Log:     log,
	}
	sched, err := aggregator.NewScheduler(cfg, poller, log)
	if err != nil {
		store.Close()
		return nil, err
	}
	return &pipeline{store: store, etcd: eng, states: states, poller: poller, scheduler: sched}, nil
}

// newFetcher is the HTTP side of polling as cfg sets it. The configured
// source URLs may be on private networks; redirects may not, unless
// allow_private_networks says so.
func newFetcher(cfg *config.Config) *aggregator.Fetcher {
	configured := make([]string, 0, len(cfg.Sources))
	for _, src := range cfg.Sources {
		configured = append(configured, src.URL)
	}
	return aggregator.NewFetcher(cfg.Timeout, cfg.MaxBody(), cfg.PerHost, cfg.UserAgent).
		PrivateNetworks(cfg.AllowPrivateNetworks, configured)
}

// newMatcher is story matching as cfg sets it; the configured outlets' names
// are stripped as publisher suffixes.
func newMatcher(cfg *config.Config) *story.Matcher {
	outlets := make([]string, 0, len(cfg.Sources))
	for _, src := range cfg.Sources {
		outlets = append(outlets, src.Title)
	}
	return story.NewMatcher(cfg.Stories.Window, cfg.Stories.Threshold, outlets)
}

// grouping is the matcher new items are grouped with: none when
// stories.enabled is false.
func grouping(cfg *config.Config) *story.Matcher {
	if !cfg.Stories.On() {
		return nil
	}
	return newMatcher(cfg)
}
