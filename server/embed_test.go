package server

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/config"
)

func TestEmbed(t *testing.T) {
	now := time.Now()
	s, _ := newTestServer(t,
		liveItem("a1", "hespress-ar", "ar", "خبر للتضمين", now.Add(-time.Hour)),
	)
	framed := func(ancestors string) *Server {
		cfg := *s.config()
		cfg.Embed = config.EmbedConfig{FrameAncestors: ancestors}
		c := New(&cfg, s.store, nil, nil)
		return c
	}
	scriptRe := regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	cases := []struct {
		name, target string
		srv          *Server
		status       int
		dir, csp     string
	}{
		{"Arabic output: right to left, framable anywhere by default", "/feeds/all/embed", s, 200, `dir="rtl"`, "frame-ancestors *"},
		{"French output: left to right", "/feeds/fr/embed", s, 200, `dir="ltr"`, "frame-ancestors *"},
		{"frame_ancestors narrows who may frame it", "/feeds/all/embed", framed("https://www.example.ma"), 200, `dir="rtl"`, "frame-ancestors https://www.example.ma"},
		{"unknown output", "/feeds/nope/embed", s, 404, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(tc.srv, "GET", tc.target)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if tc.status != http.StatusOK {
				return
			}
			body := rec.Body.String()
			if rec.Header().Get("ETag") == "" || rec.Header().Get("Last-Modified") == "" {
				t.Errorf("no validators: %v", rec.Header())
			}
			csp := rec.Header().Get("Content-Security-Policy")
			if !strings.HasSuffix(csp, tc.csp) || !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("CSP %q, want it to end %q", csp, tc.csp)
			}
			if !strings.Contains(body, tc.dir) {
				t.Errorf("no %s in the embed", tc.dir)
			}
			if tc.target == "/feeds/all/embed" && !strings.Contains(body, "خبر للتضمين") {
				t.Error("the line is missing")
			}
			for _, third := range []string{" src=", "<link", "@import", "url("} {
				if strings.Contains(body, third) {
					t.Errorf("embed loads an asset (%q)", third)
				}
			}
			if !strings.Contains(body, `<base target="_blank">`) {
				t.Error("links would open inside the frame")
			}
			m := scriptRe.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no live script")
			}
			sum := sha256.Sum256([]byte(m[1]))
			if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, "script-src "+h) {
				t.Errorf("the CSP's script hash does not match the script served (want %s in %q): browsers would block it", h, csp)
			}
		})
	}
}

func TestEmbedSnippetOnThePage(t *testing.T) {
	s, _ := newTestServer(t)
	cases := []struct{ name, page, want string }{
		{"default output's page", "/", `&lt;iframe src=&#34;http://nashra.test/feeds/all/embed&#34;`},
		{"named output's page", "/feeds/fr", `&lt;iframe src=&#34;http://nashra.test/feeds/fr/embed&#34;`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := serve(s, "GET", tc.page).Body.String()
			if !strings.Contains(body, tc.want) {
				t.Errorf("no copy-paste snippet %s on the page", tc.want)
			}
		})
	}
}
