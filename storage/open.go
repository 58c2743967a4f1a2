package storage

import (
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// maxReopens bounds how often openCurrent follows a file replaced under it
// (each replacement is a finished `nashra compact`).
const maxReopens = 5

// openGuarded is openCurrent with bbolt's panics on a damaged file (its
// meta or freelist pages) turned into ErrCorrupt.
func openGuarded(path string, o bolt.Options) (db *bolt.DB, err error) {
	defer recoverCorrupt(&err)
	defer faultsAsPanics()()
	return openCurrent(path, o)
}

// openCurrent opens the bbolt file at path and returns it locked, making
// sure the lock is on the file the path names when the lock is granted.
//
// bbolt opens the file, then waits for its lock. `nashra compact` holds that
// lock while it writes a new file and renames it over the path; a store
// that was waiting would then get the lock on the replaced file and write
// into a file no one will ever read again. So once bbolt has the lock, the
// file it holds (captured through bbolt's OpenFile hook and fstat'ed) is
// compared with what the path names now, and opened again if they differ.
//
// A file that exists and holds no byte is refused (ErrEmpty), not made a
// database.
func openCurrent(path string, o bolt.Options) (*bolt.DB, error) {
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() && st.Size() == 0 {
		return nil, ErrEmpty
	}
	deadline := time.Now().Add(o.Timeout)
	for range maxReopens {
		var file *os.File
		o.OpenFile = func(name string, flag int, mode os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, mode)
			if err != nil {
				return nil, err
			}
			if err := checkNotTruncated(f); err != nil {
				f.Close()
				return nil, err
			}
			file = f
			return f, nil
		}
		if o.Timeout > 0 {
			o.Timeout = max(time.Until(deadline), 10*time.Millisecond)
		}
		db, err := bolt.Open(path, 0o600, &o)
		if err != nil {
			if errors.Is(err, berrors.ErrTimeout) {
				return nil, ErrInUse
			}
			return nil, err
		}
		held, herr := file.Stat()
		named, nerr := os.Stat(path)
		if herr == nil && nerr == nil && os.SameFile(held, named) {
			return db, nil
		}
		db.Close() // replaced while we waited: take the file the path names now
		if nerr != nil && !os.IsNotExist(nerr) {
			return nil, nerr
		}
	}
	return nil, fmt.Errorf("the file was replaced %d times while opening it", maxReopens)
}
