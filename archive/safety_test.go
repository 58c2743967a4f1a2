package archive

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/storage"
)

// fillDB writes n items with kilobyte summaries, so that compacting the file
// takes long enough for another process to come along meanwhile.
func fillDB(t *testing.T, path string, n int) {
	t.Helper()
	s, err := Open(path, WithoutSync())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	summary := strings.Repeat("نشرة ", 200)
	for start := 0; start < n; start += 1000 {
		var batch []news.Item
		for i := start; i < min(start+1000, n); i++ {
			it := item(fmt.Sprintf("k%06d", i), fmt.Sprintf("https://x.ma/%d", i), "t", t0.Add(time.Duration(i)*time.Second))
			it.Summary = summary
			batch = append(batch, it)
		}
		if _, err := s.SavePoll(context.Background(), "src", SourceState{}, batch); err != nil {
			t.Fatal(err)
		}
	}
}

// dataSize is the bytes of the file bbolt's last transaction says it uses
// (its pages up to the high-water mark), whatever the file's size.
func dataSize(t *testing.T, path string) int64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var size int64
	if err := db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil }); err != nil {
		t.Fatal(err)
	}
	return size
}

func countItems(t *testing.T, path string) int {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	n, err := s.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOpenRacingCompactLosesNothing is the attack of a service started while
// `nashra compact` runs: it opens the old file and waits for the lock; the
// compacted file is renamed over the path; whatever the late store writes
// must land in the file the path names, not in the replaced one.
func TestOpenRacingCompactLosesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nashra.db")
	const n = 20000
	fillDB(t, path, n)

	compacted := make(chan error, 1)
	go func() {
		_, _, err := storage.Compact(path)
		compacted <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(path + ".compacting"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("compact never started")
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case err := <-compacted:
		t.Fatalf("compact finished (%v) before the store came: make the database larger", err)
	default:
	}
	s, err := Open(path, lockTimeout(time.Minute)) // waits for compact's lock
	if err != nil {
		t.Fatalf("Open during compact: %v", err)
	}
	if err := <-compacted; err != nil {
		t.Fatalf("Compact: %v", err)
	}
	late := []news.Item{item("late1", "https://x.ma/late1", "late", t0), item("late2", "https://x.ma/late2", "late", t0)}
	if c, err := s.SavePoll(context.Background(), "src", SourceState{}, late); err != nil || c.New != 2 {
		t.Fatalf("SavePoll after compact: %+v, %v", c, err)
	}
	s.Close()
	if got := countItems(t, path); got != n+2 {
		t.Fatalf("%d items in %s after the race, want %d: writes went to the replaced file", got, path, n+2)
	}
}

// TestCompactKilledLeavesTheDatabaseIntact is kill -9 during `nashra
// compact`: the database is untouched and usable, and the half-written
// .compacting file is removed by the next open instead of lingering.
func TestCompactKilledLeavesTheDatabaseIntact(t *testing.T) {
	if os.Getenv("NASHRA_COMPACT_CHILD") != "" {
		storage.Compact(os.Getenv("NASHRA_COMPACT_CHILD"))
		os.Exit(0)
	}
	if testing.Short() {
		t.Skip("runs a child process")
	}
	path := filepath.Join(t.TempDir(), "nashra.db")
	const n = 20000
	fillDB(t, path, n)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestCompactKilledLeavesTheDatabaseIntact$")
	cmd.Env = append(os.Environ(), "NASHRA_COMPACT_CHILD="+path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once the new file has some pages in it: mid-copy.
	deadline := time.Now().Add(20 * time.Second)
	for {
		if fi, err := os.Stat(path + ".compacting"); err == nil && fi.Size() > 1<<20 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("compact never got going")
		}
		time.Sleep(time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Error("a killed compact changed the database file")
	}
	if _, err := os.Stat(path + ".compacting"); err != nil {
		t.Skip("the compact finished before the kill; nothing left to test")
	}
	if got := countItems(t, path); got != n {
		t.Fatalf("%d items after a killed compact, want %d", got, n)
	}
	if _, err := os.Stat(path + ".compacting"); !os.IsNotExist(err) {
		t.Errorf("the leftover %s.compacting is still there after the next open (%v)", path, err)
	}
	if _, _, err := storage.Compact(path); err != nil {
		t.Fatalf("compact after a killed one: %v", err)
	}
	if got := countItems(t, path); got != n {
		t.Fatalf("%d items after compacting again, want %d", got, n)
	}
}

// TestOpenRefusesDamagedFiles: files a bad day leaves behind are refused
// with an error naming the file, never a crash inside bbolt.
func TestOpenRefusesDamagedFiles(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, path string)
		want   string
	}{
		{"truncated to half: a copy or a disk that filled mid-write", func(t *testing.T, path string) {
			// Half of what the file holds: bbolt grows a file in 16 MiB steps
			// ahead of its data, and a cut in that tail loses nothing.
			if err := os.Truncate(path, dataSize(t, path)/2); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
		{"truncated to three pages", func(t *testing.T, path string) {
			if err := os.Truncate(path, 3*4096); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
		{"truncated inside the meta pages", func(t *testing.T, path string) {
			if err := os.Truncate(path, 5000); err != nil {
				t.Fatal(err)
			}
		}, path_},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "nashra.db")
			fillDB(t, path, 2000)
			tc.damage(t, path)
			s, err := Open(path)
			if err == nil {
				s.Close()
				t.Fatal("Open accepted a damaged file")
			}
			want := tc.want
			if want == path_ {
				want = path
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), want) {
				t.Errorf("error %q should name %s and say %q", err, path, want)
			}
		})
	}
}

// lockTimeout lets a test wait for a lock longer than a service would (the
// race detector slows compact down tenfold).
func lockTimeout(d time.Duration) Option {
	return func(o *options) { o.bolt = append(o.bolt, storage.WithTimeout(d)) }
}

// path_ stands for "the file's path" in a table written before the path exists.
const path_ = "\x00path"

// TestDamagedPagesAreAnErrorNotACrash: a full-length file whose pages are
// zeroed, random or missing (a sparse copy) made bbolt panic on open or on
// the first read, taking the service down (outside attack). Every operation
// must return an error instead, naming the damage and the remedy.
func TestDamagedPagesAreAnErrorNotACrash(t *testing.T) {
	overwrite := func(from int64, pages int, fill func([]byte)) func(t *testing.T, path string) {
		return func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			buf := make([]byte, 4096)
			for i := range pages {
				fill(buf)
				if _, err := f.WriteAt(buf, (from+int64(i))*4096); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	zero := func(b []byte) { clear(b) }
	random := func(b []byte) {
		for i := range b {
			b[i] = byte(i*7919 + len(b))
		}
	}
	cases := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"zeroed pages after the meta pages", overwrite(4, 400, zero)},
		{"patterned garbage over the pages", overwrite(4, 400, random)},
		{"a sparse copy: the right size, the pages gone", func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			if err := os.Truncate(path, 4*4096); err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, fi.Size()); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "nashra.db")
			fillDB(t, path, 2000)
			tc.damage(t, path)
			s, err := Open(path)
			if err != nil {
				if !strings.Contains(err.Error(), "damaged") && !strings.Contains(err.Error(), "truncated") && !strings.Contains(err.Error(), "invalid") {
					t.Fatalf("open: %v, want a damaged-file error", err)
				}
				return
			}
			defer s.Close()
			// Whatever the store can still read, nothing may panic.
			_, err1 := s.Newest(Query{Limit: 5000})
			_, err2 := s.States()
			_, err3 := s.SavePoll(context.Background(), "src", SourceState{}, []news.Item{item("new", "https://x.ma/new", "new", t0)})
			_, err4 := s.Prune(t0.Add(time.Hour))
			if err1 == nil && err2 == nil && err3 == nil && err4 == nil {
				t.Log("the damage missed every page these operations read")
			}
			for _, err := range []error{err1, err2, err3, err4} {
				if err != nil && !strings.Contains(err.Error(), "damaged") {
					t.Logf("error without ErrCorrupt (fine if it names the damage): %v", err)
				}
			}
		})
	}
}
