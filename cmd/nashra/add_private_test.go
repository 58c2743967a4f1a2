package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A page the operator names may advertise a feed anywhere. Seen from
// outside: `nashra add` followed a public page's <link rel="alternate"> to
// a loopback service, printed what it answered and wrote its address into
// the config, where a configured address is trusted. Only the host the
// operator typed is trusted; a feed the page points elsewhere is fetched as
// a redirect would be, off private networks.
func TestAddDoesNotFollowAPageIntoPrivateNetworks(t *testing.T) {
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<rss version="2.0"><channel><title>INTERNAL</title><item><title>INTERNAL SECRET DATA</title><link>http://internal/1</link></item></channel></rss>`))
	}))
	defer internal.Close()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="%s/secret"></head><body>x</body></html>`, internal.URL)
	}))
	defer page.Close()

	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	writeConfig(t, path, fmt.Sprintf("database: %s\n", filepath.Join(dir, "db")))
	code, out, errb := nashra(t, "-config", path, "add", page.URL+"/", "-language", "en")
	if code == 0 || strings.Contains(out, "INTERNAL SECRET DATA") {
		t.Errorf("followed the page to a private address: exit %d\n%s%s", code, out, errb)
	}
	// Seen from outside: refused, rightly, but "no feed found" said nothing
	// of why the feed the page advertises was not taken.
	if !strings.Contains(out+errb, "not taken: "+internal.URL+"/secret: ") || !strings.Contains(out+errb, "private network address") {
		t.Errorf("does not say why the advertised feed was not taken:\n%s%s", out, errb)
	}
	cfg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(cfg), internal.URL) {
		t.Errorf("the private address was written into the config:\n%s", cfg)
	}
}
