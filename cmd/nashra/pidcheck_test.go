package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/archive"
)

func TestHoldsWriteLock(t *testing.T) {
	locks := []byte(`1: FLOCK  ADVISORY  WRITE 24657 fe:00:9993237 0 EOF
1: -> FLOCK  ADVISORY  WRITE 555 fe:00:9993237 0 EOF
2: FLOCK  ADVISORY  READ  777 00:2f:4242 0 EOF
3: POSIX  ADVISORY  WRITE 888 fe:00:5151 0 EOF
4: FLOCK  ADVISORY  WRITE 999 00:3a:6161 0 EOF
`)
	cases := []struct {
		name string
		pid  int
		ino  uint64
		want bool
	}{
		{"the holder of the exclusive lock", 24657, 9993237, true},
		{"the holder, another device number (overlayfs)", 999, 6161, true},
		{"a process waiting for the lock holds nothing", 555, 9993237, false},
		{"a shared (read-only) lock is no serving nashra", 777, 4242, false},
		{"a POSIX lock is not bbolt's", 888, 5151, false},
		{"the right pid, another file", 24657, 5151, false},
		{"a pid that holds nothing (stale pid file)", 1234, 9993237, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := holdsWriteLock(locks, tc.pid, tc.ino); got != tc.want {
				t.Errorf("holdsWriteLock(pid %d, ino %d) = %v, want %v", tc.pid, tc.ino, got, tc.want)
			}
		})
	}
}

// TestReloadSignalsOnlyTheServingProcess: `nashra reload` reads a pid file
// that may be stale. It must signal the process that serves this
// configuration's database and nothing else — SIGHUP kills most programs.
func TestReloadSignalsOnlyTheServingProcess(t *testing.T) {
	cases := []struct {
		name       string
		serving    bool // this test process holds the database, as a service would
		pid        string
		signalled  bool
		sleepLives bool
	}{
		{"stale pid file naming an unrelated process (sleep), nothing serving", false, "sleep", false, true},
		{"stale pid file naming sleep while a service holds the database", true, "sleep", false, true},
		{"pid file naming a process that has exited", false, "gone", false, true},
		{"pid file naming the serving process", true, "self", true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "nashra.db")
			cfgPath := filepath.Join(dir, "c.yaml")
			writeConfig(t, cfgPath, fmt.Sprintf("database: %s\nsources:\n  - {name: a, url: \"http://127.0.0.1:1/feed\"}\n", db))
			st, err := archive.Open(db)
			if err != nil {
				t.Fatal(err)
			}
			if tc.serving {
				defer st.Close()
			} else {
				st.Close()
			}

			sleep := exec.Command("sleep", "60")
			if err := sleep.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { sleep.Wait(); close(exited) }()
			defer func() { sleep.Process.Kill(); <-exited }()

			pid := map[string]int{"sleep": sleep.Process.Pid, "self": os.Getpid(), "gone": deadPID(t)}[tc.pid]
			if err := os.WriteFile(db+".pid", []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			defer signal.Stop(hup)

			var stdout, stderr bytes.Buffer
			code := reload(options{configPath: cfgPath}, &stdout, &stderr)
			if (code == 0) != tc.signalled {
				t.Errorf("exit %d, want signalled=%v\nstdout: %s\nstderr: %s", code, tc.signalled, stdout.String(), stderr.String())
			}
			select {
			case <-hup:
				if !tc.signalled {
					t.Error("this process got a SIGHUP it should not have")
				}
			case <-time.After(300 * time.Millisecond):
				if tc.signalled {
					t.Error("the serving process got no SIGHUP")
				}
			}
			select {
			case <-exited:
				t.Errorf("reload killed an unrelated process (sleep, pid %d)", sleep.Process.Pid)
			default:
			}
		})
	}
}

// deadPID is the pid of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	c := exec.Command("true")
	if err := c.Run(); err != nil {
		t.Fatal(err)
	}
	return c.Process.Pid
}
