package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestSystemdUnit checks deploy/nashra.service with systemd's own tools:
// systemd-analyze verify (with ExecStart pointed at a freshly built binary,
// since verify wants it to exist) must say nothing, and the offline
// security review must rate its exposure low. It skips without systemd-analyze.
func TestSystemdUnit(t *testing.T) {
	analyze := systemdAnalyze(t)
	unit := readUnit(t, "nashra.service", "\nDynamicUser=yes\n", "\nStateDirectory=nashra\n", "\nWorkingDirectory=/var/lib/nashra\n",
		"\nExecStart=/usr/local/bin/nashra serve -config /etc/nashra/config.yaml")
	bin := filepath.Join(t.TempDir(), "nashra")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	analyzeUnit(t, analyze, "nashra.service", bytes.ReplaceAll(unit, []byte("/usr/local/bin/nashra"), []byte(bin)))
}

// TestSystemdEtcdUnit checks deploy/nashra-etcd.service, one member of the
// etcd cluster replicas share, the same way (verify wants ExecStart to
// exist: any executable stands in for etcd's binary).
func TestSystemdEtcdUnit(t *testing.T) {
	analyze := systemdAnalyze(t)
	unit := readUnit(t, "nashra-etcd.service", "\nType=notify\n", "\nDynamicUser=yes\n", "\nStateDirectory=nashra-etcd\n",
		"\nEnvironmentFile=/etc/nashra/etcd.env\n", "\nExecStart=/usr/local/bin/etcd\n")
	env, err := os.ReadFile(filepath.Join("..", "..", "deploy", "etcd.env"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nETCD_DATA_DIR=/var/lib/nashra-etcd/", "\nETCD_AUTO_COMPACTION_RETENTION=", "\nETCD_INITIAL_CLUSTER=etcd-1="} {
		if !bytes.Contains(env, []byte(want)) {
			t.Errorf("deploy/etcd.env lacks %q", strings.TrimSpace(want))
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	analyzeUnit(t, analyze, "nashra-etcd.service", bytes.ReplaceAll(unit, []byte("/usr/local/bin/etcd"), []byte(self)))
}

func systemdAnalyze(t *testing.T) string {
	t.Helper()
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	return analyze
}

// readUnit reads deploy/name and checks it holds each of want.
func readUnit(t *testing.T, name string, want ...string) []byte {
	t.Helper()
	unit, err := os.ReadFile(filepath.Join("..", "..", "deploy", name))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		if !bytes.Contains(unit, []byte(w)) {
			t.Errorf("%s lacks %q", name, strings.TrimSpace(w))
		}
	}
	return unit
}

// analyzeUnit runs systemd-analyze verify (it must say nothing) and the
// offline security review (exposure at most 2.0, systemd's "OK") on unit.
func analyzeUnit(t *testing.T, analyze, name string, unit []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, unit, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", "--man=no", path).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command(analyze, "security", "--offline=true", "--no-pager", path).CombinedOutput()
	if err != nil {
		t.Skipf("systemd-analyze security --offline unsupported here: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	if level, _ := strconv.ParseFloat(string(m[1]), 64); level > 2.0 {
		t.Errorf("exposure %.1f, want at most 2.0 (systemd's \"OK\"):\n%s", level, out)
	}
	t.Logf("%s: systemd-analyze security exposure: %s", name, m[1])
}
