package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `nashra poll` interrupted (Ctrl-C) says which sources it did not poll and
// counts them as interrupted, not failed: seen from outside, a Ctrl-C made
// 342 sources "failed" with "context canceled", and the sources never
// started were table rows without a name.
func TestPollInterruptedSaysSo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := nashraBinary(t)
	body, err := os.ReadFile(filepath.Join("testdata", "hespress-ar.xml"))
	if err != nil {
		t.Fatal(err)
	}
	fastDone := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fast" {
			w.Write(body)
			fastDone <- struct{}{}
			return
		}
		select { // the slow ones answer only when the client gives up
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	y := fmt.Sprintf("database: %s\nworkers: 2\nper_host: 2\nsources:\n  - {name: fast, url: \"%s/fast\"}\n", filepath.Join(dir, "db"), srv.URL)
	for i := range 6 {
		y += fmt.Sprintf("  - {name: slow%d, url: \"%s/slow%d\"}\n", i, srv.URL, i)
	}
	writeConfig(t, path, y)

	var out, errb bytes.Buffer
	cmd := exec.Command(bin, "poll", "-config", path)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-fastDone:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the fast source was never fetched")
	}
	time.Sleep(300 * time.Millisecond) // the slow ones are being fetched or wait for a worker
	cmd.Process.Signal(os.Interrupt)
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("exit: %v, want 1", err)
	}
	text := out.String()
	for _, want := range []string{"interrupted: 6 sources not polled", "7 sources, 0 failed"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s%s", want, text, errb.String())
		}
	}
	if strings.Contains(text, "context canceled") {
		t.Errorf("cancelled polls shown as errors:\n%s", text)
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, " ") {
			t.Errorf("a table row without a source: %q", line)
		}
	}
}
