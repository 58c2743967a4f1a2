package server

import (
	"bytes"
	"compress/gzip"
	"sync"
	"time"

	"github.com/nashra-ma/nashra/archive"
	"github.com/nashra-ma/nashra/config"
	"github.com/nashra-ma/nashra/feeds"
)

type format int

const (
	formatRSS format = iota
	formatAtom
	formatJSON
	formatHTML
	formatText
)

var formatNames = map[format]string{formatRSS: "rss", formatAtom: "atom", formatJSON: "json", formatHTML: "html", formatText: "text"}

var contentTypes = map[format]string{
	formatRSS:  "application/rss+xml; charset=utf-8",
	formatAtom: "application/atom+xml; charset=utf-8",
	formatJSON: "application/feed+json; charset=utf-8",
	formatHTML: "text/html; charset=utf-8",
	formatText: "text/plain; charset=utf-8",
}

// rendered is one output in one format, ready to serve.
type rendered struct {
	gen          uint64
	at           time.Time // when it was rendered
	body, gz     []byte
	etag         string
	headers      headers
	lastModified time.Time
	// validUntil is when the oldest item falls out of a max_age output (zero: never).
	validUntil time.Time
	// emptyHTML marks an HTML page without items: it says how many sources
	// fail (failing), a count that failed polls change without moving the
	// store's generation.
	emptyHTML bool
	failing   int
	// scan is what the read walked: the Nashra-Scan-Limit header.
	scan scan
	// holdUntil is set when rendering it afresh failed (the store out of
	// reach): it is served as it is until then, so that one request in
	// Server.renderRetry, not every one, waits for the store to fail again.
	holdUntil time.Time
}

// renderRetry is how long a rendering is served as it is after the store
// failed to give what a new one needs.
const renderRetry = 5 * time.Second

// renderCache keeps rendered outputs until the store's generation moves.
type renderCache struct {
	mu       sync.Mutex
	entries  map[cacheKey]*rendered
	inflight map[cacheKey]chan struct{} // renders under way
}

type cacheKey struct {
	output string
	format format
}

func newRenderCache() *renderCache {
	return &renderCache{entries: map[cacheKey]*rendered{}, inflight: map[cacheKey]chan struct{}{}}
}

// get returns out in format f, rendering it when the data changed since the
// cached copy. One request renders; the others meanwhile get the previous
// copy (or, when there is none yet, wait for the render), so a busy poll
// never stalls readers. With minRender set, a copy younger than it is served
// even if the data moved: bursts of polls cost one render, not one each.
func (s *Server) get(cfg *config.Config, out *config.Output, f format) (*rendered, error) {
	key := cacheKey{out.Name, f}
	c := s.cache
	failing := -1 // read only when an empty page is cached
	for {
		gen := s.store.Generation()
		now := time.Now()
		c.mu.Lock()
		r := c.entries[key]
		if r != nil && r.emptyHTML && failing < 0 {
			c.mu.Unlock()
			failing = s.failingCount(cfg)
			continue
		}
		if r != nil {
			fresh := r.gen == gen && (r.validUntil.IsZero() || now.Before(r.validUntil)) &&
				(!r.emptyHTML || r.failing == failing)
			if fresh || c.inflight[key] != nil || now.Sub(r.at) < s.minRender || now.Before(r.holdUntil) {
				c.mu.Unlock()
				return r, nil
			}
			if down, _ := s.storeDown(); down { // the store out of reach: the last render it is
				c.mu.Unlock()
				return r, nil
			}
		} else if wait := c.inflight[key]; wait != nil {
			c.mu.Unlock()
			<-wait
			continue
		} else if down, _ := s.storeDown(); down { // nothing to serve, and no use waiting for the store
			c.mu.Unlock()
			return nil, errStoreDown
		}
		done := make(chan struct{})
		c.inflight[key] = done
		c.mu.Unlock()

		fresh, err := s.render(cfg, out, f, gen, r)
		c.mu.Lock()
		if err == nil && c.inflight[key] == done { // not dropped by SetConfig meanwhile
			c.entries[key] = fresh
		}
		if c.inflight[key] == done {
			delete(c.inflight, key)
		}
		close(done)
		c.mu.Unlock()
		if err != nil && r != nil {
			// The store cannot be read (etcd out of reach): the last render is
			// still true to what was stored, and better than an error.
			s.log.Warn("render failed; serving the last render", "output", out.Name, "format", formatNames[f], "rendered", r.at, "err", err)
			held := *r
			held.holdUntil = time.Now().Add(s.renderRetry)
			c.mu.Lock()
			if c.entries[key] == r {
				c.entries[key] = &held
			}
			c.mu.Unlock()
			return &held, nil
		}
		return fresh, err
	}
}

// render builds one output in one format from the store.
// prev is the render it replaces (nil for the first): a body that differs
// from it gets a Last-Modified after its own (laterThan).
func (s *Server) render(cfg *config.Config, out *config.Output, f format, gen uint64, prev *rendered) (*rendered, error) {
	start := time.Now()
	tk, sc, err := s.ticker(cfg, out)
	if err != nil {
		return nil, err
	}
	emptyHTML, failing := f == formatHTML && len(tk.Items) == 0, 0
	if emptyHTML {
		failing = s.failingCount(cfg)
	}
	body, err := encode(tk, f, cfg, failing, sc)
	if err != nil {
		return nil, err
	}
	r := &rendered{gen: gen, at: start, body: body, lastModified: tk.Updated, emptyHTML: emptyHTML, failing: failing, scan: sc}
	if r.lastModified.IsZero() {
		r.lastModified = emptyModified
	}
	r.etag = etagOf(body)
	if prev == nil && len(tk.Items) > 0 {
		r.lastModified = s.sinceStart(r.lastModified)
	}
	r.lastModified = laterThan(r.lastModified, r.etag, prev)
	if out.MaxAge > 0 && len(tk.Items) > 0 {
		r.validUntil = tk.Items[len(tk.Items)-1].Time.Add(out.MaxAge)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	zw.Write(body)
	zw.Close()
	r.gz = gz.Bytes()
	r.headers = s.headersFor(cfg, out, f, r)
	s.metrics.Render(formatNames[f], time.Since(start))
	s.renders.made()
	if len(sc.Damaged) > 0 {
		s.log.Warn("render: records that do not decode were left out (a damaged database: run nashra verify)",
			"output", out.Name, "records", len(sc.Damaged), "first", sc.Damaged[0])
	}
	s.log.Debug("render", "output", out.Name, "format", formatNames[f], "items", len(tk.Items), "bytes", len(body),
		"scanned", sc.Scanned, "scan_limit_reached", sc.Truncated, "duration", time.Since(start))
	return r, nil
}

// encode writes tk in format f; failing is how many sources fail, said on
// an empty HTML page, and sc what the read walked, said on the page when
// it stopped at the bound.
func encode(tk *feeds.Ticker, f format, cfg *config.Config, failing int, sc scan) ([]byte, error) {
	switch f {
	case formatRSS:
		return feeds.EncodeRSS(tk)
	case formatAtom:
		return feeds.EncodeAtom(tk)
	case formatJSON:
		return feeds.EncodeJSON(tk)
	case formatHTML:
		return renderHTML(tk, cfg, failing, sc)
	default:
		return renderText(tk), nil
	}
}

// ticker reads the newest items of out from the store: O(limit) reads
// when an index answers the output's filter (or most items pass it), at
// most out.MaxScan otherwise (sc says whether the read stopped there).
func (s *Server) ticker(cfg *config.Config, out *config.Output) (tk *feeds.Ticker, sc scan, err error) {
	q := query(out, time.Now())
	q.Proxy = proxies(cfg)
	rd, err := s.store.Read(q)
	if err != nil {
		return nil, scan{}, err
	}
	items := rd.Items
	tk = &feeds.Ticker{
		Name: out.Name, Title: out.Title, Description: out.Description, Language: out.Language,
		Items: items, Outlets: outlets(cfg, s.pastOutlets()), Location: cfg.Location, Hub: cfg.WebSub.Hub,
		Stories: out.MergeStories(),
	}
	u := urls(cfg, out)
	tk.HomeURL, tk.SelfRSS, tk.SelfAtom, tk.SelfJSON = u.Home, u.RSS, u.Atom, u.JSON
	tk.Icon, tk.Favicon = iconsAt(cfg.BaseURL)
	tk.OrderAlso()
	for i := range items {
		if items[i].Changed.After(tk.Updated) {
			tk.Updated = items[i].Changed
		}
	}
	return tk, scanOf(rd), nil
}

// outputURLs are an output's public addresses: its HTML page, its three
// feeds and its text ticker.
type outputURLs struct{ Home, RSS, Atom, JSON, Text, Events, Embed string }

func urls(cfg *config.Config, out *config.Output) outputURLs {
	base := cfg.BaseURL
	if out.Name == cfg.Outputs[0].Name {
		return outputURLs{base + "/", base + "/feed.rss", base + "/feed.atom", base + "/feed.json", base + "/ticker.txt",
			base + "/events", base + "/feeds/" + out.Name + "/embed"}
	}
	p := base + "/feeds/" + out.Name
	return outputURLs{p, p + ".rss", p + ".atom", p + ".json", p + ".txt", p + "/events", p + "/embed"}
}

// selfURL is the public address of an output in a format.
func selfURL(cfg *config.Config, out *config.Output, f format) string {
	u := urls(cfg, out)
	switch f {
	case formatRSS:
		return u.RSS
	case formatAtom:
		return u.Atom
	case formatJSON:
		return u.JSON
	case formatText:
		return u.Text
	}
	return u.Home
}

// outlets describes every configured source for attribution, and every
// source polled before as it was shown then (past), so that a removed
// source's items are not credited to its internal name.
func outlets(cfg *config.Config, past map[string]archive.Outlet) map[string]feeds.Outlet {
	m := make(map[string]feeds.Outlet, len(cfg.Sources)+len(past))
	for name, o := range past {
		if o.Title != "" {
			m[name] = feeds.Outlet{Name: name, Title: o.Title, FeedURL: o.FeedURL, HomeURL: o.HomeURL, Language: o.Language}
		}
	}
	for _, src := range cfg.Sources {
		m[src.Name] = feeds.Outlet{Name: src.Name, Title: src.Title, FeedURL: src.PublicURL(), HomeURL: src.HomeURL(),
			Language: src.Language}
	}
	return m
}

// pastOutlets is each source as shown when last polled. A store that
// cannot say leaves removed sources under their names: the feeds still serve.
func (s *Server) pastOutlets() map[string]archive.Outlet {
	states, _, err := s.sourceStates()
	if err != nil {
		s.log.Warn("render: past outlets", "err", err)
		return nil
	}
	past := make(map[string]archive.Outlet, len(states))
	for name, st := range states {
		if st.Outlet != nil {
			past[name] = *st.Outlet
		}
	}
	return past
}

// proxies says which configured sources are aggregator proxies (nil: none).
func proxies(cfg *config.Config) func(string) bool {
	set := map[string]bool{}
	for i := range cfg.Sources {
		if cfg.Sources[i].IsProxy() {
			set[cfg.Sources[i].Name] = true
		}
	}
	if len(set) == 0 {
		return nil
	}
	return func(source string) bool { return set[source] }
}

// sinceStart is the Last-Modified of an output's first render in this
// process: lm, or the second the process started when lm is before it. A
// restart may change a body while no item changed (the config's title, a
// new release's markup), and this process cannot know what the one before
// served: a reader that sends only If-Modified-Since gets the body once
// more after a restart, never a 304 for a body it does not have.
func (s *Server) sinceStart(lm time.Time) time.Time {
	if start := s.started.Truncate(time.Second); lm.Before(start) {
		return start
	}
	return lm
}

// laterThan is the Last-Modified of a body with etag replacing prev: prev's
// when the body is the same, so it never moves back; lm, or, when the body
// changed and lm is not past prev's Last-Modified (an edit that leaves the
// newest time as it was, two versions in one second: HTTP dates count whole
// seconds), a second after prev's, so that a reader's If-Modified-Since
// never takes a changed body for the one it has.
func laterThan(lm time.Time, etag string, prev *rendered) time.Time {
	switch {
	case prev == nil:
		return lm
	case prev.etag == etag:
		return prev.lastModified
	}
	if floor := prev.lastModified.Truncate(time.Second).Add(time.Second); lm.Before(floor) {
		return floor
	}
	return lm
}
