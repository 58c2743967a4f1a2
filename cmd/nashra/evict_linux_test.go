package main

import (
	"fmt"
	"os"
	"syscall"
)

// evictPages drops a file's pages from the kernel's page cache (after
// writing back any dirty ones, which cannot be dropped), so that the next
// reader meets the file cold, as after a reboot.
func evictPages(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("evict %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("evict %s: sync: %w", path, err)
	}
	const fadvDontNeed = 4 // POSIX_FADV_DONTNEED
	if _, _, e := syscall.Syscall6(syscall.SYS_FADVISE64, f.Fd(), 0, 0, fadvDontNeed, 0, 0); e != 0 {
		return fmt.Errorf("evict %s: fadvise: %w", path, e)
	}
	return nil
}
