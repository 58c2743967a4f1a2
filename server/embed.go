package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/nashra-ma/nashra/config"
)

// embedLines is how many lines the embeddable ticker shows: a box on
// someone else's page, not an archive.
const embedLines = 30

type embedPage struct {
	Title, Lang, Dir, Home, Events string
	Since                          int64
	Days                           []embedDay
}

type embedDay struct {
	Label string
	Lines []template.HTML // the page's own <li>s, rendered by the "line" template
}

// embed serves /feeds/{name}/embed: the output's newest lines as a compact
// page for an <iframe> on another site. It uses no third-party asset; its
// CSP allows only its own inline style and script (by hash), its own live
// stream, and being framed by embed.frame_ancestors.
func (s *Server) embed(w http.ResponseWriter, r *http.Request) {
	cfg := s.config()
	out := outputByName(cfg, r.PathValue("name"))
	if out == nil {
		http.NotFound(w, r)
		return
	}
	sn, err := s.snapshot(cfg, out)
	if err != nil {
		s.renderFailed(w, "embed "+out.Name, err)
		return
	}
	body, err := renderEmbed(cfg, out, sn)
	if err != nil {
		s.log.Error("embed", "output", out.Name, "err", err)
		http.Error(w, "render failed", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", embedCSP(scriptHash(body), cfg.Embed.FrameAncestors))
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	if v := sn.scan.header(); v != nil {
		h[scanLimitHeader] = v
	}
	modified := sn.latest
	if modified.IsZero() {
		modified = time.Unix(0, 0) // an empty output, as the feeds date it
	}
	serveBytes(w, r, "text/html; charset=utf-8", "public, max-age=60", body, modified)
}

func renderEmbed(cfg *config.Config, out *config.Output, sn *liveSnapshot) ([]byte, error) {
	u := urls(cfg, out)
	p := embedPage{Title: out.Title, Lang: out.Language, Dir: "rtl", Home: u.Home, Events: u.Events}
	if p.Lang == "" {
		p.Lang = "ar"
	}
	if p.Lang != "ar" {
		p.Dir = "ltr"
	}
	if eu, err := url.Parse(u.Events); err == nil {
		p.Events = eu.Path
	}
	if !sn.latest.IsZero() {
		p.Since = sn.latest.UnixNano()
	}
	for i, ln := range sn.lines {
		if i == embedLines {
			break
		}
		if len(p.Days) == 0 || p.Days[len(p.Days)-1].Label != ln.Day {
			p.Days = append(p.Days, embedDay{Label: ln.Day})
		}
		d := &p.Days[len(p.Days)-1]
		d.Lines = append(d.Lines, template.HTML(ln.HTML)) // rendered and escaped by the "line" template
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "embed.html", p); err != nil {
		return nil, fmt.Errorf("server: render embed: %w", err)
	}
	return buf.Bytes(), nil
}

// embedCSP is the embed page's Content-Security-Policy: nothing but its own
// inline style, its live script (by hash) and its stream, framed by ancestors.
func embedCSP(scriptHash, ancestors string) string {
	return "default-src 'none'; style-src 'unsafe-inline'; script-src '" + scriptHash + "'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors " + ancestors
}

// scriptHash is the CSP hash of the page's one inline script, taken from
// the page as served (html/template rewrites a script's text a little).
func scriptHash(page []byte) string {
	var js []byte
	if _, after, ok := bytes.Cut(page, []byte("<script>")); ok {
		js, _, _ = bytes.Cut(after, []byte("</script>"))
	}
	sum := sha256.Sum256(js)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// embedSnippet is the HTML a site pastes to show the output's ticker.
func embedSnippet(embedURL, title string) string {
	r := strings.NewReplacer(`&`, "&amp;", `"`, "&quot;", `<`, "&lt;", `>`, "&gt;")
	return fmt.Sprintf(`<iframe src="%s" title="%s" width="100%%" height="420" style="border:0;max-width:100%%" loading="lazy"></iframe>`, r.Replace(embedURL), r.Replace(title))
}
