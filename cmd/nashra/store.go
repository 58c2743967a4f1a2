package main

import (
	"context"
	"fmt"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/storage"
)

// openStore opens the store cfg names: the bbolt file, or the etcd cluster
// (returned too, for what only it does: the election, the watch, fences).
// observe, when set, is told of every request to etcd.
func openStore(cfg *config.Config, observe func(string, time.Duration, error), opts ...archive.Option) (*archive.Archive, *storage.Etcd, error) {
	if !cfg.Storage.Etcd() {
		store, err := archive.Open(cfg.Storage.Path, opts...)
		return store, nil, err
	}
	s := cfg.Storage
	eng, err := storage.OpenEtcd(storage.EtcdConfig{
		Endpoints: s.Endpoints, Prefix: s.Prefix, Username: s.Username, Password: s.Password.Reveal(),
		CertFile: s.CertFile, KeyFile: s.KeyFile, TrustedCAFile: s.TrustedCAFile, DialTimeout: s.DialTimeout,
		Observe: observe,
	})
	if err != nil {
		return nil, nil, err
	}
	store, err := archive.New(eng, opts...)
	if err != nil {
		eng.Close()
		return nil, nil, fmt.Errorf("archive: open %s: %w", s.Where(), err)
	}
	return store, eng, nil
}

// agreeBaseURL checks that cfg's base_url is the one every replica of the
// shared store publishes under (the first replica records it): item ids
// and links are made from it, and replicas must publish the same ones.
func agreeBaseURL(store *archive.Archive, cfg *config.Config) error {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Storage.DialTimeout+5*time.Second)
	defer cancel()
	recorded, err := store.Agree(ctx, "base_url", cfg.BaseURL)
	if err != nil {
		return err
	}
	if recorded != cfg.BaseURL {
		key := cfg.Storage.Prefix + "meta/deployment/base_url"
		return fmt.Errorf("%s: base_url %q is not %q, the base_url the replicas of %s publish under (recorded at %s): item ids are made from it, so every replica must have the same. To move the deployment, stop every replica, delete that key (etcdctl del %s) and start them all with the new base_url",
			cfg.File, cfg.BaseURL, recorded, cfg.Storage.Where(), key, key)
	}
	return nil
}
