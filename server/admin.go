package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/news"
	"github.com/nashra-ma/nashra/story"
)

// The admin API is served on its own loopback-only listener (admin_listen),
// never on the public one: it lets `nashra stories explain` and `split`
// reach the database a running service holds.

// AdminHeader must be on every admin request. A web page cannot add it to a
// cross-origin request without a CORS preflight, which the admin API never
// grants, so a browser visiting a hostile page cannot split stories.
const AdminHeader = "Nashra-Admin"

// Editor is what the editor's tools need from the database.
type Editor interface {
	Item(key string) (news.Item, bool, error)
	Split(key string) (archive.SplitResult, error)
	DocFreq(lang string, terms []string, from, to time.Time, exclude string) (map[string]int, error)
	StoryTitles(id string) ([]string, error)
	Verify(ctx context.Context) (archive.VerifyReport, error)
}

// AdminStatus identifies the service answering on admin_listen.
type AdminStatus struct {
	Database string `json:"database"` // absolute path of the database it holds
}

// AdminHandler serves the admin API over db (the database at database, an
// absolute path), deciding with the matcher in force.
func AdminHandler(db Editor, database string, matcher func() *story.Matcher, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, _ *http.Request) {
		writeAdminJSON(w, http.StatusOK, AdminStatus{Database: database})
	})
	mux.HandleFunc("GET /explain", func(w http.ResponseWriter, r *http.Request) {
		ex, err := ExplainStored(db, matcher(), r.URL.Query().Get("a"), r.URL.Query().Get("b"))
		if err != nil {
			adminError(w, err)
			return
		}
		writeAdminJSON(w, http.StatusOK, ex)
	})
	mux.HandleFunc("GET /verify", func(w http.ResponseWriter, r *http.Request) {
		rep, err := db.Verify(r.Context())
		if err != nil {
			adminError(w, err)
			return
		}
		log.Info("verify", "records", rep.Records, "problems", rep.Found)
		writeAdminJSON(w, http.StatusOK, rep)
	})
	mux.HandleFunc("POST /split", func(w http.ResponseWriter, r *http.Request) {
		res, err := db.Split(r.URL.Query().Get("item"))
		if err != nil {
			adminError(w, err)
			return
		}
		log.Info("split", "item", res.Item, "story", res.Story, "rest", res.Rest, "already", res.Already)
		writeAdminJSON(w, http.StatusOK, res)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A page on another site can make a browser send requests here; a
		// name that a hostile DNS points at 127.0.0.1 shows in Host.
		if host, _, err := net.SplitHostPort(r.Host); err != nil || net.ParseIP(host) == nil || !net.ParseIP(host).IsLoopback() {
			http.Error(w, "admin: loopback addresses only", http.StatusForbidden)
			return
		}
		if r.Header.Get(AdminHeader) == "" {
			http.Error(w, "admin: the "+AdminHeader+" header is required", http.StatusForbidden)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func adminError(w http.ResponseWriter, err error) {
	code := http.StatusInternalServerError
	if errors.Is(err, archive.ErrNoItem) {
		code = http.StatusNotFound
	}
	writeAdminJSON(w, code, map[string]string{"error": err.Error()})
}

func writeAdminJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
