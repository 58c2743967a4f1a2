package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/nashra-ma/nashra/aggregator"
)

// progress keeps one live line on a terminal while `nashra poll` runs:
// "polled 12/20 · 340 new · 1 failed · hespress-ar".
type progress struct {
	mu                     sync.Mutex
	w                      io.Writer
	total, done, new, fail int
}

func (p *progress) observe(r aggregator.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.new += r.Counts.New
	if r.Err != nil {
		p.fail++
	}
	fmt.Fprintf(p.w, "\r\033[Kpolled %d/%d · %d new · %d failed · %s", p.done, p.total, p.new, p.fail, r.Source)
}

// finish clears the live line before the summary table is printed.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
}

// isTerminal reports whether w is a terminal (a character device), where a
// live line helps; in a pipe, a log or cron mail it would be noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
