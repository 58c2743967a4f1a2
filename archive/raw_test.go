package archive

import (
	"context"
	"testing"

	"github.com/nashra-ma/nashra/storage"
)

// rawPut writes one entry behind the archive's back, as damage or an old
// bug would leave it.
func rawPut(t *testing.T, a *Archive, table string, key, value []byte) {
	t.Helper()
	b := &storage.Batch{}
	b.Put(table, key, value)
	if err := a.eng.Apply(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

func rawGet(t *testing.T, a *Archive, table string, key []byte) []byte {
	t.Helper()
	var v []byte
	err := a.eng.View(context.Background(), func(r storage.Reader) error {
		var err error
		v, err = r.Get(table, key)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}
