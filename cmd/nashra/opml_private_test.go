package main

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/nashra-ma/nashra/opml"
)

// A configured URL is trusted to reach a private network. Seen from
// outside: opml import -merge added a third party's http://169.254.169.254/
// (cloud metadata) and loopback entries in silence. An entry whose host is
// written as a private address, or localhost, is skipped with a warning
// unless allow_private_networks is on: add it by hand if it is meant.
func TestOPMLImportSkipsPrivateAddresses(t *testing.T) {
	for _, allow := range []bool{false, true} {
		extra := ""
		if allow {
			extra = "allow_private_networks: true\n"
		}
		cfg, errb := mergeThirdPartyOPML(t, `
  <outline type="rss" text="Metadata" xmlUrl="http://169.254.169.254/latest/meta-data/"/>
  <outline type="rss" text="Loop" xmlUrl="http://127.0.0.1:9999/secret"/>
  <outline type="rss" text="Local" xmlUrl="http://localhost:8081/admin"/>
  <outline type="rss" text="Mapped" xmlUrl="http://[::ffff:10.0.0.1]/feed"/>`, extra)
		for _, private := range []string{"169.254.169.254", "127.0.0.1:9999", "localhost:8081", "::ffff:10.0.0.1"} {
			if got := strings.Contains(string(cfg), private); got != allow {
				t.Errorf("allow_private_networks %v: %s in the config: %v\n%s", allow, private, got, cfg)
			}
			if !allow && !strings.Contains(errb, "private network") {
				t.Errorf("no warning for %s: %s", private, errb)
			}
		}
		if !strings.Contains(string(cfg), "fr.hespress.com") {
			t.Errorf("allow %v: the public feed was not added:\n%s", allow, cfg)
		}
	}
}

// A name is as private as what it resolves to: seen from outside, names of
// loopback hosts (in /etc/hosts) were merged and then polled.
func TestNewFeedsSkipsNamesThatResolveToPrivateAddresses(t *testing.T) {
	resolve := func(host string) []netip.Addr {
		switch host {
		case "vm":
			return []netip.Addr{netip.MustParseAddr("127.0.0.1")}
		case "twofaced.example":
			return []netip.Addr{netip.MustParseAddr("93.184.216.34"), netip.MustParseAddr("10.0.0.5")}
		case "fr.hespress.com":
			return []netip.Addr{netip.MustParseAddr("104.26.0.1")}
		}
		return nil // does not resolve: nothing known
	}
	in := []opml.Feed{{Title: "vm", XMLURL: "http://vm:18082/secret.xml"}, {Title: "two", XMLURL: "https://twofaced.example/feed"},
		{Title: "hespress", XMLURL: "https://fr.hespress.com/feed"}, {Title: "unknown", XMLURL: "https://unresolved.example/feed"}}
	var errb bytes.Buffer
	var kept []string
	for _, f := range newFeeds(in, nil, false, resolve, &errb) {
		kept = append(kept, f.Title)
	}
	if strings.Join(kept, ",") != "hespress,unknown" {
		t.Errorf("kept %v, want hespress and unknown\n%s", kept, errb.String())
	}
	kept = kept[:0]
	for _, f := range newFeeds(in, nil, true, resolve, &errb) {
		kept = append(kept, f.Title)
	}
	if len(kept) != 4 {
		t.Errorf("allow_private_networks: kept %v, want all four", kept)
	}
}

// Seen from outside: a third party's OPML listed javascript:, data: and
// file: URLs and one with a newline; `opml import` printed them as sources
// without a word, and -merge refused the whole file naming lines of a
// config that was never written. Each is skipped with a warning, as a
// private address is, and the rest is merged.
func TestOPMLImportSkipsWhatIsNotAFeedURL(t *testing.T) {
	cfg, errb := mergeThirdPartyOPML(t, `
  <outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>
  <outline type="rss" text="Data" xmlUrl="data:text/xml,&lt;rss/&gt;"/>
  <outline type="rss" text="File" xmlUrl="file:///etc/passwd"/>
  <outline type="rss" text="Two&#10;lines" xmlUrl="https://a.example/feed&#10;x: y"/>`, "")
	if !strings.Contains(string(cfg), "https://fr.hespress.com/feed") {
		t.Errorf("the feed was not merged:\n%s", cfg)
	}
	// The URL that does not parse is not quoted (it may hold a secret
	// RedactURL cannot take apart): its title, on one line, names it.
	for bad, named := range map[string]string{"javascript:": "javascript:", "data:": "data:", "file:": "file:", "a.example": "skipped Two lines:"} {
		if strings.Contains(string(cfg), bad) {
			t.Errorf("%s merged:\n%s", bad, cfg)
		}
		if !strings.Contains(errb, named) {
			t.Errorf("no warning names %s:\n%s", named, errb)
		}
	}
	if n := strings.Count(errb, "not an http(s) URL"); n != 4 {
		t.Errorf("%d warnings, want 4:\n%s", n, errb)
	}
}

// Seen from outside: an OPML file of 200,000 feeds on as many hosts took
// 2.4 GB to import, a goroutine per host waiting for one of sixteen
// look-ups. Sixteen goroutines do them all.
func TestLookupHostsHoldsFewGoroutines(t *testing.T) {
	var list []opml.Feed
	for i := range 5000 {
		list = append(list, opml.Feed{XMLURL: fmt.Sprintf("https://h%d.example/feed", i)})
	}
	base := runtime.NumGoroutine()
	var most atomic.Int64
	resolve := lookupHostsWith(list, func(_ context.Context, _, host string) ([]netip.Addr, error) {
		if n := int64(runtime.NumGoroutine()); n > most.Load() {
			most.Store(n)
		}
		return []netip.Addr{netip.MustParseAddr("192.0.2.1")}, nil
	})
	if got := most.Load() - int64(base); got > 40 {
		t.Errorf("%d goroutines more than before during the look-ups", got)
	}
	for _, h := range []string{"h0.example", "h4999.example"} {
		if len(resolve(h)) != 1 {
			t.Errorf("%s not resolved", h)
		}
	}
}

// mergeThirdPartyOPML merges an OPML file of Hespress FR and the outlines
// given into a config of one source (extra its other settings) with `nashra
// opml import --merge`, and returns the config written and what was said
// on standard error.
func mergeThirdPartyOPML(t *testing.T, outlines, extra string) (cfg, stderr string) {
	t.Helper()
	dir := t.TempDir()
	opmlPath := filepath.Join(dir, "third-party.opml")
	os.WriteFile(opmlPath, []byte(`<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
  <outline type="rss" text="Hespress FR" xmlUrl="https://fr.hespress.com/feed"/>`+outlines+`
</body></opml>`), 0o600)
	cfgPath := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfgPath, []byte("database: "+filepath.Join(dir, "db")+"\n"+extra+"sources:\n  - {name: existing, url: \"https://medias24.com/feed\"}\n"), 0o600)
	var out, errb bytes.Buffer
	if code := run([]string{"opml", "import", opmlPath, "--merge", cfgPath}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	written, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(written), errb.String()
}
