package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// rssEvery is how often a child's peak resident set (VmHWM) is read while
// it runs: ru_maxrss cannot say it (see sample), and VmHWM is gone once the
// child exits, so the peak is the last reading, which misses at most the
// child's last rssEvery.
const rssEvery = 10 * time.Millisecond

// watchRSS reads pid's VmHWM every rssEvery until done is closed, and
// sends the last reading (bytes; 0 when none could be read).
func watchRSS(pid int, done <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var peak int64
		t := time.NewTicker(rssEvery)
		defer t.Stop()
		for {
			if v := vmHWM(pid); v > peak {
				peak = v
			}
			select {
			case <-done:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// vmHWM is the VmHWM line of /proc/pid/status in bytes (0 when unreadable).
func vmHWM(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// gcHeapRe is a GODEBUG=gctrace=1 line's heap sizes: at the cycle's start,
// at its end, live.
var gcHeapRe = regexp.MustCompile(`(\d+)->(\d+)->(\d+) MB`)

// peakHeap is the largest heap a gctrace saw at the start of a cycle, in bytes.
func peakHeap(stderr []byte) int64 {
	var peak int64
	for _, m := range gcHeapRe.FindAllSubmatch(stderr, -1) {
		for _, g := range m[1:3] {
			if v, _ := strconv.ParseInt(string(g), 10, 64); v<<20 > peak {
				peak = v << 20
			}
		}
	}
	return peak
}

// traced reports whether the command's environment asks for gctrace.
func traced(env []string) bool {
	for _, e := range env {
		if strings.HasPrefix(e, "GODEBUG=") && strings.Contains(e, "gctrace=1") {
			return true
		}
	}
	return false
}
