package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/mmcdole/gofeed"
)

// parseEnv makes this program (or the test binary) the baseline child: it
// parses every .xml file in the directory the variable names and exits.
const parseEnv = "NASHRA_INGESTBENCH_PARSE"

// sample is what one child process cost. (No peak memory: a child's
// ru_maxrss starts from this process's own, which it shares until exec.)
type sample struct {
	cpu, wall time.Duration // user+system of the child; elapsed
	etcd      time.Duration // user+system of the etcd members meanwhile (with -etcd)
	rss, heap int64         // peak VmHWM read while it ran; peak heap by gctrace (with -memory)
}

// measure runs cmd to completion and returns its cost and standard output;
// a failed child is an error carrying its standard error.
func measure(cmd *exec.Cmd) (sample, string, error) {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Start()
	var rss <-chan int64
	if err == nil {
		done := make(chan struct{})
		rss = watchRSS(cmd.Process.Pid, done)
		err = cmd.Wait()
		close(done)
	}
	wall := time.Since(start)
	if err != nil {
		return sample{}, out.String(), fmt.Errorf("%s: %w\n%s%s", filepath.Base(cmd.Path), err, out.Bytes(), errb.Bytes())
	}
	s := sample{cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), wall: wall, rss: <-rss}
	if traced(cmd.Env) {
		s.heap = peakHeap(errb.Bytes())
	}
	return s, out.String(), nil
}

// parseCommand is the baseline child: this executable re-run with parseEnv set.
func parseCommand(ctx context.Context, dir string) (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("ingestbench: own executable: %w", err)
	}
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), parseEnv+"="+dir)
	return cmd, nil
}

// parseChild is the baseline child's whole work: gofeed parsing the bytes of
// each file read from disk, nothing else. It prints how many items it read.
func parseChild(dir string, stdout io.Writer) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil {
		return fmt.Errorf("ingestbench: list %s: %w", dir, err)
	}
	slices.Sort(paths)
	items := 0
	for _, p := range paths {
		body, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("ingestbench: read feed: %w", err)
		}
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("ingestbench: parse %s: %w", p, err)
		}
		items += len(f.Items)
	}
	fmt.Fprintf(stdout, "parsed %d feeds, %d items\n", len(paths), items)
	return nil
}

var parsedRe = regexp.MustCompile(`parsed (\d+) feeds, (\d+) items`)

// parsedItems reads the baseline child's count.
func parsedItems(out string) (int, error) {
	m := parsedRe.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("ingestbench: no count in the parser's output %q", out)
	}
	return strconv.Atoi(m[2])
}

// pollSummary is the last line of `nashra poll`.
type pollSummary struct{ sources, failed, added, stored int }

var pollRe = regexp.MustCompile(`(?m)^(\d+) sources, (\d+) failed, (\d+) new items, (\d+) stored$`)

// parsePoll reads `nashra poll`'s summary line.
func parsePoll(out string) (pollSummary, error) {
	m := pollRe.FindStringSubmatch(out)
	if m == nil {
		return pollSummary{}, fmt.Errorf("ingestbench: no summary line in nashra poll's output:\n%s", out)
	}
	n := make([]int, 4)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	return pollSummary{sources: n[0], failed: n[1], added: n[2], stored: n[3]}, nil
}
