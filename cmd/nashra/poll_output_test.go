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

// `nashra poll`'s table says how long a poll waited for its host's
// per_host slot (noticed in stop 20: only the log line said it).
func TestPollTableSaysTheWait(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "hespress-ar.xml"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		w.Write(body)
	}))
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	writeConfig(t, path, fmt.Sprintf("database: %s\nworkers: 2\nper_host: 1\nsources:\n  - {name: a, url: \"%[2]s/a\"}\n  - {name: b, url: \"%[2]s/b\"}\n",
		filepath.Join(dir, "db"), srv.URL))
	code, out, errb := nashra(t, "poll", "-config", path)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errb)
	}
	lines := strings.Split(out, "\n")
	if head := strings.Fields(lines[0]); len(head) < 8 || head[7] != "WAITED" {
		t.Fatalf("no WAITED column: %q", lines[0])
	}
	var waits []time.Duration
	for _, line := range lines[1:3] {
		f := strings.Fields(line)
		if len(f) < 8 {
			waits = append(waits, 0) // blank: waited less than the log line names
			continue
		}
		d, err := time.ParseDuration(f[7])
		if err != nil {
			t.Fatalf("WAITED of %q: %v", line, err)
		}
		waits = append(waits, d)
	}
	if len(waits) != 2 || max(waits[0], waits[1]) < 200*time.Millisecond || min(waits[0], waits[1]) != 0 {
		t.Errorf("with per_host 1 one of two polls of one host waits ~300ms, the other not at all: %v\n%s", waits, out)
	}
}
