package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Live stream timing: how often a stream looks at the store's generation,
// how often it sends a comment so that proxies and clients see it alive,
// and how long one write may take before the client counts as gone.
const (
	liveCheckEvery = time.Second
	liveHeartbeat  = 15 * time.Second
	liveWriteLimit = 30 * time.Second
	// liveRetryAfter is what a client refused past live.max_streams is told.
	liveRetryAfter = "60"
)

// liveStreams counts the open streams and ends them all on shutdown.
type liveStreams struct {
	open     atomic.Int64
	once     sync.Once
	closing  chan struct{}
	check    time.Duration // liveCheckEvery; tests shorten it
	heartbit time.Duration // liveHeartbeat; tests shorten it
}

func newLiveStreams() *liveStreams {
	return &liveStreams{closing: make(chan struct{}), check: liveCheckEvery, heartbit: liveHeartbeat}
}

// CloseStreams ends every live stream now and refuses new ones; the HTTP
// server calls it when it starts shutting down (http.Server.Shutdown does
// not end a response that never finishes by itself).
func (s *Server) CloseStreams() { s.streams.once.Do(func() { close(s.streams.closing) }) }

// events serves an output's live stream: Server-Sent Events, one "line"
// event per new or changed ticker line, its data {"id","day","html"}, and
// each batch's last event carrying an id a reconnecting client resumes from.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name") // "" (at /events): the default output
	cfg := s.config()
	out := outputByName(cfg, name)
	if out == nil {
		http.NotFound(w, r)
		return
	}
	select {
	case <-s.streams.closing:
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	default:
	}
	if n := s.streams.open.Add(1); n > int64(cfg.Live.MaxStreams) {
		s.streams.open.Add(-1)
		w.Header().Set("Retry-After", liveRetryAfter)
		http.Error(w, "too many live streams; the page works without one", http.StatusServiceUnavailable)
		return
	}
	defer s.streams.open.Add(-1)

	// The server's ReadTimeout and WriteTimeout are for ordinary
	// requests. Lift both: an expired read deadline makes the server's
	// background read fail and cancel the request mid-stream. Writes
	// get a rolling deadline instead, so a client that stops reading
	// is let go.
	rc := http.NewResponseController(w)
	if err := rc.SetReadDeadline(time.Time{}); err != nil {
		s.log.Warn("live stream: cannot lift the read deadline", "err", err)
	}
	since, resumed := streamCursor(r.Header.Get("Last-Event-ID"), r.URL.Query().Get("since"))
	sn, err := s.snapshot(cfg, out)
	if err != nil {
		s.renderFailed(w, "live stream "+out.Name, err)
		return
	}
	var seen map[string]string
	if !resumed {
		seen = linesByID(sn.lines) // nothing old: only what changes from now on
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass events on as they come
	w.WriteHeader(http.StatusOK)
	send := func(b []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(liveWriteLimit))
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send([]byte("retry: 5000\n\n")) {
		return
	}
	check := time.NewTicker(s.streams.check)
	defer check.Stop()
	beat := time.NewTicker(s.streams.heartbit)
	defer beat.Stop()
	for {
		if batch := linesToSend(seen, sn.lines, since); len(batch) > 0 {
			if !send(eventBatch(batch, sn.latest)) {
				return
			}
		}
		seen = linesByID(sn.lines)
	wait:
		for {
			select {
			case <-r.Context().Done():
				return
			case <-s.streams.closing:
				return
			case <-beat.C:
				if !send([]byte(": ping\n\n")) {
					return
				}
			case <-check.C:
				if s.store.Generation() != sn.gen || s.config() != sn.cfg {
					break wait
				}
			}
		}
		cfg = s.config()
		if out = outputByName(cfg, out.Name); out == nil {
			return // the output was removed by a reload
		}
		if sn, err = s.snapshot(cfg, out); err != nil {
			s.log.Error("live stream", "output", out.Name, "err", err)
			return
		}
	}
}

func linesByID(lines []liveLine) map[string]string {
	m := make(map[string]string, len(lines))
	for _, ln := range lines {
		m[ln.ID] = ln.HTML
	}
	return m
}

// eventBatch writes lines as "line" events; the last carries the id (the
// newest change the stream has shown) so that a client cut off mid-batch
// gets the whole batch again.
func eventBatch(lines []liveLine, latest time.Time) []byte {
	var b []byte
	for i, ln := range lines {
		data, _ := json.Marshal(struct {
			ID   string `json:"id"`
			Day  string `json:"day"`
			HTML string `json:"html"`
		}{ln.ID, ln.Day, ln.HTML})
		b = append(b, "event: line\n"...)
		if i == len(lines)-1 && !latest.IsZero() {
			b = append(b, "id: "+strconv.FormatInt(latest.UnixNano(), 10)+"\n"...)
		}
		b = fmt.Appendf(b, "data: %s\n\n", data)
	}
	return b
}
