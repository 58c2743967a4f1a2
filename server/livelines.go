package server

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nashra-ma/nashra/config"
)

// liveLine is one ticker line as the live stream sends it: the page's own
// <li>, and the day heading it goes under.
type liveLine struct {
	ID, Day, HTML string
	Changed       time.Time
}

// liveSnapshot is an output's lines at one store generation.
type liveSnapshot struct {
	cfg    *config.Config
	gen    uint64
	lines  []liveLine // newest first, as on the page
	latest time.Time  // the newest Changed among them
	scan   scan       // what the read walked (the embed page's Nashra-Scan-Limit)
}

// liveSnapshots keeps one snapshot per output, so that a poll costs one
// read of the store however many streams are open.
type liveSnapshots struct {
	mu    sync.Mutex
	snaps map[string]*liveSnapshot
}

// snapshot returns out's lines at the store's current generation.
func (s *Server) snapshot(cfg *config.Config, out *config.Output) (*liveSnapshot, error) {
	gen := s.store.Generation()
	s.live.mu.Lock()
	defer s.live.mu.Unlock() // one read per output and generation; the others wait for it
	down, _ := s.storeDown()
	if sn := s.live.snaps[out.Name]; sn != nil && sn.cfg == cfg {
		if sn.gen == gen || down {
			return sn, nil
		}
	}
	if down { // nothing read before, and no use waiting for the store
		return nil, fmt.Errorf("server: live lines of %s: %w", out.Name, errStoreDown)
	}
	tk, sc, err := s.ticker(cfg, out)
	if err != nil {
		if sn := s.live.snaps[out.Name]; sn != nil && sn.cfg == cfg {
			return sn, nil // the store out of reach: streams keep the lines they have
		}
		return nil, fmt.Errorf("server: live lines of %s: %w", out.Name, err)
	}
	p := tickerPage(tk, cfg)
	sn := &liveSnapshot{cfg: cfg, gen: gen, latest: tk.Updated, scan: sc}
	var buf bytes.Buffer
	for _, d := range p.Days {
		for _, ln := range d.Lines {
			buf.Reset()
			if err := templates.ExecuteTemplate(&buf, "line", ln); err != nil {
				return nil, fmt.Errorf("server: live line: %w", err)
			}
			sn.lines = append(sn.lines, liveLine{ID: ln.ID, Day: d.Label, HTML: buf.String(), Changed: ln.Changed})
		}
	}
	if s.live.snaps == nil {
		s.live.snaps = map[string]*liveSnapshot{}
	}
	s.live.snaps[out.Name] = sn
	return sn, nil
}

// linesToSend decides what a stream sends when it sees next: the lines that
// are new or read differently since prev (the lines it last saw, by ID), or,
// on a stream's first look (prev nil), the lines changed after since. Oldest
// first, so that a page inserting each at the top ends newest first.
func linesToSend(prev map[string]string, next []liveLine, since time.Time) []liveLine {
	var out []liveLine
	for i := len(next) - 1; i >= 0; i-- {
		ln := next[i]
		if prev == nil {
			if ln.Changed.After(since) {
				out = append(out, ln)
			}
			continue
		}
		if html, ok := prev[ln.ID]; !ok || html != ln.HTML {
			out = append(out, ln)
		}
	}
	return out
}

// streamCursor is where a stream takes up: the Last-Event-ID a reconnecting
// EventSource sends, else the page's since parameter. ok is false when the
// client names neither (or garbage): it then gets only what changes next.
func streamCursor(lastEventID, since string) (t time.Time, ok bool) {
	for _, v := range []string{lastEventID, since} {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		ns, err := strconv.ParseInt(v, 10, 64)
		if err != nil || ns < 0 {
			continue
		}
		return time.Unix(0, ns), true
	}
	return time.Time{}, false
}
