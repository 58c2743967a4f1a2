package storage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"

	"github.com/nashra-ma/nashra/storage"
	"github.com/nashra-ma/nashra/storage/enginetest"
	"github.com/nashra-ma/nashra/storage/etcdtest"
)

// enableAuth turns etcd's authentication on with a root user and a user
// "nashra" whose only role may read and write keys under prefix, as the
// README tells an operator to set it up.
func enableAuth(t *testing.T, endpoints []string, prefix, password string) {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	steps := []struct {
		what string
		do   func() error
	}{
		{"add root", func() error { _, err := cli.UserAdd(ctx, "root", "root-secret"); return err }},
		{"add role root", func() error { _, err := cli.RoleAdd(ctx, "root"); return err }},
		{"grant root", func() error { _, err := cli.UserGrantRole(ctx, "root", "root"); return err }},
		{"add nashra", func() error { _, err := cli.UserAdd(ctx, "nashra", password); return err }},
		{"add role nashra", func() error { _, err := cli.RoleAdd(ctx, "nashra"); return err }},
		{"grant the prefix", func() error {
			_, err := cli.RoleGrantPermission(ctx, "nashra", prefix, clientv3.GetPrefixRangeEnd(prefix), clientv3.PermissionType(clientv3.PermReadWrite))
			return err
		}},
		{"grant nashra", func() error { _, err := cli.UserGrantRole(ctx, "nashra", "nashra"); return err }},
		{"enable auth", func() error { _, err := cli.AuthEnable(ctx); return err }},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("etcd auth: %s: %v", s.what, err)
		}
	}
}

// TestEtcdAuth runs the engine as a user that may touch only its own
// prefix: every operation the engine makes (transactions, leases for a big
// batch, the prefix check at open) and an election under the prefix (what
// cluster/ does) must stay inside it, and a wrong password or a prefix
// outside the grant must be refused at open with an error that says so.
func TestEtcdAuth(t *testing.T) {
	if testing.Short() {
		t.Skip("an etcd member with authentication: not in -short")
	}
	const prefix, password = "/auth/", "s3cret-of-nashra"
	c := etcdtest.Start(t, 1)
	enableAuth(t, c.Endpoints, prefix, password)

	n := 0
	open := func(t *testing.T) storage.Engine {
		e, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: c.Endpoints, Prefix: prefix + string(rune('a'+n)) + "/", Username: "nashra", Password: password, DialTimeout: 30 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		return e
	}
	enginetest.Run(t, enginetest.Opener{
		Open: func(t *testing.T) storage.Engine { n++; return open(t) },
		Reopen: func(t *testing.T, e storage.Engine) storage.Engine {
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			return open(t)
		},
	})

	t.Run("an election under the prefix", func(t *testing.T) {
		e := open(t).(*storage.Etcd)
		s, err := concurrency.NewSession(e.Client(), concurrency.WithTTL(2))
		if err != nil {
			t.Fatalf("session as nashra: %v", err)
		}
		defer s.Close()
		el := concurrency.NewElection(s, prefix+"!election")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := el.Campaign(ctx, "replica-1"); err != nil {
			t.Fatalf("campaign as nashra: %v", err)
		}
		if err := el.Resign(ctx); err != nil {
			t.Fatalf("resign as nashra: %v", err)
		}
	})

	refused := []struct {
		name, user, password, prefix, want string
	}{
		{"wrong password", "nashra", "guess", prefix, "authentication failed"},
		{"no credentials", "", "", prefix, "user name is empty"},
		{"a prefix outside the grant", "nashra", password, "/other/", "permission denied"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			e, err := storage.OpenEtcd(storage.EtcdConfig{Endpoints: c.Endpoints, Prefix: tc.prefix, Username: tc.user, Password: tc.password, DialTimeout: 30 * time.Second})
			if err == nil {
				e.Close()
				t.Fatalf("open as %q on %s: no error", tc.user, tc.prefix)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("open as %q on %s: %v; want it to say %q", tc.user, tc.prefix, err, tc.want)
			}
			if strings.Contains(err.Error(), password) {
				t.Errorf("the error prints the password: %v", err)
			}
		})
	}
}
