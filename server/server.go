// Package server serves the ticker over HTTP: feeds with validators and gzip, HTML and text views, source status and health.
package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/metrics"
	"github.com/nashra-ma/nashra/storage"
)

// Server answers HTTP requests from the store. It never writes to it.
type Server struct {
	cfg   *config.Config
	store storage.Store
	log   *slog.Logger
	ready func() bool
	cache *renderCache
	// maxAge is the Cache-Control max-age of feed responses.
	maxAge time.Duration
	// metrics records requests and renders; nil records nothing.
	metrics *metrics.Metrics
}

// WithMetrics makes s record requests and renders in m and serve /metrics.
func (s *Server) WithMetrics(m *metrics.Metrics) *Server {
	s.metrics = m
	return s
}

// New returns a Server for cfg over store. ready reports whether the first
// poll round has finished (for /readyz); nil means always ready.
func New(cfg *config.Config, store storage.Store, log *slog.Logger, ready func() bool) *Server {
	if ready == nil {
		ready = func() bool { return true }
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{cfg: cfg, store: store, log: log, ready: ready, cache: newRenderCache(), maxAge: time.Minute}
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	def := s.cfg.Outputs[0].Name
	mux.HandleFunc("GET /{$}", s.output(def, formatHTML))
	mux.HandleFunc("GET /feed.rss", s.output(def, formatRSS))
	mux.HandleFunc("GET /feed.atom", s.output(def, formatAtom))
	mux.HandleFunc("GET /feed.json", s.output(def, formatJSON))
	mux.HandleFunc("GET /ticker.txt", s.output(def, formatText))
	mux.HandleFunc("GET /feeds/{file}", s.namedOutput)
	mux.HandleFunc("GET /sources", s.sourcesHTML)
	mux.HandleFunc("GET /sources.json", s.sourcesJSON)
	mux.HandleFunc("GET /sources.opml", s.sourcesOPML)
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

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if _, err := s.store.Count(); err != nil {
		http.Error(w, "database: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	if !s.ready() {
		http.Error(w, "first poll round not finished", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}
