package storage

import (
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrInUse is returned when another process (a running nashra) holds the database.
var ErrInUse = errors.New("database in use by another nashra process (stop it first, or use `nashra reload`)")

// Compact rewrites the database at path into a new file without the free
// pages that deletes leave behind (bbolt never shrinks a file by itself),
// then puts it in place. It returns the sizes before and after.
func Compact(path string) (before, after int64, err error) {
	src, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return 0, 0, fmt.Errorf("storage: compact %s: %w", path, ErrInUse)
		}
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	defer src.Close()
	tmp := path + ".compacting"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	if err := bolt.Compact(dst, src, 64<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	fi, _ := os.Stat(path)
	fo, _ := os.Stat(tmp)
	src.Close()
	if err := os.Rename(tmp, path); err != nil {
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	return fi.Size(), fo.Size(), nil
}
