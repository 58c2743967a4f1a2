package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// A pid file outlives its process after a crash, and the kernel hands its pid
// to whatever starts next; `nashra reload` once sent SIGHUP (which kills most
// programs) to such a stranger. What only the right process can show is the
// database's lock: a serving nashra holds bbolt's exclusive flock on its
// database file for as long as it runs, and the kernel lists every flock with
// its holder's pid in /proc/locks. So reload signals the pid of the file only
// when that pid holds the write lock on this configuration's database.

// ownsDatabase reports whether pid holds the exclusive lock on the database
// at path, i.e. is a nashra serving it.
func ownsDatabase(pid int, path string) error {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return fmt.Errorf("no database at %s: %w", path, err)
	}
	locks, err := os.ReadFile("/proc/locks")
	if err != nil {
		return fmt.Errorf("cannot tell which process holds %s (%w); send SIGHUP to the service yourself", path, err)
	}
	if !holdsWriteLock(locks, pid, st.Ino) {
		return fmt.Errorf("process %d does not hold the lock on %s: not the nashra serving it (a stale pid file?)", pid, path)
	}
	return nil
}

// holdsWriteLock reads /proc/locks and reports whether pid holds a granted
// exclusive flock on the file with inode ino. The device column is not
// compared: on overlay filesystems (containers) it differs from stat's.
func holdsWriteLock(procLocks []byte, pid int, ino uint64) bool {
	sc := bufio.NewScanner(bytes.NewReader(procLocks))
	for sc.Scan() {
		// "1: FLOCK  ADVISORY  WRITE 24657 fe:00:9993237 0 EOF"; a waiter is
		// listed as "1: -> FLOCK  ADVISORY  WRITE …" and holds nothing.
		f := strings.Fields(sc.Text())
		if len(f) < 6 || f[1] != "FLOCK" || f[3] != "WRITE" {
			continue
		}
		if p, err := strconv.Atoi(f[4]); err != nil || p != pid {
			continue
		}
		dev := strings.Split(f[5], ":")
		if n, err := strconv.ParseUint(dev[len(dev)-1], 10, 64); err == nil && n == ino {
			return true
		}
	}
	return false
}
