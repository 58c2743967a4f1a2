package main

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/opml"
)

// A configured URL is trusted to reach a private network. Seen from
// outside: opml import -merge added a third party's http://169.254.169.254/
// (cloud metadata) and loopback entries in silence. An entry whose host is
// written as a private address, or localhost, is skipped with a warning
// unless allow_private_networks is on: add it by hand if it is meant.
func TestOPMLImportSkipsPrivateAddresses(t *testing.T) {
	dir := t.TempDir()
	opmlPath := filepath.Join(dir, "third-party.opml")
	os.WriteFile(opmlPath, []byte(`<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
  <outline type="rss" text="Hespress FR" xmlUrl="https://fr.hespress.com/feed"/>
  <outline type="rss" text="Metadata" xmlUrl="http://169.254.169.254/latest/meta-data/"/>
  <outline type="rss" text="Loop" xmlUrl="http://127.0.0.1:9999/secret"/>
  <outline type="rss" text="Local" xmlUrl="http://localhost:8081/admin"/>
  <outline type="rss" text="Mapped" xmlUrl="http://[::ffff:10.0.0.1]/feed"/>
</body></opml>`), 0o600)
	for _, allow := range []bool{false, true} {
		cfgPath := filepath.Join(dir, "config.yaml")
		extra := ""
		if allow {
			extra = "allow_private_networks: true\n"
		}
		os.WriteFile(cfgPath, []byte("database: "+filepath.Join(dir, "db")+"\n"+extra+"sources:\n  - {name: existing, url: \"https://medias24.com/feed\"}\n"), 0o600)
		var out, errb bytes.Buffer
		if code := run([]string{"opml", "import", opmlPath, "--merge", cfgPath}, &out, &errb); code != 0 {
			t.Fatalf("allow %v: exit %d: %s", allow, code, errb.String())
		}
		cfg, _ := os.ReadFile(cfgPath)
		for _, private := range []string{"169.254.169.254", "127.0.0.1:9999", "localhost:8081", "::ffff:10.0.0.1"} {
			if got := strings.Contains(string(cfg), private); got != allow {
				t.Errorf("allow_private_networks %v: %s in the config: %v\n%s", allow, private, got, cfg)
			}
			if !allow && !strings.Contains(errb.String(), "private network") {
				t.Errorf("no warning for %s: %s", private, errb.String())
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
