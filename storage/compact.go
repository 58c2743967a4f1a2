package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrInUse is returned when another process (a running nashra) holds the database.
var ErrInUse = errors.New("database in use by another nashra process (stop it first, or use `nashra reload`)")

// compactingSuffix names the file Compact writes beside the database.
const compactingSuffix = ".compacting"

// Compact rewrites the database at path into a new file without the free
// pages that deletes leave behind (bbolt never shrinks a file by itself),
// its staged entries merged into their tables, then puts it in place. It
// returns the sizes before and after.
//
// It holds the database's exclusive lock from before the new file exists
// until after the rename: no store can open the database meanwhile, a store
// waiting for the lock finds the new file (see openCurrent), and a
// .compacting file found by whoever holds the lock is a killed compact's
// leftover. A kill at any point leaves the database as it was.
func Compact(path string) (before, after int64, err error) {
	defer recoverCorrupt(&err)
	defer faultsAsPanics()()
	// Opening would make an empty database where none is (a relative path
	// from the wrong directory, seen from outside): nothing to compact.
	if _, err := os.Stat(path); err != nil {
		return 0, 0, fmt.Errorf("storage: compact %s: no database there: %w", path, err)
	}
	src, err := openCurrent(path, bolt.Options{Timeout: time.Second})
	if err != nil {
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	defer src.Close()
	tmp := path + compactingSuffix
	os.Remove(tmp) // a killed compact's leftover
	dst, err := bolt.Open(tmp, 0o600, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	if err := compactInto(dst, src, 64<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	fo, err := os.Stat(tmp)
	if err != nil {
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("storage: compact %s: %w", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return 0, 0, fmt.Errorf("storage: compact %s: the new file is in place but its directory entry may not be on disk yet: %w", path, err)
	}
	return fi.Size(), fo.Size(), nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// compactInto copies every table of src into dst in key order, full pages,
// its staged entries merged in (the new file stages nothing), committing
// every txMax bytes: what bbolt's Compact does for a file of flat tables,
// the staging log read as what it stands for.
func compactInto(dst, src *bolt.DB, txMax int) error {
	return src.View(func(stx *bolt.Tx) error {
		st, err := loadStage(stx)
		if err != nil {
			return err
		}
		var names []string
		err = stx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if string(name) != stagedBucket {
				names = append(names, string(name))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for t := range st.tables {
			if stx.Bucket([]byte(t)) == nil {
				names = append(names, t)
			}
		}
		slices.Sort(names)
		tx, err := dst.Begin(true)
		if err != nil {
			return err
		}
		defer func() { tx.Rollback() }()
		r := boltReader{tx: stx, st: st}
		size := 0
		for _, t := range names {
			b, err := tx.CreateBucket([]byte(t))
			if err != nil {
				return fmt.Errorf("table %s: %w", t, err)
			}
			b.FillPercent = 1
			r.walk(t, nil, nil, false, func(k, v []byte) bool {
				if size += len(k) + len(v); size > txMax {
					if err = tx.Commit(); err == nil {
						tx, err = dst.Begin(true)
					}
					if err != nil {
						return false
					}
					size = 0
					b = tx.Bucket([]byte(t))
					b.FillPercent = 1
				}
				err = b.Put(k, v)
				return err == nil
			})
			if err != nil {
				return fmt.Errorf("table %s: %w", t, err)
			}
		}
		return tx.Commit()
	})
}
