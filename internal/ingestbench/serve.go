package main

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// feedServer serves generated feeds with no validators (no ETag, no
// Last-Modified: the steady state when outlets ignore conditional requests)
// and the channel date of the current version, so that every poll after a
// bump sees a new whole body around unchanged items.
type feedServer struct {
	base time.Time // channel date of version 0

	mu      sync.RWMutex
	feeds   map[string]feed
	version int
}

func newFeedServer(base time.Time) *feedServer {
	return &feedServer{base: base, feeds: map[string]feed{}}
}

// set replaces the feeds served (path → feed) and resets the version to 0.
func (s *feedServer) set(feeds map[string]feed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds, s.version = feeds, 0
}

// setVersion sets the channel date served from now on: version 0 is the
// bytes written to disk; any other version changes only that date.
func (s *feedServer) setVersion(v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version = v
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	f, ok := s.feeds[r.URL.Path]
	v := s.version
	s.mu.RUnlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	body := f.body(s.base, v)
	w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}
