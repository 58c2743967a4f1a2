package storage_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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

// An endpoint where no etcd answers (a closed port, a plain HTTP server)
// is named as such at open, within the dial timeout.
func TestEtcdNoMemberAnswers(t *testing.T) {
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for _, ep := range []string{plain.URL, closed.URL} {
		start := time.Now()
		_, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: []string{ep}, DialTimeout: time.Second})
		if err == nil || !strings.Contains(err.Error(), "no etcd member answered within the dial timeout (1s)") {
			t.Errorf("open %s: %v; want it to say no etcd answered", ep, err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("open %s took %s", ep, took)
		}
	}
}
