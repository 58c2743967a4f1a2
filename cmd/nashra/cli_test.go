package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/archive"
	"time"
)

// TestCommandLine attacks where flags may stand and what help and version say.
// Every case must finish quickly: a case that starts the daemon would hang.
func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("database: "+filepath.Join(dir, "db")+"\nsources:\n  - {name: a, url: \"http://127.0.0.1:1/a.xml\"}\n"), 0o600)
	cases := []struct {
		name      string
		args      []string
		code      int
		stdout    []string
		stderr    []string
		notStdout []string
	}{
		{"flag before check checks, never serves", []string{"-config", good, "check"}, 0, []string{good + ": ok (1 sources"}, nil, nil},
		{"flag after check", []string{"check", "-config", good}, 0, []string{good + ": ok"}, nil, nil},
		{"flag=value before check", []string{"-config=" + good, "check"}, 0, []string{good + ": ok"}, nil, nil},
		{"help word", []string{"help"}, 0, []string{"commands:", "check", "http://localhost:8080/"}, nil, nil},
		{"-h", []string{"-h"}, 0, []string{"commands:", "serve"}, nil, nil},
		{"--help", []string{"--help"}, 0, []string{"commands:"}, nil, nil},
		{"--help after a command", []string{"check", "--help"}, 0, []string{"commands:"}, nil, nil},
		{"version word", []string{"version"}, 0, []string{"nashra ", "go1."}, nil, nil},
		{"--version", []string{"--version"}, 0, []string{"nashra ", "go1."}, nil, nil},
		{"unknown flag is refused, not served", []string{"-frob", "check"}, 2, nil, []string{"-frob"}, nil},
		{"two commands are refused", []string{"-config", good, "check", "poll"}, 2, nil, []string{"unexpected argument"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			done := make(chan int, 1)
			go func() { done <- run(c.args, &out, &errb) }()
			var code int
			select {
			case code = <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("%v did not return: it started the service", c.args)
			}
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.code, errb.String())
			}
			for _, w := range c.stdout {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range c.stderr {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errb.String())
				}
			}
		})
	}
}

// TestCheckDatabase attacks database paths check passed and start-up refused.
func TestCheckDatabase(t *testing.T) {
	dir := t.TempDir()
	notBolt := filepath.Join(dir, "notes.txt")
	os.WriteFile(notBolt, []byte("not a database, but long enough to hold a header of some sort\n"), 0o600)
	real := filepath.Join(dir, "real.db")
	st, err := archive.Open(real)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	cases := []struct{ name, db, want string }{
		{"a real database passes", real, ""},
		{"directory missing", filepath.Join(dir, "nope", "n.db"), "database: directory " + filepath.Join(dir, "nope") + " does not exist"},
		{"path is a directory", dir, "is a directory"},
		{"file is not a bbolt database", notBolt, "is not a nashra (bbolt) database"},
		{"new file in an existing directory", filepath.Join(dir, "new.db"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			os.WriteFile(path, []byte("database: "+c.db+"\nsources:\n  - {name: a, url: \"http://127.0.0.1:1/a\"}\n"), 0o600)
			var out, errb bytes.Buffer
			code := run([]string{"check", "-config", path}, &out, &errb)
			if c.want == "" {
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errb.String())
				}
				return
			}
			if code != 1 || !strings.Contains(errb.String(), c.want) {
				t.Fatalf("exit %d, stderr %q, want %q", code, errb.String(), c.want)
			}
		})
	}
}
