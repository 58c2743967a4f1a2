package archive

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// migrateChild is the child process of the kill tests: it opens the
// database its environment names (running the migration), logging to
// stderr, and exits.
func migrateChild() {
	path := os.Getenv("NASHRA_MIGRATE_CHILD")
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	peakAnon := make(chan int64)
	stop := make(chan struct{})
	go func() { // the anonymous memory's peak: what the process holds, not the file it maps
		var peak int64
		for {
			peak = max(peak, procStatusKB("RssAnon:"))
			select {
			case <-stop:
				peakAnon <- peak
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	a, err := Open(path, WithLogger(log))
	if err != nil {
		log.Error("open", "err", err)
		os.Exit(2)
	}
	if os.Getenv("NASHRA_MIGRATE_HOLD") != "" {
		// Hold the store until the parent closes stdin: what it tries
		// meanwhile meets a process that has it open, however fast the
		// migration was.
		log.Info("holding the database")
		io.Copy(io.Discard, os.Stdin)
	}
	a.Close()
	close(stop)
	log.Info("memory", "peak_rss_kb", procStatusKB("VmHWM:"), "peak_anon_kb", <-peakAnon)
	os.Exit(0)
}

// procStatusKB is a field of /proc/self/status in kB (0 when unknown).
func procStatusKB(field string) int64 {
	raw, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb
		}
	}
	return 0
}

func TestMain(m *testing.M) {
	if os.Getenv("NASHRA_MIGRATE_CHILD") != "" {
		migrateChild()
	}
	os.Exit(m.Run())
}

// killPoint says when a child is killed: after a delay, or as soon as its
// log has a line containing a text (a step beginning), then after delay.
type killPoint struct {
	line  string
	delay time.Duration
}

// startMigration starts a child migrating path and returns it with a
// channel of its log lines.
func startMigration(t *testing.T, path string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NASHRA_MIGRATE_CHILD="+path)
	return startChild(t, cmd)
}

// startHeldMigration is startMigration of a child that keeps the store
// open after migrating it, until release is called.
func startHeldMigration(t *testing.T, path string) (cmd *exec.Cmd, lines <-chan string, release func()) {
	t.Helper()
	cmd = exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NASHRA_MIGRATE_CHILD="+path, "NASHRA_MIGRATE_HOLD=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd, lines = startChild(t, cmd)
	return cmd, lines, func() { stdin.Close() }
}

// startChild starts cmd and returns its stderr's lines.
func startChild(t *testing.T, cmd *exec.Cmd) (*exec.Cmd, <-chan string) {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		io.Copy(io.Discard, stderr)
	}()
	return cmd, lines
}

// killAt kills the child at p and reports whether it was still migrating
// (it had not logged that the database was migrated) and its log.
func killAt(t *testing.T, cmd *exec.Cmd, lines <-chan string, p killPoint) (bool, []string) {
	t.Helper()
	var log []string
	done := false
	read := func(until <-chan time.Time) bool { // false: the child closed its log
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					return false
				}
				log = append(log, l)
				if strings.Contains(l, "database migrated") {
					done = true
				}
				if p.line != "" && strings.Contains(l, p.line) && until == nil {
					return true
				}
			case <-until:
				return true
			}
		}
	}
	if p.line == "" || read(nil) {
		read(time.After(p.delay))
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	for l := range lines {
		log = append(log, l)
		if strings.Contains(l, "database migrated") {
			done = true
		}
	}
	return !done, log
}

func schemaOnDisk(t *testing.T, path string) string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket([]byte(tMeta)); b != nil {
			v = string(b.Get(keySchema))
		}
		return nil
	})
	return v
}

// TestMigrationSurvivesKill9 is kill -9 while a schema 1 database of 30,000
// items (with stories, tombstones, second sources) is migrated: whenever
// the process dies — early, late, as a step begins, twice in a row — the
// next open finishes the migration and the database holds every item
// exactly once with every index and story, bbolt's check passing.
func TestMigrationSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes on a 30,000-item database")
	}
	spec := legacySpec{n: 30000, storyEvery: 10, pruned: 3000}
	template := filepath.Join(t.TempDir(), "v1.db")
	spec.write(t, template)
	raw, err := os.ReadFile(template)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		kills []killPoint
	}{
		{"killed after 50ms (opening, first item batches)", []killPoint{{delay: 50 * time.Millisecond}}},
		{"killed after 200ms (item batches)", []killPoint{{delay: 200 * time.Millisecond}}},
		{"killed after 1s", []killPoint{{delay: time.Second}}},
		{"killed as the items step has converted 20 batches", []killPoint{{line: "records=20000"}}},
		{"killed as the stories step begins", []killPoint{{line: "step=stories"}}},
		{"killed as the tombstones step begins", []killPoint{{line: "step=tombstones"}}},
		{"killed as the finishing batch begins", []killPoint{{line: "step=finish"}}},
		{"killed twice: during items, then as stories begin", []killPoint{{delay: 100 * time.Millisecond}, {line: "step=stories"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "nashra.db")
			if err := os.WriteFile(path, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			for i, p := range c.kills {
				cmd, lines := startMigration(t, path)
				midway, log := killAt(t, cmd, lines, p)
				if !midway {
					t.Logf("kill %d came after the migration finished: %s", i+1, strings.Join(log, "\n"))
				}
				t.Logf("kill %d: schema on disk %q, last log line %q", i+1, schemaOnDisk(t, path), last(log))
			}
			spec.checkMigrated(t, path)
		})
	}
}

func last(log []string) string {
	if len(log) == 0 {
		return ""
	}
	return log[len(log)-1]
}
