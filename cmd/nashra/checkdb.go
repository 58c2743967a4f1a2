package main

import (
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/storage"
)

// boltMagic is the number bbolt writes in the meta page at the file's start.
const boltMagic = 0xED0CDAED

// storageProblem says why start-up would fail to open the store cfg names,
// as far as can be told without opening it.
func storageProblem(cfg *config.Config) error {
	if !cfg.Storage.Etcd() {
		return databaseProblem(cfg.Database)
	}
	s := cfg.Storage
	for _, f := range []struct{ key, path string }{{"cert_file", s.CertFile}, {"key_file", s.KeyFile}, {"trusted_ca_file", s.TrustedCAFile}} {
		if f.path == "" {
			continue
		}
		if _, err := os.ReadFile(f.path); err != nil {
			return fmt.Errorf("storage.%s: %w", f.key, err)
		}
	}
	if s.CertFile != "" {
		if _, err := tls.LoadX509KeyPair(s.CertFile, s.KeyFile); err != nil {
			return fmt.Errorf("storage.cert_file, key_file: %w", err)
		}
	}
	return nil
}

// databaseProblem says why start-up would fail to open the database at path,
// without opening it: the running service holds its lock, and check must
// work beside it.
func databaseProblem(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case os.IsNotExist(err):
		return fmt.Errorf("database: directory %s does not exist (create it, or change database:)", dir)
	case err != nil:
		return fmt.Errorf("database: %w", err)
	case !st.IsDir():
		return fmt.Errorf("database: %s is not a directory", dir)
	}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		if syscall.Access(dir, 2 /* W_OK */) != nil {
			return fmt.Errorf("database: cannot create %s: directory %s is not writable", path, dir)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return fmt.Errorf("database: %s is a directory; name a file in it", path)
	} else if err == nil && st.Size() == 0 {
		return fmt.Errorf("database: %s: %w", path, storage.ErrEmpty)
	}
	// The meta page: a 16-byte page header, then the magic, native byte
	// order (little-endian on every machine nashra is built for).
	var head [20]byte
	if _, err := io.ReadFull(f, head[:]); err != nil || binary.LittleEndian.Uint32(head[16:]) != boltMagic {
		return fmt.Errorf("database: %s is not a nashra (bbolt) database", path)
	}
	return nil
}
