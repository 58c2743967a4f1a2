package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `nashra poll -cpuprofile FILE` writes a profile (gzipped protocol
// buffers, as go tool pprof reads them) and polls as without it; the flag
// belongs to poll, and a file that cannot be made fails the poll before it
// starts.
func TestPollCPUProfile(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "hespress-ar.xml"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	writeConfig(t, path, fmt.Sprintf("database: %s\nsources:\n  - {name: a, url: \"%s/a\"}\n", filepath.Join(dir, "db"), srv.URL))

	prof := filepath.Join(dir, "poll.prof")
	code, out, errb := nashra(t, "poll", "-config", path, "-cpuprofile", prof)
	if code != 0 || !strings.Contains(out, "new") {
		t.Fatalf("exit %d\n%s%s", code, out, errb)
	}
	raw, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the profile is not gzipped: %v", err)
	}
	if pb, err := io.ReadAll(zr); err != nil || len(pb) == 0 {
		t.Fatalf("the profile has no content: %d bytes, %v", len(pb), err)
	}

	if code, _, errb := nashra(t, "check", "-config", path, "-cpuprofile", prof); code != 2 || !strings.Contains(errb, "-cpuprofile belongs to `nashra poll`") {
		t.Errorf("-cpuprofile with check: exit %d, %q", code, errb)
	}
	if code, _, errb := nashra(t, "poll", "-config", path, "-cpuprofile", filepath.Join(dir, "no", "such", "dir", "p.prof")); code != 1 || !strings.Contains(errb, "cpuprofile") {
		t.Errorf("an unwritable profile: exit %d, %q", code, errb)
	}
}
