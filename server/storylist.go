package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/nashra-ma/nashra/feeds"
)

// maxStoriesListed bounds /stories: a 36-hour window holds a few hundred.
const maxStoriesListed = 500

// storiesPageAge is how long a rendering of /stories is served while no
// poll changes the data: stories also leave the window as time passes.
const storiesPageAge = time.Minute

// storyEntry is one story of /stories.json.
type storyEntry struct {
	// ID is the story's line id in the feeds; Key the key it is made from.
	ID       string        `json:"id"`
	Key      string        `json:"key"`
	Language string        `json:"language,omitempty"`
	Title    string        `json:"title"` // the earliest report's headline
	Reports  []storyReport `json:"reports"`
}

// storyReport is one report of a story; Item is the id `nashra stories split` takes.
type storyReport struct {
	Item   string    `json:"item"`
	Source string    `json:"source"`
	Outlet string    `json:"outlet"`
	Time   time.Time `json:"time"` // in the configured zone (Africa/Casablanca), whole seconds
	Link   string    `json:"link,omitempty"`
	Title  string    `json:"title"`
}

type storiesDoc struct {
	Window  string       `json:"window"`
	Stories []storyEntry `json:"stories"`
}

// storyPages caches /stories and /stories.json by the store's generation.
type storyPages struct {
	mu    sync.Mutex
	pages map[format]*rendered
}

// storiesPage serves /stories (formatHTML) or /stories.json (formatJSON).
func (s *Server) storiesPage(f format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rd, err := s.storiesRendered(f)
		if err != nil {
			s.renderFailed(w, "render stories", err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", rd.headers.contentType[0])
		h.Set("ETag", rd.etag)
		h.Set("Last-Modified", rd.lastModified.UTC().Format(http.TimeFormat))
		h["Cache-Control"] = s.cacheControl
		h["Vary"] = varyEncoding
		if notModified(r, rd) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := rd.body
		if acceptsGzip(r) {
			h["Content-Encoding"] = gzipEncoding
			body = rd.gz
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		if r.Method != http.MethodHead {
			w.Write(body)
		}
	}
}

func (s *Server) storiesRendered(f format) (*rendered, error) {
	gen, now := s.store.Generation(), s.clock()
	p := &s.stories
	p.mu.Lock()
	defer p.mu.Unlock()
	if rd := p.pages[f]; rd != nil && rd.gen == gen && now.Sub(rd.at) < storiesPageAge {
		return rd, nil
	}
	if down, _ := s.storeDown(); down {
		if p.pages[f] == nil {
			return nil, errStoreDown
		}
		return p.pages[f], nil
	}
	doc, err := s.storiesDoc(now)
	if err != nil {
		if rd := p.pages[f]; rd != nil { // the store out of reach: the last list stays true to what was stored
			return rd, nil
		}
		return nil, err
	}
	var body []byte
	if f == formatJSON {
		body, err = json.MarshalIndent(doc, "", "  ")
		body = append(body, '\n')
	} else {
		var buf bytes.Buffer
		cfg := s.config()
		err = templates.ExecuteTemplate(&buf, "stories.html", struct {
			Title, Home string
			storiesDoc
		}{cfg.Title, cfg.BaseURL + "/", doc})
		body = buf.Bytes()
	}
	if err != nil {
		return nil, fmt.Errorf("server: render stories: %w", err)
	}
	sum := sha256.Sum256(body)
	rd := &rendered{gen: gen, at: now, body: body, etag: `W/"` + hex.EncodeToString(sum[:12]) + `"`}
	// Last-Modified is when this list first read as it does: a page made
	// again with the same bytes keeps the time of the one before.
	rd.lastModified = laterThan(now.Truncate(time.Second), rd.etag, p.pages[f])
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	zw.Write(body)
	zw.Close()
	rd.gz = gz.Bytes()
	ct := "text/html; charset=utf-8"
	if f == formatJSON {
		ct = "application/json; charset=utf-8"
	}
	rd.headers.contentType = []string{ct}
	if p.pages == nil {
		p.pages = map[format]*rendered{}
	}
	p.pages[f] = rd
	return rd, nil
}

// storiesDoc lists the stories of the last stories.window.
func (s *Server) storiesDoc(now time.Time) (storiesDoc, error) {
	cfg := s.config()
	list, err := s.store.Stories(now.Add(-cfg.Stories.Window), maxStoriesListed)
	if err != nil {
		return storiesDoc{}, err
	}
	auth := feeds.Authority(cfg.BaseURL)
	doc := storiesDoc{Window: cfg.Stories.Window.String(), Stories: []storyEntry{}}
	for _, st := range list {
		e := storyEntry{ID: feeds.ItemID(auth, st.ID), Key: st.ID}
		for _, it := range st.Reports {
			if e.Title == "" {
				e.Title, e.Language = it.Title, it.Language
			}
			src := cfg.SourceByName(it.Source)
			outlet := it.Source
			if src != nil {
				outlet = src.Title
			}
			e.Reports = append(e.Reports, storyReport{Item: it.Key, Source: it.Source, Outlet: outlet,
				Time: it.Time.In(cfg.Location).Truncate(time.Second), Link: it.Link, Title: it.Title})
		}
		doc.Stories = append(doc.Stories, e)
	}
	return doc, nil
}
