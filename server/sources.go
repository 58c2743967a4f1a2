package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/opml"
)

// sourceStatus is one row of /sources: the config and what polling found.
type sourceStatus struct {
	Name        string    `json:"name"`
	Title       string    `json:"title"`
	URL         string    `json:"url"`
	FetchURL    string    `json:"fetch_url,omitempty"` // differs from URL after a permanent redirect
	Language    string    `json:"language,omitempty"`
	Healthy     bool      `json:"healthy"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	NextCheck   time.Time `json:"next_check,omitzero"`
	Status      int       `json:"http_status,omitempty"`
	Error       string    `json:"error,omitempty"`
	Failures    int       `json:"failures"`
	Items       int       `json:"items"`
	LastNew     int       `json:"last_new"`                 // new items in the last poll that stored any
	LastNewAt   time.Time `json:"last_new_at,omitzero"`     // when that poll was made
	Rejected    int       `json:"rejected_items,omitempty"` // broken items dropped from the last document
	RetryAfter  time.Time `json:"retry_after,omitzero"`
	Gone        bool      `json:"gone,omitempty"`
	// StoreError is why the database could not record this source's last
	// poll: what is shown was kept in memory only.
	StoreError string `json:"store_error,omitempty"`
	// State is one word for people: ok, waiting (never polled), failing,
	// gone, disabled (configured with disabled: true: not polled).
	State string `json:"state"`

	// What the last document lost before storing (the broken ones are Rejected).
	Untitled    int `json:"untitled_items,omitempty"`     // no title once cleaned: left out of the ticker
	Repeated    int `json:"repeated_items,omitempty"`     // an earlier entry's identity again
	Capped      int `json:"capped_items,omitempty"`       // beyond max_items (the oldest)
	FutureDated int `json:"future_dated_items,omitempty"` // kept at first-seen, not dropped
	Expired     int `json:"expired_items,omitempty"`      // older than retention
	// Dropped is every entry of the last document that was not stored.
	Dropped int `json:"dropped_items,omitempty"`

	// ReadAt and StoreUnreadable are set when this replica cannot read the
	// store (etcd out of its reach): the row is the state as read at ReadAt.
	ReadAt          time.Time `json:"read_at,omitzero"`
	StoreUnreadable string    `json:"store_unreadable,omitempty"`
}

func (s *Server) statuses() ([]sourceStatus, *staleStates, error) { return s.statusesOf(s.config()) }

// statusesOf is a row per configured source; stale is set when the store
// could not be read and the rows are those last read.
func (s *Server) statusesOf(cfg *config.Config) (rows []sourceStatus, stale *staleStates, err error) {
	states, stale, err := s.sourceStates()
	if err != nil {
		return nil, nil, err
	}
	out := make([]sourceStatus, 0, len(cfg.Sources))
	for _, src := range cfg.Sources {
		st := states[src.Name]
		row := sourceStatus{
			Name: src.Name, Title: src.Title, URL: src.PublicURL(), Language: src.Language,
			LastAttempt: st.LastAttempt, LastSuccess: st.LastSuccess, NextCheck: st.NextCheck,
			Status: st.Status, Error: publicReason(src.Redact(st.Error)), Failures: st.Failures, Items: st.Items, LastNew: st.LastNew,
			LastNewAt: st.LastNewAt,
			Healthy:   st.Failures == 0 && !st.LastSuccess.IsZero(),
			Rejected:  st.Rejected, RetryAfter: st.RetryAfter, StoreError: publicReason(st.Unsaved),
			Untitled: st.Untitled, Repeated: st.Repeated, Capped: st.Capped, FutureDated: st.FutureDated, Expired: st.Expired,
			Dropped: st.Rejected + st.Untitled + st.Repeated + st.Capped + st.Expired,
		}
		if st.Unsaved != "" {
			row.Healthy = false // its polls cannot be stored
		}
		switch {
		case src.Disabled:
			row.State, row.Healthy = "disabled", false // configured, never polled
		case st.ConfiguredURL != "" && st.ConfiguredURL != src.URL:
			row.State = "waiting" // its URL changed in the config: the old state no longer applies
		case st.Gone:
			// Never polled again until its url changes: no next check
			// (seen from outside: a stale one was shown).
			row.State, row.Gone, row.Healthy, row.NextCheck = "gone", true, false, time.Time{}
		case row.Healthy:
			row.State = "ok"
		case st.LastAttempt.IsZero() && st.Unsaved == "":
			row.State = "waiting"
		default:
			row.State = "failing"
		}
		if st.ConfiguredURL == src.URL && st.URL != src.URL {
			row.FetchURL = src.Redact(cfg.PublicURL(st.URL))
		}
		if stale != nil {
			row.ReadAt, row.StoreUnreadable = stale.ReadAt, stale.Err
		}
		out = append(out, row)
	}
	return out, stale, nil
}

func (s *Server) sourcesJSON(w http.ResponseWriter, r *http.Request) {
	rows, stale, err := s.statuses()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for i := range rows {
		rows[i].inZone(s.config().Location)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rows); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	setStoreHeader(w, s.storeNotice(stale))
	serveBytes(w, r, "application/json; charset=utf-8", s.cacheControl[0], buf.Bytes(), lastAttempt(rows))
}

// inZone writes the row's times in loc (nil: as stored), in whole seconds:
// stored as each was made, some in UTC and some in Morocco's time, some
// from the clock with fractions of a second and some without, they read
// mixed (seen from outside).
func (row *sourceStatus) inZone(loc *time.Location) {
	for _, t := range []*time.Time{&row.LastAttempt, &row.LastSuccess, &row.NextCheck, &row.LastNewAt, &row.RetryAfter, &row.ReadAt} {
		if t.IsZero() {
			continue
		}
		if loc != nil {
			*t = t.In(loc)
		}
		*t = t.Truncate(time.Second)
	}
}

// lastAttempt is when the newest status shown was made: the status pages'
// Last-Modified (the epoch before any poll).
func lastAttempt(rows []sourceStatus) time.Time {
	last := emptyModified
	for _, row := range rows {
		if row.LastAttempt.After(last) {
			last = row.LastAttempt
		}
	}
	return last
}

type sourcesPage struct {
	Title  string
	Home   string
	Rows   []sourceStatus
	Loc    *time.Location
	Totals sourceTotals
	// Replica is set for a replica of several: its role and its reach of
	// the shared store; Stale when the rows could not be read afresh.
	Replica *StoreStatus
	Stale   *staleStates
}

// When writes t in the page's zone with its offset, so that a reader
// abroad, or in a month Morocco moves its clocks, reads it right.
func (p sourcesPage) When(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(p.Loc).Format("2006-01-02 15:04 -07:00")
}

// failing is whether row needs someone's attention.
func failing(row sourceStatus) bool { return row.State == "failing" || row.State == "gone" }

// failingFirst orders rows for people: the sources that need attention
// first, each group in config order.
func failingFirst(rows []sourceStatus) []sourceStatus {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b sourceStatus) int {
		switch fa, fb := failing(a), failing(b); {
		case fa && !fb:
			return -1
		case fb && !fa:
			return 1
		}
		return 0
	})
	return out
}

// sourceTotals is the line above the table.
type sourceTotals struct{ Sources, Failing, Items int }

func totalsOf(rows []sourceStatus) sourceTotals {
	t := sourceTotals{Sources: len(rows)}
	for _, row := range rows {
		if failing(row) {
			t.Failing++
		}
		t.Items += row.Items
	}
	return t
}

func (s *Server) sourcesHTML(w http.ResponseWriter, r *http.Request) {
	rows, stale, err := s.statuses()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	cfg := s.config()
	p := sourcesPage{Title: cfg.Title, Home: cfg.BaseURL + "/", Rows: failingFirst(rows), Loc: cfg.Location, Totals: totalsOf(rows), Stale: stale}
	if s.storeStatus != nil {
		st := s.storeStatus()
		st.Err = storeReason(st.Err)
		p.Replica = &st
	}
	if err := templates.ExecuteTemplate(&buf, "sources.html", p); err != nil {
		s.log.Error("render sources", "err", err)
		http.Error(w, "render failed", http.StatusInternalServerError)
		return
	}
	setStoreHeader(w, s.storeNotice(stale))
	serveBytes(w, r, "text/html; charset=utf-8", s.cacheControl[0], buf.Bytes(), lastAttempt(rows))
}

// sourcesOPML lists the configured sources, dated when their config was put
// in force: the bytes (and ETag) stay the same until the config changes.
// A replica of a shared store leaves the date out (and Last-Modified): each
// replica put the same config in force at its own start, and every replica
// must serve the same bytes.
func (s *Server) sourcesOPML(w http.ResponseWriter, r *http.Request) {
	var at time.Time
	if s.storeStatus == nil {
		at = time.Unix(0, s.configured.Load()).Truncate(time.Second)
	}
	out, err := opml.FromConfig(s.config(), at).Marshal()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Disposition", `inline; filename="nashra-sources.opml"`)
	serveBytes(w, r, "text/x-opml; charset=utf-8", s.cacheControl[0], out, at)
}

// failingCount is how many configured sources fail now (0 when the store
// cannot say: the page then says nothing of it).
func (s *Server) failingCount(cfg *config.Config) int {
	rows, _, err := s.statusesOf(cfg)
	if err != nil {
		return 0
	}
	return totalsOf(rows).Failing
}

// polledSources is how many configured sources are polled (not disabled).
func polledSources(cfg *config.Config) int {
	n := 0
	for _, src := range cfg.Sources {
		if !src.Disabled {
			n++
		}
	}
	return n
}
