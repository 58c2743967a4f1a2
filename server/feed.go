package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/nashra-ma/nashra/config"
)

var extensions = map[string]format{".rss": formatRSS, ".atom": formatAtom, ".json": formatJSON, ".txt": formatText}

// namedOutput serves /feeds/{name} (HTML) and /feeds/{name}.rss|.atom|.json|.txt.
func (s *Server) namedOutput(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	name, f := file, formatHTML
	if i := strings.LastIndexByte(file, '.'); i > 0 {
		ext, ok := extensions[file[i:]]
		if !ok {
			http.NotFound(w, r)
			return
		}
		name, f = file[:i], ext
	}
	// The first output's canonical URLs are /, /feed.rss, …; its self links
	// name those, so its aliases here redirect rather than serve a document
	// whose self link is elsewhere.
	if cfg := s.config(); name == cfg.Outputs[0].Name {
		http.Redirect(w, r, selfURL(cfg, &cfg.Outputs[0], f), http.StatusMovedPermanently)
		return
	}
	s.output(name, f)(w, r)
}

// output serves one output in one format with validators, 304s, gzip and
// HEAD. Every header value is computed when the output is rendered, so a
// request for a cached output allocates next to nothing.
func (s *Server) output(name string, f format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cfg := s.config()
		out := outputByName(cfg, name)
		if out == nil {
			http.NotFound(w, r)
			return
		}
		rd, err := s.get(cfg, out, f)
		if err != nil {
			s.renderFailed(w, strings.TrimSpace("render "+name), err)
			return
		}
		h := w.Header()
		h["Content-Type"] = rd.headers.contentType
		h["Etag"] = rd.headers.etag
		h["Cache-Control"] = s.cacheControl
		h["Vary"] = varyEncoding
		if rd.headers.lastModified != nil {
			h["Last-Modified"] = rd.headers.lastModified
		}
		if rd.headers.link != nil {
			h["Link"] = rd.headers.link
		}
		if rd.headers.scanLimit != nil {
			h[scanLimitHeader] = rd.headers.scanLimit
		}
		if notModified(r, rd) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body, length := rd.body, rd.headers.length
		if acceptsGzip(r) {
			h["Content-Encoding"] = gzipEncoding
			body, length = rd.gz, rd.headers.gzLength
		}
		h["Content-Length"] = length
		if r.Method == http.MethodHead {
			return
		}
		w.Write(body)
	}
}

var (
	varyEncoding = []string{"Accept-Encoding"}
	gzipEncoding = []string{"gzip"}
)

// headers are a rendering's response header values, made once.
type headers struct {
	contentType, etag, lastModified, link, length, gzLength []string
	scanLimit                                               []string
}

func (s *Server) headersFor(cfg *config.Config, out *config.Output, f format, r *rendered) headers {
	h := headers{
		contentType: []string{contentTypes[f]},
		etag:        []string{r.etag},
		length:      []string{strconv.Itoa(len(r.body))},
		gzLength:    []string{strconv.Itoa(len(r.gz))},
		scanLimit:   r.scan.header(),
	}
	if !r.lastModified.IsZero() {
		h.lastModified = []string{r.lastModified.UTC().Format(http.TimeFormat)}
	}
	if hub := cfg.WebSub.Hub; hub != "" && f != formatHTML {
		h.link = []string{fmt.Sprintf(`<%s>; rel="hub", <%s>; rel="self"`, hub, selfURL(cfg, out, f))}
	}
	return h
}

// outputByName finds an output; "" is the default (first) output.
func outputByName(cfg *config.Config, name string) *config.Output {
	if name == "" {
		return &cfg.Outputs[0]
	}
	for i := range cfg.Outputs {
		if cfg.Outputs[i].Name == name {
			return &cfg.Outputs[i]
		}
	}
	return nil
}

// notModified applies RFC 9110's order: If-None-Match wins over If-Modified-Since.
func notModified(r *http.Request, rd *rendered) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if inm == rd.etag {
			return true
		}
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(rd.etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !rd.lastModified.IsZero() {
		// A date later than now was never sent by this server: invalid,
		// and ignored (RFC 9110 13.1.3), not a licence to answer 304.
		t, err := http.ParseTime(ims)
		return err == nil && !t.After(time.Now()) && !rd.lastModified.Truncate(time.Second).After(t)
	}
	return false
}
