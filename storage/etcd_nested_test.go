package storage_test

import (
	"strings"
	"testing"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// Two deployments whose prefixes nest would share keys: the outer one's
// roll-back of a dead writer's batch rewrote the inner one's records (seen
// from outside). Whichever is made first, the other is refused at open;
// prefixes side by side are fine.
func TestEtcdNestedPrefixesRefused(t *testing.T) {
	c := etcdtest.Start(t, 1)
	open := func(prefix string) error {
		e, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: c.Endpoints, Prefix: prefix})
		if err == nil {
			e.Close()
		}
		return err
	}
	steps := []struct {
		prefix string
		want   string // "" opens
	}{
		{"/outer/", ""},
		{"/outer/inner/", `lies inside the nashra store at "/outer/"`},
		{"/outer/a/b/", `lies inside the nashra store at "/outer/"`},
		{"/outer-b/", ""},
		{"/outer/", ""}, // opened again
		{"/", "not a nashra store"},
		{"/first/deeper/", ""},
		{"/first/", "not a nashra store"}, // would hold /first/deeper/
	}
	for _, s := range steps {
		err := open(s.prefix)
		switch {
		case s.want == "" && err != nil:
			t.Errorf("open %s: %v", s.prefix, err)
		case s.want != "" && (err == nil || !strings.Contains(err.Error(), s.want)):
			t.Errorf("open %s: %v, want an error saying %q", s.prefix, err, s.want)
		}
	}
}
