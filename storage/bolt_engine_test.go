package storage_test

import (
	"path/filepath"
	"testing"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/enginetest"
)

func TestBoltConformance(t *testing.T) {
	enginetest.Run(t, enginetest.Opener{
		Open: func(t *testing.T) storage.Engine {
			e, err := storage.OpenBolt(filepath.Join(t.TempDir(), "db"), storage.WithoutSync())
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
			e2, err := storage.OpenBolt(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { e2.Close() })
			return e2
		},
	})
}
