package storage_test

import (
	"path/filepath"
	"testing"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/enginetest"
)

// suiteTables are the tables the conformance suite writes.
var suiteTables = []string{"big", "bin", "h", "idx", "meta", "p", "q", "r", "s", "t", "u"}

func TestBoltConformance(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []storage.Option
	}{
		{"tables only", nil},
		// Every put staged; merged into the tables every few entries, so
		// that reads see entries in both places, or never.
		{"staged, merged often", []storage.Option{storage.WithStaging(7, suiteTables...)}},
		{"staged, never merged", []storage.Option{storage.WithStaging(1<<30, suiteTables...)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			enginetest.Run(t, enginetest.Opener{
				Open: func(t *testing.T) storage.Engine {
					e, err := storage.OpenBolt(filepath.Join(t.TempDir(), "db"), append([]storage.Option{storage.WithoutSync()}, tc.opts...)...)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { e.Close() })
					return e
				},
				Reopen: func(t *testing.T, e storage.Engine) storage.Engine {
					path := e.(*storage.Bolt).Path()
					if err := e.Close(); err != nil {
						t.Fatal(err)
					}
					e2, err := storage.OpenBolt(path, tc.opts...)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { e2.Close() })
					return e2
				},
			})
		})
	}
}
