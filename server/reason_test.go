package server

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/archive"
)

// TestPublicReason: the status page says why a source fails in a few words;
// the dial details (internal addresses, ports, URLs) stay in the log.
func TestPublicReason(t *testing.T) {
	cases := []struct{ name, stored, want string }{
		{"no error", "", ""},
		{"HTTP status kept", "HTTP 404 Not Found", "HTTP 404 Not Found"},
		{"feed problem kept", "feeds: an HTML bot-protection page: not a feed", "feeds: an HTML bot-protection page: not a feed"},
		{"redirect into a private network: no internal address",
			`fetch: Get "http://localhost:6379/": dial tcp 127.0.0.1:6379: refused to connect to a private network address (allow_private_networks is off)`,
			"refused: private network address"},
		{"literal private redirect",
			`fetch: Get "http://10.0.0.7/admin": redirect to 10.0.0.7: refused to connect to a private network address (allow_private_networks is off)`,
			"refused: private network address"},
		{"connection refused: no dial details",
			`fetch: Get "http://intranet.local:8080/feed": dial tcp 192.168.1.20:8080: connect: connection refused`, "connection refused"},
		{"unknown host", `fetch: Get "http://nope.example/feed": dial tcp: lookup nope.example on 10.0.0.2:53: no such host`, "host not found"},
		{"timeout", `fetch: Get "https://x.ma/feed": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, "timed out"},
		{"dial timeout", `fetch: Get "https://x.ma/feed": dial tcp 10.1.1.1:443: i/o timeout`, "timed out"},
		{"TLS", `fetch: Get "https://x.ma/feed": tls: failed to verify certificate: x509: certificate signed by unknown authority`, "TLS error"},
		{"reset", `fetch: Get "https://x.ma/feed": read tcp 172.17.0.2:51234->1.2.3.4:443: read: connection reset by peer`, "connection reset"},
		{"unreachable", `fetch: Get "http://x.ma/feed": dial tcp 10.9.9.9:80: connect: no route to host`, "network unreachable"},
		{"body cap: no URL", `fetch http://user:pw@x.ma/feed: body too large (over 16777216 bytes)`, "body too large"},
		{"truncated body", `fetch http://x.ma/feed: read body: unexpected EOF`, "connection closed early"},
		{"redirect loop", `fetch: Get "http://x.ma/loop": stopped after 5 redirects`, "too many redirects"},
		{"redirect to a huge address (seen from outside: 'fetch failed')", `fetch: Get "/feed.rss?q=xxxx…": redirect to an address longer than 4 KiB`, "redirect to an address over 4 KiB"},
		{"anything else from the network", `fetch: Get "http://10.0.0.1/": proxyconnect tcp: dial tcp 10.0.0.3:3128: weird`, "fetch failed"},
		{"storage failure: no file path", `storage: save: write /var/lib/nashra/nashra.db: no space left on device`, "storage error: disk full (see the log)"},
		{"storage failure: a damaged page", `storage: save poll of x: database file is damaged: restore it from a backup (assertion failed: Page expected to be: 4)`, "storage error: database damaged (see the log)"},
		{"storage failure, not the disk", `storage: save poll of x: decode "k": unexpected end of JSON input`, "storage error (see the log)"},
		{"archive failure: a full disk", `archive: save poll of src: file resize error: truncate /tmp/db: file too large`, "storage error: disk full (see the log)"},
		{"an error of unknown origin is not published", `poll: something at 10.0.0.1`, "failed (see the log)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := publicReason(tc.stored); got != tc.want {
				t.Errorf("publicReason(%q) = %q, want %q", tc.stored, got, tc.want)
			}
		})
	}
}

// TestSourcesPagesHideDialDetails: /sources and /sources.json show a short
// reason for a failing source, never the address it dialled.
func TestSourcesPagesHideDialDetails(t *testing.T) {
	s, store := newTestServer(t)
	err := store.SaveState("hespress-ar", archive.SourceState{ConfiguredURL: "https://www.hespress.com/feed", URL: "https://www.hespress.com/feed", Failures: 1,
		Error: `fetch: Get "http://metadata.internal/latest": dial tcp 169.254.169.254:80: refused to connect to a private network address (allow_private_networks is off)`})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/sources", "/sources.json"} {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		body, _ := io.ReadAll(rec.Body)
		for _, secret := range []string{"169.254.169.254", "metadata.internal", "dial tcp"} {
			if strings.Contains(string(body), secret) {
				t.Errorf("%s publishes %q:\n%s", path, secret, body)
			}
		}
		if !strings.Contains(string(body), "refused: private network address") {
			t.Errorf("%s does not say why the source fails:\n%s", path, body)
		}
	}
}
