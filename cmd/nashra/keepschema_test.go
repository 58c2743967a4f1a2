package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `nashra verify` and `nashra migrate -from` read a schema 2 database (the
// release before staged entries) without marking it schema 3: found from
// outside, a check made the file one the release before refuses. The file
// is the schema 2 release's (archive/testdata/schema2.db); serve and poll
// still mark it.
func TestReadingLeavesSchema2(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "archive", "testdata", "schema2.db"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, path := filepath.Join(dir, "nashra.db"), filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(db, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	writeConfig(t, path, fmt.Sprintf("listen: 127.0.0.1:0\nadmin_listen: %s\ndatabase: %s\nsources:\n  - {name: s, url: \"http://127.0.0.1:1/x\", language: ar}\n", freeLoopbackAddr(t), db))

	code, out, errb := nashra(t, "verify", "-config", path)
	if code != 0 || !strings.Contains(out, ": ok") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errb)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, raw) {
		t.Error("verify changed the schema 2 file")
	}

	copyTo := filepath.Join(dir, "copy.db")
	code, out, errb = nashra(t, "migrate", "-from", "bbolt:"+db, "-to", "bbolt:"+copyTo)
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errb)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, raw) {
		t.Error("migrate changed its schema 2 source")
	}
}
