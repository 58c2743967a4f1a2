package main

import (
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
