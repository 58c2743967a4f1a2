package server

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/nashra-ma/nashra/archive"
)

// StoreStatus is how a replica of several stands with the store they share
// (etcd), shown on /sources.
type StoreStatus struct {
	// Leading: this replica polls, prunes and pings hubs; the others serve.
	Leading bool
	// Reachable: the replica holds a live session with the store. When it
	// does not, it serves the renders it last made.
	Reachable bool
	Since     time.Time // when Reachable last changed
	Err       string    // why the store is not reachable
}

// WithStoreStatus makes /sources say, for a replica of several, whether it
// leads and whether it reaches the shared store.
func (s *Server) WithStoreStatus(f func() StoreStatus) *Server {
	s.storeStatus = f
	return s
}

// StoreRead tells the server that the store answered (a watch event, a
// successful read elsewhere): for /readyz, the data is fresh as of now.
func (s *Server) StoreRead(at time.Time) { s.lastRead.Store(at.UnixNano()) }

// storeDown reports whether this replica knows its shared store out of
// reach (it lost its session): what it read last is then served without
// waiting for the store to fail again.
func (s *Server) storeDown() (bool, string) {
	if s.storeStatus == nil {
		return false, ""
	}
	st := s.storeStatus()
	return !st.Reachable && !st.Since.IsZero(), st.Err
}

// errStoreDown is the read error while the store is known out of reach.
var errStoreDown = errors.New("the store is out of reach")

// readyWait is how long /readyz waits for the store to count its items: a
// load balancer's probe must get an answer even from a replica whose store
// does not answer.
const readyWait = time.Second

// errStoreSlow is the read error of /readyz when the store did not answer in time.
var errStoreSlow = errors.New("the store did not answer within a second")

// itemCount counts the stored items, at most one count at a time, waiting
// for it at most readyWait. A count that fails, or is still running, gives
// the last count known and the error.
func (s *Server) itemCount() (int, error) {
	c := &s.counting
	c.mu.Lock()
	if down, _ := s.storeDown(); down {
		defer c.mu.Unlock()
		return c.n, errStoreDown
	}
	if c.done == nil {
		done := make(chan struct{})
		c.done = done
		go func() {
			n, err := s.store.Count()
			c.mu.Lock()
			c.err = err
			if err == nil {
				c.n = n
				s.lastRead.Store(time.Now().UnixNano())
			}
			c.done = nil
			c.mu.Unlock()
			close(done)
		}()
	}
	done := c.done
	c.mu.Unlock()
	select {
	case <-done:
	case <-time.After(readyWait):
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.n, errStoreSlow
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n, c.err
}

// itemCounting is the count /readyz runs and the last one known.
type itemCounting struct {
	mu   sync.Mutex
	done chan struct{} // closed when the count under way ends (nil: none)
	n    int           // the last successful count
	err  error         // how the last count ended
}

// statesRead is the source states as last read, kept for when the store
// cannot be read.
type statesRead struct {
	states map[string]archive.SourceState
	at     time.Time
}

// sourceStates reads the source states, or, when the store cannot be read
// (or is known out of reach), gives those last read (none, when it never
// was) with when they were read and why they are not fresh.
func (s *Server) sourceStates() (states map[string]archive.SourceState, stale *staleStates, err error) {
	if down, why := s.storeDown(); down {
		last := s.lastStates.Load()
		if last == nil {
			last = &statesRead{}
		}
		return last.states, &staleStates{ReadAt: last.at, Err: storeReason(why)}, nil
	}
	states, err = s.store.States()
	if err == nil {
		s.lastStates.Store(&statesRead{states: states, at: time.Now()})
		return states, nil, nil
	}
	last := s.lastStates.Load()
	if last == nil {
		return nil, nil, err
	}
	why := publicReason(err.Error())
	if s.storeStatus != nil {
		why = storeReason(err.Error())
	}
	return last.states, &staleStates{ReadAt: last.at, Err: why}, nil
}

// staleStates says that /sources shows states the store could not refresh.
type staleStates struct {
	ReadAt time.Time
	Err    string
}

// storeHeader says on /sources when this replica cannot reach the store.
const storeHeader = "Nashra-Store"

// storeNotice is what /sources says of the store ("" when all is well).
func (s *Server) storeNotice(stale *staleStates) string {
	if s.storeStatus != nil {
		if st := s.storeStatus(); !st.Reachable {
			return "unreachable since " + st.Since.UTC().Format(time.RFC3339)
		}
	}
	if stale != nil {
		return "unreadable: " + stale.Err
	}
	return ""
}

func setStoreHeader(w http.ResponseWriter, notice string) {
	if notice != "" {
		w.Header().Set(storeHeader, notice)
	}
}

// renderFailed answers a request whose page could not be made. A replica
// of a shared store that cannot read it (known out of reach, or a read
// that timed out) answers 503 with Retry-After: the balancer sends the
// request to another replica (nginx's proxy_next_upstream http_503), and
// a reader's client tries again. Anything else is the server's fault: 500.
func (s *Server) renderFailed(w http.ResponseWriter, what string, err error) {
	down, _ := s.storeDown()
	if s.storeStatus != nil && (down || errors.Is(err, errStoreDown) || errors.Is(err, context.DeadlineExceeded)) {
		s.log.Warn(what+": the store cannot be read", "err", err)
		setStoreHeader(w, s.storeNotice(nil))
		w.Header().Set("Retry-After", "5")
		http.Error(w, "this replica cannot read the store just now and has no earlier copy of this page; try again", http.StatusServiceUnavailable)
		return
	}
	s.log.Error(what, "err", err)
	s.renders.fail(err)
	http.Error(w, "render failed", http.StatusInternalServerError)
}
