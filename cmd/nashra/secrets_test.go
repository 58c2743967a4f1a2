package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/internal/logbuf"
)

// TestSourceCredentialsNeverPublished runs the real service over sources
// whose URLs carry credentials (userinfo, secret query parameters, a secret
// in a permanent redirect's target, a parameter named in secret_params, a
// dead host whose dial error names the URL) and looks for the secrets in
// every response, every log line, `nashra poll` and `nashra opml export`.
// The fetcher itself must still send them.
func TestSourceCredentialsNeverPublished(t *testing.T) {
	secrets := []string{"aliceuser", "s3cretpw", "TOKEN123abc", "bobuser", "hunter2pw", "TOKEN456def", "TOKEN789xyz", "SESSIONVAL42", "SIGvalue99"}
	var (
		mu   sync.Mutex
		sent []string // what the sources received
	)
	rss := func(link string) string {
		return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.ma/</link><description>d</description>
<item><title>Titre ` + link + `</title><link>https://example.ma/` + link + `</link><guid>https://example.ma/` + link + `</guid><pubDate>Tue, 14 Apr 2026 12:00:00 +0000</pubDate></item></channel></rss>`
	}
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		mu.Lock()
		sent = append(sent, r.URL.String()+" "+user+":"+pass)
		mu.Unlock()
		switch r.URL.Path {
		case "/feed":
			if user != "aliceuser" || pass != "s3cretpw" || r.URL.Query().Get("apikey") != "TOKEN123abc" {
				http.Error(w, "unauthorised", http.StatusUnauthorized)
				return
			}
			w.Write([]byte(rss("a")))
		case "/old":
			http.Redirect(w, r, "/moved?access_token=TOKEN789xyz&sessid=SESSIONVAL42&page=1", http.StatusMovedPermanently)
		case "/moved":
			w.Write([]byte(rss("b")))
		case "/signed":
			http.Error(w, "forbidden", http.StatusForbidden) // a failing source whose URL is signed
		default:
			http.NotFound(w, r)
		}
	}))
	defer src.Close()
	host := strings.TrimPrefix(src.URL, "http://")

	dir := t.TempDir()
	path := filepath.Join(dir, "nashra.yaml")
	yaml := fmt.Sprintf(`listen: 127.0.0.1:0
database: %s
retention: 87600h # the fixtures are dated April 2026
base_url: http://nashra.test
workers: 2
secret_params: [sessid]
sources:
  - {name: basic, url: "http://aliceuser:s3cretpw@%[2]s/feed?apikey=TOKEN123abc&lang=fr"}
  - {name: moved, url: "http://%[2]s/old?sessid=SESSIONVAL42"}
  - {name: signed, url: "http://%[2]s/signed?X-Amz-Signature=SIGvalue99"}
  - {name: dead, url: "http://bobuser:hunter2pw@127.0.0.1:1/feed?token=TOKEN456def"}
`, filepath.Join(dir, "nashra.db"), host)
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &logbuf.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc, err := startService(path, log)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for !svc.ready() {
		if time.Now().After(deadline) {
			t.Fatal("first poll round never finished")
		}
		time.Sleep(20 * time.Millisecond)
	}
	base := "http://" + svc.Addr()
	responses := map[string]string{}
	for _, p := range []string{"/", "/feed.rss", "/feed.atom", "/feed.json", "/ticker.txt", "/feeds/all", "/feeds/all.rss",
		"/feeds/all.atom", "/feeds/all.json", "/feeds/all.txt", "/sources", "/sources.json", "/sources.opml", "/metrics", "/healthz", "/readyz"} {
		resp := get(t, base+p)
		responses[p] = string(readAll(t, resp.Body))
		var h strings.Builder
		resp.Header.Write(&h)
		responses[p+" (headers)"] = h.String()
	}
	svc.Stop()

	var pollOut, pollErr, opmlOut, opmlErr bytes.Buffer
	run([]string{"poll", "-config", path}, &pollOut, &pollErr)
	run([]string{"opml", "export", "-config", path}, &opmlOut, &opmlErr)
	responses["nashra poll"] = pollOut.String() + pollErr.String()
	responses["nashra opml export"] = opmlOut.String() + opmlErr.String()
	responses["log"] = logs.String()

	for where, text := range responses {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s shows the secret %q:\n%s", where, s, text)
			}
		}
	}
	// Each source is still named, with its secrets redacted.
	for _, want := range []string{"/feed?apikey=REDACTED&amp;lang=fr", "/moved?access_token=REDACTED&amp;sessid=REDACTED&amp;page=1", "X-Amz-Signature=REDACTED"} {
		if !strings.Contains(responses["/sources"], want) {
			t.Errorf("/sources lacks %q", want)
		}
	}
	if !strings.Contains(responses["/sources.opml"], "/feed?apikey=REDACTED&amp;lang=fr") {
		t.Errorf("OPML lacks the redacted feed URL:\n%s", responses["/sources.opml"])
	}
	if !strings.Contains(responses["/feed.rss"], `/feed?apikey=REDACTED&amp;lang=fr"`) {
		t.Errorf("RSS <source url> lacks the redacted feed URL")
	}
	// The fetcher sent the real credentials.
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(sent, "\n")
	for _, want := range []string{"/feed?apikey=TOKEN123abc&lang=fr aliceuser:s3cretpw", "/moved?access_token=TOKEN789xyz", "/signed?X-Amz-Signature=SIGvalue99"} {
		if !strings.Contains(all, want) {
			t.Errorf("the sources never received %q:\n%s", want, all)
		}
	}
	if !strings.Contains(responses["/feed.rss"], "Titre a") || !strings.Contains(responses["/feed.rss"], "Titre b") {
		t.Errorf("the authenticated sources' items are missing:\n%s", responses["/feed.rss"])
	}
}
