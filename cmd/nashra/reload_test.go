package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nashra-ma/nashra/config"
)

func writeConfig(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// sourceRow is the part of a /sources.json row these tests read.
type sourceRow struct {
	Name, State, Error string
	Failures, Items    int
}

func sourceRows(t *testing.T, base string) map[string]sourceRow {
	t.Helper()
	var rows []sourceRow
	if err := json.Unmarshal(readAll(t, get(t, base+"/sources.json").Body), &rows); err != nil {
		t.Fatal(err)
	}
	m := map[string]sourceRow{}
	for _, r := range rows {
		m[r.Name] = r
	}
	return m
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReloadChangesSourcesAndOutputsKeepsItems(t *testing.T) {
	_, feeds := newFeedServer(t, "hespress-ar.xml", "le360-fr.xml", "goud-ar.feed.json")
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	head := fmt.Sprintf("listen: 127.0.0.1:0\ndatabase: %s\nretention: 87600h\n", filepath.Join(dir, "db")) // the fixtures are dated April 2026
	writeConfig(t, path, head+fmt.Sprintf(`sources:
  - {name: hespress-ar, title: هسبريس, url: "%[1]s/hespress-ar.xml", language: ar}
  - {name: le360-fr, title: Le360, url: "%[1]s/le360-fr.xml", language: fr}
outputs:
  - {name: all, title: Before}
`, feeds.URL))
	svc, err := startService(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	base := "http://" + svc.Addr()
	eventually(t, "first round", svc.ready) // /readyz may say 200 as soon as one source has items
	if rows := sourceRows(t, base); rows["hespress-ar"].Items != 4 || rows["le360-fr"].Items != 3 {
		t.Fatalf("before reload: %+v", rows)
	}

	// Remove le360-fr, add goud, rename the output and add one.
	writeConfig(t, path, head+fmt.Sprintf(`sources:
  - {name: hespress-ar, title: هسبريس, url: "%[1]s/hespress-ar.xml", language: ar}
  - {name: goud, title: كود, url: "%[1]s/goud-ar.feed.json", language: ar}
outputs:
  - {name: all, title: After}
  - {name: ar, title: عربي, languages: [ar]}
`, feeds.URL))
	if err := svc.Reload(); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	eventually(t, "the new source polled", func() bool { return sourceRows(t, base)["goud"].Items == 2 })
	rows := sourceRows(t, base)
	if _, ok := rows["le360-fr"]; ok {
		t.Error("a removed source is still listed")
	}
	txt := string(readAll(t, get(t, base+"/ticker.txt").Body))
	if !strings.Contains(txt, "— Le360") || strings.Contains(txt, "— le360-fr") || len(regexp.MustCompile(`(?m)^\d\d:\d\d `).FindAllString(txt, -1)) != 9 { // a removed source keeps its outlet's title
		t.Errorf("stored items lost on reload (want 4+3+2 lines):\n%s", txt)
	}
	if atom := string(readAll(t, get(t, base+"/feed.atom").Body)); !strings.Contains(atom, "<title>After</title>") {
		t.Error("output title not reloaded")
	}
	if r := get(t, base+"/feeds/ar.json"); r.StatusCode != http.StatusOK {
		t.Errorf("new output: %d", r.StatusCode)
	}

	// A broken file changes nothing and says why.
	writeConfig(t, path, head+"sources:\n  - {name: Bad Name, url: nope}\noutputs:\n  - {name: all, title: Broken}\n")
	err = svc.Reload()
	var probs *config.Problems
	if !errors.As(err, &probs) || len(probs.List) != 2 {
		t.Fatalf("Reload of a broken file: %v", err)
	}
	if atom := string(readAll(t, get(t, base+"/feed.atom").Body)); !strings.Contains(atom, "<title>After</title>") {
		t.Error("a broken file changed the running configuration")
	}
}

var buildOnce struct {
	sync.Once
	bin string
	err error
}

// nashraBinary builds the command once per test run.
func nashraBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nashra-bin")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.bin = filepath.Join(dir, "nashra")
		if out, err := exec.Command("go", "build", "-o", buildOnce.bin, ".").CombinedOutput(); err != nil {
			buildOnce.err = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.bin
}

// TestReloadCommandSignalsTheService runs the real binary: `nashra reload`
// finds it by its pid file and SIGHUP makes it take the new sources.
func TestReloadCommandSignalsTheService(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := nashraBinary(t)
	_, feeds := newFeedServer(t, "hespress-ar.xml", "le360-fr.xml")
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	port := freePort(t)
	head := fmt.Sprintf("listen: 127.0.0.1:%d\ndatabase: %s\nretention: 87600h\n", port, filepath.Join(dir, "db")) // the fixtures are dated April 2026
	writeConfig(t, path, head+fmt.Sprintf("sources:\n  - {name: hespress-ar, url: \"%s/hespress-ar.xml\"}\n", feeds.URL))
	cmd := exec.Command(bin, "serve", "-config", path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	eventually(t, "service ready", func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	writeConfig(t, path, head+fmt.Sprintf("sources:\n  - {name: hespress-ar, url: \"%[1]s/hespress-ar.xml\"}\n  - {name: le360-fr, url: \"%[1]s/le360-fr.xml\"}\n", feeds.URL))
	out, err := exec.Command(bin, "reload", "-config", path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "asked nashra") {
		t.Fatalf("nashra reload: %v\n%s", err, out)
	}
	eventually(t, "the added source polled", func() bool { return sourceRows(t, base)["le360-fr"].Items == 3 })

	// A broken edit is refused by the command itself.
	writeConfig(t, path, head+"sources: [\n")
	if out, err := exec.Command(bin, "reload", "-config", path).CombinedOutput(); err == nil || !strings.Contains(string(out), "not reloading") {
		t.Errorf("reload of a broken file: %v\n%s", err, out)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
