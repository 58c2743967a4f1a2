package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
