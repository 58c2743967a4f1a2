package server

import (
	"net/http"
	"time"
)

// Connection limits of the HTTP server. nashra reads no request bodies, so a
// request is its headers: whatever a client sends after them is cut short.
const (
	readHeaderTimeout = 10 * time.Second
	// readTimeout bounds headers and body together. A long-lived response (a
	// live event stream) lifts it for itself with
	// http.ResponseController.SetReadDeadline, and WriteTimeout likewise.
	readTimeout    = 10 * time.Second
	writeTimeout   = 60 * time.Second
	idleTimeout    = 120 * time.Second
	maxRequestBody = 64 << 10
)

// HTTPServer is the http.Server the service runs s.Handler() in, with the
// connection limits above.
func (s *Server) HTTPServer() *http.Server {
	srv := &http.Server{
		Handler:           limitBodies(s.Handler(), maxRequestBody),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
	}
	srv.RegisterOnShutdown(s.CloseStreams) // Shutdown waits for handlers; streams never end by themselves
	return srv
}

// limitBodies refuses a request that announces a body over max bytes (413,
// and the connection closed instead of drained) and cuts one that turns out
// longer, so the server never reads more than max after a handler returns.
func limitBodies(h http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			w.Header().Set("Connection", "close")
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		h.ServeHTTP(w, r)
	})
}
