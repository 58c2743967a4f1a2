package main

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/storage"
)

// `nashra verify` reads the whole database through the running service
// (which holds it) or, with none running, directly; a database an outside
// test damaged (seen: it polled as "unchanged" and `nashra check` said ok)
// is reported by table, and exits 1.
func TestVerifyCommand(t *testing.T) {
	path, admin, db := storyConfig(t)
	svc, err := startService(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "first round", svc.ready)
	code, out, errb := nashra(t, "verify", "-config", path)
	if code != 0 || !strings.Contains(out, "through the running service on "+admin) || !strings.Contains(out, "3 records, item count 3;") || !strings.Contains(out, ": ok") {
		t.Errorf("verify through the service: exit %d\n%s%s", code, out, errb)
	}
	svc.Stop()

	// Damage behind nashra's back: a record's time entry lost.
	eng, err := storage.OpenBolt(db)
	if err != nil {
		t.Fatal(err)
	}
	var entry []byte
	eng.View(context.Background(), func(r storage.Reader) error {
		kvs, err := r.Scan("by_time", storage.Range{Limit: 1})
		if err == nil && len(kvs) == 1 {
			entry = kvs[0].Key
		}
		return err
	})
	b := &storage.Batch{}
	b.Delete("by_time", entry)
	if entry == nil || eng.Apply(context.Background(), b) != nil {
		t.Fatal("could not damage the database")
	}
	eng.Close()

	code, out, errb = nashra(t, "verify", "-config", path)
	if code != 1 || !strings.Contains(out, "opened "+db+" directly") || !strings.Contains(out, "by_time: no entry for record") || !strings.Contains(out, "2 problems") {
		t.Errorf("verify of a damaged database, directly: exit %d\n%s%s", code, out, errb)
	}

	// Random bytes over the pages after the meta and freelist pages, as
	// the outside test wrote them: said, not a crash, and exit 1.
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	used := len(bytes.TrimRight(data, "\x00"))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 3 * 4096; i < used; i++ {
		data[i] = byte(rng.UintN(256))
	}
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errb = nashra(t, "verify", "-config", path)
	if code != 1 || !strings.Contains(out+errb, "damaged") || strings.Contains(errb, "goroutine ") {
		t.Errorf("verify of random pages: exit %d\n%s%s", code, out, errb)
	}

	// A 0-byte file is said to be one, not made a database (bbolt would
	// write its meta pages into it) and called ok.
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errb = nashra(t, "verify", "-config", path)
	if fi, _ := os.Stat(db); code != 1 || !strings.Contains(errb, "is empty (0 bytes)") || fi.Size() != 0 {
		t.Errorf("verify of a 0-byte file: exit %d, file now %d bytes\n%s%s", code, fi.Size(), out, errb)
	}
}
