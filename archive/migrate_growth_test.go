package archive

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/storage"
)

// TestMigrateMillionItems migrates a schema 1 database of a million items
// (a tenth in two-report stories, 100,000 tombstones) in a child process,
// as a service upgrading would, and reports the time, the child's peak
// memory (resident, and anonymous: the resident figure counts the pages of
// the file bbolt maps) and the file's size before, after, and after
// storage.Compact; then checks every item and index. The migration streams
// in batches: its anonymous memory stays flat whatever the store's size.
// It takes minutes: run it with NASHRA_GROWTH=1.
func TestMigrateMillionItems(t *testing.T) {
	if os.Getenv("NASHRA_GROWTH") == "" {
		t.Skip("set NASHRA_GROWTH=1 to migrate a million items")
	}
	spec := legacySpec{n: 1_000_000, storyEvery: 10, pruned: 100_000}
	path := filepath.Join(t.TempDir(), "nashra.db")
	start := time.Now()
	spec.write(t, path)
	before := fileSize(t, path)
	t.Logf("schema 1 database of %d items written in %s: %d bytes (%.0f per item)", spec.n, time.Since(start).Round(time.Second), before, float64(before)/float64(spec.n))

	start = time.Now()
	cmd, lines := startMigration(t, path)
	var log []string
	for l := range lines {
		log = append(log, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("migration: %v\n%s", err, strings.Join(log, "\n"))
	}
	took := time.Since(start)
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	after := fileSize(t, path)
	t.Logf("migrated in %s wall, %s CPU (%.1f s per 100k items); %s", took.Round(100*time.Millisecond), cpu.Round(100*time.Millisecond),
		took.Seconds()/float64(spec.n)*100_000, last(log))
	b, a, err := storage.Compact(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("file: %d bytes before, %d after migrating, %d after compact (compact saw %d → %d); %.0f bytes per item compacted",
		before, after, fileSize(t, path), b, a, float64(fileSize(t, path))/float64(spec.n))
	var anon int64
	for _, l := range log {
		if i := strings.Index(l, "peak_anon_kb="); i >= 0 {
			fmt.Sscan(l[i+len("peak_anon_kb="):], &anon)
		}
	}
	if anon == 0 || anon > 150*1024 {
		t.Errorf("the migrating process peaked at %d kB of anonymous memory, want under 150 MB", anon)
	}
	start = time.Now()
	spec.checkMigrated(t, path)
	t.Logf("checked in %s", time.Since(start).Round(time.Second))
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
