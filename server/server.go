// Package server serves the ticker over HTTP: feeds with validators and gzip, HTML and text views, source status and health.
package server

import (
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/metrics"
)

// Server answers HTTP requests from the store. It never writes to it.
type Server struct {
	cfg   atomic.Pointer[config.Config] // swapped whole on reload
	store archive.Store
	log   *slog.Logger
	ready func() bool
	cache *renderCache
	// cacheControl is the Cache-Control of feed responses.
	cacheControl []string
	// metrics records requests and renders; nil records nothing.
	metrics *metrics.Metrics
	// minRender is the youngest a cached rendering may be before a data
	// change makes it render again (0: every change; see WithMinRender).
	minRender time.Duration
	// started, lastRead (unix ns) and lastPoll feed /readyz (see Readiness).
	started  time.Time
	lastRead atomic.Int64
	lastPoll func() time.Time
	// renders says whether the last render made or failed (readyz).
	renders renderHealth
	// configured (unix ns) is when the config in force was put in force:
	// the sources OPML's date and Last-Modified.
	configured atomic.Int64
	// stories caches /stories and /stories.json; clock says what time it
	// is for their window (time.Now; tests set it).
	stories storyPages
	clock   func() time.Time
	// streams are the open live event streams; live their shared lines.
	streams *liveStreams
	live    liveSnapshots
	// storeStatus reports a replica's standing with a shared store (nil:
	// one replica); lastStates and counting keep what /sources and /readyz
	// show while the store cannot be read.
	storeStatus func() StoreStatus
	lastStates  atomic.Pointer[statesRead]
	counting    itemCounting
	renderRetry time.Duration // renderRetry; tests shorten it
}

// WithLastPoll tells /readyz when a source last answered a poll; without it
// only reads of the database keep the data from going stale.
func (s *Server) WithLastPoll(f func() time.Time) *Server {
	s.lastPoll = f
	return s
}

// WithMinRender lets a cached rendering be served for up to d after the
// data behind it changed, so that a burst of polls costs one render per
// output and format rather than one per poll. The service uses a second.
func (s *Server) WithMinRender(d time.Duration) *Server {
	s.minRender = d
	return s
}

// WithMetrics makes s record requests and renders in m and serve /metrics.
func (s *Server) WithMetrics(m *metrics.Metrics) *Server {
	s.metrics = m
	return s
}

// New returns a Server for cfg over store. ready reports whether the first
// poll round has finished (for /readyz); nil means always ready.
func New(cfg *config.Config, store archive.Store, log *slog.Logger, ready func() bool) *Server {
	if ready == nil {
		ready = func() bool { return true }
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{store: store, log: log, ready: ready, cache: newRenderCache(), cacheControl: []string{"public, max-age=60"}, started: time.Now(), clock: time.Now, streams: newLiveStreams(),
		renderRetry: renderRetry}
	s.cfg.Store(cfg)
	s.configured.Store(s.started.UnixNano())
	return s
}

// config is the configuration in force.
func (s *Server) config() *config.Config { return s.cfg.Load() }

// SetConfig puts a reloaded configuration in force: sources, outputs and
// titles change at once, and every cached rendering is dropped.
func (s *Server) SetConfig(cfg *config.Config) {
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	s.cfg.Store(cfg)
	s.configured.Store(time.Now().UnixNano())
	s.cache.entries = map[cacheKey]*rendered{}
	s.cache.inflight = map[cacheKey]chan struct{}{}
	s.stories.mu.Lock()
	s.stories.pages = nil
	s.stories.mu.Unlock()
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	// "" is the default output: the first in the configuration in force.
	mux.HandleFunc("GET /{$}", s.output("", formatHTML))
	mux.HandleFunc("GET /feed.rss", s.output("", formatRSS))
	mux.HandleFunc("GET /feed.atom", s.output("", formatAtom))
	mux.HandleFunc("GET /feed.json", s.output("", formatJSON))
	mux.HandleFunc("GET /ticker.txt", s.output("", formatText))
	mux.HandleFunc("GET /feeds/{file}", s.namedOutput)
	for path, typ := range icons {
		mux.HandleFunc("GET "+path, serveIcon(path, typ))
	}
	mux.HandleFunc("GET /events", s.events)
	mux.HandleFunc("GET /feeds/{name}/events", s.events)
	mux.HandleFunc("GET /feeds/{name}/embed", s.embed)
	mux.HandleFunc("GET /sources", s.sourcesHTML)
	mux.HandleFunc("GET /sources.json", s.sourcesJSON)
	mux.HandleFunc("GET /sources.opml", s.sourcesOPML)
	mux.HandleFunc("GET /stories", s.storiesPage(formatHTML))
	mux.HandleFunc("GET /stories.json", s.storiesPage(formatJSON))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	if s.metrics != nil {
		mux.Handle("GET /metrics", s.metrics.Handler())
		return s.countRequests(mux)
	}
	return mux
}

// countRequests records every request by its route pattern and status.
func (s *Server) countRequests(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		mux.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.Request(route, rec.code)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

// Unwrap lets http.ResponseController reach the connection (a live
// stream flushes and sets its own deadlines through it).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// firstRender renders the main output's Atom feed once, for /readyz before
// any reader asked for a page: a damaged database then reads as not ready
// from the first probe, not from the first reader's 500. The render is
// cached as any other.
func (s *Server) firstRender() {
	cfg := s.config()
	if _, err := s.get(cfg, &cfg.Outputs[0], formatAtom); err != nil {
		s.renders.fail(err)
	}
}

func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	now := time.Now()
	r := Readiness{Now: now, Started: s.started, FirstRound: s.ready(), StaleAfter: s.config().StaleAfter}
	// A store that does not answer keeps the last count: the renders made
	// from it are still there to serve.
	r.Items, r.ReadErr = s.itemCount()
	if ns := s.lastRead.Load(); ns != 0 {
		r.LastRead = time.Unix(0, ns)
	}
	if s.lastPoll != nil {
		r.LastPoll = s.lastPoll()
	}
	if s.renders.untried() && r.Items > 0 && s.storeStatus == nil {
		s.firstRender()
	}
	r.RenderErr, r.RenderFailedAt = s.renders.failing()
	if ok, why := r.Decide(); !ok {
		http.Error(w, why, http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}
