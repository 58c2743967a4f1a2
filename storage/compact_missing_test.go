package storage

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Seen from outside: compact on a path with no database (the working
// directory mistaken, the relative database path then names nothing) made
// an empty database there and said "0.0 MiB → 0.0 MiB". It refuses, and
// leaves no file.
func TestCompactRefusesAMissingDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nashra.db")
	_, _, err := Compact(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Fatalf("compact of a missing database: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("compact made a file at %s: %v", path, err)
	}
}
