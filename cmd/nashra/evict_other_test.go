//go:build !linux

package main

import "errors"

// evictPages is Linux only (posix_fadvise).
func evictPages(string) error { return errors.New("evicting a file's pages needs Linux") }
