package main

import (
	"log/slog"
	"os"
	"strings"
	"testing"
)

// A database file that exists and holds no byte (a copy that failed, a disk
// that filled up) is refused by every command, and left as it is: bbolt
// would make it a new empty database, and the loss would go unnoticed
// until the feeds came back empty (seen from outside: poll, serve and
// compact all did).
func TestEmptyDatabaseFileIsRefused(t *testing.T) {
	path, _, db := storyConfig(t)
	empty := func(t *testing.T) {
		if err := os.WriteFile(db, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range []string{"poll", "compact", "check", "verify"} {
		t.Run(cmd, func(t *testing.T) {
			empty(t)
			code, out, errb := nashra(t, cmd, "-config", path)
			if code == 0 || !strings.Contains(out+errb, "is empty (0 bytes)") || !strings.Contains(out+errb, db) {
				t.Errorf("nashra %s on a 0-byte database: exit %d\n%s%s", cmd, code, out, errb)
			}
			if fi, err := os.Stat(db); err != nil || fi.Size() != 0 {
				t.Errorf("nashra %s: the 0-byte file is now %v bytes (%v)", cmd, fi.Size(), err)
			}
		})
	}
	t.Run("serve", func(t *testing.T) {
		empty(t)
		svc, err := startService(path, slog.New(slog.DiscardHandler))
		if err == nil {
			svc.Stop()
			t.Fatal("the service started on a 0-byte database")
		}
		if !strings.Contains(err.Error(), "is empty (0 bytes)") {
			t.Errorf("serve on a 0-byte database: %v", err)
		}
		if fi, err := os.Stat(db); err != nil || fi.Size() != 0 {
			t.Errorf("serve: the 0-byte file is now %v bytes (%v)", fi.Size(), err)
		}
	})
}
